import { openDB, type IDBPDatabase } from 'idb';

/** Work waiting to run: a job or crawler start, with its attempt number and the earliest time it may start. */
export interface QueueItem {
  id: string;
  kind: 'job' | 'crawler';
  name: string;
  arguments: Record<string, string>;
  /** 1 for the first attempt; a retry is a new item with attempt + 1 (Glue: a new attempt of the run). */
  attempt: number;
  maxAttempts: number;
  notBefore: number;
  enqueuedAt: number;
  /** What started it: a trigger name, 'manual', or a workflow run. */
  cause: { trigger?: string; workflowRunId?: string; manual?: boolean };
  /** The run id this item records its states under (one per attempt). */
  runId: string;
  /** Set while an executor owns the item; a lease that runs out means its tab died. */
  lease?: { owner: string; until: number };
  /** Why the previous attempt failed, for the run history. */
  previousError?: string;
}

const STORE = 'queue';
const META = 'meta';
const WORKFLOW_RUNS = 'workflowRuns';

/** A workflow run: which triggers fired, how each job and crawler ended, and its run properties. */
export interface StoredWorkflowRun {
  id: string;
  workflow: string;
  startedAt: number;
  completedAt?: number;
  state: 'RUNNING' | 'COMPLETED' | 'ERROR';
  fired: string[];
  jobs: Record<string, string | undefined>;
  crawlers: Record<string, string | undefined>;
  properties: Record<string, string>;
}

/**
 * The scheduler's durable queue, in its own IndexedDB database so that a killed tab loses nothing:
 * items are leased, not removed, while they run; an expired lease makes the item runnable again.
 */
export class DurableQueue {
  private constructor(private readonly db: IDBPDatabase) {}

  /** Open (or create) the queue database. */
  static async open(name = 'epoxy-scheduler'): Promise<DurableQueue> {
    const db = await openDB(name, 2, {
      upgrade(d, oldVersion) {
        if (oldVersion < 1) {
          const store = d.createObjectStore(STORE, { keyPath: 'id' });
          store.createIndex('notBefore', 'notBefore');
        }
        if (oldVersion < 2) {
          // Scheduler bookkeeping: when triggers were last checked, and the state of workflow runs.
          d.createObjectStore(META);
          d.createObjectStore(WORKFLOW_RUNS, { keyPath: 'id' });
        }
      },
    });
    return new DurableQueue(db);
  }

  close(): void {
    this.db.close();
  }

  /** Add an item (idempotent by id, so a trigger firing twice for one fire time enqueues once). */
  async enqueue(item: QueueItem): Promise<boolean> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const exists = await tx.store.get(item.id);
    if (!exists) await tx.store.put(item);
    await tx.done;
    return !exists;
  }

  async all(): Promise<QueueItem[]> {
    return (await this.db.getAll(STORE)) as QueueItem[];
  }

  /**
   * Claim the next due item for `owner`, in one transaction so two executors can never claim the same one.
   * `running` counts per job name limit concurrency (MaxConcurrentRuns).
   */
  async lease(owner: string, now: number, leaseMs: number, canStart: (item: QueueItem) => boolean = () => true): Promise<QueueItem | null> {
    const tx = this.db.transaction(STORE, 'readwrite');
    let cursor = await tx.store.index('notBefore').openCursor(IDBKeyRange.upperBound(now));
    while (cursor) {
      const item = cursor.value as QueueItem;
      if ((!item.lease || item.lease.until <= now) && canStart(item)) {
        const leased = { ...item, lease: { owner, until: now + leaseMs } };
        await cursor.update(leased);
        await tx.done;
        return leased;
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return null;
  }

  /** Extend a lease while its work is still running; false if the lease was lost (another executor took it). */
  async heartbeat(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const item = (await tx.store.get(id)) as QueueItem | undefined;
    if (!item?.lease || item.lease.owner !== owner) { await tx.done; return false; }
    await tx.store.put({ ...item, lease: { owner, until: now + leaseMs } });
    await tx.done;
    return true;
  }

  /** Remove a finished item (its run outcome lives in the catalog's run history). */
  async complete(id: string): Promise<void> {
    await this.db.delete(STORE, id);
  }

  /** Replace a failed item by its next attempt, atomically (the retry is never lost between two writes). */
  async retry(id: string, next: QueueItem): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await tx.store.delete(id);
    await tx.store.put(next);
    await tx.done;
  }

  /** A value of the scheduler's bookkeeping (e.g. when triggers were last checked). */
  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get(META, key)) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put(META, value, key);
  }

  /**
   * Read-modify-write a meta value in one transaction, so two tabs or the service worker checking triggers
   * at once cannot both advance the same window.
   */
  async updateMeta<T>(key: string, update: (value: T | undefined) => T): Promise<{ before: T | undefined; after: T }> {
    const tx = this.db.transaction(META, 'readwrite');
    const before = (await tx.store.get(key)) as T | undefined;
    const after = update(before);
    await tx.store.put(after, key);
    await tx.done;
    return { before, after };
  }

  async getWorkflowRun(id: string): Promise<StoredWorkflowRun | undefined> {
    return (await this.db.get(WORKFLOW_RUNS, id)) as StoredWorkflowRun | undefined;
  }

  async putWorkflowRun(run: StoredWorkflowRun): Promise<void> {
    await this.db.put(WORKFLOW_RUNS, run);
  }

  async workflowRuns(): Promise<StoredWorkflowRun[]> {
    return ((await this.db.getAll(WORKFLOW_RUNS)) as StoredWorkflowRun[]).sort((a, b) => b.startedAt - a.startedAt);
  }

  /**
   * Items whose executor died mid-run (tab closed or crashed): leases that ran out, and, for the executor that
   * holds the Web Lock (`holder`), every lease of another owner — only one tab executes, so another owner's
   * lease can only be left over from a tab that is gone.
   */
  async abandoned(now: number, holder?: string): Promise<QueueItem[]> {
    return (await this.all()).filter((i) => i.lease && (i.lease.until <= now || (holder !== undefined && i.lease.owner !== holder)));
  }
}
