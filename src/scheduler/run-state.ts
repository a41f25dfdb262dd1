/** Glue's job run states. */
export type RunState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ERROR' | 'WAITING';

/** Crawler run states (Glue's crawl states). */
export type CrawlState = 'RUNNING' | 'CANCELLING' | 'CANCELLED' | 'SUCCEEDED' | 'FAILED' | 'ERROR';

const TRANSITIONS: Record<RunState, RunState[]> = {
  WAITING: ['STARTING', 'STOPPED', 'ERROR'],
  STARTING: ['RUNNING', 'STOPPING', 'FAILED', 'ERROR', 'TIMEOUT'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPING', 'ERROR'],
  STOPPING: ['STOPPED', 'FAILED', 'ERROR', 'SUCCEEDED'],
  STOPPED: [],
  SUCCEEDED: [],
  FAILED: [],
  TIMEOUT: [],
  ERROR: [],
};

/** Whether a run in this state is finished (no transition leaves it). */
export function isTerminal(state: RunState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** Move a run to a new state; an illegal move (e.g. SUCCEEDED -> RUNNING) is a bug and throws. */
export function transition(from: RunState, to: RunState): RunState {
  if (!TRANSITIONS[from].includes(to)) throw new Error(`A run cannot go from ${from} to ${to}`);
  return to;
}

/** Why a failed attempt with retries left is not retried (the run record and the run log say the same). */
export const NOT_RETRIED = 'not retried: the failure is in the job itself and would happen again the same way (MaxRetries applies to network, service and engine failures)';

/** Classify a failure: transient ones (network, 5xx, timeouts, a killed tab) are worth a retry; bad SQL is not. */
export function isTransientFailure(message: string): boolean {
  if (/syntax error|Binder Error|Parser Error|Catalog Error|Conversion Error|does not exist|not found|Invalid Input|validation/i.test(message)) return false;
  // A missing input folder is data that has not landed yet: worth another attempt, as Glue retries it.
  return /network|fetch|timed? ?out|ECONNRESET|ECONNREFUSED|socket|503|502|504|500|429|abandoned|tab was closed|worker (crashed|terminated)|quota|no such file/i.test(message);
}

/** Delay before attempt `attempt` (1-based retry number): exponential with full jitter, capped. */
export function retryDelayMs(attempt: number, baseMs = 1000, maxMs = 5 * 60_000, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
}
