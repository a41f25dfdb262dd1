import { createBrowserEngine } from '../engine/browser';
import type { EarlyWasm } from '../engine/early-wasm';
import type { BrowserEngineOptions } from '../engine/builds';
import type { Engine } from '../engine/engine';
import { StartClock } from '../engine/start-clock';
import { readUrlBytes } from '../sources/http';
import { syncRangeReader } from '../sources/sync-range';
import { createEngineService } from './engine-service';
import type { EngineWorkerApi } from './protocol';

/**
 * The browser engine with Epoxy's HTTP reading plugged in: Range GETs only (a GET-presigned S3 URL refuses
 * HEAD), transient failures retried with backoff, errors without the signature. engine/ has no HTTP code.
 * `clock` receives the start's phases; `early` is the wasm compile the worker entry started.
 */
export function startBrowserEngine(options: BrowserEngineOptions = {}, clock = new StartClock(), early?: EarlyWasm): Promise<Engine> {
  return createBrowserEngine({ readUrl: readUrlBytes, sync: syncRangeReader() }, options, clock, early);
}

/** The engine worker's service (workers/engine.worker.ts imports this module lazily, behind the early wasm compile). */
export function startEngineWorkerService(clock: StartClock, early: EarlyWasm, transfer: <T>(value: T, transferables: Transferable[]) => T, options: BrowserEngineOptions = {}): EngineWorkerApi {
  // From the worker's creation to here: its entry, then this module graph (DuckDB's JS, Arrow, the frames) loaded and evaluated.
  clock.add('worker script', performance.timeOrigin);
  return createEngineService(() => startBrowserEngine(options, clock, early), transfer, clock);
}
