import { expose, transfer } from 'comlink';
import { buildFromWorkerName } from '../src/engine/builds';
import { compileEarly } from '../src/engine/early-wasm';
import { StartClock } from '../src/engine/start-clock';
import { lazyService } from '../src/service/lazy-service';
import type { EngineWorkerApi } from '../src/service/protocol';

// DuckDB's wasm download and compile start first; the rest of the worker (DuckDB's JS and all) loads meanwhile.
const clock = new StartClock();
const early = compileEarly(clock);
expose(lazyService<EngineWorkerApi>(import('../src/service/browser-engine').then((m) => m.startEngineWorkerService(clock, early, transfer, { build: buildFromWorkerName(self.name) }))));
