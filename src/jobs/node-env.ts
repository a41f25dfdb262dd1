/**
 * The job runner's environment in Node (CLI, tests): files on disk, outputs written under a folder. The engine
 * comes from the caller, behind the same protocol as the browser's worker (service/'s createEngineService).
 */
import { copyFile, link, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalog } from '../catalog/store';
import { listNodeFolder } from '../sources/node-files';
import type { JobEngine } from './engine';
import type { TargetNode } from './model';
import { withOutputIdentity, type OutputStore } from './publish';
import { writeOutputsToS3 } from './s3-target';
import type { JobRunEnv } from './run';
import type { ResolvedFile } from './sources';

/** A location (file:///..., a plain path) as an absolute path; other schemes cannot be read in Node. */
export function localPath(location: string): string {
  if (location.startsWith('file://')) return fileURLToPath(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`${location}: only local files can be read here (give --input NODE=PATH)`);
  return resolve(location);
}

/** Every file under a local folder, or the one file, as runner files. */
export async function listLocalFiles(location: string): Promise<ResolvedFile[]> {
  const abs = localPath(location);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new Error(`${location}: no such file or folder`);
  if (info.isFile()) return [{ path: basename(abs), size: info.size, lastModified: info.mtimeMs, data: { kind: 'path', path: abs } }];
  return withOutputIdentity((await listNodeFolder(abs)).map((s) => ({ path: s.path, size: s.size, ...(s.lastModified !== undefined ? { lastModified: s.lastModified } : {}), data: { kind: 'path' as const, path: join(abs, ...s.path.split('/')) } })));
}

/**
 * Where a target writes under `outDir`: workspace targets at their path, downloads in a folder named after
 * them. An absolute path lands under `outDir` too; `..`, `.` and backslashes are refused.
 */
export function targetFolder(outDir: string, node: TargetNode): string {
  const t = node.target;
  const rel = t.type === 'workspace' ? t.path : t.type === 's3' ? t.location.replace(/^s3:\/\//, '') : (t.name || node.id);
  const parts = String(rel ?? '').split('/').filter(Boolean);
  if (!parts.length || parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) throw new Error(`${node.id}: invalid target path ${rel}: a target writes to a folder under --out, named without . or .. parts`);
  const folder = join(outDir, ...parts);
  if (!within(outDir, folder) || folder === resolve(outDir)) throw new Error(`${node.id}: the target path ${rel} leaves --out`);
  return folder;
}

/** Whether `path` is `root` or inside it (both absolute). */
export function within(root: string, path: string): boolean {
  const r = resolve(root);
  const p = resolve(path);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * Refuse a target folder reached through a symbolic link below `outDir`: a link placed there (`out/lake ->
 * /home/me`) would make the write, and the removal of the previous output, land outside --out.
 */
async function refuseLinks(outDir: string, folder: string, nodeId: string): Promise<void> {
  const root = resolve(outDir);
  let path = root;
  for (const part of folder.slice(root.length).split(sep).filter(Boolean)) {
    path = join(path, part);
    const info = await lstat(path).catch(() => null);
    if (!info) return;
    if (info.isSymbolicLink()) throw new Error(`${nodeId}: ${path} is a symbolic link; a target writes only into real folders under --out`);
  }
}

const held = new Map<string, Promise<void>>();

/**
 * Workspace targets in Node: version folders on disk. Kept files are hard-linked into the new version
 * (their bytes never change), or copied where links are impossible. One writer per folder in this process;
 * separate `epoxy run` processes writing the same --out target are not coordinated.
 */
export const nodeOutputStore: OutputStore = {
  location: (path) => pathToFileURL(path).href,
  pathOf: (location) => {
    try { return localPath(location); } catch { return null; }
  },
  async list(dir) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    // A link is listed as a file: never descended into, and removed (the link, not its target) with the old output.
    return Promise.all(entries.map(async (e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' as const : 'file' as const, size: e.isFile() ? (await stat(join(dir, e.name))).size : 0 })));
  },
  read: (path) => readFile(path).then((b) => new Uint8Array(b), () => null),
  async write(path, bytes) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  },
  async copy(from, to) {
    await mkdir(dirname(to), { recursive: true });
    await link(from, to).catch(() => copyFile(from, to));
  },
  remove: (path) => rm(path, { recursive: true, force: true }),
  async lock(dir, wait) {
    const key = resolve(dir);
    if (held.has(key) && !wait) return null;
    while (held.has(key)) await held.get(key);
    let release!: () => void;
    held.set(key, new Promise<void>((r) => { release = r; }));
    return () => { held.delete(key); release(); };
  },
};

/** What a Node run may touch beyond --out (the CLI's rules; `epoxy run --trust` lifts them). */
export interface NodeConfinement {
  /** Absolute paths (files or folders) sources may read: the --input paths and catalog table locations. */
  readable: string[];
}

/** Options of a Node runner environment. */
export interface NodeJobEnvOptions {
  catalog?: Catalog;
  inputs?: Record<string, string>;
  /** Sources read only under `readable`, and no target writes over the network (S3 PUT URLs from the job file). */
  confine?: NodeConfinement;
  /** A user's own job (`--trust`): its SQL text skips the SQL guard. */
  trusted?: boolean;
}

/**
 * A runner environment over an engine in this process (a Node engine behind createEngineService); targets are
 * written (replaced) under `outDir`.
 */
export function nodeJobEnv(engine: JobEngine, outDir: string, opts: NodeJobEnvOptions = {}): JobRunEnv {
  const confine = opts.confine;
  return {
    engine,
    async listFiles(location) {
      if (confine) {
        const path = localPath(location);
        if (!confine.readable.some((root) => within(root, path))) throw new Error(`${location} is not an --input or a catalog table location: give --input NODE=PATH, or --trust for your own job`);
      }
      return listLocalFiles(location);
    },
    async writeFiles(node, files) {
      if (node.target.type === 's3') {
        if (confine) throw new Error(`target ${node.id} sends its rows over the network to ${node.target.location} (PUT URLs in the job file): run with --trust if this is your own job`);
        await writeOutputsToS3(files, { kind: 's3-presigned', location: node.target.location, putUrls: node.target.putUrls });
        return node.target.location;
      }
      const folder = targetFolder(resolve(outDir), node);
      await refuseLinks(outDir, folder, node.id);
      await rm(folder, { recursive: true, force: true });
      for (const f of files) {
        const path = join(folder, ...f.path.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.bytes);
      }
      return pathToFileURL(folder).href;
    },
    outputs: {
      store: nodeOutputStore,
      async folder(node) {
        const folder = targetFolder(resolve(outDir), node);
        await refuseLinks(outDir, folder, node.id);
        return folder;
      },
    },
    ...(opts.catalog ? { catalog: opts.catalog } : {}),
    ...(opts.inputs ? { inputs: opts.inputs } : {}),
    ...(opts.trusted ? { trusted: true } : {}),
  };
}
