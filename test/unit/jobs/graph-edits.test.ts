import { describe, expect, it } from 'vitest';
import {
  addParameter, addSource, addTarget, addTransform, checkNodeId, frameNode, newNodeId, previewPlan, removeNode, removeParameter,
  replaceNode, retypeTarget, targetOfType, targetStem, updateParameter, withInput, type EditResult,
} from '../../../src/jobs/graph-edits';
import { newJob, validateDag, type JobDefinition, type JobNode } from '../../../src/jobs/model';
import { ordersJob } from './fixtures';

type Target = Extract<JobNode, { kind: 'target' }>;

function job(...targets: Target[]): JobDefinition {
  return { ...newJob('j'), nodes: [{ id: 'orders_1', kind: 'source', source: { type: 'table', name: 'orders' } }, ...targets] };
}
const download = (id: string): Target => ({ id, kind: 'target', inputs: ['orders_1'], target: { type: 'download', format: 'parquet', name: 'orders_1' } });
const workspace = { type: 'workspace', format: 'parquet', path: 'lake/orders_1', database: 'default', table: 'orders_1' } as const;

describe('target node names (issue 15 #14: a workspace target was named download_1)', () => {
  it('names a new target after where it writes', () => {
    expect(targetStem('download')).toBe('download');
    expect(targetStem('workspace')).toBe('workspace');
    expect(targetStem('s3')).toBe('s3');
    expect(newNodeId(job(download('download_1')), targetStem('download'))).toBe('download_2');
  });

  it('renames a generated download_1 to workspace_1 when it is switched to the workspace', () => {
    const node = download('download_1');
    const def = job(node);
    expect(retypeTarget(def, node, workspace)).toMatchObject({ id: 'workspace_1', target: { type: 'workspace' } });
  });

  it('picks a free number when workspace_1 is taken, and keeps the name when the kind stays', () => {
    const node = download('download_2');
    const def = job({ ...download('workspace_1'), target: workspace }, node);
    expect(retypeTarget(def, node, workspace).id).toBe('workspace_2');
    expect(retypeTarget(def, node, { type: 'download', format: 'csv', name: 'x' }).id).toBe('download_2');
  });

  it('keeps a name the user gave', () => {
    const node = download('clean_orders');
    expect(retypeTarget(job(node), node, workspace).id).toBe('clean_orders');
  });
});

/** The definition of an edit that must succeed (the test fails with the refusal otherwise). */
function applied(result: EditResult): { def: JobDefinition; nodeId: string } {
  if (!result.ok) throw new Error(`edit refused: ${result.error.code}: ${result.error.message}`);
  return result;
}

describe('adding nodes', () => {
  it('names sources after their table, catalog table or file, never reusing an id', () => {
    let def = newJob('j');
    def = applied(addSource(def, { type: 'table', name: 'Orders' })).def;
    def = applied(addSource(def, { type: 'table', name: 'Orders' })).def;
    def = applied(addSource(def, { type: 'catalog', database: 'lake', table: 'raw.events' })).def;
    const file = applied(addSource(def, { type: 'file', path: ' https://bucket.s3.amazonaws.com/2024/sales%20q1.csv?X-Amz-Signature=abc ' }));
    expect(file.def.nodes.map((n) => n.id)).toEqual(['orders_1', 'orders_2', 'raw_events_1', 'sales_q1_1']);
    expect(file.nodeId).toBe('sales_q1_1');
    expect(file.def.nodes.at(-1)).toMatchObject({ source: { type: 'file', path: 'https://bucket.s3.amazonaws.com/2024/sales%20q1.csv?X-Amz-Signature=abc' } });
    expect(applied(addSource(newJob('j'), { type: 'file', path: 'opfs://lake/2024' })).nodeId).toBe('s_2024_1');
  });

  it('refuses a location that is no URL or workspace path, with a typed error', () => {
    const bad = addSource(newJob('j'), { type: 'file', path: '/home/me/orders.csv' });
    expect(bad).toEqual({ ok: false, error: { code: 'bad-location', message: expect.stringMatching(/https:\/\/ URL .* opfs:\/\/folder/) } });
    expect(addSource(newJob('j'), { type: 'file', path: 'https://[nope' })).toMatchObject({ ok: false, error: { code: 'bad-location', message: 'That location is not a valid URL' } });
  });

  it('adds a step after the selected frame, and after the last frame when a target is selected', () => {
    const def = ordersJob('/x');
    expect(frameNode(def, 'big')).toBe('big');
    expect(frameNode(def, 'out')).toBe('flagged');
    expect(frameNode(def, null)).toBe('flagged');
    expect(frameNode(newJob('j'), null)).toBeNull();
    const added = applied(addTransform(def, { kind: 'DropFields', params: { paths: ['note'] }, after: frameNode(def, 'big') }));
    expect(added.nodeId).toBe('drop_fields_1');
    expect(added.def.nodes.at(-1)).toEqual({ id: 'drop_fields_1', kind: 'transform', inputs: ['big'], step: { id: 'drop_fields_1', kind: 'DropFields', params: { paths: ['note'] } } });
    expect(def.nodes).toHaveLength(5); // the input definition is left as it was
  });

  it('gives a Join its second input: the one asked for, else the first other frame', () => {
    const def = ordersJob('/x');
    const params = { right: '', leftKeys: ['region'], rightKeys: ['region'], how: 'inner' as const };
    expect(applied(addTransform(def, { kind: 'Join', params, after: 'flagged' })).def.nodes.at(-1)).toMatchObject({ inputs: ['flagged', 'orders'] });
    expect(applied(addTransform(def, { kind: 'Join', params, after: 'flagged', second: 'big' })).def.nodes.at(-1)).toMatchObject({ inputs: ['flagged', 'big'] });
    const lone = applied(addSource(newJob('j'), { type: 'table', name: 't' })).def;
    expect(applied(addTransform(lone, { kind: 'Union', params: { other: '' }, after: 't_1' })).def.nodes.at(-1)).toMatchObject({ inputs: ['t_1', 't_1'] });
  });

  it('refuses a step or target with nothing to read (an empty job)', () => {
    expect(addTransform(newJob('j'), { kind: 'Filter', params: { predicate: { sql: 'true' } }, after: null })).toEqual({ ok: false, error: { code: 'no-input', message: 'Add a source first, then select the node the step reads' } });
    expect(addTarget(newJob('j'), { target: { type: 'download', format: 'csv' }, after: null })).toMatchObject({ ok: false, error: { code: 'no-input' } });
    expect(addTarget(ordersJob('/x'), { target: { type: 'download', format: 'csv' }, after: 'gone' })).toMatchObject({ ok: false, error: { code: 'no-node' } });
  });

  it('names a download target after the frame it writes unless it has a name', () => {
    const def = ordersJob('/x');
    const added = applied(addTarget(def, { target: { type: 'download', format: 'parquet' }, after: 'big' }));
    expect(added.def.nodes.at(-1)).toEqual({ id: 'download_1', kind: 'target', inputs: ['big'], target: { type: 'download', format: 'parquet', name: 'big' } });
    expect(applied(addTarget(def, { target: { type: 'download', format: 'csv', name: 'x' }, after: 'big' })).def.nodes.at(-1)).toMatchObject({ target: { name: 'x' } });
    expect(applied(addTarget(def, { target: { type: 's3', format: 'csv', location: 's3://b/p', putUrls: '' }, after: 'big' })).nodeId).toBe('s3_1');
  });
});

describe('changing and removing nodes', () => {
  it('renames a node and rewires every node that read it', () => {
    const def = ordersJob('/x');
    const big = def.nodes.find((n) => n.id === 'big')!;
    const renamed = applied(replaceNode(def, 'big', { ...big, id: 'large' }));
    expect(renamed.nodeId).toBe('large');
    expect(renamed.def.nodes.map((n) => `${n.id}<${n.kind === 'source' ? '' : n.inputs.join(',')}`)).toEqual(['orders<', 'mapped<orders', 'large<mapped', 'flagged<large', 'out<flagged']);
    expect(validateDag(renamed.def).filter((m) => m.severity === 'error')).toEqual([]);
  });

  it('rewires a read of the renamed node\'s extra output (big:rest becomes large:rest)', () => {
    const def = ordersJob('/x');
    def.nodes = def.nodes.map((n) => (n.id === 'flagged' && n.kind === 'transform' ? { ...n, inputs: ['big:rest'] } : n));
    const big = def.nodes.find((n) => n.id === 'big')!;
    const renamed = applied(replaceNode(def, 'big', { ...big, id: 'large' }));
    expect(renamed.def.nodes.find((n) => n.id === 'flagged')).toMatchObject({ inputs: ['large:rest'] });
  });

  it('refuses an id that is taken or cannot name a table, and a node that is not there', () => {
    const def = ordersJob('/x');
    const big = def.nodes.find((n) => n.id === 'big')!;
    expect(replaceNode(def, 'big', { ...big, id: 'mapped' })).toEqual({ ok: false, error: { code: 'id-taken', message: 'mapped exists already' } });
    expect(replaceNode(def, 'big', { ...big, id: '2big' })).toMatchObject({ ok: false, error: { code: 'invalid-id' } });
    expect(replaceNode(def, 'nope', big)).toMatchObject({ ok: false, error: { code: 'no-node' } });
    expect(checkNodeId(def, 'big', 'big')).toBeNull();
    expect(checkNodeId(def, 'big', 'big two')?.code).toBe('invalid-id');
  });

  it('replaces a node edited in place (same id) without touching the others', () => {
    const def = ordersJob('/x');
    const big = def.nodes.find((n) => n.id === 'big')!;
    if (big.kind !== 'transform') throw new Error('fixture');
    const edited = { ...big, step: { ...big.step, params: { predicate: { sql: 'amount > 0' } } } } as JobNode;
    const out = applied(replaceNode(def, 'big', edited)).def;
    expect(out.nodes[2]).toBe(edited);
    expect(out.nodes.filter((_, i) => i !== 2)).toEqual(def.nodes.filter((_, i) => i !== 2));
  });

  it('removes a node; what read it keeps a dangling input that validation reports', () => {
    const out = applied(removeNode(ordersJob('/x'), 'big')).def;
    expect(out.nodes.map((n) => n.id)).toEqual(['orders', 'mapped', 'flagged', 'out']);
    expect(validateDag(out)).toContainEqual({ nodeId: 'flagged', severity: 'error', message: 'Input big does not exist' });
    expect(removeNode(out, 'big')).toMatchObject({ ok: false, error: { code: 'no-node' } });
  });

  it('points an input elsewhere (a Join\'s right side) and never gives a source inputs', () => {
    const def = ordersJob('/x');
    const flagged = def.nodes.find((n) => n.id === 'flagged')!;
    expect(withInput(flagged, 0, 'mapped')).toMatchObject({ inputs: ['mapped'] });
    expect(withInput({ ...flagged, inputs: ['a', 'b'] } as JobNode, 1, 'c')).toMatchObject({ inputs: ['a', 'c'] });
    const source = def.nodes[0]!;
    expect(withInput(source, 0, 'x')).toBe(source);
  });

  it('switches a target to another kind, carrying over format, compression, partitions and mode', () => {
    const ws = targetOfType({ type: 'download', format: 'parquet', compression: 'zstd', name: 'x' }, 'workspace', 'flagged');
    expect(ws).toEqual({ type: 'workspace', format: 'parquet', compression: 'zstd', path: 'lake/flagged', database: 'default', table: 'flagged' });
    const back = targetOfType({ type: 'workspace', format: 'csv', path: 'lake/a', partitionBy: ['region'], mode: 'append' }, 'download', 'big');
    expect(back).toEqual({ type: 'download', format: 'csv', name: 'big' });
    expect(targetOfType({ type: 'workspace', format: 'csv', path: 'lake/a', partitionBy: ['region'], mode: 'append' }, 'workspace', 'big')).toMatchObject({ partitionBy: ['region'], mode: 'append' });
    expect(targetOfType(back, 's3', 'big')).toEqual({ type: 's3', format: 'csv', location: 's3://bucket/prefix', putUrls: '' });
  });
});

describe('job parameters', () => {
  it('adds parameters under free names, edits and removes them by position', () => {
    let def = addParameter(addParameter(newJob('j')));
    expect(def.parameters.map((p) => p.name)).toEqual(['param_1', 'param_2']);
    def = removeParameter(def, 0);
    // A new one after a removal never repeats a name still in use.
    def = addParameter(def);
    expect(def.parameters.map((p) => p.name)).toEqual(['param_2', 'param_3']);
    def = updateParameter(def, 1, { name: 'min_amount', default: '5' });
    expect(def.parameters).toEqual([{ name: 'param_2', default: '' }, { name: 'min_amount', default: '5' }]);
  });
});

describe('what a preview runs', () => {
  it('runs the previewed node and its ancestors only, with the bookmark off', () => {
    const def = ordersJob('/x');
    def.nodes.splice(1, 0, { id: 'other', kind: 'source', source: { type: 'table', name: 't' } });
    const plan = previewPlan(def, 'big');
    expect(plan).toMatchObject({ ok: true, nodeId: 'big' });
    if (!plan?.ok) throw new Error('no plan');
    expect(plan.def.nodes.map((n) => n.id)).toEqual(['orders', 'mapped', 'big']);
    expect(plan.def.bookmark).toBe('job-bookmark-disable');
  });

  it('shows the frame a target would write instead of running the target, and nothing for a target without input', () => {
    const def = ordersJob('/x');
    const plan = previewPlan(def, 'out');
    expect(plan?.ok && plan.nodeId).toBe('flagged');
    expect(plan?.ok && plan.def.nodes.some((n) => n.kind === 'target')).toBe(false);
    const out = def.nodes.at(-1)!;
    if (out.kind !== 'target') throw new Error('fixture');
    out.inputs = [];
    expect(previewPlan(def, 'out')).toBeNull();
  });

  it('reports a cycle instead of throwing', () => {
    const def = ordersJob('/x');
    const mapped = def.nodes[1]!;
    if (mapped.kind !== 'transform') throw new Error('fixture');
    mapped.inputs = ['flagged'];
    expect(previewPlan(def, 'big')).toEqual({ ok: false, nodeId: 'big', message: expect.stringMatching(/cycle/) });
  });
});
