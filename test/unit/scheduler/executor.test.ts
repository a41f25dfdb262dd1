import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Executor, type RunOutcome } from '../../../src/scheduler/executor';
import { NOT_RETRIED } from '../../../src/scheduler/run-state';
import { DurableQueue, type QueueItem } from '../../../src/scheduler/queue';
import type { RunState } from '../../../src/scheduler/run-state';

function setup(run: (item: QueueItem, signal: AbortSignal) => Promise<RunOutcome>, timeoutMs = 60_000, finalState?: (item: QueueItem) => Promise<RunOutcome | null>) {
  let clock = 1_000_000;
  const log: string[] = [];
  const finished: string[] = [];
  return DurableQueue.open(`exec-${Math.random()}`).then((queue) => {
    const make = (owner: string) => new Executor({
      queue, owner, now: () => clock, leaseMs: 30_000,
      limits: () => ({ timeoutMs, maxConcurrentRuns: 1 }),
      run,
      record: async (item, state: RunState, detail) => { log.push(`${item.runId} ${state}${detail?.error ? `: ${detail.error}` : ''}${detail?.notRetried ? ` (${detail.notRetried})` : ''}`); },
      finished: async (item, outcome) => { finished.push(`${item.name} ${outcome.state} after ${item.attempt}`); },
      random: () => 1,
      ...(finalState ? { finalState } : {}),
    });
    const item = (over: Partial<QueueItem> = {}): QueueItem => ({ id: 'q1', kind: 'job', name: 'A', arguments: {}, attempt: 1, maxAttempts: 3, notBefore: 0, enqueuedAt: 0, cause: { manual: true }, runId: 'jr_1', ...over });
    return { queue, make, item, log, finished, advance: (ms: number) => { clock += ms; } };
  });
}

describe('executor', () => {
  it('retries a transient failure as a new attempt after backoff, then succeeds', async () => {
    let calls = 0;
    const t = await setup(async () => (++calls === 1 ? { state: 'FAILED', error: 'Failed to fetch' } : { state: 'SUCCEEDED' }));
    await t.queue.enqueue(t.item());
    const ex = t.make('tab-a');
    expect(await ex.tick()).toBe(true);
    expect(await ex.tick()).toBe(false); // the retry waits for its backoff (1 s with jitter = 1)
    t.advance(1000);
    expect(await ex.tick()).toBe(true);
    expect(t.log).toEqual(['jr_1 STARTING', 'jr_1 RUNNING', 'jr_1 FAILED: Failed to fetch', 'jr_1_attempt_1 STARTING', 'jr_1_attempt_1 RUNNING', 'jr_1_attempt_1 SUCCEEDED']);
    expect(t.finished).toEqual(['A SUCCEEDED after 2']);
    expect(await t.queue.all()).toEqual([]);
  });

  it('fails at once on a deterministic error', async () => {
    const t = await setup(async () => ({ state: 'FAILED', error: 'Parser Error: syntax error at or near "SELEC"' }));
    await t.queue.enqueue(t.item());
    await t.make('tab-a').tick();
    expect(t.finished).toEqual(['A FAILED after 1']);
    expect(await t.queue.all()).toEqual([]);
  });

  it('records that a deterministic failure with retries left was not retried (issue 15 #5: a failing cast was retried, then looked ignored)', async () => {
    const t = await setup(async () => ({ state: 'FAILED', error: "Conversion Error: Could not convert string 'abc' to INT32" }));
    await t.queue.enqueue(t.item({ maxAttempts: 3 }));
    const ex = t.make('tab-a');
    await ex.tick();
    t.advance(10 * 60_000);
    expect(await ex.tick()).toBe(false);
    expect(t.log).toEqual(['jr_1 STARTING', 'jr_1 RUNNING', `jr_1 FAILED: Conversion Error: Could not convert string 'abc' to INT32 (${NOT_RETRIED})`]);
    expect(t.finished).toEqual(['A FAILED after 1']);
  });

  it('stops retrying after MaxRetries', async () => {
    const t = await setup(async () => ({ state: 'FAILED', error: 'HTTP 503' }));
    await t.queue.enqueue(t.item({ maxAttempts: 2 }));
    const ex = t.make('tab-a');
    await ex.tick();
    t.advance(60_000);
    await ex.tick();
    expect(t.finished).toEqual(['A FAILED after 2']);
  });

  it('times a run out and can stop one', async () => {
    const hang = (_: QueueItem, signal: AbortSignal) => new Promise<RunOutcome>((resolve) => signal.addEventListener('abort', () => resolve({ state: 'FAILED', error: 'aborted' })));
    const t = await setup(hang, 50);
    await t.queue.enqueue(t.item());
    await t.make('tab-a').tick();
    expect(t.log.at(-1)).toBe('jr_1 TIMEOUT: the run exceeded its timeout of <1 min');

    const s = await setup(hang);
    await s.queue.enqueue(s.item());
    const ex = s.make('tab-a');
    const running = ex.tick();
    await new Promise((r) => setTimeout(r, 20));
    expect(ex.stop('jr_1')).toBe(true);
    await running;
    expect(s.log.slice(-2)).toEqual(['jr_1 STOPPING', 'jr_1 STOPPED']);
  });

  it('as the lock holder, takes over another tab\'s run at once (that tab is gone), without waiting for its lease', async () => {
    const t = await setup(async () => ({ state: 'SUCCEEDED' }));
    await t.queue.enqueue(t.item());
    await t.queue.lease('closed-tab', 1_000_000, 30_000);
    const ex = t.make('tab-b');
    expect(await ex.recoverAbandoned(false)).toBe(0);
    expect(await ex.recoverAbandoned(true)).toBe(1);
    expect(t.log).toEqual(['jr_1 FAILED: the tab was closed while the run was in progress']);
  });

  it('recovers a run whose tab died: marks it and retries it in another tab', async () => {
    const t = await setup(async () => ({ state: 'SUCCEEDED' }));
    await t.queue.enqueue(t.item());
    await t.queue.lease('dead-tab', 1_000_000, 30_000);
    t.advance(31_000);
    const ex = t.make('tab-b');
    expect(await ex.recoverAbandoned()).toBe(1);
    t.advance(1000);
    await ex.tick();
    expect(t.log).toEqual(['jr_1 FAILED: the tab was closed while the run was in progress', 'jr_1_attempt_1 STARTING', 'jr_1_attempt_1 RUNNING', 'jr_1_attempt_1 SUCCEEDED']);
  });

  it('keeps a run its dead tab had already committed as SUCCEEDED: no FAILED record, no retry (issue 16: recovery overwrote the runner\'s SUCCEEDED)', async () => {
    let ran = 0;
    const t = await setup(async () => { ran++; return { state: 'SUCCEEDED' }; }, 60_000, async (item) => (item.runId === 'jr_1' ? { state: 'SUCCEEDED' } : null));
    await t.queue.enqueue(t.item());
    await t.queue.lease('dead-tab', 1_000_000, 30_000);
    t.advance(31_000);
    const ex = t.make('tab-b');
    expect(await ex.recoverAbandoned()).toBe(1);
    t.advance(60_000);
    while (await ex.tick()) { /* nothing should be left */ }
    expect(t.log).toEqual([]);
    expect(ran).toBe(0);
    expect(t.finished).toEqual(['A SUCCEEDED after 1']);
    expect(await t.queue.all()).toEqual([]);
  });
});
