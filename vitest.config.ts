import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * The core's tests that run a second time on native DuckDB (the CLI's engine, src/engine/native.ts): every
 * test of these folders that starts an engine through createNodeEngine gets the native one (see
 * test/support/native-as-node.ts), so both engines must give the same results (issue 21).
 */
const NATIVE_CORE = ['engine', 'frames', 'jobs', 'query', 'security', 'share', 'crawler'].map((d) => `test/unit/${d}/**/*.test.ts`);
/**
 * Tests of DuckDB-WASM itself (lazy Parquet relations, file runtime, builds, pending queries); those that
 * compare the tab's engine with native DuckDB themselves (they import @duckdb/node-api for the native side);
 * and the Spark exports' parity with the tab, whose SQL translation follows the tab's DuckDB (1.4: e.g.
 * date_trunc of a DATE is a DATE there, a TIMESTAMP in native DuckDB 1.5).
 */
const WASM_ONLY = [
  'parquet-table', 'file-runtime', 'yielding-query', 'start-phases', 'builds', 'isolation', 'native', 'native-arrow',
  'DropDuplicates', 'duck-parity', 'parity-examples', 'shape-parity', 'combine-duckdb', 'brew-duck', 'text-dates.duck',
  'export-duckdb', 'export-log', '*spark*', 'export-pyspark', 'glue-conform',
].map((n) => `test/unit/**/${n}.test.ts`).concat(
  // Every example of every transform kind already runs on native DuckDB and the tab, compared row for row
  // (jobs/parity-examples.test.ts): their own tests run once, keeping the suite's time (CI: well under 20 min).
  'test/unit/frames/transforms/**',
);

// Unit tests run the core in Node against the real DuckDB-WASM (no browser aliases here).
export default defineConfig({
  // The UI models (*.svelte.ts) use runes. They are compiled as the browser gets them (not Svelte's server
  // output, where $state is a plain field and never a proxy), so a model test sees the same reactivity and
  // the same proxies the app does: a $state value handed to IndexedDB unsnapshotted fails here as it does there.
  plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
  test: {
    environment: 'node',
    // One Spark (python3 + JVM) for the whole run, shared by the Spark test files: each used to start its own
    // (30-60 s apiece under load). See test/support/spark-broker.ts.
    globalSetup: ['test/support/spark-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: the default leaves one idle on a 2-core machine (measured: 8.5 min → 6.9 min for the unit suite).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'wasm', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'native', include: NATIVE_CORE, exclude: WASM_ONLY },
        resolve: { alias: [{ find: /^(?:\.\.?\/)+(?:src\/)?engine\/node(?:\.ts)?$/, replacement: fileURLToPath(new URL('test/support/native-as-node.ts', import.meta.url)) }] },
      },
    ],
  },
});
