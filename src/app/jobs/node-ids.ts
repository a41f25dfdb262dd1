import type { JobDefinition, JobNode, TargetSpec } from '../../jobs/model';

/** A new node id not yet used in the job: `filter_1`, `filter_2`, ... */
export function newNodeId(def: JobDefinition, base: string): string {
  const stem = base.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase()).replace(/[^a-z0-9_]+/g, '_').replace(/^([^a-z_])/, '_$1') || 'node';
  const taken = new Set(def.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

/** What a target node is named after: where it writes. */
export function targetStem(type: TargetSpec['type']): string {
  return type === 'download' ? 'download' : type === 'workspace' ? 'workspace' : 's3';
}

/** Whether a node id is one Epoxy generated for a target (`download_1`, `write_2`), not one the user chose. */
function generatedTargetId(id: string): boolean {
  return /^(download|workspace|s3|write)_\d+$/.test(id);
}

/**
 * The target node with a new target (another kind of output). A node still under a generated name is renamed
 * after its new kind, so a workspace target is `workspace_1`, not the `download_1` it started as; a name the
 * user gave is kept.
 */
export function retypeTarget(def: JobDefinition, node: Extract<JobNode, { kind: 'target' }>, target: TargetSpec): Extract<JobNode, { kind: 'target' }> {
  const stem = targetStem(target.type);
  const rename = target.type !== node.target.type && generatedTargetId(node.id) && !node.id.startsWith(`${stem}_`);
  const others = { ...def, nodes: def.nodes.filter((n) => n.id !== node.id) };
  return { ...node, id: rename ? newNodeId(others, stem) : node.id, target };
}
