import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../../src/catalog';
import { asWorkflowTrigger } from '../../../src/scheduler/dispatcher';
import { checkTriggerSave, triggerFromInput, triggerInputOf, workflowsOf, type TriggerInput } from '../../../src/scheduler/trigger-input';

const input = (patch: Partial<TriggerInput> = {}): TriggerInput => ({
  name: 'nightly', type: 'SCHEDULED', workflow: '', schedule: 'cron(0 2 * * ? *)', logical: 'AND', conditions: [],
  actions: [{ kind: 'job', name: 'clean' }], missedPolicy: 'run-once', enabled: true, ...patch,
});

const conditional = (name: string, watch: string, start: string, workflow = 'wf'): Trigger => ({
  Name: name, Type: 'CONDITIONAL', WorkflowName: workflow,
  Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: watch, State: 'SUCCEEDED' }] }, Actions: [{ JobName: start }],
});

describe('a trigger from plain values', () => {
  it('maps jobs and crawlers to Glue conditions and actions (crawls have CrawlState, runs State)', () => {
    const built = triggerFromInput(input({
      name: ' after ', type: 'CONDITIONAL', workflow: ' wf ', logical: 'ANY',
      conditions: [{ target: { kind: 'crawler', name: 'raw' }, state: 'FAILED' }, { target: { kind: 'job', name: 'load' }, state: 'SUCCEEDED' }],
      actions: [{ kind: 'crawler', name: 'raw2' }, { kind: 'job', name: 'clean' }], missedPolicy: 'skip', enabled: false,
    }));
    expect(built).toEqual({ ok: true, trigger: {
      Name: 'after', Type: 'CONDITIONAL', WorkflowName: 'wf', Schedule: undefined,
      Predicate: { Logical: 'ANY', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw', CrawlState: 'FAILED' }, { LogicalOperator: 'EQUALS', JobName: 'load', State: 'SUCCEEDED' }] },
      Actions: [{ CrawlerName: 'raw2' }, { JobName: 'clean' }], Epoxy: { missedPolicy: 'skip', enabled: false },
    } });
  });

  it('reads a stored trigger back into the same values', () => {
    const stored: Trigger = { Name: 'n', Type: 'SCHEDULED', Schedule: 'rate(5 minutes)', WorkflowName: 'wf', Actions: [{ JobName: 'a', Arguments: { '--x': '1' } }, { CrawlerName: 'c' }], Epoxy: { missedPolicy: 'skip' } };
    const values = triggerInputOf(stored);
    expect(values).toEqual({ name: 'n', type: 'SCHEDULED', workflow: 'wf', schedule: 'rate(5 minutes)', logical: 'AND', conditions: [], actions: [{ kind: 'job', name: 'a' }, { kind: 'crawler', name: 'c' }], missedPolicy: 'skip', enabled: true });
    // What the values do not carry (action arguments) is kept from the stored trigger.
    expect(triggerFromInput(values, stored)).toMatchObject({ ok: true, trigger: { Actions: [{ JobName: 'a', Arguments: { '--x': '1' } }, { CrawlerName: 'c' }] } });
    expect(triggerInputOf({ Name: 'e', Type: 'EVENT', Actions: [] }).type).toBe('ON_DEMAND');
  });

  it('refuses with a typed problem: a bad name, nothing to start, a bad schedule, a condition-less conditional', () => {
    expect(triggerFromInput(input({ name: 'a b' }))).toMatchObject({ ok: false, problem: { code: 'invalid-name' } });
    expect(triggerFromInput(input({ actions: [] }))).toMatchObject({ ok: false, problem: { code: 'no-actions' } });
    expect(triggerFromInput(input({ schedule: 'cron(0 2 * * * *)' }))).toMatchObject({ ok: false, problem: { code: 'invalid-schedule', message: expect.stringMatching(/Use \? in exactly one/) } });
    expect(triggerFromInput(input({ type: 'CONDITIONAL' }))).toMatchObject({ ok: false, problem: { code: 'no-conditions' } });
    // A schedule only matters to a scheduled trigger.
    expect(triggerFromInput(input({ type: 'ON_DEMAND', schedule: 'daily' }))).toMatchObject({ ok: true, trigger: { Schedule: undefined } });
  });
});

describe('saving a trigger among the stored ones', () => {
  const stored = [conditional('t1', 'B', 'A'), conditional('elsewhere', 'A', 'B', 'other')];

  it('refuses a trigger closing a loop in its workflow, with the loop (not a message to match)', () => {
    const problem = checkTriggerSave(conditional('t2', 'A', 'B'), stored, null);
    expect(problem).toEqual({ code: 'cycle', cycle: ['trigger:t1', 'job:A', 'trigger:t2', 'job:B', 'trigger:t1'], message: 'The workflow has a cycle: trigger:t1 -> job:A -> trigger:t2 -> job:B -> trigger:t1' });
    // The same edges in another workflow, or no workflow, close no loop.
    expect(checkTriggerSave(conditional('t2', 'A', 'B', 'third'), stored, null)).toBeNull();
    expect(checkTriggerSave({ ...conditional('t2', 'A', 'B'), WorkflowName: undefined }, stored, null)).toBeNull();
  });

  it('checks an edited trigger against the others, not against its own stored version', () => {
    // t1 edited to watch C instead of B: the stored t1 must not count as a second, looping trigger.
    expect(checkTriggerSave(conditional('t1', 'C', 'A'), [...stored, conditional('t2', 'A', 'B')], 't1')).toBeNull();
  });

  it('refuses renaming a trigger being edited', () => {
    expect(checkTriggerSave(conditional('t1b', 'C', 'A'), stored, 't1')).toMatchObject({ code: 'renamed' });
  });
});

describe('workflows of the stored triggers', () => {
  it('groups triggers by workflow, sorted, with edges and problems; standalone triggers are in none', () => {
    const start: Trigger = { Name: 'start', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', WorkflowName: 'wf', Actions: [{ JobName: 'B' }] };
    const views = workflowsOf([conditional('t1', 'B', 'A'), start, conditional('x', 'A', 'B', 'another'), { ...start, Name: 'alone', WorkflowName: undefined }]);
    expect(views.map((w) => [w.name, w.triggers.map((t) => t.Name)])).toEqual([['another', ['x']], ['wf', ['t1', 'start']]]);
    expect(views[1]!.edges).toEqual([['trigger:t1', 'job:A'], ['job:B', 'trigger:t1'], ['trigger:start', 'job:B']]);
    expect(views[1]!.problems).toEqual([]);
    expect(workflowsOf([conditional('t1', 'B', 'A'), conditional('t2', 'A', 'B')])[0]!.problems).toEqual(['The workflow has a cycle: trigger:t1 -> job:A -> trigger:t2 -> job:B -> trigger:t1']);
  });

  it('reads an EVENT trigger as on demand and keeps action arguments for the dispatcher', () => {
    expect(asWorkflowTrigger({ Name: 'e', Type: 'EVENT', Actions: [{ JobName: 'a', Arguments: { '--d': '1' } }, { CrawlerName: 'c' }] })).toEqual({
      Name: 'e', Type: 'ON_DEMAND', Schedule: undefined, Predicate: undefined, Actions: [{ JobName: 'a', Arguments: { '--d': '1' } }, { CrawlerName: 'c' }],
    });
  });
});
