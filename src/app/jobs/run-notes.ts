import type { JobRun } from '../../catalog';
import type { LogLine } from '../../jobs/run';

/**
 * Why a failed run was not retried although the job has MaxRetries left, if it says so: the scheduler records
 * it on the run, a run from the Jobs view logs it.
 */
export function notRetriedNote(r: JobRun): string | null {
  const recorded = r.Epoxy?.['notRetried'];
  if (typeof recorded === 'string') return recorded;
  const log = (r.Epoxy?.['log'] ?? []) as LogLine[];
  return log.find((l) => typeof l.message === 'string' && l.message.startsWith('not retried:'))?.message ?? null;
}
