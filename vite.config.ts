import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';
import { duckdbCoiBindings } from './scripts/duckdb-coi-plugin';
// Served cross-origin isolated so DuckDB runs its multi-threaded coi build; the service worker adds the same
// headers to what it serves. COEP require-corp is safe: everything cross-origin the app loads is a CORS request
// (presigned S3 URLs, S3 endpoints).
import { ISOLATION_HEADERS } from './src/sw/isolation';
import { duckdbGluePlugin } from './scripts/duckdb-glue.mjs';

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
    // Everything the app needs with no network: shell, engine worker chunk, DuckDB's eh WASM build (the
    // single-threaded fallback every current browser runs), the coi build's glue and pthread worker,
    // parquet-wasm, icons and the sample dataset.
    globPatterns: ['**/*.{html,js,css,wasm,svg,png,csv}'],
    // The coi build's WASM (34 MB, multi-threaded, needs cross-origin isolation) and the mvp build (39 MB,
    // browsers without WebAssembly exceptions) are cached on first use (src/sw/precache.ts) instead of
    // being downloaded by every visitor.
    globIgnores: ['**/duckdb-coi*.wasm', '**/duckdb-mvp*.wasm'],
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

/**
 * Content-Security-Policy of the built app, as a <meta> tag so it travels with the static files to any host.
 * A meta policy binds the page only; DuckDB and parquet-wasm compile WebAssembly in the engine worker, which
 * a host can cover by sending this same policy as a header ('wasm-unsafe-eval' is there for that case; the
 * e2e tests run the app under both). No 'unsafe-eval': DuckDB-WASM's bundle contains eval() only in
 * emscripten_run_script and its Node paths, which Epoxy never reaches. connect-src allows https: for
 * presigned-URL sources, and plain http only on the loopback interface, for S3-compatible servers run on the
 * same machine (MinIO, LocalStack, s3rver in the tests); the tab itself only ever talks to its own origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Add the CSP meta tag to the built index.html (not in `vite dev`, whose HMR injects inline styles). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'epoxy-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  plugins: [svelte(), duckdbCoiBindings(), VitePWA(pwaOptions), contentSecurityPolicy(), duckdbGluePlugin()],
  resolve: {
    // The engine worker runs DuckDB's synchronous bundle; its package exports name no browser build of it.
    alias: {
      'duckdb-browser-blocking': duckdbBrowserBlocking,
      '@duckdb/duckdb-wasm/blocking': duckdbBrowserBlocking,
    },
  },
  // The engine worker is bundled on its own, with its own plugins: DuckDB's glue is patched there (issue 21:
  // no GOT entry and table slot per export at start); the page's list covers `vite dev`.
  worker: { format: 'es', plugins: () => [duckdbCoiBindings(), duckdbGluePlugin()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION_HEADERS },
});
