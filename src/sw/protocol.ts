/**
 * Every message between the pages and the service worker, in one place (shared by both sides; no DOM or SW
 * types here). Page -> worker messages go through `postMessage` on the registration; the worker tells pages
 * about the queue on the scheduler's changes channel (see scheduler/names.ts), which the executor tab hears.
 */
export const SW_MESSAGE = {
  /** The user accepted an update: the waiting worker activates (workbox-window's messageSkipWaiting sends this too). */
  skipWaiting: 'SKIP_WAITING',
} as const;

/** A message a page posts to the service worker. */
export type PageToWorker = { type: typeof SW_MESSAGE.skipWaiting };

/** Whether a `message` event's data is one of ours (anything else is ignored, never guessed at). */
export function isPageToWorker(data: unknown): data is PageToWorker {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SW_MESSAGE.skipWaiting;
}
