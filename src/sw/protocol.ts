/** Message types the page may post to the service worker. Shared by both sides; no DOM or SW types here. */
export const SW_MESSAGE = {
  skipWaiting: 'SKIP_WAITING',
  /** Ask the service worker to enqueue the scheduled fires that are due (it replies with how many). */
  dispatchSchedules: 'SCHEDULER_DISPATCH',
} as const;

/** A message to the service worker: a `type` plus whatever that type needs. */
export interface SwMessage {
  type: string;
  [key: string]: unknown;
}
