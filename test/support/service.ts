import type { Engine } from '../../src/engine/engine';
import { createEngineService } from '../../src/service/engine-service';
import type { EngineWorkerApi } from '../../src/service/protocol';

/** A Node engine behind the worker protocol, as `epoxy run` hands it to nodeJobEnv (and the browser's worker serves it). */
export function serviceOf(engine: Engine): EngineWorkerApi {
  return createEngineService(() => Promise.resolve(engine));
}
