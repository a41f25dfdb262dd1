import { fileSource, type ByteSource } from './byte-source';
import { isIgnoredName } from './dropped';
import { COMMIT_MARKER, currentVersionFiles, versionNumber } from './versions';

/**
 * The workspace: a folder tree in the origin-private file system (OPFS) where job outputs land and from
 * where they are crawled and read like any dropped folder. Paths are '/'-separated and relative.
 */
export async function workspaceRoot(): Promise<FileSystemDirectoryHandle> {
  if (!navigator.storage?.getDirectory) throw new Error('This browser has no origin-private file system; the workspace is unavailable (download outputs instead)');
  return navigator.storage.getDirectory();
}

function splitPath(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  if (parts.some((p) => p === '.' || p === '..')) throw new Error(`Invalid workspace path: ${path}`);
  return parts;
}

async function folder(root: FileSystemDirectoryHandle, parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = root;
  for (const p of parts) dir = await dir.getDirectoryHandle(p, { create });
  return dir;
}

/** What a workspace path names, found without creating anything or opening a file. */
export type WorkspaceEntry =
  | { kind: 'folder'; dir: FileSystemDirectoryHandle }
  | { kind: 'file'; file: FileSystemFileHandle }
  /** `parent`: a folder on the way is missing; `leaf`: only the last name is. */
  | { kind: 'missing'; at: 'parent' | 'leaf' };

/** Walk a '/'-separated path from `root`: the folder or file it names, or where it stops (the root for ''). */
export async function entryAt(root: FileSystemDirectoryHandle, path: string): Promise<WorkspaceEntry> {
  const parts = path.split('/').filter(Boolean);
  let dir = root;
  for (const [i, p] of parts.entries()) {
    try {
      dir = await dir.getDirectoryHandle(p);
    } catch {
      if (i < parts.length - 1) return { kind: 'missing', at: 'parent' };
      const file = await dir.getFileHandle(p).catch(() => null);
      return file ? { kind: 'file', file } : { kind: 'missing', at: 'leaf' };
    }
  }
  return { kind: 'folder', dir };
}

/** Write (replace) a file in a folder tree, creating folders as needed. */
export async function writeFileAt(root: FileSystemDirectoryHandle, path: string, bytes: Uint8Array): Promise<void> {
  const parts = splitPath(path);
  const dir = await folder(root, parts.slice(0, -1), true);
  const handle = await dir.getFileHandle(parts.at(-1)!, { create: true });
  const writable = await handle.createWritable();
  try {
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
  } finally {
    await writable.close();
  }
}

/** Remove a file or a whole folder (e.g. a target location before it is overwritten). */
export async function removeAt(root: FileSystemDirectoryHandle, path: string): Promise<void> {
  const parts = splitPath(path);
  if (parts.length === 0) throw new Error('Refusing to remove the whole workspace');
  try {
    const dir = await folder(root, parts.slice(0, -1), false);
    await dir.removeEntry(parts.at(-1)!, { recursive: true });
  } catch (err) {
    if ((err as DOMException).name !== 'NotFoundError') throw err;
  }
}

/**
 * Every data file under a directory handle (a folder picked with the File System Access API, or an OPFS
 * folder), as byte sources with paths relative to it. Hidden files and OS litter are skipped, and a
 * versioned output folder shows only its current version (see versions.ts): never a half-written one.
 */
export async function listDirectoryHandle(dir: FileSystemDirectoryHandle, prefix = ''): Promise<ByteSource[]> {
  const out: ByteSource[] = [];
  const complete: string[] = [];
  await walk(dir, prefix, out, complete);
  return currentVersionFiles(out, complete);
}

async function walk(dir: FileSystemDirectoryHandle, prefix: string, out: ByteSource[], complete: string[]): Promise<void> {
  const entries: [string, FileSystemHandle][] = [];
  for await (const entry of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) entries.push(entry);
  entries.sort(([a], [b]) => a.localeCompare(b));
  const isVersion = versionNumber(prefix.split('/').at(-1) ?? '') !== null;
  for (const [name, handle] of entries) {
    if (isVersion && name === COMMIT_MARKER && handle.kind === 'file' && (await (handle as FileSystemFileHandle).getFile()).size > 0) complete.push(prefix);
    if (isIgnoredName(name)) continue;
    const path = prefix ? `${prefix}/${name}` : name;
    if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, path, out, complete);
    else out.push(fileSource(path, await (handle as FileSystemFileHandle).getFile()));
  }
}

/** Open a folder of the workspace (created when missing). */
export async function workspaceFolder(path: string, create = true): Promise<FileSystemDirectoryHandle> {
  return folder(await workspaceRoot(), splitPath(path), create);
}

/**
 * Copy a file (a dropped one, say) into a folder tree, streaming it: a large file is never held in memory
 * whole. A write that fails (quota) leaves no half-written file behind.
 */
export async function copyFileInto(root: FileSystemDirectoryHandle, path: string, blob: Blob): Promise<void> {
  const parts = splitPath(path);
  const dir = await folder(root, parts.slice(0, -1), true);
  const handle = await dir.getFileHandle(parts.at(-1)!, { create: true });
  const writable = await handle.createWritable();
  try {
    await blob.stream().pipeTo(writable);
  } catch (err) {
    await writable.abort().catch(() => undefined);
    await dir.removeEntry(parts.at(-1)!).catch(() => undefined);
    throw err;
  }
}
