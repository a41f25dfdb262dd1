import { defineConfig } from 'vitest/config';

// Unit tests run the core in Node against the real DuckDB-WASM (no browser aliases here).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
