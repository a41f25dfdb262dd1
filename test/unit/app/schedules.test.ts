import { describe, expect, it } from 'vitest';
import { layoutDag, layoutTimeline } from '../../../src/app/schedules/layout';
import { newTriggerForm, schedulePreview, triggerFromForm } from '../../../src/app/schedules/trigger-form';

describe('schedule helpers', () => {
  it('previews next fire times and explains bad expressions', () => {
    expect(schedulePreview('cron(30 6 ? * MON *)', new Date('2026-11-25T00:00:00Z'), 2)).toEqual({ times: ['2026-11-30 06:30 UTC', '2026-12-07 06:30 UTC'], error: null });
    expect(schedulePreview('cron(30 6 * * * *)', new Date()).error).toMatch(/Use \? in exactly one/);
  });

  it('builds Glue triggers from the form', () => {
    const { trigger } = triggerFromForm({ ...newTriggerForm(), name: 'after-crawl', type: 'CONDITIONAL', workflow: 'nightly', conditions: [{ target: 'crawler:raw', state: 'SUCCEEDED' }], actions: ['job:clean'] });
    expect(trigger).toEqual({
      Name: 'after-crawl', Type: 'CONDITIONAL', WorkflowName: 'nightly', Schedule: undefined,
      Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw', CrawlState: 'SUCCEEDED' }] },
      Actions: [{ JobName: 'clean' }], Epoxy: { missedPolicy: 'run-once', enabled: true },
    });
    expect(triggerFromForm({ ...newTriggerForm(), name: 'x', actions: [] }).error).toMatch(/at least one job or crawler/);
    expect(triggerFromForm({ ...newTriggerForm(), name: 'x', actions: ['job:a'], schedule: 'daily' }).error).toMatch(/A schedule is cron/);
  });

  it('lays a DAG out left to right by depth', () => {
    const { nodes } = layoutDag([['trigger:start', 'crawler:raw'], ['crawler:raw', 'trigger:t2'], ['trigger:t2', 'job:A'], ['trigger:start', 'job:B']]);
    const x = Object.fromEntries(nodes.map((n) => [n.id, n.x]));
    expect(x['trigger:start']! < x['crawler:raw']!).toBe(true);
    expect(x['crawler:raw']! < x['trigger:t2']!).toBe(true);
    expect(x['trigger:t2']! < x['job:A']!).toBe(true);
    expect(x['job:B']).toBe(x['crawler:raw']);
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
