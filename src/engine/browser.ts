import { BROWSER_RUNTIME, createDuckDB, failWith, VoidLogger, type DuckDBBindings } from 'duckdb-browser-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { Engine, type UrlReader } from './engine';
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
 * Start the engine inside a browser worker on DuckDB-WASM's blocking bundle. The WASM files are
 * self-hosted through Vite (never a CDN) so the app works offline; the blocking bundle picks eh or mvp.
 * `clock` receives the phases of the start (fetch, compile, instantiate, open) for the cold-start breakdown;
 * `early` holds the wasm compiles the worker started before loading this module (early-wasm.ts).
 */
export async function createBrowserEngine(http: BrowserHttp, clock = new StartClock(), early?: EarlyWasm): Promise<Engine> {
  const bundles = {
    mvp: { mainModule: mvpWasm, mainWorker: '' },
    eh: { mainModule: early?.url ?? DUCKDB_EH_WASM, mainWorker: '' },
  };
  // parquet-wasm compiles on its own while DuckDB does: both are streaming compiles, off this thread.
  const parquet = clock.time('parquet-wasm init', async () => initParquet({ module_or_path: (await early?.parquet) ?? PARQUET_WASM }));
  // HTTP files are opened and read with ranged GETs only (no HEAD): see http-runtime.ts.
  const db = await clock.time('duckdb bundle select', () => createDuckDB(bundles, new VoidLogger(), presignedHttpRuntime(BROWSER_RUNTIME, failWith, http.sync)));
  await instantiateStreaming(db, clock, early);
  await clock.time('db.open', () => db.open({ query: { castBigIntToDouble: false } }));
  // Awaited only now: DuckDB's instantiate and open hold this thread, and parquet-wasm's compile finishes meanwhile.
  await clock.time('parquet-wasm wait', () => parquet);
  return clock.time('engine setup', () => new Engine(db as DuckDBBindings, new ParquetCodec(parquetWasm), undefined, undefined, { readUrl: http.readUrl }));
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
