/// <reference lib="webworker" />
import { isPageToWorker, SW_MESSAGE, type PageToWorker } from './protocol';
import { errorMessage } from '../util/errors';

/** A handler for one message type; its result (if any) is posted back on the message's port. */
export type MessageHandler<M extends PageToWorker = PageToWorker> = (message: M, event: ExtendableMessageEvent) => unknown;

/** The service worker's message handlers: one per member of `PageToWorker`, so a new message without a handler does not compile. */
export function messageHandlers(sw: ServiceWorkerGlobalScope): { [T in PageToWorker['type']]: MessageHandler<Extract<PageToWorker, { type: T }>> } {
  return {
    [SW_MESSAGE.skipWaiting]: () => sw.skipWaiting(),
  };
}

/**
 * Dispatch `message` events to `handlers` by their `type`. The event stays alive until the handler settles,
 * and a reply port (MessageChannel, as workbox-window's messageSW uses) gets the handler's result.
 */
export function installMessageRouter(sw: ServiceWorkerGlobalScope, handlers: ReturnType<typeof messageHandlers>): void {
  sw.addEventListener('message', (event) => {
    const message: unknown = event.data;
    if (!isPageToWorker(message)) return;
    const handler = handlers[message.type] as MessageHandler;
    const reply = event.ports[0];
    event.waitUntil(
      Promise.resolve()
        .then(() => handler(message, event))
        .then(
          (result) => reply?.postMessage({ ok: true, result }),
          (err: unknown) => reply?.postMessage({ ok: false, error: errorMessage(err) }),
        ),
    );
  });
}
