import type { Remote } from 'comlink';
import type { Catalog } from '../../catalog/store';
import type { EngineWorkerApi } from '../../engine/protocol';
import type { TargetNode } from '../../jobs/model';
import type { JobRunEnv } from '../../jobs/run';
import type { ResolvedFile } from '../../jobs/sources';
import type { OutputFile } from '../../jobs/writers';
import { writeOutputsToS3 } from '../../jobs/s3-target';
import type { ByteSource } from '../../sources/byte-source';
import { listDirectoryHandle, removeAt, workspaceRoot, writeFileAt } from '../../sources/workspace';
import { httpSource } from '../../sources/http';
import { redactUrl } from '../../sources/presigned';
import { droppedFilesAt } from '../crawlers/session-files';

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
  const root = await workspaceRoot();
  const parts = path.split('/').filter(Boolean);
  let dir = root;
  for (const [i, p] of parts.entries()) {
    try {
      dir = await dir.getDirectoryHandle(p);
    } catch {
      if (i < parts.length - 1) throw new Error(`opfs://${path}: no such folder in the workspace`);
      const file = await dir.getFileHandle(p).then((h) => h.getFile()).catch(() => null);
      if (!file) throw new Error(`opfs://${path}: no such file or folder in the workspace`);
      return [{ path: p, size: file.size, lastModified: file.lastModified, data: { kind: 'file', file } }];
    }
  }
  return toResolved(await listDirectoryHandle(dir));
}

/**
 * The job runner's environment in the tab: files dropped this session (dropped://) or in the workspace
 * (opfs://), workspace targets written into OPFS (the old output replaced), download targets kept in the result.
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
      if (location.startsWith('opfs://')) return opfsFiles(opfsPath(location));
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
      const root = await workspaceRoot();
      const base = t.path.split('/').filter(Boolean).join('/');
      if (!base) throw new Error(`${node.id}: a workspace target needs a path`);
      await removeAt(root, base);
      for (const f of files) await writeFileAt(root, `${base}/${f.path}`, f.bytes);
      return `opfs://${base}`;
    },
  };
}
