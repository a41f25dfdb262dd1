/**
 * Which DuckDB-WASM build to start. `eh`: the blocking bundle's single-threaded build (eh, or mvp without
 * WebAssembly exceptions). `coi`: the multi-threaded build, needs cross-origin isolation. `auto`: coi when
 * the worker can run it. Under coi a dropped File (BROWSER_FILEREADER) fails as soon as one of DuckDB's pthread
 * workers reads it ("No HTML5 file registered with name": DuckDB-WASM posts the File to running pthreads,
 * which sit blocked in DuckDB's scheduler and never receive it), so the app asks for coi only on request.
 */
export type BuildChoice = 'auto' | 'eh' | 'coi';

/** How the browser engine starts: its build and, for coi, how many DuckDB threads (default: one per core). */
export interface BrowserEngineOptions {
  build?: BuildChoice;
  threads?: number;
}

/** Whether this worker can run DuckDB's coi build: cross-origin isolated (COOP + COEP), so SharedArrayBuffer exists. */
export function canRunCoi(scope: { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown } = globalThis): boolean {
  return scope.crossOriginIsolated === true && typeof scope.SharedArrayBuffer === 'function';
}

/** Suffix of an engine worker's name that asks it for a DuckDB build (`epoxy-engine:coi`); see app/engine-client.ts. */
const BUILD_SUFFIX = /:(auto|eh|coi)$/;

/** The DuckDB build an engine worker's name asks for; eh when it asks for none. */
export function buildFromWorkerName(name: string): BuildChoice {
  return (BUILD_SUFFIX.exec(name)?.[1] as BuildChoice | undefined) ?? 'eh';
}
