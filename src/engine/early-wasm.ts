import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { epochNow, type StartClock } from './start-clock';

/** DuckDB's eh build (WebAssembly exceptions): the one every current browser runs. */
export const DUCKDB_EH_WASM = ehWasm;
/** parquet-wasm's module, self-hosted like DuckDB's. */
export const PARQUET_WASM = parquetWasm;

/** Compiles started ahead of the engine's loaders: null when one failed (its loader then fetches on its own). */
export interface EarlyWasm {
  /** The DuckDB build compiled (its loader uses the result only for that same URL). */
  url: string;
  module: Promise<WebAssembly.Module | null>;
  parquet: Promise<WebAssembly.Module | null>;
}

/**
 * Start downloading and compiling DuckDB's eh build and parquet-wasm at once, before the worker has even
 * loaded DuckDB's JS: the compiles (the longest step of a start after DuckDB's own init) then overlap the
 * worker's script. Streaming compiles of the fetch Responses themselves, so the browser can apply its
 * compiled-code cache. On a browser without wasm exceptions the eh compile fails, DuckDB picks its mvp
 * build, and that result goes unused.
 */
export function compileEarly(clock: StartClock, url = DUCKDB_EH_WASM): EarlyWasm {
  clock.add('worker entry', performance.timeOrigin);
  return {
    url,
    module: compileStreaming(url, clock, 'duckdb wasm').catch(() => null),
    parquet: compileStreaming(PARQUET_WASM, clock, 'parquet-wasm').catch(() => null),
  };
}

/** Fetch and compile one wasm file, timing the response and the (streamed) download + compile on `clock` as `label` phases. */
export async function compileStreaming(url: string, clock: StartClock, label: string): Promise<WebAssembly.Module> {
  const response = await clock.time(`${label} response headers`, () => fetch(url, { credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`${label} could not be loaded: HTTP ${response.status} for ${url}`);
  const start = epochNow();
  const module = await WebAssembly.compileStreaming(response);
  clock.add(`${label} download + compile (streaming)`, start);
  return module;
}
