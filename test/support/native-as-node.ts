// The `native` vitest project (vitest.config.ts) resolves src/engine/node to this module: every core test
// that starts an engine with createNodeEngine runs on native DuckDB (@duckdb/node-api) behind the same
// Engine, so the core's results are checked on both engines (issue 21). One thread keeps row order
// deterministic where a query leaves it open, as the WASM build's single thread does.
import type { Engine, EngineOptions } from '../../src/engine/engine';
import { createNativeEngine } from '../../src/engine/native';

/** createNodeEngine, on native DuckDB. */
export function createNodeEngine(options: EngineOptions = {}): Promise<Engine> {
  return createNativeEngine({ ...options, threads: 1 });
}
