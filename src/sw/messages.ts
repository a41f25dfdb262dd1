/// <reference lib="webworker" />
import { SW_MESSAGE, type SwMessage } from './protocol';
import { dispatchFromServiceWorker } from './scheduler';

/** A handler for one message type; its result (if any) is posted back on the message's port. */
export type MessageHandler = (message: SwMessage, event: ExtendableMessageEvent) => unknown;

/**
 * The service worker's message handlers, by message type. Add new capabilities here (the scheduler's
 * trigger and dispatch messages go next to SKIP_WAITING).
 */
export function messageHandlers(sw: ServiceWorkerGlobalScope): Record<string, MessageHandler> {
  return {
    // Sent by the page when the user accepts an update (workbox-window's messageSkipWaiting sends this).
    [SW_MESSAGE.skipWaiting]: () => sw.skipWaiting(),
    [SW_MESSAGE.dispatchSchedules]: () => dispatchFromServiceWorker(sw),
  };
}

/**
 * Dispatch `message` events to `handlers` by their `type`. The event stays alive until the handler settles,
 * and a reply port (MessageChannel, as workbox-window's messageSW uses) gets the handler's result.
 */
export function installMessageRouter(sw: ServiceWorkerGlobalScope, handlers: Record<string, MessageHandler>): void {
  sw.addEventListener('message', (event) => {
    const message = event.data as SwMessage | undefined;
    const handler = message && typeof message.type === 'string' ? handlers[message.type] : undefined;
    if (!handler || !message) return;
    const reply = event.ports[0];
    event.waitUntil(
      Promise.resolve()
        .then(() => handler(message, event))
        .then(
          (result) => reply?.postMessage({ ok: true, result }),
          (err: unknown) => reply?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
        ),
    );
  });
}
