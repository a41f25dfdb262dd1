import { describe, expect, it } from 'vitest';
import { layoutDag, NODE_W } from '../../../../src/app/jobs/dag-layout';
import { ordersJob } from '../../jobs/fixtures';

describe('DAG layout', () => {
  it('places each node one column right of its deepest input, with an edge per input', () => {
    const job = ordersJob('/x');
    job.nodes.splice(1, 0, { id: 'regions', kind: 'source', source: { type: 'file', path: '/r.csv' } });
    const layout = layoutDag(job);
    const col = Object.fromEntries(layout.nodes.map((p) => [p.node.id, Math.round((p.x - 12) / (NODE_W + 56))]));
    expect(col).toEqual({ orders: 0, regions: 0, mapped: 1, big: 2, flagged: 3, out: 4 });
    expect(layout.nodes.find((p) => p.node.id === 'regions')!.y).toBeGreaterThan(layout.nodes.find((p) => p.node.id === 'orders')!.y);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['orders>mapped', 'mapped>big', 'big>flagged', 'flagged>out']);
    expect(layout.width).toBeGreaterThan(4 * NODE_W);
  });

  it('survives a cycle (reported by validation) without recursing forever', () => {
    const job = ordersJob('/x');
    const mapped = job.nodes[1]!;
    if (mapped.kind !== 'transform') throw new Error('fixture');
    mapped.inputs = ['flagged'];
    expect(layoutDag(job).nodes).toHaveLength(5);
  });
});
