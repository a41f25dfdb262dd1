/// <reference lib="webworker" />
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isolationPlugin, withIsolation } from './isolation';

/** The precached page every navigation falls back to: the app routes itself with the URL hash. */
export const APP_SHELL = 'index.html';

/**
 * Serve the build's files (app shell, engine worker, DuckDB and parquet WASM, icons, sample data) from the
 * precache, cross-origin isolated (./isolation.ts), and answer every navigation with the app shell so a
 * reload with no network starts the app.
 */
export function installOfflineShell(manifest: (PrecacheEntry | string)[]): void {
  addPlugins([isolationPlugin]);
  precacheAndRoute(manifest);
  cleanupOutdatedCaches();
  registerRoute(({ url }) => /\/duckdb-(mvp|coi)[^/]*\.wasm$/.test(url.pathname), cacheOnFirstUse);
  registerRoute(new NavigationRoute(createHandlerBoundToURL(APP_SHELL)));
}

const RUNTIME_CACHE = 'epoxy-runtime';

/** Serve from the runtime cache, else fetch and keep a copy (DuckDB builds not every visitor needs: coi, mvp). */
async function cacheOnFirstUse({ request }: { request: Request }): Promise<Response> {
  const cache = await caches.open(RUNTIME_CACHE);
  const hit = await cache.match(request);
  if (hit) return withIsolation(hit);
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return withIsolation(response);
}
