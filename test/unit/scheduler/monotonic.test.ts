import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Job, Trigger } from '../../../src/catalog';
import { dispatchScheduled, type SchedulerCatalog } from '../../../src/scheduler/dispatcher';
import { Executor } from '../../../src/scheduler/executor';
import { DurableQueue, type QueueItem } from '../../../src/scheduler/queue';
import { writeFigures } from '../../support/figures';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const jobs: Job[] = [{ Name: 'J' }];
const minutely = (name: string, over: Partial<Trigger> = {}): Trigger => ({ Name: name, Type: 'SCHEDULED', Schedule: 'cron(* * * * ? *)', Actions: [{ JobName: 'J' }], ...over });

/** Runs every due item of the queue, counting runs per fire (the item id without its action index). */
function runAll(queue: DurableQueue, clock: () => number) {
  const runs = new Map<string, number>();
  const missed: number[] = [];
  const executor = new Executor({
    queue, owner: 'executor-tab', now: clock, leaseMs: 60_000, limits: () => ({ timeoutMs: 60_000, maxConcurrentRuns: 1 }),
    run: async (item: QueueItem) => {
      const fire = item.id.replace(/:\d+(#\d+)?$/, '');
      runs.set(fire, (runs.get(fire) ?? 0) + 1);
      if (item.arguments['missedRuns']) missed.push(Number(item.arguments['missedRuns']));
      return { state: 'SUCCEEDED' };
    },
    record: async () => {},
  });
  return { runs, missed, drain: async () => { while (await executor.tick()) { /* every due item */ } } };
}

describe('the scheduler window only moves forward (issue 16)', () => {
  it('runs each fire of 100 every-minute triggers over 60 minutes once, with the clock set back 5 min and forward again and two checkers 2 ms apart (issue 16: 400 fires ran twice)', async () => {
    const name = `mono-${Math.random()}`;
    // Two tabs: two connections to one database, checking at once, one clock 2 ms behind the other.
    const [tabA, tabB] = [await DurableQueue.open(name), await DurableQueue.open(name)];
    const catalog: SchedulerCatalog = { jobs, triggers: Array.from({ length: 100 }, (_, i) => minutely(`t${String(i).padStart(3, '0')}`)) };
    const start = t('2026-11-25T10:00:00.500Z');
    let elapsed = 0;
    // The wall clock: set back 5 minutes at minute 20, forward again (to the true time) at minute 40.
    const clock = () => start + elapsed - (elapsed >= 20 * MIN && elapsed < 40 * MIN ? 5 * MIN : 0);
    const exec = runAll(tabA, clock);
    let maxClock = -Infinity;
    for (; elapsed <= 60 * MIN; elapsed += 5000) {
      const now = clock();
      maxClock = Math.max(maxClock, now);
      await Promise.all([dispatchScheduled(catalog, tabA, now), dispatchScheduled(catalog, tabB, now - 2)]);
      await exec.drain();
    }
    // Every minute boundary the clock passed is run once, or folded into the one catch-up run of a forward
    // jump (run once, carrying how many it stands for): nothing twice, nothing missing.
    const boundaries = Math.floor((maxClock - start) / MIN);
    const expectedPerTrigger = boundaries;
    const duplicates = [...exec.runs.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0);
    const runs = [...exec.runs.values()].reduce((s, n) => s + n, 0);
    const distinctFires = exec.runs.size;
    const foldedIntoCatchUps = exec.missed.reduce((s, n) => s + n, 0);
    const missing = catalog.triggers.length * expectedPerTrigger - distinctFires - foldedIntoCatchUps;
    writeFigures('scheduler-clock-steps', {
      triggers: catalog.triggers.length, minutes: 60, checkers: 2, checkerSkewMs: 2, dispatchEveryMs: 5000,
      clock: 'set back 5 min at minute 20, forward 5 min at minute 40', minuteBoundaries: expectedPerTrigger,
      runs, distinctFires, duplicates, catchUpRuns: exec.missed.length, foldedIntoCatchUps, missing,
    });
    expect({ duplicates, missing }).toEqual({ duplicates: 0, missing: 0 });
    // The forward jump of 5 minutes folds its 5 missed minutes into one catch-up run per trigger.
    expect(exec.missed).toEqual(Array(100).fill(5));
    tabA.close();
    tabB.close();
  });

  it('a dispatch that dies after claiming the window loses no fire: the next check enqueues them all (issue 16: the window and the fires were two commits)', async () => {
    const queue = await DurableQueue.open(`mono-${Math.random()}`);
    const triggers = [minutely('a'), minutely('b')];
    await dispatchScheduled({ jobs, triggers }, queue, t('2026-11-25T10:04:58Z'));
    // The tab is killed while the fires are being written (here: reading the jobs fails once).
    let reads = 0;
    const dying = { triggers, get jobs(): Job[] { if (++reads === 2) throw new Error('the tab was killed'); return jobs; } };
    await expect(dispatchScheduled(dying, queue, t('2026-11-25T10:05:02Z'))).rejects.toThrow('the tab was killed');
    const next = await dispatchScheduled({ jobs, triggers }, queue, t('2026-11-25T10:05:07Z'));
    expect(next.map((i) => i.id).sort()).toEqual(['fire:a:2026-11-25T10:05:00.000Z:0', 'fire:b:2026-11-25T10:05:00.000Z:0']);
    queue.close();
  });

  it('a fire that ran never comes back, even when something reopens the window (issue 16: an Epoxy tab of the previous version stores lastCheck = now, backwards)', async () => {
    const queue = await DurableQueue.open(`mono-${Math.random()}`);
    const exec = runAll(queue, () => t('2026-11-25T10:05:03Z'));
    const catalog = { jobs, triggers: [minutely('m')] };
    await dispatchScheduled(catalog, queue, t('2026-11-25T10:04:58Z'));
    expect(await dispatchScheduled(catalog, queue, t('2026-11-25T10:05:02Z'))).toHaveLength(1);
    await exec.drain();
    expect(await queue.all()).toEqual([]); // the run completed: its queue item is gone
    await queue.setMeta('lastCheck', t('2026-11-25T10:04:50Z'));
    expect(await dispatchScheduled(catalog, queue, t('2026-11-25T10:05:04Z'))).toEqual([]);
    await exec.drain();
    expect([...exec.runs.entries()]).toEqual([['fire:m:2026-11-25T10:05:00.000Z', 1]]);
    queue.close();
  });

  it('a tab whose clock lags 5 minutes runs nothing twice, and takes over once the other tab is gone', async () => {
    const name = `mono-${Math.random()}`;
    const [ahead, behind] = [await DurableQueue.open(name), await DurableQueue.open(name)];
    const catalog = { jobs, triggers: [minutely('m')] };
    const start = t('2026-11-25T10:00:00.500Z');
    const exec = runAll(ahead, () => start + 2 * 3600_000);
    for (let e = 0; e <= 30 * MIN; e += 5000) {
      await dispatchScheduled(catalog, ahead, start + e);
      await dispatchScheduled(catalog, behind, start + e - 5 * MIN);
    }
    await exec.drain();
    ahead.close(); // the tab with the right clock closes at 10:30
    for (let e = 30 * MIN; e <= 60 * MIN; e += 5000) await dispatchScheduled(catalog, behind, start + e - 5 * MIN);
    const rest = runAll(behind, () => start + 2 * 3600_000);
    await rest.drain();
    const all = new Map([...exec.runs, ...rest.runs]);
    // 10:01..10:30 by the first tab; then 10:31..10:55 by the lagging one (its clock reads 10:55 at the end).
    expect(all.size).toBe(55);
    expect([...exec.runs.values(), ...rest.runs.values()].every((n) => n === 1)).toBe(true);
    expect([...exec.runs.keys()].filter((k) => rest.runs.has(k))).toEqual([]);
    behind.close();
  });

  it('per trigger: a trigger created later starts at its creation, one disabled for a while does not catch up, an edited schedule repeats no fire', async () => {
    const queue = await DurableQueue.open(`mono-${Math.random()}`);
    const start = t('2026-11-25T10:00:00.500Z');
    let now = start;
    const exec = runAll(queue, () => now);
    const triggersAt = (e: number): Trigger[] => [
      minutely('steady'),
      ...(e >= 10 * MIN ? [minutely('late')] : []),
      minutely('paused', e >= 10 * MIN && e < 20 * MIN ? { Epoxy: { enabled: false } } : {}),
      e < 7.5 * MIN ? minutely('edited', { Schedule: 'cron(0/5 * * * ? *)' }) : minutely('edited'),
    ];
    for (let e = 0; e <= 30 * MIN; e += 5000) {
      now = start + e;
      await dispatchScheduled({ jobs, triggers: triggersAt(e) }, queue, now);
      await exec.drain();
    }
    const fires = (name: string) => [...exec.runs.keys()].filter((k) => k.startsWith(`fire:${name}:`)).map((k) => k.slice(-13, -8));
    const minutes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `10:${String(from + i).padStart(2, '0')}`);
    expect(fires('steady')).toEqual(minutes(1, 30));
    expect(fires('late')).toEqual(minutes(10, 30));
    expect(fires('paused')).toEqual([...minutes(1, 9), ...minutes(20, 30)]);
    expect(fires('edited')).toEqual(['10:05', ...minutes(8, 30)]);
    expect([...exec.runs.values()].every((n) => n === 1)).toBe(true);
    expect(exec.missed).toEqual([]);
    queue.close();
  });
});
