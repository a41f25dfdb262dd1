import { BROWSER_RUNTIME, createDuckDB, failWith, getPlatformFeatures, VoidLogger, type DuckDBBindings } from 'duckdb-browser-blocking';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { canRunCoi, type BrowserEngineOptions } from './builds';
import { Engine, type UrlReader } from './engine';
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
 * Start the engine inside a browser worker. With coi (asked for, and cross-origin isolated) it runs
 * DuckDB-WASM's multi-threaded build: DuckDB's own parallel scans and aggregates on pthread workers; otherwise,
 * or if that build fails to start under `auto`, the blocking bundle's single-threaded eh (or mvp) build. The
 * WASM files are self-hosted through Vite (never a CDN) so the app works offline. Engine.build says which runs.
 */
export async function createBrowserEngine(http: BrowserHttp, options: BrowserEngineOptions = {}): Promise<Engine> {
  const choice = options.build ?? 'eh';
  const parquet = initParquet({ module_or_path: parquetWasmUrl });
  let fallback: string | undefined;
  if (choice === 'coi' && !canRunCoi()) throw new Error('DuckDB\'s multi-threaded build needs a cross-origin isolated page (COOP: same-origin and COEP: require-corp)');
  if (choice === 'coi' || (choice === 'auto' && canRunCoi())) {
    try {
      const threads = Math.max(1, Math.min(options.threads ?? (navigator.hardwareConcurrency || 1), 8));
      const db = await startCoi(http, threads);
      await parquet;
      return new Engine(db, new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl, build: `coi, ${threads} thread${threads > 1 ? 's' : ''}` });
    } catch (err) {
      if (choice === 'coi') throw err;
      fallback = `coi build failed to start: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const bundles = {
    mvp: { mainModule: mvpWasm, mainWorker: '' },
    eh: { mainModule: ehWasm, mainWorker: '' },
  };
  const [db, features] = await Promise.all([
    // HTTP files are opened and read with ranged GETs only (no HEAD): see http-runtime.ts.
    createDuckDB(bundles, new VoidLogger(), presignedHttpRuntime(BROWSER_RUNTIME, failWith, http.sync)),
    getPlatformFeatures(),
    parquet,
  ]);
  await instantiateWithCodeCache(db);
  db.open({ query: { castBigIntToDouble: false } });
  const why = fallback ?? (choice === 'eh' ? 'single-threaded build' : 'page not cross-origin isolated');
  return new Engine(db as DuckDBBindings, new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl, build: `${features.wasmExceptions ? 'eh' : 'mvp'}, 1 thread (${why})` });
}

/**
 * DuckDB's coi build, driven synchronously in this worker like the blocking bundle (scripts/duckdb-coi-plugin.ts
 * exposes its bindings). Its glue module is loaded only here, so a page that cannot use it never downloads it.
 */
async function startCoi(http: BrowserHttp, threads: number): Promise<DuckDBBindings> {
  // Emscripten never settles its instantiate promise when the WASM cannot be fetched (offline, before the
  // service worker has cached it): ask first, so `auto` falls back to eh instead of hanging.
  const probe = await fetch(coiWasm).catch(() => null);
  if (!probe?.ok) throw new Error(probe ? `its WASM answered HTTP ${probe.status}` : 'its WASM could not be fetched (offline and not cached yet)');
  await probe.body?.cancel();
  const { CoiBindings, coiRuntime, coiFailWith } = await import('virtual:duckdb-coi-bindings');
  const db = new CoiBindings(new VoidLogger(), presignedHttpRuntime(coiRuntime, coiFailWith, http.sync), coiWasm, coiPthreadWorker);
  await instantiateWithCodeCache(db);
  db.open({ query: { castBigIntToDouble: false }, maximumThreads: threads });
  return db;
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
