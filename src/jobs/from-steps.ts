import type { Step } from '../frames/steps';
import { sideOf } from '../frames/transforms';
import { newJob, type JobDefinition, type JobNode } from './model';

const ident = (s: string) => (s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'node').slice(0, 60);

/**
 * A job from a linear Transform pipeline over an open table: a source per table read (the input, and the
 * other side of each Join/Union, or the earlier node whose extra output it reads), one node per step (ids kept
 * where they are valid), a Parquet download target.
 * A table opened from the catalog (`catalogTables`: relation -> database.table) stays a catalog source, so the
 * job still reads it after a reload.
 */
export function jobFromSteps(name: string, input: string, steps: Step[], catalogTables: Record<string, { database: string; table: string }> = {}): JobDefinition {
  const def = newJob(name);
  const taken = new Set<string>();
  const unique = (base: string) => {
    let id = ident(base);
    for (let i = 2; taken.has(id); i++) id = `${ident(base)}_${i}`;
    taken.add(id);
    return id;
  };
  const sources = new Map<string, string>();
  const sourceFor = (table: string): string => {
    let id = sources.get(table);
    if (!id) {
      id = unique(table);
      sources.set(table, id);
      const origin = catalogTables[table];
      nodes.push({ id, kind: 'source', source: origin ? { type: 'catalog', database: origin.database, table: origin.table } : { type: 'table', name: table } });
    }
    return id;
  };
  const nodes: JobNode[] = [];
  let current = sourceFor(input);
  const nodeOf = new Map<string, string>();
  for (const step of steps) {
    const id = unique(step.id);
    nodeOf.set(step.id, id);
    const inputs = [current];
    const side = sideOf(step);
    // A side naming an earlier step's extra output (`relationalize_1:root_items`) reads that node's output.
    const extra = side ? /^([^:]+):(.+)$/.exec(side.value) : null;
    if (side) inputs.push(extra && nodeOf.has(extra[1]!) ? `${nodeOf.get(extra[1]!)}:${extra[2]}` : sourceFor(side.value));
    nodes.push({ id, kind: 'transform', inputs, step: { ...step, id } as Step });
    current = id;
  }
  nodes.push({ id: unique('download'), kind: 'target', inputs: [current], target: { type: 'download', name: ident(name), format: 'parquet', compression: 'snappy' } });
  return { ...def, nodes };
}
