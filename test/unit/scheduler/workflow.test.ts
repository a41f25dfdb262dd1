import { describe, expect, it } from 'vitest';
import { evaluatePredicate } from '../../../src/scheduler/predicate';
import { isTerminal, isTransientFailure, retryDelayMs, transition } from '../../../src/scheduler/run-state';
import { findCycle, isWorkflowComplete, resumePlan, triggersToFire, validateWorkflow, type WorkflowRunState, type WorkflowTrigger } from '../../../src/scheduler/workflow';

// crawler -> job A -> job B, with a failure branch that notifies.
const workflow: WorkflowTrigger[] = [
  { Name: 'start', Type: 'ON_DEMAND', Actions: [{ CrawlerName: 'raw' }] },
  { Name: 'after-crawl', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw', CrawlState: 'SUCCEEDED' }] }, Actions: [{ JobName: 'A' }] },
  { Name: 'after-a', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'A', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'B', Arguments: { '--day': 'today' } }] },
  { Name: 'on-failure', Type: 'CONDITIONAL', Predicate: { Logical: 'ANY', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'A', State: 'FAILED' }, { LogicalOperator: 'EQUALS', JobName: 'B', State: 'TIMEOUT' }] }, Actions: [{ JobName: 'notify' }] },
];
const fresh = (): WorkflowRunState => ({ fired: ['start'], jobs: {}, crawlers: {}, properties: {} });

describe('workflow DAG', () => {
  it('fires conditional triggers as their predicates come true, once each', () => {
    const run = fresh();
    run.crawlers['raw'] = 'RUNNING';
    expect(triggersToFire(workflow, run)).toEqual([]);
    expect(isWorkflowComplete(workflow, run)).toBe(false);
    run.crawlers['raw'] = 'SUCCEEDED';
    expect(triggersToFire(workflow, run).map((t) => t.Name)).toEqual(['after-crawl']);
    run.fired.push('after-crawl');
    run.jobs['A'] = 'SUCCEEDED';
    expect(triggersToFire(workflow, run).map((t) => t.Name)).toEqual(['after-a']);
    run.fired.push('after-a');
    run.jobs['B'] = 'SUCCEEDED';
    expect(triggersToFire(workflow, run)).toEqual([]);
    expect(isWorkflowComplete(workflow, run)).toBe(true);
  });

  it('evaluates AND and ANY', () => {
    const any = workflow[3]!.Predicate!;
    expect(evaluatePredicate(any, { jobs: { B: 'TIMEOUT' }, crawlers: {} })).toBe(true);
    expect(evaluatePredicate(any, { jobs: { A: 'SUCCEEDED' }, crawlers: {} })).toBe(false);
    expect(evaluatePredicate({ Logical: 'AND', Conditions: [] }, { jobs: {}, crawlers: {} })).toBe(false);
  });

  it('resumes a failed run from the failed node and lets downstream triggers fire again', () => {
    const run: WorkflowRunState = { fired: ['start', 'after-crawl', 'on-failure'], jobs: { A: 'FAILED', notify: 'SUCCEEDED' }, crawlers: { raw: 'SUCCEEDED' }, properties: { batch: '7' } };
    const { restart, state } = resumePlan(workflow, run);
    expect(restart).toEqual([{ JobName: 'A' }]);
    expect(state.fired).toEqual(['start', 'after-crawl']);
    expect(state.jobs['A']).toBeUndefined();
    expect(state.properties).toEqual({ batch: '7' });
  });

  it('finds cycles and other mistakes', () => {
    const loop: WorkflowTrigger[] = [
      { Name: 't1', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'B', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'A' }] },
      { Name: 't2', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'A', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'B' }] },
    ];
    expect(findCycle(workflow)).toBeNull();
    expect(findCycle(loop)).toEqual(['trigger:t1', 'job:A', 'trigger:t2', 'job:B', 'trigger:t1']);
    expect(validateWorkflow([...loop, { Name: 't1', Type: 'CONDITIONAL', Actions: [] }])).toEqual([
      'Two triggers are named t1', 'Trigger t1 starts nothing', 'Conditional trigger t1 has no conditions',
      'The workflow has a cycle: trigger:t1 -> job:A -> trigger:t2 -> job:B -> trigger:t1',
    ]);
  });
});

describe('run states and retries', () => {
  it('allows only Glue transitions', () => {
    expect(transition('STARTING', 'RUNNING')).toBe('RUNNING');
    expect(() => transition('SUCCEEDED', 'RUNNING')).toThrow('A run cannot go from SUCCEEDED to RUNNING');
    expect(isTerminal('TIMEOUT')).toBe(true);
    expect(isTerminal('STOPPING')).toBe(false);
  });

  it('retries transient failures only', () => {
    expect(isTransientFailure('Failed to fetch')).toBe(true);
    expect(isTransientFailure('The server answered 503; retrying')).toBe(true);
    expect(isTransientFailure('the tab was closed while the run was RUNNING')).toBe(true);
    expect(isTransientFailure('Parser Error: syntax error at or near "SELEC"')).toBe(false);
    expect(isTransientFailure('Binder Error: column "x" not found')).toBe(false);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0.25)).toBe(1000);
  });
});
