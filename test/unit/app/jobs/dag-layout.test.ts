import { describe, expect, it } from 'vitest';
import { fitScale, layoutJob, MIN_DAG_SCALE, NODE_W } from '../../../../src/app/jobs/dag-layout';
import { ordersJob } from '../../jobs/fixtures';

describe('DAG layout', () => {
  it('places each node one column right of its deepest input, with an edge per input', () => {
    const job = ordersJob('/x');
    job.nodes.splice(1, 0, { id: 'regions', kind: 'source', source: { type: 'file', path: '/r.csv' } });
    const layout = layoutJob(job);
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
    expect(layoutJob(job).nodes).toHaveLength(5);
  });
});

describe('fitting the DAG to its canvas (issue 15 #14: the DAG cut off its last node)', () => {
  it('draws a job that fits at full size and never enlarges it', () => {
    expect(fitScale(600, 900)).toBe(1);
    expect(fitScale(600, 0)).toBe(1);
  });

  it('shrinks a six-column job so its last node is inside a 940 px canvas', () => {
    const job = ordersJob('/x');
    job.nodes.splice(4, 0, { id: 'more', kind: 'transform', inputs: ['flagged'], step: { id: 'more', kind: 'Filter', params: { predicate: { sql: 'true' } } } } as never);
    const out = job.nodes.at(-1)!;
    if (out.kind !== 'target') throw new Error('fixture');
    out.inputs = ['more'];
    const layout = layoutJob(job);
    const last = layout.nodes.find((p) => p.node.id === 'out')!;
    expect(last.x + NODE_W).toBeGreaterThan(940);
    const scale = fitScale(layout.width, 940);
    expect(scale).toBeLessThan(1);
    expect((last.x + NODE_W) * scale).toBeLessThanOrEqual(940);
  });

  it('stops at the smallest readable zoom (then the canvas scrolls)', () => {
    expect(fitScale(4000, 900)).toBe(MIN_DAG_SCALE);
  });
});
