import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit tests run the core in Node against the real DuckDB-WASM (no browser aliases here).
export default defineConfig({
  // The UI models (*.svelte.ts) use runes. They are compiled as the browser gets them (not Svelte's server
  // output, where $state is a plain field and never a proxy), so a model test sees the same reactivity and
  // the same proxies the app does: a $state value handed to IndexedDB unsnapshotted fails here as it does there.
  plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // One Spark (python3 + JVM) for the whole run, shared by the Spark test files: each used to start its own
    // (30-60 s apiece under load). See test/support/spark-broker.ts.
    globalSetup: ['test/support/spark-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: the default leaves one idle on a 2-core machine (measured: 8.5 min → 6.9 min for the unit suite).
    maxWorkers: 2,
  },
});
