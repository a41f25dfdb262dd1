import type { Catalog } from '../../catalog/store';
import { athenaSafe } from '../../catalog/names';
import type { JobDefinition } from '../../jobs/model';
import { executeJob, type JobRunEnv } from '../../jobs/run';

/** Where a result is saved: a catalog table in the workspace (OPFS Parquet), as a job's workspace target writes one. */
export interface SaveTarget {
  database: string;
  table: string;
  /** Replace a table of that name (else an existing one is refused). */
  replace: boolean;
}

/** The workspace folder a saved result goes to: the same `lake/<table>` a job's workspace target uses by default. */
export function savePath(database: string, table: string): string {
  return database === 'default' ? `lake/${table}` : `lake/${database}/${table}`;
}

/** Why a database or table name can't be used, in words, or null. Names a user types in SQL unquoted. */
export function saveNameProblem(kind: 'database' | 'table', name: string): string | null {
  if (!name.trim()) return `Give the ${kind} a name.`;
  if (!athenaSafe(name)) return `A ${kind} name is lowercase letters, digits and _ (not starting with a digit), so SQL can name it unquoted: “${name}” is not.`;
  return null;
}

/**
 * Save a kept result (an engine relation) as a catalog table: a one-source, one-target job run through the job
 * runner, so the Parquet lands in a new version folder in OPFS and the table is registered in the same
 * commit (src/jobs/publish.ts: a killed tab leaves the old table or the new one). Returns rows written.
 */
export async function saveResultAsTable(env: JobRunEnv & { catalog: Catalog }, relation: string, target: SaveTarget): Promise<{ rows: number; location: string }> {
  const problem = saveNameProblem('database', target.database) ?? saveNameProblem('table', target.table);
  if (problem) throw new Error(problem);
  const existing = await env.catalog.getTable(target.database, target.table).catch(() => null);
  if (existing && !target.replace) throw new Error(`${target.database}.${target.table} already exists: pick another name, or tick “Replace” to overwrite it.`);
  const def: JobDefinition = {
    version: 1,
    name: `Save result as ${target.database}.${target.table}`,
    bookmark: 'job-bookmark-disable',
    parameters: [],
    nodes: [
      { id: 'result', kind: 'source', source: { type: 'table', name: relation } },
      { id: 'save', kind: 'target', inputs: ['result'], target: { type: 'workspace', format: 'parquet', path: savePath(target.database, target.table), database: target.database, table: target.table, mode: 'overwrite' } },
    ],
  };
  const result = await executeJob(def, env, { runId: `jr_save${Date.now().toString(36)}` });
  if (result.state !== 'SUCCEEDED') throw new Error(result.error ?? `saving stopped: ${result.state}`);
  const table = await env.catalog.getTable(target.database, target.table);
  return { rows: result.rowsWritten, location: table.StorageDescriptor?.Location ?? '' };
}
