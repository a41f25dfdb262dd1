import type { CrawlerRun, JobRun, Trigger } from '../../catalog';
import { notRetriedNote } from '../jobs/run-notes';
import { schedulePreview } from './trigger-form';

/** One row of the Schedules runs table: a job run or a crawl, in the same columns. */
export interface RunRow {
  key: string;
  kind: 'job' | 'crawler';
  name: string;
  id: string;
  /** Glue's state: a job run's JobRunState, a crawl's State. */
  state: string;
  started: string;
  duration: string;
  /** What started it: a trigger, a catch-up of missed fires. */
  cause: string;
  error: string;
  /** Why a failure with retries left was not retried. */
  note: string | null;
}

const seconds = (start?: string, end?: string) => {
  const ms = Date.parse(end ?? '') - Date.parse(start ?? '');
  return Number.isFinite(ms) ? `${Math.max(0, Math.round(ms / 1000))} s` : '';
};

/** Why a job run ran, in words: the trigger, and whether it stood for fires missed while Epoxy was closed. */
export function jobRunCause(r: JobRun): string {
  const missed = Number(r.Arguments?.['missedRuns'] ?? 0);
  const parts: string[] = [];
  if (r.TriggerName) parts.push(`trigger ${r.TriggerName}`);
  if (missed > 0) parts.push(`catch-up: one run for ${missed} fire${missed === 1 ? '' : 's'} missed while Epoxy was closed`);
  if ((r.Attempt ?? 0) > 0) parts.push(`retry ${r.Attempt} of ${r.PreviousRunId ?? 'an earlier attempt'}`);
  return parts.join(' · ');
}

/**
 * The runs table of the Schedules view: job runs and crawls together (a conditional trigger that starts a
 * crawler shows its crawls here too, not only on the timeline), newest first.
 */
export function runRows(jobRuns: JobRun[], crawlerRuns: CrawlerRun[], limit = 20): RunRow[] {
  const rows: (RunRow & { at: string })[] = [
    ...jobRuns.map((r) => ({
      key: `job:${r.Id}`, kind: 'job' as const, name: r.JobName, id: r.Id, state: r.JobRunState, at: r.StartedOn ?? '',
      started: (r.StartedOn ?? '').replace('T', ' ').slice(0, 19),
      duration: r.ExecutionTime !== undefined ? `${r.ExecutionTime} s` : seconds(r.StartedOn, r.CompletedOn),
      cause: jobRunCause(r), error: r.ErrorMessage ?? '', note: notRetriedNote(r),
    })),
    ...crawlerRuns.map((r) => ({
      key: `crawler:${r.CrawlId}`, kind: 'crawler' as const, name: r.CrawlerName, id: r.CrawlId, state: r.State, at: r.StartTime ?? '',
      started: (r.StartTime ?? '').replace('T', ' ').slice(0, 19), duration: seconds(r.StartTime, r.EndTime),
      cause: '', error: r.ErrorMessage ?? '', note: null,
    })),
  ];
  return rows.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit).map(({ at: _at, ...row }) => row);
}

/**
 * What the trigger list says about a trigger's next fire: the time for an enabled scheduled trigger, that it
 * will not fire for a disabled one (it used to show a next fire time it would never keep), nothing otherwise.
 */
export function nextFireText(t: Trigger, now: Date): string | null {
  if (t.Type !== 'SCHEDULED' || !t.Schedule) return null;
  if (t.Epoxy?.['enabled'] === false) return 'disabled: no next fire';
  const preview = schedulePreview(t.Schedule, now, 1);
  return preview.error ? preview.error : `next ${preview.times[0] ?? '—'}`;
}

/**
 * What the Schedules view says when the scheduler's window is ahead of this tab's clock (the clock was set
 * back, or another tab's clock runs ahead): scheduled fires wait until the clock catches up, so that none
 * runs twice. Null when the gap is within a minute (tabs check a few seconds apart).
 */
export function clockBehindText(lastCheck: number | undefined, now: number): string | null {
  if (lastCheck === undefined || lastCheck - now < 60_000) return null;
  const ms = lastCheck - now;
  const gap = ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : ms < 172_800_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 86_400_000)} days`;
  return `This tab's clock is ${gap} behind the last time the schedules were checked (${new Date(lastCheck).toISOString().replace('T', ' ').slice(0, 19)} UTC, by this or another tab): scheduled fires wait until the clock catches up, so that none runs twice. Check the computer's clock if it is wrong.`;
}
