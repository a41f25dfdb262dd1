/**
 * The Glue scripts of a catalog's Epoxy jobs, for the Glue API export (CLI and app alike). Without a run, a
 * script knows the schemas of catalog-table sources and what the steps make of them; a job reading files
 * needs a run first (`epoxy run --export-glue`, or the job's Export panel), and is reported instead.
 */
import type { CatalogBundle } from '../catalog/export-glue';
import type { Job } from '../catalog/glue-types';
import { scriptFileName } from '../catalog/export-glue-etl';
import { parseType, type StructField } from '../schema/types';
import { errorMessage } from '../util/errors';
import { checkJob } from './compile';
import { exportGlueScript } from './export-pyspark';
import type { JobDefinition } from './model';

/** A stored job's DAG, or null for a job imported from Glue without one. */
export const definitionOf = (job: Job): JobDefinition | null => (job.Epoxy?.['definition'] as JobDefinition | undefined) ?? null;

/**
 * The node schemas known without reading data: catalog sources' columns (then partition keys, as the tab reads
 * them) and what the steps make of them.
 */
export function knownSchemas(bundle: CatalogBundle, def: JobDefinition): Record<string, StructField[]> {
  const known: Record<string, StructField[]> = {};
  for (const n of def.nodes) {
    if (n.kind !== 'source' || n.source.type !== 'catalog') continue;
    const { database, table } = n.source;
    const t = bundle.Tables.find((x) => x.DatabaseName === database && x.TableInput.Name === table)?.TableInput;
    if (!t) continue;
    try {
      known[n.id] = [...(t.StorageDescriptor?.Columns ?? []), ...(t.PartitionKeys ?? [])].map((c) => ({ name: c.Name, type: parseType(c.Type ?? 'string') }));
    } catch { /* a type the parser refuses: the body says the schema is unknown, naming the node */ }
  }
  const schemas: Record<string, StructField[]> = {};
  for (const [id, s] of Object.entries(checkJob(def, known).schemas)) if (s) schemas[id] = s;
  return schemas;
}

/** Each Epoxy job's script as `scripts/<job>.py`, and the jobs whose script needs a run first, with why. */
export function glueScriptsOf(bundle: CatalogBundle): { files: { path: string; text: string }[]; failed: { job: string; why: string }[] } {
  const files: { path: string; text: string }[] = [];
  const failed: { job: string; why: string }[] = [];
  for (const j of bundle.Jobs ?? []) {
    const def = definitionOf(j);
    if (!def) continue;
    try {
      files.push({ path: `scripts/${scriptFileName(j.Name)}`, text: exportGlueScript(def, { schemas: knownSchemas(bundle, def) }) });
    } catch (err) {
      failed.push({ job: j.Name, why: errorMessage(err) });
    }
  }
  return { files, failed };
}

/** The create commands of an export's files in the order to run them: `databases/: create-database`, … */
export function creationOrder(files: { path: string; operation: string }[]): string[] {
  return [...new Set(files.map((f) => `${f.path.split('/')[0]}/: ${f.operation.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}`))];
}
