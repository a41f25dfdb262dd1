import { constants, copyFileSync, linkSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { Engine, type EngineOptions } from './engine';
import type { DuckHost, HostConnection } from './host';
import { startNativeRuntime, type NativeBridge, type NativeRuntime, type NativeRuntimeOptions } from './native-bridge';
import { ParquetCodec } from './parquet';
import { lazyParquet } from './node-parquet';

/** Options of the native engine, beyond the Engine's own. */
export interface NativeEngineOptions extends EngineOptions, NativeRuntimeOptions {
  /**
   * Files and folders the command will read (its inputs), readable in place by a locked engine. DuckDB
   * resolves links before it checks a path, so a 'path' source outside these is hard-linked into the
   * engine's folder, or copied where it can't be (another file system).
   */
  readable?: string[];
}

/**
 * Start the Engine on native DuckDB, for the CLI: the same Engine class as the browser's, so every core
 * module runs unchanged, with DuckDB's own Parquet/JSON readers and its threads instead of DuckDB-WASM's
 * single-threaded WASM (issue 21: start-up 5-7x a native process, Parquet decoded through parquet-wasm).
 * DuckDB runs in a worker thread; each Engine call blocks until it answers (the Engine is synchronous).
 * Locked down unless `trusted`, like the WASM engine: SQL reads only the files registered with it. `runtime`
 * is a DuckDB the caller started itself (startNativeRuntime), e.g. before it loaded this module.
 */
export async function createNativeEngine(options: NativeEngineOptions = {}, runtime?: NativeRuntime): Promise<Engine> {
  const { bridge, files, scratch, threads } = runtime ?? await startNativeRuntime(options);
  // Folders end in '/' (EngineOptions.allowedPaths).
  const readable = (options.readable ?? []).map((p) => realpathOr(p)).map((p) => (isFolder(p) ? p.replace(/\/*$/, '/') : p));
  const inReadable = (real: string) => readable.some((r) => real === r || (r.endsWith('/') && real.startsWith(r)));
  const host: DuckHost = {
    kind: 'native',
    root: files,
    connect: () => nativeConnection(bridge, bridge.call({ op: 'connect' }).conn!),
    version: () => bridge.call({ op: 'version' }).text ?? '',
    heapBytes: () => 0,
    async register(path, source) {
      mkdirSync(dirname(path), { recursive: true });
      switch (source.kind) {
        case 'path': {
          const real = realpathOr(source.path);
          if (options.trusted || inReadable(real)) symlinkSync(real, path);
          else linkOrCopy(real, path);
          break;
        }
        case 'buffer': writeFileSync(path, source.bytes); break;
        case 'file': writeFileSync(path, new Uint8Array(await source.file.arrayBuffer())); break;
        case 'url': {
          if (!options.readUrl) throw new Error('this engine was started without a URL reader, so it reads no URLs');
          writeFileSync(path, await options.readUrl(source.url));
          break;
        }
      }
    },
    writeFile: (path, bytes) => writeFileSync(path, bytes),
    readFile: (path) => new Uint8Array(readFileSync(path)),
    dropFile: (path) => rmSync(path, { force: true }),
  };
  return new Engine(host, new ParquetCodec(lazyParquet()), scratch, (path) => rmSync(path, { force: true }), {
    ...options,
    allowedPaths: readable,
    build: options.build ?? `native ${threads === 1 ? '1 thread' : `${threads} threads`}`,
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** A file readable at `path` without a link DuckDB would resolve: a hard link, else a copy. */
function linkOrCopy(real: string, path: string): void {
  try {
    linkSync(real, path);
  } catch {
    copyFileSync(real, path, constants.COPYFILE_FICLONE);
  }
}

function nativeConnection(bridge: NativeBridge, conn: number): HostConnection {
  const ipc = (op: 'query' | 'prepared', sql: string) => bridge.call({ op, conn, sql }).ipc!;
  return {
    query: (sql) => tableFromIPC(ipc('query', sql)),
    queryIPC: (sql) => ipc('query', sql),
    queryPrepared: (sql) => tableFromIPC(ipc('prepared', sql)),
    insertIPC: (bytes, options) => { bridge.call({ op: 'insert', conn, ipc: bytes, options }); },
    queryIPCSliced: async (sql) => ipc('query', sql),
  };
}
