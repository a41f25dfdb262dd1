/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

/** The precached page every navigation falls back to: the app routes itself with the URL hash. */
export const APP_SHELL = 'index.html';

/**
 * Serve the build's files (app shell, engine worker, DuckDB and parquet WASM, icons, sample data) from the
 * precache, and answer every navigation with the app shell so a reload with no network starts the app.
 */
export function installOfflineShell(manifest: (PrecacheEntry | string)[]): void {
  precacheAndRoute(manifest);
  cleanupOutdatedCaches();
  registerRoute(new NavigationRoute(createHandlerBoundToURL(APP_SHELL)));
}
