/**
 * The job arguments a job's exported Glue script reads with getResolvedOptions (besides JOB_NAME, which Glue
 * passes itself). The script export and the Glue API export (create-job's DefaultArguments) both follow this
 * list, so a job created from the export starts with every argument its script asks for.
 */
import type { GlueJobFacts, ScriptArgument } from '../catalog/export-glue-etl';
import type { JobDefinition } from './model';

export type { ScriptArgument };

/** The arguments the Glue script of `def` reads, in the order the script lists them (sources in node order). */
export function glueScriptArguments(def: JobDefinition): ScriptArgument[] {
  const out: ScriptArgument[] = [];
  for (const node of def.nodes) {
    if (node.kind !== 'source' || node.source.type === 'catalog') continue;
    const s = node.source;
    out.push({ name: `input_${node.id}`, kind: 'input', nodeId: node.id, source: s.type === 'file' ? { type: 'file', path: s.path, ...(s.format ? { format: s.format } : {}) } : { type: 'table', name: s.name } });
  }
  // S3 targets write to their own s3:// location; the others under --output_base.
  if (def.nodes.some((n) => n.kind === 'target' && n.target.type !== 's3')) out.push({ name: 'output_base', kind: 'output_base' });
  for (const p of def.parameters) out.push({ name: p.name, kind: 'parameter', default: p.default });
  return out;
}

/** What the Glue API export needs of a stored job's DAG (GlueExportOptions.jobFacts), or null when it holds none. */
export function glueJobFacts(definition: unknown): GlueJobFacts | null {
  const def = definition as JobDefinition | undefined;
  if (!def || !Array.isArray(def.nodes) || !Array.isArray(def.parameters)) return null;
  return {
    bookmark: def.bookmark,
    arguments: glueScriptArguments(def),
    registersTables: def.nodes.some((n) => n.kind === 'target' && n.target.type === 'workspace' && !!n.target.table),
  };
}
