import { describe, expect, it } from 'vitest';
import { t } from '../../../src/schema/types';
import { checkJob } from '../../../src/jobs/compile';
import { parseJobDefinition, resolveArguments, substitute, topoOrder, validateDag, type JobDefinition } from '../../../src/jobs/model';
import { fromGlueJob, toGlueJob } from '../../../src/jobs/store';
import { ordersJob } from './fixtures';

const orders = [{ name: 'id', type: t.string }, { name: 'region', type: t.string }, { name: 'amount', type: t.string }, { name: 'note', type: t.string }];

describe('job model', () => {
  it('orders nodes after their inputs', () => {
    const job = ordersJob('/x');
    job.nodes.reverse();
    expect(topoOrder(job).map((n) => n.id)).toEqual(['orders', 'mapped', 'big', 'flagged', 'out']);
  });

  it('reports cycles, dangling inputs, wrong input counts and unknown parameters at the node', () => {
    const job: JobDefinition = {
      version: 1, name: 'bad', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'a', kind: 'source', source: { type: 'file', path: '${missing}' } },
        { id: 'b', kind: 'transform', inputs: ['c'], step: { id: 'x', kind: 'DropNullFields', params: {} } },
        { id: 'c', kind: 'transform', inputs: ['b'], step: { id: 'y', kind: 'DropNullFields', params: {} } },
        { id: 'j', kind: 'transform', inputs: ['a'], step: { id: 'z', kind: 'Join', params: { right: '', leftKeys: ['k'], rightKeys: ['k'] } } },
        { id: 'o', kind: 'target', inputs: ['nope'], target: { type: 'download', format: 'csv' } },
        { id: 'bad id', kind: 'target', inputs: ['o'], target: { type: 'download', format: 'csv' } },
      ],
    };
    const msgs = validateDag(job).map((m) => `${m.nodeId}: ${m.message}`);
    expect(msgs).toContain('j: Join needs 2 inputs, it has 1');
    expect(msgs).toContain('o: Input nope does not exist');
    expect(msgs).toContain('bad id: Input o is a target; targets produce no frame');
    expect(msgs.some((m) => m.startsWith('bad id: Node id "bad id" must start'))).toBe(true);
    expect(msgs).toContain('b: Cycle: b → c → b');
    expect(msgs).toContain('a: ${missing} is not a job parameter');
    expect(() => topoOrder(job)).toThrow(/cycle/);
  });

  it('resolves arguments: defaults, then job defaults, then run arguments (with or without --)', () => {
    const job = ordersJob('/x');
    expect(resolveArguments(job)).toEqual({ min_amount: '2' });
    expect(resolveArguments(job, { '--min_amount': '5' }, { min_amount: '7', other: '1' })).toEqual({ min_amount: '7' });
    expect(substitute({ a: ['x${min_amount}y'] }, { min_amount: '3' })).toEqual({ a: ['x3y'] });
    expect(() => substitute('${nope}', {})).toThrow('${nope} is not a job parameter');
  });

  it('checks transforms against the schema flowing in, with the column at the node', () => {
    const job = ordersJob('/x');
    const ok = checkJob(job, { orders });
    expect(ok.messages.filter((m) => m.severity === 'error')).toEqual([]);
    expect(ok.schemas['flagged']!.map((f) => f.name)).toEqual(['order_id', 'region', 'amount', 'is_eu']);
    const broken = ordersJob('/x');
    const mapped = broken.nodes[1]!;
    if (mapped.kind !== 'transform' || mapped.step.kind !== 'ApplyMapping') throw new Error('fixture');
    mapped.step.params.mappings[2]!.source = 'amount_usd';
    const check = checkJob(broken, { orders });
    expect(check.messages.find((m) => m.severity === 'error')).toMatchObject({ nodeId: 'mapped', column: 'amount_usd' });
    const target = ordersJob('/x');
    const out = target.nodes[4]!;
    if (out.kind !== 'target') throw new Error('fixture');
    out.target.partitionBy = ['country'];
    expect(checkJob(target, { orders }).messages).toContainEqual({ nodeId: 'out', column: 'country', severity: 'error', message: 'partition column country is not in the frame' });
  });

  it('flags a type mismatch in a filter', () => {
    const job = ordersJob('/x');
    const big = job.nodes[2]!;
    if (big.kind !== 'transform' || big.step.kind !== 'Filter') throw new Error('fixture');
    big.step.params = { predicate: { combine: 'and', conditions: [{ path: 'region', op: 'contains', value: 'e' }, { path: 'amount', op: '>', value: 'lots' }] } };
    const errors = checkJob(job, { orders }).messages.filter((m) => m.severity === 'error');
    expect(errors[0]).toMatchObject({ nodeId: 'big', column: 'amount' });
  });

  it('round-trips through a Glue Job record with Glue fields winning', () => {
    const job = { ...ordersJob('/x'), maxRetries: 2, timeout: 30, maxConcurrentRuns: 3 };
    const glue = toGlueJob(job);
    expect(glue.DefaultArguments).toMatchObject({ '--job-bookmark-option': 'job-bookmark-enable', '--min_amount': '2' });
    expect(glue).toMatchObject({ MaxRetries: 2, Timeout: 30, ExecutionProperty: { MaxConcurrentRuns: 3 } });
    const edited = fromGlueJob({ ...glue, MaxRetries: 1, DefaultArguments: { ...glue.DefaultArguments, '--min_amount': '9', '--job-bookmark-option': 'job-bookmark-pause' } });
    expect(edited).toMatchObject({ maxRetries: 1, bookmark: 'job-bookmark-pause', parameters: [{ name: 'min_amount', default: '9' }] });
    expect(parseJobDefinition(JSON.stringify(job))).toEqual(job);
    expect(() => parseJobDefinition('{"name":"x"}')).toThrow('no "nodes" array');
  });
});

describe('jobFromSteps', () => {
  it('turns a Transform pipeline into a DAG with a source per table read and a Parquet download', async () => {
    const { jobFromSteps } = await import('../../../src/jobs/from-steps');
    const def = jobFromSteps('weather job', 'weather', [
      { id: 'filter_1', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'city', op: 'not_null' }] } } },
      { id: 'join_1', kind: 'Join', params: { right: 'cities', leftKeys: ['city'], rightKeys: ['name'] } },
    ]);
    expect(def.nodes.map((n) => `${n.id}<${n.kind === 'source' ? '' : n.inputs.join(',')}`)).toEqual(['weather<', 'filter_1<weather', 'cities<', 'join_1<filter_1,cities', 'download<join_1']);
    expect(validateDag(def)).toEqual([]);
  });

  it('reads an earlier step\'s extra output as `<node>:<output>` (a job could not express a Relationalize child table before)', async () => {
    const { jobFromSteps } = await import('../../../src/jobs/from-steps');
    const def = jobFromSteps('chars', 'miserables', [
      { id: 'relationalize_1', kind: 'Relationalize', params: { rootName: 'root' } },
      { id: 'union_1', kind: 'Union', params: { other: 'relationalize_1:root_nodes' } },
    ]);
    expect(def.nodes.map((n) => `${n.id}<${n.kind === 'source' ? '' : n.inputs.join(',')}`)).toEqual(['miserables<', 'relationalize_1<miserables', 'union_1<relationalize_1,relationalize_1:root_nodes', 'download<union_1']);
    expect(validateDag(def)).toEqual([]);
  });

  it('keeps tables opened from the catalog as catalog sources (issue 19: a job joining a catalog table read a tab-only table)', async () => {
    const { jobFromSteps } = await import('../../../src/jobs/from-steps');
    const def = jobFromSteps('flights', 'catalog_lake_flights', [
      { id: 'join_1', kind: 'Join', params: { right: 'catalog_lake_states', leftKeys: ['state'], rightKeys: ['state'] } },
    ], { catalog_lake_flights: { database: 'lake', table: 'flights' }, catalog_lake_states: { database: 'lake', table: 'states' } });
    expect(def.nodes.filter((n) => n.kind === 'source').map((n) => n.kind === 'source' && n.source)).toEqual([
      { type: 'catalog', database: 'lake', table: 'flights' },
      { type: 'catalog', database: 'lake', table: 'states' },
    ]);
  });
});
