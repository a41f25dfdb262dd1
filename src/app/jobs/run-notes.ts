import type { JobRun } from '../../catalog';

/**
 * Why a failed run was not retried although the job has MaxRetries left, if it was: the scheduler and a run
 * from the Jobs view both record it on the run.
 */
export function notRetriedNote(r: JobRun): string | null {
  const recorded = r.Epoxy?.['notRetried'];
  return typeof recorded === 'string' ? recorded : null;
}
