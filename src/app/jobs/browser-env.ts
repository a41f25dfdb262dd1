import type { Remote } from 'comlink';
import type { Catalog } from '../../catalog/store';
import type { EngineWorkerApi } from '../../service/protocol';
import type { TargetNode } from '../../jobs/model';
import type { JobRunEnv } from '../../jobs/run';
import type { LocationLister } from '../../query/locations';
import { browserLister, opfsPath } from '../shared/locations';
import type { OutputFile } from '../../jobs/writers';
import { cleanupOutputs, versionBase, type OutputEntry, type OutputFolder, type OutputStore } from '../../jobs/publish';
import { writeOutputsToS3 } from '../../jobs/s3-target';
import { fromGlueJob } from '../../jobs/store';
import { removeAt, workspaceRoot, writeFileAt } from '../../sources/workspace';
import type { CatalogSession } from '../shared/catalog-session';

export { opfsPath } from '../shared/locations';

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
export function browserJobEnv(engine: Remote<EngineWorkerApi>, catalog: Catalog, lister: LocationLister = browserLister(catalog)): JobRunEnv {
  return {
    engine,
    catalog,
    // Catalog tables and file sources are listed as everywhere in the tab (the SQL box, Transform): one lister.
    listFiles: (location) => lister.listFiles(location),
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
