/** The box every node of a drawing gets, and the space around and between them (px). */
export interface DagBox { width: number; height: number; gapX: number; gapY: number; pad: number }

/** A node placed on the drawing (its top-left corner). */
export interface PlacedNode<N> { node: N; x: number; y: number }

/** An edge between two placed nodes, as an SVG path from the right of one to the left of the other. */
export interface DagEdge { from: string; to: string; path: string }

export interface DagLayout<N> { nodes: PlacedNode<N>[]; edges: DagEdge[]; width: number; height: number }

/**
 * Lay a DAG out left to right in layers: a node's column is the length of the longest path from a source to
 * it, so every edge points right; within a column, nodes keep the order they are given in. Edges naming a
 * node not given are left out, an edge given twice is drawn once, and nodes on a cycle (refused elsewhere)
 * are placed as if the edge closing it were not there instead of recursing forever. An edge between
 * neighbouring columns is an S-curve; one skipping columns is routed through the gaps between rows, so it
 * is never hidden behind the nodes it passes.
 */
export function layoutDag<N extends { id: string }>(nodes: readonly N[], edges: readonly (readonly [string, string])[], box: DagBox): DagLayout<N> {
  const known = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  const drawn = edges.filter(([from, to]) => {
    const key = JSON.stringify([from, to]);
    if (!known.has(from) || !known.has(to) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const incoming = new Map<string, string[]>();
  for (const [from, to] of drawn) incoming.set(to, [...(incoming.get(to) ?? []), from]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const d = depth.get(id);
    if (d !== undefined) return d;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const parents = incoming.get(id) ?? [];
    const out = parents.length ? Math.max(...parents.map(depthOf)) + 1 : 0;
    visiting.delete(id);
    depth.set(id, out);
    return out;
  };
  const rows = new Map<number, number>();
  const placed: PlacedNode<N>[] = nodes.map((node) => {
    const col = depthOf(node.id);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { node, x: box.pad + col * (box.width + box.gapX), y: box.pad + row * (box.height + box.gapY) };
  });
  const at = new Map(placed.map((p) => [p.node.id, p]));
  let lowest = 0;
  const paths: DagEdge[] = drawn.map(([from, to]) => {
    const a = at.get(from)!, b = at.get(to)!;
    const x1 = a.x + box.width, y1 = a.y + box.height / 2, x2 = b.x, y2 = b.y + box.height / 2;
    if (depthOf(to) - depthOf(from) <= 1) {
      const mid = (x1 + x2) / 2;
      return { from, to, path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` };
    }
    // An edge skipping columns would run behind the nodes between: it drops into the gap under its source's
    // row (every column's rows line up, so no node is there), runs along it, and rises in the last column gap.
    const gy = a.y + box.height + box.gapY / 2;
    lowest = Math.max(lowest, gy + box.gapY / 2);
    const g = box.gapX;
    return { from, to, path: `M${x1},${y1} C${x1 + g / 2},${y1} ${x1 + g / 2},${gy} ${x1 + g},${gy} L${x2 - g},${gy} C${x2 - g / 2},${gy} ${x2 - g / 2},${y2} ${x2},${y2}` };
  });
  const width = Math.max(box.width + 2 * box.pad, ...placed.map((p) => p.x + box.width + box.pad));
  const height = Math.max(box.height + 2 * box.pad, lowest, ...placed.map((p) => p.y + box.height + box.pad));
  return { nodes: placed, edges: paths, width, height };
}
