import { releaseProxy, wrap, type Remote } from 'comlink';
import type { EngineWorkerApi } from '../service/protocol';

function engineWorker(name: string): Worker {
  return new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name });
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
