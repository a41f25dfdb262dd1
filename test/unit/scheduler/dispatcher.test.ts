import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Job, Trigger } from '../../../src/catalog';
import { dispatchScheduled, fireTrigger, onRunFinished, resumeWorkflowRun, type SchedulerCatalog } from '../../../src/scheduler/dispatcher';
import { Executor, type RunOutcome } from '../../../src/scheduler/executor';
import { DurableQueue, type QueueItem } from '../../../src/scheduler/queue';

const jobs: Job[] = [{ Name: 'A', MaxRetries: 2, DefaultArguments: { '--day': 'today' } }, { Name: 'B' }];
const workflow: Trigger[] = [
  { Name: 'start', WorkflowName: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ CrawlerName: 'raw' }] },
  { Name: 'after-crawl', WorkflowName: 'nightly', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw', CrawlState: 'SUCCEEDED' }] }, Actions: [{ JobName: 'A' }] },
  { Name: 'after-a', WorkflowName: 'nightly', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'A', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'B', Arguments: { '--mode': 'full' } }] },
];
const catalog: SchedulerCatalog = { triggers: workflow, jobs };
const t = (iso: string) => Date.parse(iso);

describe('dispatching and running a workflow (fake clock)', () => {
  it('fires a schedule once across two checkers, then runs crawler -> A (retried once) -> B to completion', async () => {
    const queue = await DurableQueue.open(`wf-${Math.random()}`);
    let clock = t('2026-11-25T01:59:00Z');
    expect(await dispatchScheduled(catalog, queue, clock)).toEqual([]); // first check only opens the window
    clock = t('2026-11-25T02:00:10Z');
    const [fromSw, fromTab] = await Promise.all([dispatchScheduled(catalog, queue, clock), dispatchScheduled(catalog, queue, clock)]);
    expect([...fromSw, ...fromTab].map((i) => `${i.kind}:${i.name}`)).toEqual(['crawler:raw']);

    const ran: string[] = [];
    let aCalls = 0;
    const executor = new Executor({
      queue, owner: 'tab', now: () => clock, leaseMs: 30_000, limits: () => ({ timeoutMs: 60_000, maxConcurrentRuns: 1 }), random: () => 1,
      run: async (item: QueueItem): Promise<RunOutcome> => {
        ran.push(`${item.name}#${item.attempt} ${JSON.stringify(item.arguments)}`);
        if (item.name === 'A' && ++aCalls === 1) return { state: 'FAILED', error: 'network error: Failed to fetch' };
        return { state: 'SUCCEEDED' };
      },
      record: async () => {},
      finished: async (item, outcome) => { await onRunFinished(item, outcome, catalog, queue, clock); },
    });
    while (await executor.tick()) { /* run everything due */ }
    clock += 1000; // A's retry backoff
    while (await executor.tick()) { /* run the rest */ }
    expect(ran).toEqual([
      'raw#1 {}',
      'A#1 {"--day":"today"}',
      'A#2 {"--day":"today"}',
      'B#1 {"--mode":"full"}',
    ]);
    const [run] = await queue.workflowRuns();
    expect(run).toMatchObject({ workflow: 'nightly', state: 'COMPLETED', fired: ['start', 'after-crawl', 'after-a'], jobs: { A: 'SUCCEEDED', B: 'SUCCEEDED' }, crawlers: { raw: 'SUCCEEDED' } });
    queue.close();
  });

  it('runs a missed schedule once when the app reopens, marked as a catch-up', async () => {
    const queue = await DurableQueue.open(`wf-${Math.random()}`);
    await dispatchScheduled(catalog, queue, t('2026-11-20T12:00:00Z'));
    const items = await dispatchScheduled(catalog, queue, t('2026-11-25T09:00:00Z'));
    expect(items.map((i) => [i.name, i.arguments])).toEqual([['raw', { missedRuns: '5' }]]);
    queue.close();
  });

  it('never runs a fire twice when the clock steps back (issue 16: the window moved backwards and 400 fires ran twice)', async () => {
    const queue = await DurableQueue.open(`wf-${Math.random()}`);
    const minutely: SchedulerCatalog = { jobs, triggers: [{ Name: 'm', Type: 'SCHEDULED', Schedule: 'cron(* * * * ? *)', Actions: [{ JobName: 'B' }] }] };
    await dispatchScheduled(minutely, queue, t('2026-11-25T10:00:30Z'));
    const first = await dispatchScheduled(minutely, queue, t('2026-11-25T10:05:10Z'));
    expect(first).toHaveLength(1);
    // The clock goes back 5 minutes, then forward again past the same fire times.
    expect(await dispatchScheduled(minutely, queue, t('2026-11-25T10:00:40Z'))).toEqual([]);
    expect(await dispatchScheduled(minutely, queue, t('2026-11-25T10:05:20Z'))).toEqual([]);
    const next = await dispatchScheduled(minutely, queue, t('2026-11-25T10:06:05Z'));
    expect(next.map((i) => i.cause.trigger)).toEqual(['m']);
    expect((await queue.all()).length).toBe(2);
    queue.close();
  });

  it('fires standalone conditional triggers from the latest states, and on-demand triggers on request', async () => {
    const queue = await DurableQueue.open(`wf-${Math.random()}`);
    const cat: SchedulerCatalog = { jobs, triggers: [
      { Name: 'go', Type: 'ON_DEMAND', Actions: [{ JobName: 'A' }, { JobName: 'B' }] },
      { Name: 'both', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ JobName: 'A', State: 'SUCCEEDED' }, { JobName: 'B', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'report' }] },
    ] };
    const [a, b] = await fireTrigger(cat.triggers[0]!, cat, queue, 1000);
    expect(await onRunFinished(a!, { state: 'SUCCEEDED' }, cat, queue, 2000)).toEqual([]);
    const next = await onRunFinished(b!, { state: 'SUCCEEDED' }, cat, queue, 3000);
    expect(next.map((i) => i.name)).toEqual(['report']);
    queue.close();
  });
});

describe('resuming a failed workflow run', () => {
  it('restarts only the failed job, keeps what succeeded, and lets the downstream trigger fire again', async () => {
    const queue = await DurableQueue.open(`wf-${Math.random()}`);
    const [first] = await fireTrigger(workflow[0]!, catalog, queue, 1000);
    await queue.complete(first!.id);
    const afterCrawl = await onRunFinished(first!, { state: 'SUCCEEDED' }, catalog, queue, 2000);
    await queue.complete(afterCrawl[0]!.id);
    await onRunFinished(afterCrawl[0]!, { state: 'FAILED', error: 'Binder Error' }, catalog, queue, 3000);
    const [failed] = await queue.workflowRuns();
    expect(failed).toMatchObject({ state: 'ERROR', jobs: { A: 'FAILED' }, crawlers: { raw: 'SUCCEEDED' } });
    await expect(resumeWorkflowRun('nope', catalog, queue, 4000)).rejects.toThrow('No workflow run nope');

    const items = await resumeWorkflowRun(failed!.id, catalog, queue, 4000);
    expect(items.map((i) => `${i.kind}:${i.name}`)).toEqual(['job:A']);
    expect((await queue.getWorkflowRun(failed!.id))).toMatchObject({ state: 'RUNNING', fired: ['start', 'after-crawl'], crawlers: { raw: 'SUCCEEDED' } });
    await queue.complete(items[0]!.id);
    const next = await onRunFinished(items[0]!, { state: 'SUCCEEDED' }, catalog, queue, 5000);
    expect(next.map((i) => i.name)).toEqual(['B']);
    await expect(resumeWorkflowRun(failed!.id, catalog, queue, 6000)).rejects.toThrow('did not fail');
    queue.close();
  });
});
