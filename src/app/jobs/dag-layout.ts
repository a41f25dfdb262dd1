import { inputNodesOf, type JobDefinition, type JobNode } from '../../jobs/model';
import { layoutDag, type DagBox, type DagLayout } from '../shared/dag-layout';

export const NODE_W = 168;
export const NODE_H = 52;
const JOB_BOX: DagBox = { width: NODE_W, height: NODE_H, gapX: 56, gapY: 22, pad: 12 };

/** A job's DAG on the canvas: an edge from each input to the node reading it; rows follow the definition's order. */
export function layoutJob(def: JobDefinition): DagLayout<JobNode> {
  return layoutDag(def.nodes, def.nodes.flatMap((n) => inputNodesOf(n).map((i) => [i, n.id] as const)), JOB_BOX);
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
