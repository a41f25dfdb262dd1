import { BROWSER_RUNTIME, createDuckDB, failWith, VoidLogger, type DuckDBBindings } from 'duckdb-browser-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { Engine, type UrlReader } from './engine';
import { fileReaderRuntime } from './file-runtime';
import { presignedHttpRuntime, type SyncHttpReader } from './http-runtime';
import { ParquetCodec } from './parquet';

/** How the browser engine reads HTTP(S) URLs; the engine has no HTTP code of its own (service/browser-engine.ts). */
export interface BrowserHttp {
  /** Whole objects the engine decodes itself (Parquet). */
  readUrl: UrlReader;
  /** Ranged reads inside DuckDB (CSV over a URL), which must block. */
  sync: SyncHttpReader;
}

/**
 * Start the engine inside a browser worker on DuckDB-WASM's blocking bundle. The WASM files are
 * self-hosted through Vite (never a CDN) so the app works offline; the blocking bundle picks eh or mvp.
 */
export async function createBrowserEngine(http: BrowserHttp): Promise<Engine> {
  const bundles = {
    mvp: { mainModule: mvpWasm, mainWorker: '' },
    eh: { mainModule: ehWasm, mainWorker: '' },
  };
  // HTTP files are opened and read with ranged GETs only (no HEAD): see http-runtime.ts; dropped files in
  // bounded chunks freed at once: see file-runtime.ts.
  const runtime = fileReaderRuntime(presignedHttpRuntime(BROWSER_RUNTIME, failWith, http.sync));
  const [db] = await Promise.all([
    createDuckDB(bundles, new VoidLogger(), runtime),
    initParquet({ module_or_path: parquetWasmUrl }),
  ]);
  await instantiateWithCodeCache(db);
  db.open({ query: { castBigIntToDouble: false } });
  return new Engine(db as DuckDBBindings, new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl, fileReads: runtime.fileReadStats });
}

/**
 * DuckDB's loader wraps the wasm response in a progress-reporting TransformStream, which hides the URL from
 * the browser and so defeats its compiled-code cache. Without TransformStream it streams the fetch response
 * directly, and repeat visits skip recompiling 34 MB of wasm.
 */
async function instantiateWithCodeCache(db: DuckDBBindings): Promise<void> {
  const scope = globalThis as { TransformStream?: unknown };
  const saved = scope.TransformStream;
  scope.TransformStream = undefined;
  try {
    await db.instantiate(() => {});
  } finally {
    scope.TransformStream = saved;
  }
}
