import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';

const duckdbBrowserBlocking = fileURLToPath(
  new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
);

/** Theme colour of the app header and the install splash (the accent of src/app/global.css). */
const THEME = '#6d4aff';

/**
 * vite-plugin-pwa: our own service worker (src/sw/sw.ts) gets the precache list injected, and the web app
 * manifest is generated. The page registers the worker itself (src/app/pwa/), hence no injectRegister.
 */
const pwaOptions: Partial<VitePWAOptions> = {
  strategies: 'injectManifest',
  srcDir: 'src/sw',
  filename: 'sw.ts',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest', // precached by the plugin itself
  includeManifestIcons: false, // the glob below already takes public/icons
  injectManifest: {
    // Everything the app needs with no network: shell, engine worker chunk, both DuckDB WASM builds (the
    // blocking bundle picks eh or mvp by browser features), parquet-wasm, icons and the sample dataset.
    globPatterns: ['**/*.{html,js,css,wasm,svg,png,csv}'],
    // The cross-origin-isolated DuckDB build needs COOP/COEP, which Epoxy does not use: never ship it.
    globIgnores: ['**/*coi*', '**/*-browser-coi*'],
    // DuckDB's WASM files are 34-40 MB; workbox's default limit (2 MiB) would fail the build.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  },
  manifest: {
    id: './',
    name: 'Epoxy — data catalog & ETL in your browser',
    short_name: 'Epoxy',
    description: 'Crawl, catalog, transform and query data files in your browser with DuckDB-WASM — offline, nothing uploaded.',
    theme_color: THEME,
    background_color: '#f4f5f7',
    display: 'standalone',
    start_url: './',
    scope: './',
    categories: ['developer', 'productivity', 'utilities'],
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  },
  devOptions: { enabled: false },
};

export default defineConfig({
  plugins: [svelte(), VitePWA(pwaOptions)],
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
