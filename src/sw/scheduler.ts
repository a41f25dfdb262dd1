/// <reference lib="webworker" />
import { Catalog } from '../catalog';
import { dispatchScheduled } from '../scheduler/dispatcher';
import { DurableQueue } from '../scheduler/queue';
import { LEGACY_PERIODIC_SYNC_TAG, SCHEDULER_NAMES, type QueueChangedMessage } from '../scheduler/names';

/**
 * The service worker's part of the scheduler: timing and dispatch. When woken by a periodic background sync
 * (where the browser grants one) it enqueues the due fires into the durable queue and wakes the executor tab
 * on the scheduler's changes channel; execution happens in a page, since DuckDB cannot run in a service worker. With no
 * page open, it says so with a notification (when allowed) so the runs are not silently late.
 */
export async function dispatchFromServiceWorker(sw: ServiceWorkerGlobalScope): Promise<number> {
  const [catalog, queue] = await Promise.all([Catalog.open(), DurableQueue.open()]);
  try {
    const [triggers, jobs] = await Promise.all([catalog.list('trigger'), catalog.list('job')]);
    const items = await dispatchScheduled({ triggers, jobs }, queue, Date.now());
    if (items.length) {
      const pages = await sw.clients.matchAll({ type: 'window' });
      // The same message a tab sends when it enqueues: the executor tab's SchedulerRuntime wakes on it.
      const channel = new BroadcastChannel(SCHEDULER_NAMES.changesChannel);
      channel.postMessage({ type: 'changed' } satisfies QueueChangedMessage);
      channel.close();
      if (pages.length === 0 && sw.registration.showNotification && Notification.permission === 'granted') {
        await sw.registration.showNotification('Epoxy: scheduled runs are waiting', {
          body: `${items.length} run${items.length === 1 ? '' : 's'} (${[...new Set(items.map((i) => i.name))].join(', ')}) will start when you open Epoxy.`,
          tag: SCHEDULER_NAMES.waitingNotificationTag,
        });
      }
    }
    return items.length;
  } finally {
    catalog.close();
    queue.close();
  }
}

/** Wake the dispatcher on periodic background sync, where the browser supports and grants it. */
export function installPeriodicDispatch(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('periodicsync', (event) => {
    const e = event as ExtendableEvent & { tag?: string };
    // The legacy tag still dispatches until the page replaces its registration (schedules.svelte.ts).
    if (e.tag === SCHEDULER_NAMES.periodicSyncTag || e.tag === LEGACY_PERIODIC_SYNC_TAG) e.waitUntil(dispatchFromServiceWorker(sw));
  });
  sw.addEventListener('notificationclick', (event) => {
    event.notification.close();
    event.waitUntil(sw.clients.openWindow('./#/schedules'));
  });
}
