/** One worker of a pool: runs a job, and can be killed (a hung or crashed worker is replaced). */
export interface PoolWorker<TJob, TResult> {
  run(job: TJob): Promise<TResult>;
  terminate(): void;
}

/** Progress of a pool run, for "files, bytes, ETA" displays. */
export interface PoolProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
  /** Estimated remaining time from the byte rate so far; null until something is done. */
  etaMs: number | null;
}

/** What happened to one job. */
export type JobOutcome<TJob, TResult> =
  | { job: TJob; ok: true; result: TResult }
  | { job: TJob; ok: false; /** The reason alone: the job (its path) is beside it, never repeated inside. */ error: string };

export interface PoolOptions<TJob> {
  size: number;
  /** A job running longer than this is abandoned and its worker replaced. */
  jobTimeoutMs: number;
  sizeOf: (job: TJob) => number;
  nameOf: (job: TJob) => string;
  signal?: AbortSignal;
  onProgress?: (p: PoolProgress) => void;
  now?: () => number;
}

/** Thrown when a pool run was cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Run jobs on a pool of workers. A job that throws, times out, or takes its worker down is reported as a
 * failed outcome and the worker is replaced, so one bad file never stops the rest. Outcomes keep job order.
 */
export async function runPool<TJob, TResult>(
  jobs: readonly TJob[],
  spawn: () => PoolWorker<TJob, TResult>,
  options: PoolOptions<TJob>,
): Promise<JobOutcome<TJob, TResult>[]> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const outcomes = new Array<JobOutcome<TJob, TResult>>(jobs.length);
  const bytesTotal = jobs.reduce((n, j) => n + options.sizeOf(j), 0);
  let next = 0;
  let done = 0;
  let bytesDone = 0;
  const live = new Set<PoolWorker<TJob, TResult>>();
  const report = () => {
    const elapsedMs = now() - started;
    const rate = bytesDone > 0 ? bytesDone / elapsedMs : done > 0 ? done / elapsedMs : 0;
    const remaining = bytesDone > 0 ? bytesTotal - bytesDone : jobs.length - done;
    options.onProgress?.({ done, total: jobs.length, bytesDone, bytesTotal, elapsedMs, etaMs: rate > 0 ? remaining / rate : null });
  };
  const abort = () => { for (const w of live) w.terminate(); live.clear(); };
  options.signal?.addEventListener('abort', abort, { once: true });

  const lane = async () => {
    let worker = spawn();
    live.add(worker);
    while (next < jobs.length) {
      if (options.signal?.aborted) throw new CancelledError();
      const index = next++;
      const job = jobs[index]!;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new JobTimeout(options.jobTimeoutMs)), options.jobTimeoutMs);
      });
      try {
        outcomes[index] = { job, ok: true, result: await Promise.race([worker.run(job), timeout]) };
      } catch (err) {
        if (options.signal?.aborted) throw new CancelledError();
        outcomes[index] = { job, ok: false, error: describeFailure(err, options.nameOf(job)) };
        // The worker may be wedged or dead: never give it another job.
        worker.terminate();
        live.delete(worker);
        worker = spawn();
        live.add(worker);
      } finally {
        clearTimeout(timer);
      }
      done++;
      bytesDone += options.sizeOf(job);
      report();
    }
    worker.terminate();
    live.delete(worker);
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.size, jobs.length)) }, lane));
  } finally {
    options.signal?.removeEventListener('abort', abort);
    abort();
  }
  if (options.signal?.aborted) throw new CancelledError();
  return outcomes;
}

class JobTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`);
  }
}

/**
 * What went wrong, without the job's name: the outcome carries its job, and every reader of a failure (the crawl
 * report, the UI, `epoxy crawl`) puts the path in front itself. Prefixing it here too printed it twice
 * ("t2/data.csv: t2/data.csv: the worker crashed"); a message that already starts with the name loses it.
 */
export function describeFailure(err: unknown, name: string): string {
  if (err instanceof JobTimeout) return `${err.message} (the worker was replaced)`;
  const message = err instanceof Error ? err.message : typeof err === 'object' && err && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  const named = `${name}: `;
  return message.startsWith(named) && message.length > named.length ? message.slice(named.length) : message;
}
