import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import { backlogOf, backlogWarning } from '../../../src/scheduler/backlog';
import { Executor, type RunOutcome } from '../../../src/scheduler/executor';
import { DurableQueue, type QueueItem } from '../../../src/scheduler/queue';
import { SchedulerRuntime } from '../../../src/scheduler/runtime';
import { writeFigures } from '../../support/figures';

let n = 0;
const item = (name: string, over: Partial<QueueItem> = {}): QueueItem => ({
  id: `q${++n}`, kind: 'job', name, arguments: {}, attempt: 1, maxAttempts: 1, notBefore: 0, enqueuedAt: 0, cause: { manual: true }, runId: `jr_${n}`, ...over,
});

/** Runs that end when the test says so, with the most seen at once (overall and per job). */
function gatedRuns() {
  const open = new Map<string, () => void>();
  const started: string[] = [];
  let now = 0;
  let most = 0;
  const mostPerJob = new Map<string, number>();
  const current = new Map<string, number>();
  const run = (i: QueueItem) => new Promise<RunOutcome>((resolve) => {
    started.push(i.id);
    current.set(i.name, (current.get(i.name) ?? 0) + 1);
    mostPerJob.set(i.name, Math.max(mostPerJob.get(i.name) ?? 0, current.get(i.name)!));
    most = Math.max(most, ++now);
    open.set(i.id, () => { now--; current.set(i.name, current.get(i.name)! - 1); open.delete(i.id); resolve({ state: 'SUCCEEDED' }); });
  });
  return { run, open, started, most: () => most, mostPerJob, finishOldest: () => open.values().next().value?.() };
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('running several jobs at a time (issue 16: the executor ran one job at a time)', () => {
  it('runs 9 due jobs 3 at a time with a limit of 3, starting the next as soon as one ends', async () => {
    const queue = await DurableQueue.open(`conc-${Math.random()}`);
    const gate = gatedRuns();
    const ex = new Executor({ queue, owner: 'tab', now: () => 1000, leaseMs: 60_000, limits: () => ({ timeoutMs: 60_000, maxConcurrentRuns: 1 }), run: gate.run, record: async () => {} });
    for (let i = 0; i < 9; i++) await queue.enqueue(item(`job${i}`));
    expect(await ex.fill(3)).toBe(3);
    expect(await ex.fill(3)).toBe(0); // full
    while (gate.open.size || (await queue.all()).length) {
      const freed = ex.whenFreed();
      gate.finishOldest();
      await freed;
      await ex.fill(3);
    }
    expect(gate.started).toHaveLength(9);
    expect(new Set(gate.started).size).toBe(9);
    expect(gate.most()).toBe(3);
    queue.close();
  });

  it('never overlaps a job with MaxConcurrentRuns 1 with itself, and lets one with 2 run twice at once', async () => {
    const queue = await DurableQueue.open(`conc-${Math.random()}`);
    const gate = gatedRuns();
    const ex = new Executor({ queue, owner: 'tab', now: () => 1000, leaseMs: 60_000, limits: (i) => ({ timeoutMs: 60_000, maxConcurrentRuns: i.name === 'wide' ? 2 : 1 }), run: gate.run, record: async () => {} });
    for (let i = 0; i < 5; i++) await queue.enqueue(item('single'));
    for (let i = 0; i < 4; i++) await queue.enqueue(item('wide'));
    expect(await ex.fill(4)).toBe(3); // single ×1 and wide ×2: the fourth slot has nothing it may start
    while (gate.open.size) {
      const freed = ex.whenFreed();
      gate.finishOldest();
      await freed;
      await ex.fill(4);
    }
    expect(gate.started).toHaveLength(9);
    expect(Object.fromEntries(gate.mostPerJob)).toEqual({ single: 1, wide: 2 });
    queue.close();
  });

  it('the app runtime executes up to the configured limit at once (kept in the queue database for every tab)', async () => {
    const name = `conc-${Math.random()}`;
    const catalog = await Catalog.open({ name: `cat-${name}` });
    const queue = await DurableQueue.open(name);
    for (let i = 0; i < 6; i++) await catalog.put('job', { Name: `j${i}` });
    const gate = gatedRuns();
    const runtime = new SchedulerRuntime({ catalog, queue, runners: { job: gate.run, crawler: gate.run }, pollMs: 20 });
    expect(await runtime.concurrency()).toBe(3); // the default
    expect(await runtime.setConcurrency(2)).toBe(2);
    expect(await runtime.setConcurrency(0)).toBe(1);
    await runtime.setConcurrency(4);
    const stop = runtime.start();
    for (let i = 0; i < 6; i++) await runtime.startJob(`j${i}`);
    await until(() => gate.open.size === 4, '4 runs at once');
    while (gate.started.length < 6 || gate.open.size) {
      gate.finishOldest();
      await until(() => gate.open.size === Math.min(4, 6 - (gate.started.length - gate.open.size)) || gate.started.length === 6, 'the next run');
    }
    await until(async () => (await queue.all()).length === 0, 'an empty queue');
    stop();
    expect(gate.most()).toBe(4);
    expect(new Set(gate.started).size).toBe(6);
    queue.close();
    catalog.close();
  });

  it('measures the backlog: runs due and not started, the oldest wait, and what holds them back', () => {
    const now = 10 * 60_000;
    const items = [
      item('slow', { notBefore: now - 5 * 60_000, lease: { owner: 'tab', until: now + 30_000 } }),
      item('slow', { notBefore: now - 4 * 60_000 }),
      item('slow', { notBefore: now - 3 * 60_000 }),
      item('quick', { notBefore: now - 20_000 }),
      item('later', { notBefore: now + 60_000 }),
      item('dead', { notBefore: now - 9 * 60_000, lease: { owner: 'gone', until: now - 1 } }),
    ];
    const b = backlogOf(items, now);
    expect(b).toMatchObject({ waiting: 4, running: 1, oldestWaitMs: 9 * 60_000 });
    expect(b.byName.map((r) => [r.name, r.waiting, r.running])).toEqual([['dead', 1, 0], ['slow', 2, 1], ['quick', 1, 0]]);
    expect(backlogWarning(b, 3)).toBe('Fires arrive faster than runs finish: 4 runs are due and waiting, the oldest for 9 min; 1 running, at most 3 at a time. Held back by their own limit: job slow (2 waiting, MaxConcurrentRuns 1). Raise the number of runs at a time, space the schedules out, or make the jobs faster.');
    // A burst that has not waited long yet is no backlog.
    expect(backlogWarning(backlogOf([item('a', { notBefore: now - 10_000 }), item('b', { notBefore: now - 10_000 })], now), 1)).toBeNull();
    expect(backlogWarning(backlogOf([], now), 3)).toBeNull();
  });

  it('throughput: 60 runs of 20 ms each, 1, 3 and 6 at a time (figures for test/RELIABILITY.md)', async () => {
    const figures: Record<string, unknown>[] = [];
    for (const limit of [1, 3, 6]) {
      const queue = await DurableQueue.open(`conc-${Math.random()}`);
      const ran: string[] = [];
      const ex = new Executor({
        queue, owner: 'tab', now: () => Date.now(), leaseMs: 60_000, limits: () => ({ timeoutMs: 60_000, maxConcurrentRuns: 1 }), record: async () => {},
        run: async (i) => { ran.push(i.id); await new Promise((r) => setTimeout(r, 20)); return { state: 'SUCCEEDED' }; },
      });
      for (let i = 0; i < 60; i++) await queue.enqueue(item(`job${i}`));
      const t0 = performance.now();
      while ((await ex.fill(limit)) || ex.runningTotal) await ex.whenFreed();
      const seconds = (performance.now() - t0) / 1000;
      figures.push({ limit, runs: ran.length, seconds: Number(seconds.toFixed(2)), runsPerSecond: Number((ran.length / seconds).toFixed(1)) });
      expect(new Set(ran).size).toBe(60);
      queue.close();
    }
    writeFigures('scheduler-throughput', { runMs: 20, runsPerLimit: 60, results: figures });
  });
});
