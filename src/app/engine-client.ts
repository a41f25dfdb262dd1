import { releaseProxy, wrap, type Remote } from 'comlink';
import type { EngineWorkerApi } from '../service/protocol';

/**
 * The DuckDB build the page asks its engine workers for: `?duckdb=coi` (or `auto`) in the address, else the
 * single-threaded eh build. coi runs DuckDB's threads on every core but cannot yet read a dropped file lazily
 * (DESIGN.md), so it is opt-in; the engine status says which build runs and how many threads.
 */
export function requestedBuild(search: string): 'eh' | 'coi' | 'auto' {
  const asked = new URLSearchParams(search).get('duckdb');
  return asked === 'coi' || asked === 'auto' ? asked : 'eh';
}

function engineWorker(name: string): Worker {
  return new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: `${name}:${requestedBuild(location.search)}` });
}

/** Start the engine worker and return its typed remote. */
export function startEngineWorker(): Remote<EngineWorkerApi> {
  // The cold-start breakdown (bench/suites/coldstart.ts) measures the worker's start from here.
  performance.mark('epoxy:engine-worker-created');
  return wrap<EngineWorkerApi>(engineWorker('epoxy-engine'));
}

let tabEngineRemote: Remote<EngineWorkerApi> | undefined;

/**
 * The tab's one engine worker, started on the first call: main.ts makes it before the app's code has even
 * loaded, so DuckDB's download and compile (most of a start) overlap loading and mounting the UI.
 */
export function tabEngine(): Remote<EngineWorkerApi> {
  return (tabEngineRemote ??= startEngineWorker());
}

/** An engine that exists for one run: `stop` terminates its worker, and every table and setting with it. */
export interface RunEngine {
  engine: Remote<EngineWorkerApi>;
  stop(): void;
}

/**
 * Start a dedicated engine worker for one run (a shared job): it sees none of the Workspace's tables, reaches
 * no URL or file it was not handed, cannot change its configuration, and leaves nothing behind once stopped.
 * Throws, with the worker already gone, when the lock-down cannot be verified.
 */
export async function startRunEngine(): Promise<RunEngine> {
  const worker = engineWorker('epoxy-run');
  const engine = wrap<EngineWorkerApi>(worker);
  const stop = () => { engine[releaseProxy](); worker.terminate(); };
  try {
    await engine.init();
    // Every engine locks itself at start (src/engine/engine.ts); a run refuses to start unless that holds.
    const row = (await engine.query("SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked", 1)).rows[0] ?? [];
    if (row[0] !== false || row[1] !== true) throw new Error('the separate engine for this run could not be locked down, so nothing was run');
  } catch (err) {
    stop();
    throw err;
  }
  return { engine, stop };
}
