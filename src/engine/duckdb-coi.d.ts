// DuckDB-WASM's coi (multi-threaded) bindings, served by scripts/duckdb-coi-plugin.ts from the coi worker bundle.
declare module 'virtual:duckdb-coi-bindings' {
  import type { DuckDBBindings, DuckDBRuntime, Logger } from '@duckdb/duckdb-wasm/blocking';
  export const CoiBindings: new (logger: Logger, runtime: DuckDBRuntime, mainModuleUrl: string, pthreadWorkerUrl: string | null) => DuckDBBindings;
  export const coiRuntime: DuckDBRuntime;
  export const coiFailWith: (mod: never, message: string) => void;
}
