import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DurableQueue, type QueueItem } from '../../../src/scheduler/queue';

let n = 0;
const item = (over: Partial<QueueItem> = {}): QueueItem => ({
  id: `q${++n}`, kind: 'job', name: 'daily', arguments: {}, attempt: 1, maxAttempts: 3, notBefore: 0, enqueuedAt: 0,
  cause: { manual: true }, runId: `jr_${n}`, ...over,
});

describe('durable queue (IndexedDB)', () => {
  it('reads each meta key as the shape it holds; a value of another shape reads as absent, never as a wrong type', async () => {
    const name = `q-${Math.random()}`;
    const q = await DurableQueue.open(name);
    await q.setMeta('lastCheck', 42);
    await q.setMeta('latestStates', { jobs: { nightly: 'SUCCEEDED' }, crawlers: {} });
    expect(await q.getMeta('lastCheck')).toBe(42);
    expect(await q.getMeta('latestStates')).toEqual({ jobs: { nightly: 'SUCCEEDED' }, crawlers: {} });
    expect(await q.getMeta('executorConcurrency')).toBeUndefined();
    q.close();
    // Written behind the queue's back (as a damaged or foreign database could hold it).
    const raw = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open(name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('meta', 'readwrite');
      tx.objectStore('meta').put('soon', 'lastCheck');
      tx.objectStore('meta').put({ jobs: 'all' }, 'latestStates');
      tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error);
    });
    raw.close();
    const again = await DurableQueue.open(name);
    expect(await again.getMeta('lastCheck')).toBeUndefined();
    expect(await again.getMeta('latestStates')).toBeUndefined();
    again.close();
  });

  it('is idempotent by id and survives reopening', async () => {
    const name = `q-${Math.random()}`;
    const q = await DurableQueue.open(name);
    const it1 = item({ id: 'fire:nightly:2026-11-25T00:00' });
    expect(await q.enqueue(it1)).toBe(true);
    expect(await q.enqueue(it1)).toBe(false);
    q.close();
    const again = await DurableQueue.open(name);
    expect((await again.all()).map((i) => i.id)).toEqual(['fire:nightly:2026-11-25T00:00']);
    again.close();
  });

  it('leases each due item to exactly one executor, respecting notBefore and a start guard', async () => {
    const q = await DurableQueue.open(`q-${Math.random()}`);
    await q.enqueue(item({ id: 'later', notBefore: 5000 }));
    await q.enqueue(item({ id: 'now', notBefore: 100 }));
    await q.enqueue(item({ id: 'blocked', notBefore: 50, name: 'busy' }));
    const [a, b] = await Promise.all([q.lease('tab-a', 1000, 60_000, (i) => i.name !== 'busy'), q.lease('tab-b', 1000, 60_000, (i) => i.name !== 'busy')]);
    const leased = [a, b].filter(Boolean);
    expect(leased.map((i) => i!.id)).toEqual(['now']);
    expect(await q.lease('tab-c', 6000, 60_000, (i) => i.name !== 'busy')).toMatchObject({ id: 'later' });
    q.close();
  });

  it('hands an abandoned lease (dead tab) to another executor, and heartbeats keep a live one', async () => {
    const q = await DurableQueue.open(`q-${Math.random()}`);
    await q.enqueue(item({ id: 'job' }));
    expect(await q.lease('tab-a', 0, 1000)).toMatchObject({ lease: { owner: 'tab-a', until: 1000 } });
    expect(await q.lease('tab-b', 500, 1000)).toBeNull();
    expect(await q.heartbeat('job', 'tab-a', 900, 1000)).toBe(true);
    expect(await q.lease('tab-b', 1500, 1000)).toBeNull();
    expect((await q.abandoned(2000)).map((i) => i.id)).toEqual(['job']);
    expect(await q.lease('tab-b', 2000, 1000)).toMatchObject({ lease: { owner: 'tab-b' } });
    expect(await q.heartbeat('job', 'tab-a', 2100, 1000)).toBe(false);
    q.close();
  });

  it('replaces a failed attempt by its retry in one step, and completes', async () => {
    const q = await DurableQueue.open(`q-${Math.random()}`);
    const first = item({ id: 'a1' });
    await q.enqueue(first);
    await q.retry('a1', { ...first, id: 'a2', attempt: 2, notBefore: 3000, previousError: 'HTTP 503' });
    expect((await q.all()).map((i) => [i.id, i.attempt])).toEqual([['a2', 2]]);
    await q.complete('a2');
    expect(await q.all()).toEqual([]);
    q.close();
  });
});
