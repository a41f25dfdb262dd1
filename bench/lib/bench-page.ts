import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, preview, type InlineConfig, type PreviewServer } from 'vite';
import { chromiumPath } from '../../scripts/chromium-path.mjs';
import { CHROMIUM_ARGS } from './browser';
import { duckdbCoiBindings } from '../../scripts/duckdb-coi-plugin';
import { ISOLATION_HEADERS } from '../../src/sw/isolation';

const root = fileURLToPath(new URL('../browser/', import.meta.url));
const outDir = fileURLToPath(new URL('../.cache/browser/', import.meta.url));
const duckdbBrowserBlocking = fileURLToPath(new URL('../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url));

// The bench page is its own small Vite build (bench/browser -> bench/.cache/browser, gitignored), never part of
// the app: the app has no crawler UI yet, and the bench needs hooks the app should not ship.
const config = (port: number, isolated = false): InlineConfig => ({
  configFile: false,
  root,
  logLevel: 'error',
  plugins: [duckdbCoiBindings()],
  resolve: { alias: { 'duckdb-browser-blocking': duckdbBrowserBlocking, '@duckdb/duckdb-wasm/blocking': duckdbBrowserBlocking } },
  worker: { format: 'es', plugins: () => [duckdbCoiBindings()] },
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  // Cross-origin isolated on request (the coi suite): DuckDB's multi-threaded build needs SharedArrayBuffer.
  preview: { host: '127.0.0.1', port, strictPort: true, headers: isolated ? ISOLATION_HEADERS : {} },
});

/** The bench page served by Vite's preview server, and a headless chromium to open it in. */
export interface BenchPage {
  browser: Browser;
  baseUrl: string;
  /** A unique switch on the browser's command line, to find its processes in /proc. */
  marker: string;
  /** Open the bench page in a fresh context and wait until `window.bench` is there. */
  open(): Promise<Page>;
  close(): Promise<void>;
}

let built: Promise<unknown> | null = null;

/** Build the bench page with Vite's JS API (once per process), serve it on `port` and launch chromium. */
export async function startBenchPage(port = 4297, isolated = false): Promise<BenchPage> {
  built ??= build(config(port));
  await built;
  const server: PreviewServer = await preview(config(port, isolated));
  const baseUrl = `http://127.0.0.1:${port}`;
  const marker = `--epoxy-bench-marker=${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, marker] });
  return {
    browser,
    baseUrl,
    marker,
    async open() {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${baseUrl}/index.html`);
      await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
