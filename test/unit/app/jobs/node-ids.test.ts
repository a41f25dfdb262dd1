import { describe, expect, it } from 'vitest';
import { newNodeId, retypeTarget, targetStem } from '../../../../src/app/jobs/node-ids';
import { newJob, type JobDefinition, type JobNode } from '../../../../src/jobs/model';

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
