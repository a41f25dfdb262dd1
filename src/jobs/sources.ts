/**
 * Source nodes: where a source's files are (a catalog table's location, a path). Reading a catalog table's
 * files is query/'s (the one resolver); what stays here is job-specific: file sources and --input overrides.
 */
import type { Catalog } from '../catalog/store';
import type { Table } from '../catalog/glue-types';
import { planTable, type ReadPlan } from '../query/read';
import type { SourceNode } from './model';

export type { ResolvedFile } from '../query/locations';
export { dataFiles, formatOfName, loadFiles, partitionValuesOf } from '../query/read';

/** Where the files of a source are, and what is known about them before reading (query/'s ReadPlan). */
export type SourcePlan = ReadPlan;

/** Where a source's files are and what the catalog knows about them (an override path replaces the location). */
export async function planSource(node: SourceNode, catalog: Catalog | undefined, override?: string): Promise<SourcePlan> {
  const s = node.source;
  if (s.type === 'catalog') {
    if (!catalog && !override) throw new Error(`Source ${node.id} reads catalog table ${s.database}.${s.table}, but no catalog is open (give --input ${node.id}=PATH)`);
    let table: Table | null = null;
    if (catalog) table = await catalog.getTable(s.database, s.table).catch((err) => { if (override) return null; throw err; });
    return planTable(table, override);
  }
  if (s.type === 'file') return { location: override ?? s.path, format: s.format ?? null, columns: [], partitionKeys: [], ...(s.rowTag ? { rowTag: s.rowTag } : {}) };
  return { location: override ?? '', format: null, columns: [], partitionKeys: [] };
}
