import type { NodeId } from '../../scheduler/workflow';
import { layoutDag, type DagBox, type DagLayout } from '../shared/dag-layout';

/** A node of the workflow drawing: a trigger, job or crawler, labelled with its name. */
export interface WorkflowNode {
  id: NodeId;
  label: string;
  kind: 'trigger' | 'job' | 'crawler';
}

export const WORKFLOW_BOX: DagBox = { width: 140, height: 36, gapX: 30, gapY: 20, pad: 10 };

/** Place a workflow graph given by its edges, left to right (see `layoutDag`); nodes in order of first mention. */
export function layoutWorkflow(edges: [NodeId, NodeId][]): DagLayout<WorkflowNode> {
  const ids = [...new Set(edges.flat())];
  const nodes = ids.map((id): WorkflowNode => {
    const [kind, ...rest] = id.split(':') as ['trigger' | 'job' | 'crawler', ...string[]];
    return { id, kind, label: rest.join(':') };
  });
  return layoutDag(nodes, edges, WORKFLOW_BOX);
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
