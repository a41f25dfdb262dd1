import { describe, expect, it } from 'vitest';
import { layoutTimeline, layoutWorkflow } from '../../../../src/app/schedules/layout';
import { newTriggerForm, schedulePreview, triggerFromForm } from '../../../../src/app/schedules/trigger-form';
import { clockBehindText, jobRunCause, nextFireText, runRows } from '../../../../src/app/schedules/runs';
import { notRetriedNote } from '../../../../src/app/jobs/run-notes';
import { NOT_RETRIED } from '../../../../src/scheduler/run-state';
import type { CrawlerRun, JobRun, Trigger } from '../../../../src/catalog';

describe('schedule helpers', () => {
  it('previews next fire times and explains bad expressions', () => {
    expect(schedulePreview('cron(30 6 ? * MON *)', new Date('2026-11-25T00:00:00Z'), 2)).toEqual({ times: ['2026-11-30 06:30 UTC', '2026-12-07 06:30 UTC'], error: null });
    expect(schedulePreview('cron(30 6 * * * *)', new Date()).error).toMatch(/Use \? in exactly one/);
  });

  it('builds Glue triggers from the form', () => {
    const built = triggerFromForm({ ...newTriggerForm(), name: 'after-crawl', type: 'CONDITIONAL', workflow: 'nightly', conditions: [{ target: 'crawler:raw', state: 'SUCCEEDED' }], actions: ['job:clean'] });
    expect(built).toEqual({ ok: true, trigger: {
      Name: 'after-crawl', Type: 'CONDITIONAL', WorkflowName: 'nightly', Schedule: undefined,
      Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw', CrawlState: 'SUCCEEDED' }] },
      Actions: [{ JobName: 'clean' }], Epoxy: { missedPolicy: 'run-once', enabled: true },
    } });
    expect(triggerFromForm({ ...newTriggerForm(), name: 'x', actions: [] })).toMatchObject({ ok: false, problem: { code: 'no-actions', message: expect.stringMatching(/at least one job or crawler/) } });
    expect(triggerFromForm({ ...newTriggerForm(), name: 'x', actions: ['job:a'], schedule: 'daily' })).toMatchObject({ ok: false, problem: { code: 'invalid-schedule', message: expect.stringMatching(/A schedule is cron/) } });
  });

  it('lays a DAG out left to right by depth', () => {
    const { nodes } = layoutWorkflow([['trigger:start', 'crawler:raw'], ['crawler:raw', 'trigger:t2'], ['trigger:t2', 'job:A'], ['trigger:start', 'job:B']]);
    const x = Object.fromEntries(nodes.map((n) => [n.node.id, n.x]));
    expect(x['trigger:start']! < x['crawler:raw']!).toBe(true);
    expect(x['crawler:raw']! < x['trigger:t2']!).toBe(true);
    expect(x['trigger:t2']! < x['job:A']!).toBe(true);
    expect(x['job:B']).toBe(x['crawler:raw']);
    expect(nodes.map((n) => [n.node.kind, n.node.label])).toEqual([['trigger', 'start'], ['crawler', 'raw'], ['trigger', 't2'], ['job', 'A'], ['job', 'B']]);
  });

  it('draws runs on a shared time axis, one lane each', () => {
    const t = layoutTimeline([
      { key: '1', lane: 'job:A', label: 'A', state: 'SUCCEEDED', start: 0, end: 50 },
      { key: '2', lane: 'job:B', label: 'B', state: 'RUNNING', start: 50, end: null },
    ], 100, 100);
    expect(t.lanes).toEqual(['job:A', 'job:B']);
    expect(t.bars.map((b) => [b.x, b.width, b.y])).toEqual([[0, 50, 0], [50, 50, 26]]);
  });
});

describe('the Schedules runs table and trigger list', () => {
  const jobRun = (id: string, at: string, extra: Partial<JobRun> = {}): JobRun => ({ Id: id, JobName: 'clean', JobRunState: 'SUCCEEDED', StartedOn: at, CompletedOn: at, ExecutionTime: 2, ...extra });
  const crawl = (id: string, at: string): CrawlerRun => ({ CrawlId: id, CrawlerName: 'raw', State: 'COMPLETED', StartTime: at, EndTime: new Date(Date.parse(at) + 3000).toISOString() });

  it('lists the crawls a trigger started next to the job runs, newest first (issue 15 #6: only job runs were listed)', () => {
    const rows = runRows([jobRun('jr_1', '2026-12-01T10:00:00.000Z')], [crawl('cr_1', '2026-12-01T10:01:00.000Z'), crawl('cr_2', '2026-12-01T09:59:00.000Z'), crawl('cr_3', '2026-12-01T10:02:00.000Z')]);
    expect(rows.map((r) => `${r.kind} ${r.id} ${r.state}`)).toEqual(['crawler cr_3 COMPLETED', 'crawler cr_1 COMPLETED', 'job jr_1 SUCCEEDED', 'crawler cr_2 COMPLETED']);
    expect(rows[0]).toMatchObject({ name: 'raw', started: '2026-12-01 10:02:00', duration: '3 s' });
    expect(runRows([], Array.from({ length: 30 }, (_, i) => crawl(`c${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString())))).toHaveLength(20);
  });

  it('says a run was a catch-up of fires missed while closed, and which trigger started it', () => {
    expect(jobRunCause(jobRun('a', '2026-12-01T10:00:00Z', { TriggerName: 'every-minute', Arguments: { missedRuns: '1' } }))).toBe('trigger every-minute · catch-up: one run for 1 fire missed while Epoxy was closed');
    expect(jobRunCause(jobRun('b', '2026-12-01T10:00:00Z', { TriggerName: 'nightly' }))).toBe('trigger nightly');
    expect(jobRunCause(jobRun('c', '2026-12-01T10:00:00Z'))).toBe('');
  });

  it('shows no next fire time for a disabled trigger (issue 15 #12: a disabled trigger showed when it would fire next)', () => {
    const t: Trigger = { Name: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'clean' }], Epoxy: { enabled: true } };
    const now = new Date('2026-12-01T10:00:00Z');
    expect(nextFireText(t, now)).toBe('next 2026-12-02 02:00 UTC');
    expect(nextFireText({ ...t, Epoxy: { enabled: false } }, now)).toBe('disabled: no next fire');
    expect(nextFireText({ ...t, Type: 'ON_DEMAND', Schedule: undefined }, now)).toBeNull();
  });
});

describe('runs that were not retried (issue 15 #5)', () => {
  it('says why a failed run with retries left was not retried, from the scheduler record or the Jobs view log', () => {
    const base: JobRun = { Id: 'jr_1', JobName: 'cast', JobRunState: 'FAILED', StartedOn: '2026-12-01T10:00:00Z', ErrorMessage: "Conversion Error: Could not convert string 'abc' to INT32" };
    expect(notRetriedNote({ ...base, Epoxy: { notRetried: NOT_RETRIED } })).toBe(NOT_RETRIED);
    expect(notRetriedNote(base)).toBeNull();
    expect(runRows([{ ...base, Epoxy: { notRetried: NOT_RETRIED } }], [])[0]!.note).toBe(NOT_RETRIED);
  });

  it('says when this tab\'s clock is behind the scheduler\'s window (issue 16: fires then wait, so none runs twice)', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(clockBehindText(undefined, now)).toBeNull();
    expect(clockBehindText(now + 5_000, now)).toBeNull(); // tabs check a few seconds apart
    expect(clockBehindText(now + 5 * 60_000, now)).toBe("This tab's clock is 5 min behind the last time the schedules were checked (2026-11-25 10:05:00 UTC, by this or another tab): scheduled fires wait until the clock catches up, so that none runs twice. Check the computer's clock if it is wrong.");
    expect(clockBehindText(now + 400 * 86_400_000, now)).toContain('400 days behind');
  });
});
