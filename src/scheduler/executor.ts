import type { QueueItem } from './queue';
import { isTransientFailure, NOT_RETRIED, retryDelayMs, type RunState } from './run-state';
import { errorMessage } from '../util/errors';

/** How a run ended, as the runner reports it. */
export interface RunOutcome {
  state: Extract<RunState, 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED' | 'ERROR'>;
  error?: string;
  /** What the run measured (rows, bytes, per-node timings), kept with its run record. */
  metrics?: Record<string, unknown>;
}

/** Limits of the job or crawler an item starts (Glue's Timeout, MaxRetries, MaxConcurrentRuns). */
export interface RunLimits {
  timeoutMs: number;
  maxConcurrentRuns: number;
}

/** The queue operations the executor needs (DurableQueue implements them). */
export interface ExecutorQueue {
  lease(owner: string, now: number, leaseMs: number, canStart?: (item: QueueItem) => boolean): Promise<QueueItem | null>;
  heartbeat(id: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  complete(id: string): Promise<void>;
  retry(id: string, next: QueueItem): Promise<void>;
  abandoned(now: number, holder?: string): Promise<QueueItem[]>;
}

export interface ExecutorDeps {
  queue: ExecutorQueue;
  owner: string;
  now: () => number;
  leaseMs: number;
  limits: (item: QueueItem) => RunLimits;
  /** Execute the job or crawl; must honour the abort signal (stop / timeout). */
  run: (item: QueueItem, signal: AbortSignal) => Promise<RunOutcome>;
  /** Record a state of the item's run in the run history (catalog). */
  record: (item: QueueItem, state: RunState, detail?: { error?: string; retryAt?: number; metrics?: Record<string, unknown>; notRetried?: string }) => Promise<void>;
  /** Told when a run has finally ended (after retries): conditional triggers are evaluated here. */
  finished?: (item: QueueItem, outcome: RunOutcome) => Promise<void>;
  /**
   * The terminal state the run history already holds for an item, if any: a runner commits its SUCCEEDED record
   * with its output, so a tab that died after that commit finished the run; it is not abandoned.
   */
  finalState?: (item: QueueItem) => Promise<RunOutcome | null>;
  random?: () => number;
}

/** How many runs an executor runs at once unless told otherwise (one engine worker is shared by all of them). */
export const DEFAULT_CONCURRENCY = 3;
/** The most runs at once the app lets a user ask for. */
export const MAX_CONCURRENCY = 16;


const retryable = (outcome: RunOutcome) => (outcome.state === 'FAILED' || outcome.state === 'ERROR') && isTransientFailure(outcome.error ?? '');

/**
 * Runs due queue items, up to a limit at a time (`fill`), each job at most its MaxConcurrentRuns at once.
 * Exactly one executor runs per browser (the app holds a Web Lock around it); the lease makes that safe even
 * if two ever overlap. Transient failures are retried as new attempts with exponential backoff and jitter;
 * deterministic ones (bad SQL) fail at once.
 */
export class Executor {
  private readonly running = new Map<string, { item: QueueItem; controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: ExecutorDeps) {}

  /** How many runs of this job (or crawler) are executing here (for MaxConcurrentRuns). */
  runningCount(name: string, kind: QueueItem['kind'] = 'job'): number {
    return [...this.running.values()].filter((r) => r.item.name === name && r.item.kind === kind).length;
  }

  /** Stop a running item (STOPPING then STOPPED, as in Glue's BatchStopJobRun). */
  stop(runId: string): boolean {
    const r = [...this.running.values()].find((x) => x.item.runId === runId);
    if (!r) return false;
    r.controller.abort(new Error('stopped by the user'));
    return true;
  }

  /**
   * Take over runs whose executor died (tab closed): mark them, then retry or fail them. Call it only while
   * holding the executor lock (`holdsLock`): then another tab's lease means that tab is gone, expired or not.
   */
  async recoverAbandoned(holdsLock = false): Promise<number> {
    const now = this.deps.now();
    const dead = await this.deps.queue.abandoned(now, holdsLock ? this.deps.owner : undefined);
    for (const item of dead) {
      const done = await this.deps.finalState?.(item).catch(() => null);
      if (done) { await this.settle(item, done); continue; }
      await this.deps.record(item, 'FAILED', { error: 'the tab was closed while the run was in progress' });
      await this.settle(item, { state: 'FAILED', error: 'the tab was closed while the run was in progress' });
    }
    return dead.length;
  }

  /** How many runs are executing here now. */
  get runningTotal(): number {
    return this.running.size;
  }

  /** Lease and run one due item; returns false when nothing was due. */
  async tick(): Promise<boolean> {
    const item = await this.leaseNext();
    if (!item) return false;
    await this.start(item);
    return true;
  }

  /**
   * Start due items until `limit` runs are executing here (or nothing more may start: not due, or its job is
   * at its MaxConcurrentRuns); returns how many started. The runs go on after it returns: `whenFreed` says
   * when one has ended.
   */
  async fill(limit: number): Promise<number> {
    let started = 0;
    while (this.running.size < Math.max(1, limit)) {
      const item = await this.leaseNext();
      if (!item) break;
      void this.start(item);
      started++;
    }
    return started;
  }

  /** Resolves when a run executing here ends (at once when none is running). */
  whenFreed(): Promise<void> {
    const runs = [...this.running.values()].map((r) => r.done);
    return runs.length ? Promise.race(runs) : Promise.resolve();
  }

  /** Resolves when every run executing here has ended. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stop every run executing here (this tab lets go of the scheduler); the queue keeps them for another executor. */
  abortAll(reason: string): void {
    for (const r of this.running.values()) r.controller.abort(new Error(reason));
  }

  private leaseNext(): Promise<QueueItem | null> {
    // The guard runs inside the lease transaction: items this executor started a moment ago count already.
    return this.deps.queue.lease(this.deps.owner, this.deps.now(), this.deps.leaseMs, (i) => this.runningCount(i.name, i.kind) < this.deps.limits(i).maxConcurrentRuns);
  }

  private start(item: QueueItem): Promise<void> {
    const controller = new AbortController();
    // Registered before anything awaits, so the next lease's guard already counts this run.
    const entry = { item, controller, done: Promise.resolve() };
    this.running.set(item.id, entry);
    entry.done = this.execute(item, controller).catch(() => undefined);
    return entry.done;
  }

  private async execute(item: QueueItem, controller: AbortController): Promise<void> {
    const { timeoutMs } = this.deps.limits(item);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)); }, timeoutMs);
    const beat = setInterval(() => { void this.deps.queue.heartbeat(item.id, this.deps.owner, this.deps.now(), this.deps.leaseMs); }, Math.max(50, this.deps.leaseMs / 3));
    let outcome: RunOutcome;
    try {
      await this.deps.record(item, 'STARTING');
      await this.deps.record(item, 'RUNNING');
      outcome = await this.deps.run(item, controller.signal);
    } catch (err) {
      outcome = { state: 'FAILED', error: errorMessage(err) };
    } finally {
      clearTimeout(timer);
      clearInterval(beat);
      this.running.delete(item.id);
    }
    if (timedOut) outcome = { state: 'TIMEOUT', error: `the run exceeded its timeout of ${Math.round(timeoutMs / 60000) || '<1'} min` };
    else if (controller.signal.aborted) outcome = { state: 'STOPPED' };
    if (outcome.state === 'STOPPED') await this.deps.record(item, 'STOPPING');
    // A deterministic failure with retries left says so on its record: otherwise MaxRetries looks ignored.
    const notRetried = (outcome.state === 'FAILED' || outcome.state === 'ERROR') && !retryable(outcome) && item.attempt < item.maxAttempts;
    await this.deps.record(item, outcome.state, { error: outcome.error, metrics: outcome.metrics, ...(notRetried ? { notRetried: NOT_RETRIED } : {}) });
    await this.settle(item, outcome);
  }

  /** After an attempt ended: retry it as a new attempt, or finish it. */
  private async settle(item: QueueItem, outcome: RunOutcome): Promise<void> {
    if (retryable(outcome) && item.attempt < item.maxAttempts) {
      const retryAt = this.deps.now() + retryDelayMs(item.attempt, 1000, 5 * 60_000, this.deps.random);
      const next: QueueItem = { ...item, id: `${item.id.replace(/#\d+$/, '')}#${item.attempt + 1}`, attempt: item.attempt + 1, notBefore: retryAt, runId: `${item.runId.replace(/_attempt_\d+$/, '')}_attempt_${item.attempt}`, previousError: outcome.error };
      delete next.lease;
      await this.deps.queue.retry(item.id, next);
      return;
    }
    await this.deps.queue.complete(item.id);
    await this.deps.finished?.(item, outcome);
  }
}
