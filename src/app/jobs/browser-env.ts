import type { Remote } from 'comlink';
import type { Catalog } from '../../catalog/store';
import type { EngineWorkerApi } from '../../service/protocol';
import type { TargetNode } from '../../jobs/model';
import type { JobRunEnv } from '../../jobs/run';
import type { ResolvedFile } from '../../jobs/sources';
import type { OutputFile } from '../../jobs/writers';
import { cleanupOutputs, versionBase, withOutputIdentity, type OutputEntry, type OutputFolder, type OutputStore } from '../../jobs/publish';
import { writeOutputsToS3 } from '../../jobs/s3-target';
import { fromGlueJob } from '../../jobs/store';
import type { ByteSource } from '../../sources/byte-source';
import { entryAt, listDirectoryHandle, removeAt, workspaceRoot, writeFileAt } from '../../sources/workspace';
import { httpSource } from '../../sources/http';
import { redactUrl } from '../../sources/presigned';
import { droppedFilesAt } from '../crawlers/session-files';
import type { CatalogSession } from '../shared/catalog-session';

function toResolved(sources: ByteSource[]): ResolvedFile[] {
  return sources.map((s) => {
    const { file, url } = s as ByteSource & { file?: File; url?: string };
    const marks = { path: s.path, size: s.size, ...(s.lastModified !== undefined ? { lastModified: s.lastModified } : {}), ...(s.etag ? { etag: s.etag } : {}) };
    // Objects crawled through presigned URLs are read by DuckDB with ranged GETs (no HEAD), never downloaded whole.
    if (url) return { ...marks, data: { kind: 'url', url } };
    if (!file) throw new Error(`${s.path}: its bytes are not readable from this tab`);
    return { ...marks, data: { kind: 'file', file: file as File } };
  });
}

/** One object behind an http(s) URL (a presigned GET): its size from a one-byte ranged GET, read lazily. */
async function urlFile(location: string): Promise<ResolvedFile[]> {
  const source = await httpSource(location, decodeURIComponent(new URL(location).pathname.split('/').pop() || 'object'));
  return [{ path: source.path, size: source.size, ...(source.etag ? { etag: source.etag } : {}), data: { kind: 'url', url: location } }];
}

/** A workspace path from an `opfs://` location. */
export function opfsPath(location: string): string {
  return decodeURIComponent(location.replace(/^opfs:\/\/\/?/, ''));
}

/** Files under an OPFS folder (or the one file). */
async function opfsFiles(path: string): Promise<ResolvedFile[]> {
  const entry = await entryAt(await workspaceRoot(), path);
  if (entry.kind === 'missing') throw new Error(`opfs://${path}: no such ${entry.at === 'parent' ? 'folder' : 'file or folder'} in the workspace`);
  if (entry.kind === 'folder') return toResolved(await listDirectoryHandle(entry.dir));
  const file = await entry.file.getFile();
  return [{ path: entry.file.name, size: file.size, lastModified: file.lastModified, data: { kind: 'file', file } }];
}

function notFound(err: unknown): boolean {
  const name = (err as DOMException)?.name;
  return name === 'NotFoundError' || name === 'TypeMismatchError';
}

async function dirAt(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await workspaceRoot();
  for (const p of path.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(p, { create });
  return dir;
}

async function fileAt(path: string): Promise<File | null> {
  const parts = path.split('/').filter(Boolean);
  try {
    const dir = await dirAt(parts.slice(0, -1).join('/'), false);
    return await (await dir.getFileHandle(parts.at(-1)!)).getFile();
  } catch (err) {
    if (notFound(err)) return null;
    throw err;
  }
}

/**
 * Workspace targets in the tab: version folders in OPFS (see src/jobs/publish.ts). A target folder is held
 * by one writer at a time across tabs with a Web Lock, which the browser frees when a tab dies.
 */
export const opfsOutputStore: OutputStore = {
  location: (path) => `opfs://${path}`,
  pathOf: (location) => (location.startsWith('opfs://') ? opfsPath(location) : null),
  async list(path) {
    let dir: FileSystemDirectoryHandle;
    try { dir = await dirAt(path, false); } catch (err) { if (notFound(err)) return []; throw err; }
    const out: OutputEntry[] = [];
    for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      out.push({ name, kind: handle.kind, size: handle.kind === 'file' ? (await (handle as FileSystemFileHandle).getFile()).size : 0 });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  },
  async read(path) {
    const file = await fileAt(path);
    return file ? new Uint8Array(await file.arrayBuffer()) : null;
  },
  async write(path, bytes) { await writeFileAt(await workspaceRoot(), path, bytes); },
  async copy(from, to) {
    const file = await fileAt(from);
    if (!file) throw new Error(`opfs://${from}: the file to carry over is gone`);
    await writeFileAt(await workspaceRoot(), to, new Uint8Array(await file.arrayBuffer()));
  },
  async remove(path) { await removeAt(await workspaceRoot(), path); },
  lock(dir, wait) {
    const locks = navigator.locks;
    if (!locks) return Promise.resolve(() => undefined);
    return new Promise((resolve, reject) => {
      locks.request(`epoxy-output:${dir}`, { ifAvailable: !wait }, (lock) => {
        if (!lock) { resolve(null); return undefined; }
        return new Promise<void>((release) => resolve(release));
      }).catch(reject);
    });
  },
};

/** A workspace target's folder (its path without empty or ./.. parts). */
function workspaceBase(node: TargetNode): string {
  const t = node.target;
  const base = t.type === 'workspace' ? t.path.split('/').filter(Boolean).join('/') : '';
  if (!base) throw new Error(`${node.id}: a workspace target needs a path`);
  if (base.split('/').some((p) => p === '.' || p === '..')) throw new Error(`${node.id}: invalid workspace path ${t.type === 'workspace' ? t.path : ''}`);
  return base;
}

/**
 * The job runner's environment in the tab: files dropped this session (dropped://) or in the workspace
 * (opfs://), workspace targets published atomically as versions in OPFS, download targets kept in the result.
 */
export function browserJobEnv(engine: Remote<EngineWorkerApi>, catalog: Catalog): JobRunEnv {
  return {
    engine,
    catalog,
    async listFiles(location) {
      if (location.startsWith('dropped://')) {
        const files = droppedFilesAt(location);
        if (!files) throw new Error(`${location} was dropped in an earlier session: drop the folder again (Crawlers view) to read it`);
        return toResolved(files);
      }
      if (location.startsWith('opfs://')) return withOutputIdentity(await opfsFiles(opfsPath(location)));
      if (/^https?:\/\//.test(location)) return urlFile(location);
      const crawled = droppedFilesAt(location);
      if (crawled) return toResolved(crawled);
      throw new Error(`${redactUrl(location)}: this tab reads dropped files, the workspace (opfs://), http(s) URLs and objects crawled in this session`);
    },
    async writeFiles(node: TargetNode, files: OutputFile[]) {
      const t = node.target;
      if (t.type === 'download') return `download://${t.name || node.id}`;
      if (t.type === 's3') {
        await writeOutputsToS3(files, { kind: 's3-presigned', location: t.location, putUrls: t.putUrls });
        return t.location;
      }
      throw new Error(`${node.id}: workspace targets are written through the output store`);
    },
    outputs: { store: opfsOutputStore, folder: async (node) => workspaceBase(node) },
  };
}

/**
 * At start: remove what runs killed mid-write left in the workspace (half-written versions, versions a
 * commit never named, replaced ones a kill kept), in every folder a job writes to or a table is read from,
 * except folders another tab is writing right now. Returns what was removed.
 */
export async function cleanupWorkspaceOutputs(catalog: Catalog): Promise<string[]> {
  if (!navigator.storage?.getDirectory) return [];
  // The version a table registers is the one to keep; other folders keep their newest complete version.
  const registered = new Map<string, string>();
  for (const db of await catalog.getDatabases()) {
    for (const t of await catalog.getTables(db.Name)) {
      const location = t.StorageDescriptor?.Location ?? '';
      const path = opfsOutputStore.pathOf(location)?.replace(/\/+$/, '');
      // A table written before versioning names the folder itself: its files are the output to keep.
      if (path) registered.set(versionBase(path) ?? path, location);
    }
  }
  const bases = new Set(registered.keys());
  for (const job of await catalog.list('job')) {
    let def;
    try { def = fromGlueJob(job); } catch { continue; }
    for (const n of def.nodes) {
      if (n.kind !== 'target' || n.target.type !== 'workspace' || n.target.path.includes('${')) continue;
      const base = n.target.path.split('/').filter(Boolean).join('/');
      if (base && !base.split('/').some((p) => p === '.' || p === '..')) bases.add(base);
    }
  }
  const folders: OutputFolder[] = [...bases].map((base) => ({ base, ...(registered.has(base) ? { registered: registered.get(base)! } : {}) }));
  return cleanupOutputs(opfsOutputStore, folders);
}

/** `cleanupWorkspaceOutputs` over the app's catalog, once at start; a failure leaves the orphans for the next run to remove. */
export async function cleanupWorkspaceOnStart(session: CatalogSession): Promise<string[]> {
  return cleanupWorkspaceOutputs(await session.open());
}
