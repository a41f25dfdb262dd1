/// <reference lib="webworker" />
import type { WorkboxPlugin } from 'workbox-core';

/**
 * The headers that make the app cross-origin isolated (COOP + COEP), so DuckDB runs its multi-threaded coi
 * build; the same pair vite.config.ts has the preview server send. CORP same-origin lets our own files load
 * into an isolated page whatever the host sends.
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The response with the isolation headers added. Documents and worker scripts take their policy from their
 * own response, so every file the service worker serves gets them: offline, installed, or on a host that sets
 * no headers, the page and the engine worker are isolated all the same. Opaque responses cannot be rebuilt.
 */
export function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  if (Object.entries(ISOLATION_HEADERS).every(([k, v]) => response.headers.get(k) === v)) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A workbox plugin adding the isolation headers to every response a strategy hands the page. */
export const isolationPlugin: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolation(response),
};
