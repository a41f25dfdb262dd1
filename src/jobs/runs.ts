/**
 * Job runs as Glue records them: a JobRun per attempt (STARTING, RUNNING, then a terminal state) in the
 * catalog, MaxRetries as new attempts, Timeout, MaxConcurrentRuns, and the bookmark advanced on success.
 */
import type { Catalog } from '../catalog/store';
import type { JobRun } from '../catalog/glue-types';
import { advanceBookmark } from './bookmarks';
import { DEFAULT_TIMEOUT_MINUTES, type JobDefinition } from './model';
import { bookmarkOption, executeJob, type JobRunEnv, type JobRunResult, type RunOptions } from './run';
import { loadBookmark, loadJob } from './store';
import { isTransientFailure, NOT_RETRIED, retryDelayMs } from '../scheduler/run-state';

const ACTIVE: JobRun['JobRunState'][] = ['STARTING', 'RUNNING', 'STOPPING', 'WAITING'];
/** Runs going on in this tab (or process); others in an active state must show a recent heartbeat. */
const local = new Set<string>();
const HEARTBEAT_MS = 30_000;
const STALE_MS = 4 * HEARTBEAT_MS;

type Locks = { query(): Promise<{ held?: { name?: string }[] }>; request(name: string, cb: () => Promise<void>): Promise<void> };
const locks = (): Locks | null => (globalThis as unknown as { navigator?: { locks?: Locks } }).navigator?.locks ?? null;

/** Names of the Web Locks held in this origin (null where there are none: Node). */
async function heldLocks(): Promise<Set<string> | null> {
  const l = locks();
  if (!l) return null;
  const state = await l.query().catch(() => null);
  return state ? new Set((state.held ?? []).map((h) => h.name ?? '')) : null;
}

/** Hold a Web Lock until the returned function is called. */
function holdLock(name: string): Promise<() => void> {
  return new Promise((resolve) => {
    void locks()!.request(name, () => new Promise<void>((release) => resolve(release))).catch(() => resolve(() => undefined));
  });
}

/** A Glue-style run id: `jr_` and 64 hex digits. */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return 'jr_' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The metrics of a run as kept in `JobRun.Epoxy` (no output bytes: the catalog is not a file store). */
export function runSummary(result: JobRunResult): Record<string, unknown> {
  return {
    rowsRead: result.rowsRead, rowsWritten: result.rowsWritten, bytesRead: result.bytesRead, bytesWritten: result.bytesWritten,
    durationMs: result.durationMs, nodes: result.nodes, log: result.log.slice(-500),
    outputs: result.outputs.map(({ download: _d, ...o }) => o), ...(result.failedNode ? { failedNode: result.failedNode } : {}),
    ...(result.column ? { column: result.column } : {}),
  };
}

export interface StartRunOptions extends Omit<RunOptions, 'bookmark' | 'signal' | 'commit' | 'runId'> {
  signal?: AbortSignal;
  /** Called whenever the run record changes (a live runs view). */
  onRun?: (run: JobRun) => void;
  now?: () => Date;
  runId?: string;
  /** A definition to run instead of the stored one (the editor's unsaved state); it must be saved under the same name. */
  definition?: JobDefinition;
  /** Wait before a retry (tests make it instant); by default a timer that a stop interrupts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter for the retry delay (tests pin it). */
  random?: () => number;
  /**
   * Called right after the commit that makes a successful run's outputs current, before what they replace
   * is removed: the CLI writes its catalog file here, so the file never names an output already deleted.
   */
  persist?: () => Promise<void>;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Run a stored job the way StartJobRun does: refuses when MaxConcurrentRuns runs are active, records every
 * state of every attempt in the catalog, retries a FAILED/ERROR attempt up to MaxRetries times as a new
 * attempt (PreviousRunId links them), enforces Timeout (minutes), and moves the bookmark only on success.
 * Returns the last attempt's record and result.
 */
export async function startJobRun(catalog: Catalog, jobName: string, env: JobRunEnv, opts: StartRunOptions = {}): Promise<{ run: JobRun; result: JobRunResult }> {
  const def = opts.definition ?? await loadJob(catalog, jobName);
  const now = opts.now ?? (() => new Date());
  const limit = def.maxConcurrentRuns ?? 1;
  const timeoutMin = def.timeout ?? DEFAULT_TIMEOUT_MINUTES;
  const unfinished = (await catalog.getJobRuns(jobName)).filter((r) => ACTIVE.includes(r.JobRunState));
  const held = await heldLocks();
  // A run that holds a Web Lock is alive exactly while its lock is held (the browser frees it when the tab dies);
  // other runs (Node, older tabs) by their heartbeat.
  const alive = (r: JobRun) => {
    if (local.has(r.Id)) return true;
    const lock = r.Epoxy?.['liveLock'];
    if (held && typeof lock === 'string') return held.has(lock);
    return now().getTime() - Date.parse(r.LastModifiedOn ?? r.StartedOn ?? '') < STALE_MS;
  };
  // A run whose tab was closed never finishes by itself: without a heartbeat it would block the job forever.
  const abandoned = unfinished.filter((r) => !alive(r));
  if (abandoned.length) {
    const at = now().toISOString();
    await catalog.commit(abandoned.map((r) => ({ op: 'putJobRun' as const, run: { ...r, JobRunState: 'FAILED' as const, CompletedOn: at, LastModifiedOn: at, ErrorMessage: 'the tab was closed while the run was in progress' } })));
  }
  const active = unfinished.filter(alive);
  if (active.length >= limit) throw new Error(`ConcurrentRunsExceededException: ${jobName} already has ${active.length} run${active.length === 1 ? '' : 's'} in progress (MaxConcurrentRuns ${limit})`);
  const firstId = opts.runId ?? newRunId();
  const attempts = (def.maxRetries ?? 0) + 1;
  let previous: JobRun | null = null;
  for (let attempt = 0; ; attempt++) {
    const startedOn = now();
    let run: JobRun = {
      Id: attempt === 0 ? firstId : `${firstId}_attempt_${attempt}`, JobName: jobName, Attempt: attempt, JobRunState: 'STARTING',
      StartedOn: startedOn.toISOString(), LastModifiedOn: startedOn.toISOString(), Arguments: opts.arguments ?? {}, Timeout: timeoutMin,
      ...(previous ? { PreviousRunId: previous.Id } : {}),
    };
    const put = async (patch: Partial<JobRun>) => {
      run = { ...run, ...patch, LastModifiedOn: now().toISOString() };
      await catalog.commit([{ op: 'putJobRun', run }]);
      opts.onRun?.(run);
    };
    const liveLock = held ? `epoxy-jobrun:${run.Id}` : null;
    const releaseLock = liveLock ? await holdLock(liveLock) : () => undefined;
    if (liveLock) run = { ...run, Epoxy: { liveLock } };
    let result!: JobRunResult;
    let retry = false;
    try {
      await put({});
      local.add(run.Id);
      const heartbeat = setInterval(() => { void put({}).catch(() => undefined); }, HEARTBEAT_MS);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMin} min`, 'TimeoutError')), timeoutMin * 60_000);
      const onStop = () => {
        controller.abort(opts.signal?.reason ?? new Error('stopped'));
        void put({ JobRunState: 'STOPPING' }).catch(() => undefined);
      };
      if (opts.signal?.aborted) onStop();
      else opts.signal?.addEventListener('abort', onStop, { once: true });
      const bookmark = await loadBookmark(catalog, jobName);
      await put({ JobRunState: 'RUNNING' });
      const option = bookmarkOption(def, opts.arguments);
      const finalOf = (result: JobRunResult): Partial<JobRun> => {
        const completed = now();
        return {
          JobRunState: result.state, CompletedOn: completed.toISOString(), LastModifiedOn: completed.toISOString(),
          ExecutionTime: Math.max(0, Math.round((completed.getTime() - startedOn.getTime()) / 1000)),
          Epoxy: runSummary(result), ...(result.error ? { ErrorMessage: result.error } : {}),
        };
      };
      let committed = false;
      try {
        result = await executeJob(def, env, {
          ...opts, bookmark, signal: controller.signal, runId: run.Id,
          // The output tables, the SUCCEEDED record and the bookmark are one transaction: a run is SUCCEEDED
          // exactly when its outputs are registered and its bookmark moved, never one without the others.
          commit: async (changes, r) => {
            // No heartbeat may land after this commit and write the run back as RUNNING.
            clearInterval(heartbeat);
            const succeeded: JobRun = { ...run, ...finalOf(r) };
            await catalog.commit([
              ...changes,
              ...(option === 'job-bookmark-enable' ? [{ op: 'setJobBookmark' as const, jobName, bookmark: advanceBookmark(option, bookmark, run.Id, r.processed) }] : []),
              { op: 'putJobRun', run: succeeded },
            ]);
            committed = true;
            run = succeeded;
            await opts.persist?.();
          },
        });
      } finally {
        clearTimeout(timer);
        clearInterval(heartbeat);
        opts.signal?.removeEventListener('abort', onStop);
      }
      const failed = result.state === 'FAILED' || result.state === 'ERROR';
      // Only a transient failure (network, 5xx, a killed worker, input not landed yet) is worth another attempt,
      // after a backoff: a bad cast fails the same way every time, and three attempts in one second help nobody.
      retry = failed && attempt + 1 < attempts && !opts.signal?.aborted && isTransientFailure(result.error ?? '');
      const notRetried = failed && attempt + 1 < attempts && !retry && !opts.signal?.aborted;
      if (notRetried) result.log.push({ atMs: result.durationMs, level: 'info', message: NOT_RETRIED });
      if (committed && result.state === 'SUCCEEDED') {
        // Written with the outputs; only the summary gains what the run logged after its commit.
        run = { ...run, Epoxy: runSummary(result) };
        await catalog.commit([{ op: 'putJobRun', run }]).catch(() => undefined);
        opts.onRun?.(run);
      } else {
        const final = finalOf(result);
        // Recorded on the run as the scheduler records it, so every view reads one field.
        await put(notRetried ? { ...final, Epoxy: { ...final.Epoxy, notRetried: NOT_RETRIED } } : final);
      }
      local.delete(run.Id);
    } finally {
      releaseLock();
    }
    if (retry) {
      await (opts.sleep ?? abortableSleep)(retryDelayMs(attempt + 1, 1000, 5 * 60_000, opts.random), opts.signal);
      if (opts.signal?.aborted) return { run, result };
      previous = run;
      continue;
    }
    return { run, result };
  }
}

/** What the scheduler's executor expects back from a runner. */
export interface SchedulerOutcome {
  state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED' | 'ERROR';
  error?: string;
  metrics?: Record<string, unknown>;
}

/**
 * A runner for the scheduler's executor: `run(item, signal)`. The executor records states, retries and
 * timeouts itself, so this runs one attempt and moves the bookmark on success; `metrics` (the same summary a
 * manual run stores in JobRun.Epoxy) is for its record.
 */
export function schedulerJobRunner(catalog: Catalog, env: JobRunEnv): (item: { name: string; runId: string; arguments?: Record<string, string> }, signal: AbortSignal) => Promise<SchedulerOutcome> {
  return async (item, signal) => {
    local.add(item.runId);
    try {
      return await runOnce(item, signal);
    } finally {
      local.delete(item.runId);
    }
  };
  async function runOnce(item: { name: string; runId: string; arguments?: Record<string, string> }, signal: AbortSignal): Promise<SchedulerOutcome> {
    const def = await loadJob(catalog, item.name);
    const bookmark = await loadBookmark(catalog, item.name);
    const option = bookmarkOption(def, item.arguments);
    const result = await executeJob(def, env, {
      arguments: item.arguments ?? {}, bookmark, signal, runId: item.runId,
      // The executor records the run's states itself; the SUCCEEDED record goes here too, in the one
      // transaction with the output tables and the bookmark, so a tab dying after it cannot leave a moved
      // bookmark on a run recorded as anything else, nor outputs no record accounts for.
      commit: async (changes, r) => {
        const prior = (await catalog.getJobRuns(item.name)).find((x) => x.Id === item.runId);
        const at = new Date();
        const started = prior?.StartedOn ?? new Date(at.getTime() - r.durationMs).toISOString();
        const run: JobRun = {
          ...(prior ?? {}), Id: item.runId, JobName: item.name, StartedOn: started, JobRunState: 'SUCCEEDED', CompletedOn: at.toISOString(), LastModifiedOn: at.toISOString(),
          ExecutionTime: Math.max(0, Math.round((at.getTime() - Date.parse(started)) / 1000)), ...(item.arguments ? { Arguments: item.arguments } : {}),
          Epoxy: { ...(prior?.Epoxy ?? {}), metrics: runSummary(r) },
        };
        await catalog.commit([
          ...changes,
          ...(option === 'job-bookmark-enable' ? [{ op: 'setJobBookmark' as const, jobName: item.name, bookmark: advanceBookmark(option, bookmark, item.runId, r.processed) }] : []),
          { op: 'putJobRun', run },
        ]);
      },
    });
    return { state: result.state, ...(result.error ? { error: result.error } : {}), metrics: runSummary(result) };
  }
}
