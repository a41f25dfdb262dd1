import type { NodeId } from '../../scheduler/workflow';

/** A node placed on the workflow drawing. */
export interface PlacedNode {
  id: NodeId;
  label: string;
  kind: 'trigger' | 'job' | 'crawler';
  x: number;
  y: number;
}

/**
 * Place a workflow DAG in layers (longest path from a source), left to right, so edges always point right.
 * Nodes on a cycle (refused by validation anyway) are put after everything else instead of looping.
 */
export function layoutDag(edges: [NodeId, NodeId][], colWidth = 170, rowHeight = 56): { nodes: PlacedNode[]; width: number; height: number } {
  const ids = [...new Set(edges.flat())];
  const incoming = new Map<NodeId, NodeId[]>(ids.map((id) => [id, []]));
  for (const [a, b] of edges) incoming.get(b)!.push(a);
  const layer = new Map<NodeId, number>();
  const visiting = new Set<NodeId>();
  const depth = (id: NodeId): number => {
    if (layer.has(id)) return layer.get(id)!;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const d = Math.max(-1, ...incoming.get(id)!.map(depth)) + 1;
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  ids.forEach(depth);
  const columns = new Map<number, NodeId[]>();
  for (const id of ids) columns.set(layer.get(id)!, [...(columns.get(layer.get(id)!) ?? []), id]);
  const nodes: PlacedNode[] = [];
  for (const [col, members] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
    members.forEach((id, row) => {
      const [kind, ...rest] = id.split(':') as ['trigger' | 'job' | 'crawler', ...string[]];
      nodes.push({ id, kind, label: rest.join(':'), x: 10 + col * colWidth, y: 10 + row * rowHeight });
    });
  }
  const maxRows = Math.max(1, ...[...columns.values()].map((m) => m.length));
  return { nodes, width: 20 + columns.size * colWidth, height: 20 + maxRows * rowHeight };
}

/** A run drawn on the timeline. */
export interface TimelineBar {
  key: string;
  lane: string;
  label: string;
  state: string;
  start: number;
  end: number;
  x: number;
  width: number;
  y: number;
}

/** Lay runs out as a Gantt chart: one lane per job/crawler, time on x, a minimum width so instants show. */
export function layoutTimeline(runs: { key: string; lane: string; label: string; state: string; start: number; end: number | null }[], now: number, width = 800, laneHeight = 26, minWidth = 3): { bars: TimelineBar[]; lanes: string[]; from: number; to: number; height: number } {
  if (runs.length === 0) return { bars: [], lanes: [], from: now, to: now, height: 0 };
  const from = Math.min(...runs.map((r) => r.start));
  const to = Math.max(now, ...runs.map((r) => r.end ?? now));
  const span = Math.max(1, to - from);
  const lanes = [...new Set(runs.map((r) => r.lane))].sort();
  const bars = runs.map((r) => {
    const x = ((r.start - from) / span) * width;
    const w = Math.max(minWidth, (((r.end ?? now) - r.start) / span) * width);
    return { ...r, end: r.end ?? now, x, width: Math.min(w, width - x + minWidth), y: lanes.indexOf(r.lane) * laneHeight };
  });
  return { bars, lanes, from, to, height: lanes.length * laneHeight };
}
