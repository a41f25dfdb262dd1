import { describe, expect, it } from 'vitest';
import { layoutDag, type DagBox } from '../../../../src/app/shared/dag-layout';

const box: DagBox = { width: 100, height: 40, gapX: 20, gapY: 10, pad: 5 };
const nodes = (...ids: string[]) => ids.map((id) => ({ id }));
const at = (layout: ReturnType<typeof layoutDag<{ id: string }>>) => Object.fromEntries(layout.nodes.map((p) => [p.node.id, [p.x, p.y]]));

describe('the layered DAG layout both the Jobs canvas and the Schedules graphs draw with', () => {
  it('puts a node one column right of its deepest input, and keeps the given order in a column', () => {
    const layout = layoutDag(nodes('a', 'b', 'c', 'd'), [['a', 'c'], ['c', 'd'], ['b', 'd']], box);
    expect(at(layout)).toEqual({ a: [5, 5], b: [5, 55], c: [125, 5], d: [245, 5] });
    expect(layout.width).toBe(245 + 100 + 5);
    // b -> d skips a column: its line runs 5 px under row 1 (bottom 95), with 5 px to spare.
    expect(layout.height).toBe(95 + 5 + 5);
  });

  it('draws each edge from the right middle of one box to the left middle of the other', () => {
    const layout = layoutDag(nodes('a', 'b'), [['a', 'b']], box);
    expect(layout.edges).toEqual([{ from: 'a', to: 'b', path: 'M105,25 C115,25 115,25 125,25' }]);
  });

  it('routes an edge that skips a column through the gap under its row, not behind the node between (the Join input hidden behind a Filter)', () => {
    // a -> f -> j and a -> j: the edge a -> j would run straight through f.
    const layout = layoutDag(nodes('a', 'f', 'j'), [['a', 'f'], ['f', 'j'], ['a', 'j']], box);
    const skip = layout.edges.find((e) => e.from === 'a' && e.to === 'j')!;
    // Leaves a at its right middle (105,25), runs at y 50 (between row 0, bottom 45, and row 1, top 55), enters j at (245,25).
    expect(skip.path).toBe('M105,25 C115,25 115,50 125,50 L225,50 C235,50 235,25 245,25');
    const f = layout.nodes.find((p) => p.node.id === 'f')!;
    expect(50).toBeGreaterThan(f.y + box.height);
    // The drawing is tall enough for the line under the only row.
    expect(layout.height).toBeGreaterThanOrEqual(55);
  });

  it('draws an edge given twice once (a Union reading one node on both sides) and drops edges to unknown nodes', () => {
    const layout = layoutDag(nodes('a', 'u'), [['a', 'u'], ['a', 'u'], ['gone', 'u'], ['u', 'gone']], box);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>u']);
    expect(at(layout)['u']).toEqual([125, 5]);
  });

  it('places the nodes of a cycle without recursing forever', () => {
    const layout = layoutDag(nodes('a', 'b', 'c'), [['a', 'b'], ['b', 'c'], ['c', 'a']], box);
    expect(layout.nodes).toHaveLength(3);
    expect(new Set(layout.nodes.map((p) => `${p.x},${p.y}`)).size).toBe(3);
  });

  it('gives an empty graph the size of one box', () => {
    expect(layoutDag([], [], box)).toEqual({ nodes: [], edges: [], width: 110, height: 50 });
  });
});
