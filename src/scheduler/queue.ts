import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import { openWatched } from '../storage/db-upgrades';
import { SCHEDULER_NAMES } from './names';

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
const FIRES = 'fires';
const ALL_STORES: (typeof STORE | typeof META | typeof WORKFLOW_RUNS | typeof FIRES)[] = [STORE, META, WORKFLOW_RUNS, FIRES];
/** The queue database's schema version (3: the ledger of fires). */
export const QUEUE_VERSION = 3;
/** How long a fire id is remembered; older ones are kept out by their trigger's high-water mark instead. */
const FIRE_RETENTION_MS = 30 * 24 * 3600_000;
const MARK = 'fireMark:';

/** The scheduler's bookkeeping values in the meta store, by key. */
export interface QueueMeta {
  /** When triggers were last checked (epoch ms): the start of the next dispatch window. */
  lastCheck: number;
  /** The latest state of each job and crawler run, for conditional triggers outside workflows. */
  latestStates: { jobs: Record<string, string>; crawlers: Record<string, string> };
  /** How many queue items this browser runs at once. */
  executorConcurrency: number;
}

/** The meta store also holds one high-water mark per trigger, under `fireMark:<trigger>`. */
type FireMarkKey = `fireMark:${string}`;

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isStates = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

// The meta store holds values of several shapes under one value type; each read checks the shape its key
// holds, so a value of another shape (none is ever written) reads as absent instead of lying about its type.
const META_SHAPES: { [K in keyof QueueMeta]: (v: unknown) => v is QueueMeta[K] } = {
  lastCheck: isNumber,
  executorConcurrency: isNumber,
  latestStates: (v): v is QueueMeta['latestStates'] => typeof v === 'object' && v !== null && 'jobs' in v && 'crawlers' in v && isStates(v.jobs) && isStates(v.crawlers),
};

/** One fire in the ledger: kept by id so that it is never enqueued twice. */
interface FireRecord { id: string; trigger: string; at: number; enqueuedAt: number }

/** The queue database: what each store holds, its keys and indexes (the upgrade in `open` creates them). */
interface QueueSchema extends DBSchema {
  queue: { key: string; value: QueueItem; indexes: { notBefore: number } };
  meta: { key: keyof QueueMeta | FireMarkKey; value: QueueMeta[keyof QueueMeta] };
  workflowRuns: { key: string; value: StoredWorkflowRun };
  fires: { key: string; value: FireRecord; indexes: { at: number } };
}
type QueueTx = IDBPTransaction<QueueSchema, typeof ALL_STORES, 'readwrite'>;

export interface QueueOpenOptions {
  /** Only for upgrade tests: open at this (higher) version, as a newer Epoxy would. */
  version?: number;
  /** This open waits for other tabs holding an older version open (the message says so). */
  onBlocked?: (message: string) => void;
  /** Another tab upgraded the database: this connection closed itself (the message says to reload). */
  onVersionChange?: (message: string) => void;
}

/**
 * One fire of a trigger, with everything it enqueues: its id is its identity forever (a scheduled fire is
 * `fire:<trigger>:<time>`), `at` the time it stands for.
 */
export interface PlannedFire {
  id: string;
  trigger: string;
  at: number;
  items: QueueItem[];
  workflowRun?: StoredWorkflowRun;
}

/** What a dispatch plan sees: the start of its window and, per trigger, the latest fire time ever enqueued. */
export interface DispatchWindow {
  from: number;
  to: number;
  marks: Record<string, number>;
}

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
  private constructor(private readonly conn: IDBPDatabase<QueueSchema>) {}

  /**
   * Open (or create) the queue database. A newer Epoxy in another tab upgrading it makes this connection let
   * go at once (and say so through `onVersionChange` and the upgrade reports); an open that older tabs block
   * says what it waits for through `onBlocked`, then goes through when they let go.
   */
  static async open(name: string = SCHEDULER_NAMES.queueDatabase, opts: QueueOpenOptions = {}): Promise<DurableQueue> {
    let queue: DurableQueue | null = null;
    const db = await openWatched<QueueSchema>('scheduler queue', name, opts.version ?? QUEUE_VERSION, (d, oldVersion) => {
      if (oldVersion < 1) {
        const store = d.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('notBefore', 'notBefore');
      }
      if (oldVersion < 2) {
        // Scheduler bookkeeping: when triggers were last checked, and the state of workflow runs.
        d.createObjectStore(META);
        d.createObjectStore(WORKFLOW_RUNS, { keyPath: 'id' });
      }
      if (oldVersion < 3) {
        // Every fire ever enqueued, by id: a fire whose queue item completed must still never come back.
        d.createObjectStore(FIRES, { keyPath: 'id' }).createIndex('at', 'at');
      }
    }, opts, (message) => { if (queue) queue.closedBy = message; });
    queue = new DurableQueue(db);
    return queue;
  }

  /** Why this connection was closed under the app (a newer tab upgraded the database), or null while open. */
  closedBy: string | null = null;

  private get db(): IDBPDatabase<QueueSchema> {
    // After a versionchange the old connection is gone: say why instead of "The database connection is closing".
    if (this.closedBy) throw new Error(this.closedBy);
    return this.conn;
  }

  close(): void {
    this.conn.close();
  }

  /** Add an item (idempotent by id, so a trigger firing twice for one fire time enqueues once). */
  async enqueue(item: QueueItem): Promise<boolean> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const exists = await tx.store.get(item.id);
    if (!exists) await tx.store.put(item);
    await tx.done;
    return !exists;
  }

  /**
   * Claim the scheduled window and enqueue its fires in ONE transaction. The window runs from the last check
   * to `now` and only moves forward (a clock set back, or a tab whose clock lags, finds it closed); `plan`
   * computes the fires of that window (synchronously: the transaction must not wait on anything else). A fire
   * is enqueued only if its id was never enqueued before and it is later than its trigger's high-water mark,
   * so a fire whose run completed long ago stays done whatever reopens the window. Killed midway, nothing of
   * it is kept: neither the window nor any fire, and the next check does it all again.
   */
  async dispatch(now: number, plan: (window: DispatchWindow) => PlannedFire[]): Promise<QueueItem[]> {
    const tx = this.db.transaction(ALL_STORES, 'readwrite');
    try {
      const meta = tx.objectStore(META);
      const stored = await meta.get('lastCheck');
      const before = isNumber(stored) ? stored : undefined;
      await meta.put(Math.max(before ?? now, now), 'lastCheck');
      let out: QueueItem[] = [];
      if (before !== undefined && before < now) {
        const range = IDBKeyRange.bound(MARK, `${MARK}\uffff`);
        const [keys, values] = await Promise.all([meta.getAllKeys(range), meta.getAll(range)]);
        const marks = marksOf(keys, values);
        out = await this.putFires(tx, plan({ from: before, to: now, marks }), marks, now);
      }
      await tx.done;
      return out;
    } catch (err) {
      try { tx.abort(); } catch { /* already over */ }
      await tx.done.catch(() => undefined);
      throw err;
    }
  }

  /** Enqueue one fire (a run-now, a conditional trigger) unless its id was enqueued before; its items, or []. */
  async enqueueFire(fire: PlannedFire, now: number): Promise<QueueItem[]> {
    const tx = this.db.transaction(ALL_STORES, 'readwrite');
    const mark = await tx.objectStore(META).get(markKey(fire.trigger));
    const out = await this.putFires(tx, [fire], isNumber(mark) ? { [fire.trigger]: mark } : {}, now, false);
    await tx.done;
    return out;
  }

  private async putFires(tx: QueueTx, fires: PlannedFire[], marks: Record<string, number>, now: number, scheduled = true): Promise<QueueItem[]> {
    const out: QueueItem[] = [];
    const ledger = tx.objectStore(FIRES);
    const queue = tx.objectStore(STORE);
    for (const fire of fires) {
      if (scheduled && marks[fire.trigger] !== undefined && fire.at <= marks[fire.trigger]!) continue;
      if (await ledger.get(fire.id)) continue;
      if ((await Promise.all(fire.items.map((i) => queue.get(i.id)))).some(Boolean)) continue;
      await ledger.put({ id: fire.id, trigger: fire.trigger, at: fire.at, enqueuedAt: now });
      if (fire.workflowRun) await tx.objectStore(WORKFLOW_RUNS).put(fire.workflowRun);
      for (const item of fire.items) await queue.put(item);
      if (scheduled) {
        marks[fire.trigger] = Math.max(marks[fire.trigger] ?? fire.at, fire.at);
        await tx.objectStore(META).put(marks[fire.trigger]!, markKey(fire.trigger));
      }
      out.push(...fire.items);
    }
    // Old ids can go: the high-water marks keep their (scheduled) fires out, and the others have random parts.
    let old = await ledger.index('at').openCursor(IDBKeyRange.upperBound(now - FIRE_RETENTION_MS));
    while (old) { await old.delete(); old = await old.continue(); }
    return out;
  }

  /** Whether a fire id was ever enqueued (kept 30 days; older scheduled fires are kept out by the high-water mark). */
  async wasFired(id: string): Promise<boolean> {
    return (await this.db.get(FIRES, id)) !== undefined;
  }

  /** The latest fire time enqueued per trigger (a trigger's fires at or before it never run again). */
  async fireMarks(): Promise<Record<string, number>> {
    const range = IDBKeyRange.bound(MARK, `${MARK}\uffff`);
    const [keys, values] = await Promise.all([this.db.getAllKeys(META, range), this.db.getAll(META, range)]);
    return marksOf(keys, values);
  }

  async all(): Promise<QueueItem[]> {
    return this.db.getAll(STORE);
  }

  /**
   * Claim the next due item for `owner`, in one transaction so two executors can never claim the same one.
   * `running` counts per job name limit concurrency (MaxConcurrentRuns).
   */
  async lease(owner: string, now: number, leaseMs: number, canStart: (item: QueueItem) => boolean = () => true): Promise<QueueItem | null> {
    const tx = this.db.transaction(STORE, 'readwrite');
    let cursor = await tx.store.index('notBefore').openCursor(IDBKeyRange.upperBound(now));
    while (cursor) {
      const item = cursor.value;
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
    const item = await tx.store.get(id);
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
  async getMeta<K extends keyof QueueMeta>(key: K): Promise<QueueMeta[K] | undefined> {
    return metaValue(key, await this.db.get(META, key));
  }

  async setMeta<K extends keyof QueueMeta>(key: K, value: QueueMeta[K]): Promise<void> {
    await this.db.put(META, value, key);
  }

  /**
   * Read-modify-write a meta value in one transaction, so two tabs or the service worker checking triggers
   * at once cannot both advance the same window.
   */
  async updateMeta<K extends keyof QueueMeta>(key: K, update: (value: QueueMeta[K] | undefined) => QueueMeta[K]): Promise<{ before: QueueMeta[K] | undefined; after: QueueMeta[K] }> {
    const tx = this.db.transaction(META, 'readwrite');
    const before = metaValue(key, await tx.store.get(key));
    const after = update(before);
    await tx.store.put(after, key);
    await tx.done;
    return { before, after };
  }

  async getWorkflowRun(id: string): Promise<StoredWorkflowRun | undefined> {
    return this.db.get(WORKFLOW_RUNS, id);
  }

  async putWorkflowRun(run: StoredWorkflowRun): Promise<void> {
    await this.db.put(WORKFLOW_RUNS, run);
  }

  async workflowRuns(): Promise<StoredWorkflowRun[]> {
    return (await this.db.getAll(WORKFLOW_RUNS)).sort((a, b) => b.startedAt - a.startedAt);
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

function markKey(trigger: string): FireMarkKey {
  return `${MARK}${trigger}`;
}

/** The high-water marks among meta keys and values read over the `fireMark:` range, by trigger name. */
function marksOf(keys: QueueSchema['meta']['key'][], values: unknown[]): Record<string, number> {
  const marks: Record<string, number> = {};
  keys.forEach((k, i) => { const v = values[i]; if (isNumber(v)) marks[k.slice(MARK.length)] = v; });
  return marks;
}

function metaValue<K extends keyof QueueMeta>(key: K, value: unknown): QueueMeta[K] | undefined {
  return META_SHAPES[key](value) ? value : undefined;
}
