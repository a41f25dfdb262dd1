import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDB, NODE_RUNTIME, VoidLogger } from '@duckdb/duckdb-wasm/blocking';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { Engine, type EngineOptions } from './engine';
import { wasmHost } from './host';
import { ParquetCodec } from './parquet';
import { lazyParquet } from './node-parquet';

const require = createRequire(import.meta.url);

/**
 * Start the engine in Node on DuckDB-WASM's blocking Node bundle (the same WASM the browser runs), locked
 * down unless `trusted` (see EngineOptions): Node's runtime would otherwise read any path on disk.
 */
export async function createNodeEngine(options: EngineOptions = {}): Promise<Engine> {
  const dist = (file: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${file}`);
  const bundles = {
    mvp: { mainModule: dist('duckdb-mvp.wasm'), mainWorker: dist('duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: dist('duckdb-eh.wasm'), mainWorker: dist('duckdb-node-eh.worker.cjs') },
  };
  const db = await createDuckDB(bundles, new VoidLogger(), NODE_RUNTIME);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: false } });
  return new Engine(wasmHost(db as unknown as DuckDBBindings), new ParquetCodec(lazyParquet()), mkdtempSync(join(tmpdir(), 'epoxy-scratch-')), (path) => rmSync(path, { force: true }), options);
}
