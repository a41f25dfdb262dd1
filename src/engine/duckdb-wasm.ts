import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { epochNow, type StartClock } from './start-clock';

/** DuckDB's eh build (WebAssembly exceptions): the one every current browser runs. */
export const DUCKDB_EH_WASM = ehWasm;

/** A compile of DuckDB's wasm started ahead of its loader: null when it failed (the loader then fetches on its own). */
export interface EarlyWasm {
  url: string;
  module: Promise<WebAssembly.Module | null>;
}

/**
 * Start downloading and compiling DuckDB's eh build at once, before the worker has even loaded DuckDB's JS:
 * the compile (the longest step of a start) then overlaps the worker's own script. A streaming compile of the
 * fetch Response itself, so the browser can apply its compiled-code cache to it. On a browser without wasm
 * exceptions the compile fails, DuckDB picks its mvp build, and this result goes unused.
 */
export function compileDuckDBEarly(clock: StartClock, url = DUCKDB_EH_WASM): EarlyWasm {
  clock.add('worker entry', performance.timeOrigin);
  return { url, module: compileStreaming(url, clock).catch(() => null) };
}

/** Fetch and compile one wasm file, timing the response and the (streamed) download + compile on `clock`. */
export async function compileStreaming(url: string, clock: StartClock): Promise<WebAssembly.Module> {
  const response = await clock.time('duckdb wasm response headers', () => fetch(url, { credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`DuckDB's WebAssembly could not be loaded: HTTP ${response.status} for ${url}`);
  const start = epochNow();
  const module = await WebAssembly.compileStreaming(response);
  clock.add('duckdb wasm download + compile (streaming)', start);
  return module;
}
