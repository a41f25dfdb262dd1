import type { Catalog, JobRun } from '../catalog';
import { dispatchScheduled, fireTrigger, onRunFinished, resumeWorkflowRun, type SchedulerCatalog } from './dispatcher';
import { DEFAULT_CONCURRENCY, Executor, MAX_CONCURRENCY, type RunOutcome } from './executor';
import { glueRunId } from './ids';
import type { DurableQueue, QueueItem } from './queue';
import type { RunState } from './run-state';
import { SCHEDULER_NAMES, type QueueChangedMessage } from './names';

/** Runs one job or crawler for the scheduler; must honour the abort signal. */
export type Runner = (item: QueueItem, signal: AbortSignal) => Promise<RunOutcome>;

export interface RuntimeOptions {
  catalog: Catalog;
  queue: DurableQueue;
  runners: { job: Runner; crawler: Runner };
  /** Told about every run state change and every failure that will not be retried (notifications). */
  onChange?: () => void;
  onFinalFailure?: (item: QueueItem, outcome: RunOutcome) => void;
  now?: () => number;
  owner?: string;
  pollMs?: number;
}

const CHANNEL = SCHEDULER_NAMES.changesChannel;
const LOCK = SCHEDULER_NAMES.executorLock;

/**
 * The scheduler in a page. Exactly one tab per browser executes (it holds the `epoxy-executor` Web Lock;
 * when that tab closes, another waiting tab takes the lock and recovers the dead tab's runs). Every tab
 * dispatches due triggers (idempotent), and any tab can enqueue; a BroadcastChannel wakes the executor.
 */
export class SchedulerRuntime {
  private executor: Executor;
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  private stopped = false;
  private wake: (() => void) | null = null;
  readonly owner: string;
  isExecutor = false;

  constructor(private readonly o: RuntimeOptions) {
    this.owner = o.owner ?? `tab_${Math.random().toString(36).slice(2, 10)}`;
    this.executor = new Executor({
      queue: o.queue,
      owner: this.owner,
      now: this.now,
      leaseMs: 15_000,
      limits: (item) => this.limits(item),
      run: (item, signal) => (item.kind === 'job' ? o.runners.job(item, signal) : o.runners.crawler(item, signal)),
      record: (item, state, detail) => this.record(item, state, detail?.error, detail?.metrics, detail?.notRetried),
      finalState: (item) => this.finalState(item),
      finished: async (item, outcome) => {
        await onRunFinished(item, outcome, await this.snapshot(), o.queue, this.now());
        if (outcome.state !== 'SUCCEEDED') o.onFinalFailure?.(item, outcome);
        this.notify();
      },
    });
    if (this.channel) this.channel.onmessage = () => { this.wake?.(); o.onChange?.(); };
  }

  private now = () => (this.o.now ?? Date.now)();

  private jobCache: SchedulerCatalog | null = null;

  private async snapshot(): Promise<SchedulerCatalog> {
    const [triggers, jobs] = await Promise.all([this.o.catalog.list('trigger'), this.o.catalog.list('job')]);
    this.jobCache = { triggers, jobs };
    return this.jobCache;
  }

  private limits(item: QueueItem): { timeoutMs: number; maxConcurrentRuns: number } {
    const job = item.kind === 'job' ? this.jobCache?.jobs.find((j) => j.Name === item.name) : undefined;
    return { timeoutMs: (job?.Timeout ?? 2880) * 60_000, maxConcurrentRuns: Math.max(1, job?.ExecutionProperty?.MaxConcurrentRuns ?? 1) };
  }

  /** Job run states go to the catalog in Glue's JobRun shape (crawls record their own CrawlerRun). */
  /** A job run the history already shows as finished (its runner committed it with the output), or null. */
  private async finalState(item: QueueItem): Promise<RunOutcome | null> {
    if (item.kind !== 'job') return null;
    const run = (await this.o.catalog.getJobRuns(item.name)).find((r) => r.Id === item.runId);
    const state = run?.JobRunState;
    if (state !== 'SUCCEEDED' && state !== 'FAILED' && state !== 'STOPPED' && state !== 'TIMEOUT' && state !== 'ERROR') return null;
    return { state, ...(run?.ErrorMessage ? { error: run.ErrorMessage } : {}) };
  }

  private async record(item: QueueItem, state: RunState, error?: string, metrics?: Record<string, unknown>, notRetried?: string): Promise<void> {
    if (item.kind === 'job') {
      const now = new Date(this.now()).toISOString();
      const prior = (await this.o.catalog.getJobRuns(item.name)).find((r) => r.Id === item.runId);
      const run: JobRun = {
        ...(prior ?? { StartedOn: now }),
        Id: item.runId,
        JobName: item.name,
        Attempt: item.attempt - 1,
        PreviousRunId: item.attempt > 1 ? item.runId.replace(/_attempt_\d+$/, '') + (item.attempt > 2 ? `_attempt_${item.attempt - 2}` : '') : undefined,
        TriggerName: item.cause.trigger,
        Arguments: item.arguments,
        JobRunState: state,
        LastModifiedOn: now,
        ...(error ? { ErrorMessage: error } : {}),
        ...(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR'].includes(state) ? { CompletedOn: now, ExecutionTime: Math.round((this.now() - Date.parse(prior?.StartedOn ?? now)) / 1000) } : {}),
        Epoxy: { ...(prior?.Epoxy ?? {}), workflowRunId: item.cause.workflowRunId, ...(metrics ? { metrics } : {}), ...(notRetried ? { notRetried } : {}) },
      };
      await this.o.catalog.commit([{ op: 'putJobRun', run }]);
    }
    this.notify();
  }

  private notify(): void {
    // A BroadcastChannel does not deliver to itself: wake this tab's executor directly.
    this.wake?.();
    this.channel?.postMessage({ type: 'changed' } satisfies QueueChangedMessage);
    this.o.onChange?.();
  }

  /** Start a trigger now (on-demand triggers, or "run now" on a scheduled one). */
  async fire(triggerName: string): Promise<QueueItem[]> {
    const snap = await this.snapshot();
    const trigger = snap.triggers.find((t) => t.Name === triggerName);
    if (!trigger) throw new Error(`No trigger named ${triggerName}`);
    const items = await fireTrigger(trigger, snap, this.o.queue, this.now());
    this.notify();
    return items;
  }

  /** Resume a failed workflow run from its failed nodes. */
  async resume(workflowRunId: string): Promise<QueueItem[]> {
    const items = await resumeWorkflowRun(workflowRunId, await this.snapshot(), this.o.queue, this.now());
    this.notify();
    return items;
  }

  /** Queue one job run by hand (Glue's StartJobRun). */
  async startJob(name: string, args: Record<string, string> = {}): Promise<QueueItem> {
    const snap = await this.snapshot();
    const job = snap.jobs.find((j) => j.Name === name);
    const now = this.now();
    const item: QueueItem = {
      id: `manual_${now.toString(36)}_${Math.random().toString(36).slice(2, 8)}`, kind: 'job', name, arguments: { ...(job?.DefaultArguments ?? {}), ...args },
      attempt: 1, maxAttempts: 1 + Math.max(0, job?.MaxRetries ?? 0), notBefore: now, enqueuedAt: now, cause: { manual: true },
      runId: glueRunId('job'),
    };
    await this.o.queue.enqueue(item);
    this.notify();
    return item;
  }

  /** Stop a run executing in this tab. */
  stop(runId: string): boolean {
    return this.executor.stop(runId);
  }

  /** Dispatch due schedules now (also done by the service worker when it is woken). */
  async dispatch(): Promise<number> {
    const items = await dispatchScheduled(await this.snapshot(), this.o.queue, this.now());
    if (items.length) this.notify();
    return items.length;
  }

  /** How many runs the executing tab runs at once (kept in the queue database, so every tab agrees). */
  async concurrency(): Promise<number> {
    return clampConcurrency(await this.o.queue.getMeta(CONCURRENCY_KEY));
  }

  /** Change how many runs execute at once (1 to MAX_CONCURRENCY); the executing tab picks it up at once. */
  async setConcurrency(limit: number): Promise<number> {
    const value = clampConcurrency(limit);
    await this.o.queue.setMeta(CONCURRENCY_KEY, value);
    this.notify();
    return value;
  }

  /**
   * This tab lets go of the scheduler for good (a newer Epoxy upgraded the queue database): no more dispatch
   * or execution here, and the executor lock goes to a tab that runs the new version. Runs executing here are
   * stopped; the new executor takes them over as runs of a gone tab and retries them.
   */
  letGo(reason: string): void {
    this.executor.abortAll(reason);
    this.halt?.();
  }

  private halt: (() => void) | null = null;

  /** Begin: dispatch on an interval in every tab, execute (up to the concurrency limit) in the one tab holding the lock. */
  start(): () => void {
    const poll = this.o.pollMs ?? 5000;
    const dispatchTimer = setInterval(() => void this.dispatch().catch(() => {}), Math.max(poll, 5000));
    void this.dispatch().catch(() => {});
    const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
    const loop = async () => {
      this.isExecutor = true;
      this.o.onChange?.();
      // Holding the lock, every run leased by another tab is a dead tab's: take them all over once, now. Nobody
      // else leases while we hold it. Without Web Locks only expired leases are safe to take, so check each time.
      if (locks) await this.executor.recoverAbandoned(true).catch(() => 0);
      while (!this.stopped) {
        if (!locks) await this.executor.recoverAbandoned(false).catch(() => 0);
        await this.snapshot().catch(() => undefined);
        const limit = await this.concurrency().catch(() => DEFAULT_CONCURRENCY);
        await this.executor.fill(limit).catch(() => 0);
        if (this.stopped) break;
        // Wait for a reason to look again: an enqueue (this tab directly, others through the channel), a run
        // ending (a slot is free), or the poll (due retries).
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, poll);
          if (this.executor.runningTotal) void this.executor.whenFreed().then(resolve);
        });
      }
      this.isExecutor = false;
    };
    if (locks) void locks.request(LOCK, () => loop());
    else void loop();
    const stop = () => {
      this.stopped = true;
      this.wake?.();
      clearInterval(dispatchTimer);
      this.channel?.close();
    };
    this.halt = stop;
    return stop;
  }
}

const CONCURRENCY_KEY = 'executorConcurrency';

function clampConcurrency(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(1, n));
}
