/**
 * The job runner's environment in Node (CLI, tests): files on disk, outputs written under a folder, the same
 * DuckDB-WASM engine as the browser behind the same protocol.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalog } from '../catalog/store';
import type { Engine } from '../engine/engine';
import { createEngineService } from '../engine/service';
import { listNodeFolder } from '../sources/node-files';
import type { TargetNode } from './model';
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
  return (await listNodeFolder(abs)).map((s) => ({ path: s.path, size: s.size, ...(s.lastModified !== undefined ? { lastModified: s.lastModified } : {}), data: { kind: 'path' as const, path: join(abs, ...s.path.split('/')) } }));
}

/** Where a target writes under `outDir`: workspace targets at their path, downloads in a folder named after them. */
export function targetFolder(outDir: string, node: TargetNode): string {
  const t = node.target;
  const rel = t.type === 'workspace' ? t.path : t.type === 's3' ? t.location.replace(/^s3:\/\//, '') : (t.name || node.id);
  const parts = rel.split('/').filter(Boolean);
  if (!parts.length || parts.some((p) => p === '..' || p === '.')) throw new Error(`${node.id}: invalid target path ${rel}`);
  return join(outDir, ...parts);
}

/** A runner environment over a Node engine; targets are written (replaced) under `outDir`. */
export function nodeJobEnv(engine: Engine, outDir: string, opts: { catalog?: Catalog; inputs?: Record<string, string> } = {}): JobRunEnv {
  const service = createEngineService(() => Promise.resolve(engine));
  return {
    engine: service,
    listFiles: listLocalFiles,
    async writeFiles(node, files) {
      if (node.target.type === 's3') {
        await writeOutputsToS3(files, { kind: 's3-presigned', location: node.target.location, putUrls: node.target.putUrls });
        return node.target.location;
      }
      const folder = targetFolder(resolve(outDir), node);
      await rm(folder, { recursive: true, force: true });
      for (const f of files) {
        const path = join(folder, ...f.path.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.bytes);
      }
      return pathToFileURL(folder).href;
    },
    ...(opts.catalog ? { catalog: opts.catalog } : {}),
    ...(opts.inputs ? { inputs: opts.inputs } : {}),
  };
}
