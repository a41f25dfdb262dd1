import { wrap, type Remote } from 'comlink';
import type { EngineWorkerApi } from '../engine/protocol';

/** Start the engine worker and return its typed remote. */
export function startEngineWorker(): Remote<EngineWorkerApi> {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'epoxy-engine' });
  return wrap<EngineWorkerApi>(worker);
}
