/**
 * The job arguments a job's exported Glue script reads with getResolvedOptions (besides JOB_NAME, which Glue
 * passes itself). The script export and the Glue API export (create-job's DefaultArguments) both follow this
 * list, so a job created from the export starts with every argument its script asks for.
 */
import type { JobDefinition } from './model';

/** One argument the script reads: `--<name>` on the command line. */
export type ScriptArgument =
  /** The S3 path a file or open-table source reads (local in the tab; on Glue it must be on S3). */
  | { name: string; kind: 'input'; nodeId: string; source: { type: 'file'; path: string; format?: string } | { type: 'table'; name: string } }
  /** The S3 folder workspace and download targets write under. */
  | { name: 'output_base'; kind: 'output_base' }
  /** A job parameter with its default. */
  | { name: string; kind: 'parameter'; default: string };

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
