import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Catalog } from '../../../src/catalog';
import { SCHEDULER_NAMES } from '../../../src/scheduler/names';
import { DurableQueue } from '../../../src/scheduler/queue';
import { dispatchFromServiceWorker } from '../../../src/sw/scheduler';

afterEach(() => { vi.useRealTimers(); });

describe('the service worker dispatcher', () => {
  it('enqueues due fires and wakes the executor tab on the changes channel (issue 18 #4: it posted SCHEDULER_QUEUE_CHANGED, which no page heard)', async () => {
    const catalog = await Catalog.open();
    await catalog.put('job', { Name: 'nightly' });
    await catalog.put('trigger', { Name: 'every_minute', Type: 'SCHEDULED', Schedule: 'cron(* * * * ? *)', Actions: [{ JobName: 'nightly' }] });
    catalog.close();
    const heard: unknown[] = [];
    const tab = new BroadcastChannel(SCHEDULER_NAMES.changesChannel);
    tab.onmessage = (e) => heard.push(e.data);
    const notified: unknown[] = [];
    const sw = { clients: { matchAll: async () => [{}] }, registration: { showNotification: async (...a: unknown[]) => { notified.push(a); } } } as unknown as ServiceWorkerGlobalScope;

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:30Z'));
    expect(await dispatchFromServiceWorker(sw)).toBe(0); // the first check opens the window
    vi.setSystemTime(new Date('2026-12-01T10:01:05Z'));
    expect(await dispatchFromServiceWorker(sw)).toBe(1);
    await vi.waitFor(() => expect(heard).toEqual([{ type: 'changed' }]));
    expect(notified).toEqual([]); // a page is open: it runs them, no notification
    const queue = await DurableQueue.open();
    expect((await queue.all()).map((i) => i.name)).toEqual(['nightly']);
    queue.close();
    tab.close();
  });
});
