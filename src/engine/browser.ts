import { BROWSER_RUNTIME, createDuckDB, failWith, VoidLogger, type DuckDBBindings } from 'duckdb-browser-blocking';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { canRunCoi, type BrowserEngineOptions } from './builds';
import { Engine, type UrlReader } from './engine';
import { wasmHost } from './host';
import { fileReaderRuntime } from './file-runtime';
import { presignedHttpRuntime, type SyncHttpReader } from './http-runtime';
import { compileStreaming, DUCKDB_EH_WASM, PARQUET_WASM, type EarlyWasm } from './early-wasm';
import { ParquetCodec } from './parquet';
import { epochNow, StartClock } from './start-clock';

/** How the browser engine reads HTTP(S) URLs; the engine has no HTTP code of its own (service/browser-engine.ts). */
export interface BrowserHttp {
  /** Whole objects the engine decodes itself (Parquet). */
  readUrl: UrlReader;
  /** Ranged reads inside DuckDB (CSV over a URL), which must block. */
  sync: SyncHttpReader;
}

/**
/**
 * Start the engine inside a browser worker. With coi (asked for, and cross-origin isolated) it runs
 * DuckDB-WASM's multi-threaded build: DuckDB's own parallel scans and aggregates on pthread workers; otherwise,
 * or if that build fails to start under `auto`, the blocking bundle's single-threaded eh (or mvp) build. The
 * WASM files are self-hosted through Vite (never a CDN) so the app works offline. Engine.build says which runs.
 * `clock` receives the phases of the start (fetch, compile, instantiate, open) for the cold-start breakdown;
 * `early` holds the wasm compiles the worker started before loading this module (early-wasm.ts).
 */
export async function createBrowserEngine(http: BrowserHttp, options: BrowserEngineOptions = {}, clock = new StartClock(), early?: EarlyWasm): Promise<Engine> {
  const choice = options.build ?? 'eh';
  // parquet-wasm compiles on its own while DuckDB does: both are streaming compiles, off this thread.
  const parquet = clock.time('parquet-wasm init', async () => initParquet({ module_or_path: (await early?.parquet) ?? PARQUET_WASM }));
  let fallback: string | undefined;
  if (choice === 'coi' && !canRunCoi()) throw new Error('DuckDB\'s multi-threaded build needs a cross-origin isolated page (COOP: same-origin and COEP: require-corp)');
  if (choice === 'coi' || (choice === 'auto' && canRunCoi())) {
    try {
      const threads = Math.max(1, Math.min(options.threads ?? (navigator.hardwareConcurrency || 1), 8));
      const db = await clock.time('duckdb coi start', () => startCoi(http, threads));
      await parquet;
      return new Engine(wasmHost(db), new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl, build: `coi, ${threads} thread${threads > 1 ? 's' : ''}` });
    } catch (err) {
      if (choice === 'coi') throw err;
      fallback = `coi build failed to start: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const bundles = {
    mvp: { mainModule: mvpWasm, mainWorker: '' },
    eh: { mainModule: early?.url ?? DUCKDB_EH_WASM, mainWorker: '' },
  };
  // HTTP files are opened and read with ranged GETs only (no HEAD): see http-runtime.ts; dropped files in
  // bounded chunks freed at once: see file-runtime.ts.
  const runtime = fileReaderRuntime(presignedHttpRuntime(BROWSER_RUNTIME, failWith, http.sync));
  const db = await clock.time('duckdb bundle select', () => createDuckDB(bundles, new VoidLogger(), runtime));
  await instantiateStreaming(db, clock, early);
  await clock.time('db.open', () => db.open({ query: { castBigIntToDouble: false } }));
  // Awaited only now: DuckDB's instantiate and open hold this thread, and parquet-wasm's compile finishes meanwhile.
  await clock.time('parquet-wasm wait', () => parquet);
  // The blocking bundle fell back to mvp when this browser has no wasm exceptions.
  const build = (db as unknown as WasmLoader).mainModuleURL === mvpWasm ? 'mvp' : 'eh';
  const why = fallback ?? (choice === 'eh' ? 'single-threaded build' : 'page not cross-origin isolated');
  return clock.time('engine setup', () => new Engine(wasmHost(db as DuckDBBindings), new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl, build: `${build}, 1 thread (${why})`, fileReads: runtime.fileReadStats }));
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
  // DuckDB's loader wraps the wasm response in a progress-reporting TransformStream, a Response without a URL,
  // which defeats the browser's compiled-code cache: without TransformStream it streams the fetch response itself.
  const scope = globalThis as { TransformStream?: unknown };
  const saved = scope.TransformStream;
  scope.TransformStream = undefined;
  try {
    await db.instantiate(() => {});
  } finally {
    scope.TransformStream = saved;
  }
  db.open({ query: { castBigIntToDouble: false }, maximumThreads: threads });
  return db;
}

/** The parts of DuckDB's browser bindings that load its wasm (emscripten's instantiateWasm hook). */
interface WasmLoader {
  mainModuleURL: string;
  _runtime: unknown;
  instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): unknown[];
}

/**
 * Instantiate DuckDB with a plain streaming compile of the fetch Response. DuckDB's own loader pipes the
 * response through a progress-reporting TransformStream, a new Response without a URL, which defeats
 * chromium's compiled-code cache (it keys compiled wasm by the response URL, also for service worker
 * responses from CacheStorage); compiling the Response itself lets repeat visits reuse the compiled code.
 * Each step is timed on `clock`.
 */
async function instantiateStreaming(db: DuckDBBindings, clock: StartClock, early?: EarlyWasm): Promise<void> {
  const loader = db as unknown as WasmLoader;
  let failed: (err: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => { failed = reject; });
  loader.instantiateWasm = (imports, done) => {
    // What DuckDB's own hook does first: its emscripten glue finds the JS runtime through this global.
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = loader._runtime;
    instantiateWasm(loader.mainModuleURL, imports, clock, early).then(({ instance, module }) => {
      const start = epochNow();
      // Emscripten's runtime start (static constructors included) runs synchronously inside `done`.
      done(instance, module);
      clock.add('duckdb emscripten init', start);
    }).catch(failed);
    return [];
  };
  await clock.time('duckdb instantiate (total)', () => Promise.race([db.instantiate(() => {}), failure]));
}

async function instantiateWasm(url: string, imports: WebAssembly.Imports, clock: StartClock, early?: EarlyWasm): Promise<{ instance: WebAssembly.Instance; module: WebAssembly.Module }> {
  const module = (early?.url === url ? await early.module : null) ?? await compileStreaming(url, clock, 'duckdb wasm');
  const instance = await clock.time('duckdb wasm instantiate', () => WebAssembly.instantiate(module, imports));
  return { instance, module };
}
