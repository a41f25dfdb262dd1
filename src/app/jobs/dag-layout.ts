import { inputsOf, type JobDefinition, type JobNode } from '../../jobs/model';

/** A node placed on the canvas (top-left corner), and the edges between nodes as SVG paths. */
export interface PlacedNode { node: JobNode; x: number; y: number }
export interface Edge { from: string; to: string; path: string }
export interface DagLayout { nodes: PlacedNode[]; edges: Edge[]; width: number; height: number }

export const NODE_W = 168;
export const NODE_H = 52;
const GAP_X = 56;
const GAP_Y = 22;
const PAD = 12;

/**
 * Lay a job's DAG out left to right: a node's column is the length of the longest path from a source to it,
 * rows follow the definition's order. Cycles and dangling inputs (reported elsewhere) are laid out as sources.
 */
export function layoutDag(def: JobDefinition): DagLayout {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (n: JobNode): number => {
    const known = depth.get(n.id);
    if (known !== undefined) return known;
    if (visiting.has(n.id)) return 0;
    visiting.add(n.id);
    const parents = inputsOf(n).map((i) => byId.get(i)).filter((p): p is JobNode => !!p);
    const d = parents.length ? Math.max(...parents.map(depthOf)) + 1 : 0;
    visiting.delete(n.id);
    depth.set(n.id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes: PlacedNode[] = def.nodes.map((node) => {
    const col = depthOf(node);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { node, x: PAD + col * (NODE_W + GAP_X), y: PAD + row * (NODE_H + GAP_Y) };
  });
  const at = new Map(nodes.map((p) => [p.node.id, p]));
  const edges: Edge[] = [];
  for (const p of nodes) {
    for (const i of inputsOf(p.node)) {
      const from = at.get(i);
      if (!from) continue;
      const x1 = from.x + NODE_W, y1 = from.y + NODE_H / 2, x2 = p.x, y2 = p.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      edges.push({ from: i, to: p.node.id, path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
    }
  }
  const width = Math.max(NODE_W + 2 * PAD, ...nodes.map((p) => p.x + NODE_W + PAD));
  const height = Math.max(NODE_H + 2 * PAD, ...nodes.map((p) => p.y + NODE_H + PAD));
  return { nodes, edges, width, height };
}

/** The smallest zoom the DAG is drawn at: below it labels stop being readable, and the canvas scrolls instead. */
export const MIN_DAG_SCALE = 0.6;

/**
 * The zoom that fits a DAG `width` px wide into `available` px: 1 when it fits (never enlarged), else shrunk
 * down to `min`. An unmeasured container (0) draws at full size.
 */
export function fitScale(width: number, available: number, min = MIN_DAG_SCALE): number {
  if (available <= 0 || width <= available) return 1;
  return Math.max(min, available / width);
}
