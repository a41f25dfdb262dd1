import { createRequire } from 'node:module';
import type { ParquetModule } from './parquet';

const require = createRequire(import.meta.url);

/**
 * parquet-wasm for Node, loaded on first use: a query over CSV files or a job writing CSV never needs it, and
 * loading it costs every command ~50-80 ms of start-up (issue 21).
 */
export function lazyParquet(): ParquetModule {
  let module: ParquetModule | undefined;
  const load = () => (module ??= require('parquet-wasm') as ParquetModule);
  return new Proxy({} as ParquetModule, { get: (_, key) => load()[key as keyof ParquetModule] });
}
