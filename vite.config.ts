import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const duckdbBrowserBlocking = fileURLToPath(
  new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
);

export default defineConfig({
  plugins: [svelte()],
  resolve: {
    // The engine worker runs DuckDB's synchronous bundle; its package exports name no browser build of it.
    alias: {
      'duckdb-browser-blocking': duckdbBrowserBlocking,
      '@duckdb/duckdb-wasm/blocking': duckdbBrowserBlocking,
    },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', port: 4173 },
});
