/**
 * Athena-safe names as a choice: rename the columns and partition keys Athena can only use quoted
 * ("beak length (mm)" -> beak_length_mm) while keeping where the data is found. The file's name is kept in
 * the column's Parameters (ORIGINAL_NAME), and a JSON table's OpenX SerDe gets `mapping.<new>=<old>`, so
 * Epoxy, Athena and Glue all still read the renamed column from the same files.
 */
import type { Column, Partition, PartitionInput, StorageDescriptor, TableInput } from './glue-types';
import { HIVE } from './formats';
import type { Change } from './changes';
import type { Catalog } from './store';
import { tableInputOf } from './versions';
import { athenaSafe, catalogKey, normalizedNames, ORIGINAL_NAME, sourceNameOf } from './names';

/** One rename the normalisation makes. */
export interface NameChange {
  kind: 'column' | 'partition key';
  from: string;
  to: string;
}

/** The columns and partition keys of a table that Athena cannot use unquoted, with the Athena-safe name each would get. */
export function athenaUnsafeNames(table: Pick<TableInput, 'StorageDescriptor' | 'PartitionKeys'>): NameChange[] {
  const columns = table.StorageDescriptor?.Columns ?? [];
  const keys = table.PartitionKeys ?? [];
  const all = [...columns.map((c) => c.Name), ...keys.map((k) => k.Name)];
  const safe = normalizedNames(all);
  return all.flatMap((from, i) => (athenaSafe(from) ? [] : [{ kind: i < columns.length ? 'column' as const : 'partition key' as const, from, to: safe[i]! }]));
}

/** A column under a new name that remembers the name its files use (the first original wins on a second rename). */
export function renamedColumn(column: Column, to: string): Column {
  if (to === column.Name) return column;
  const original = sourceNameOf(column);
  const Parameters = { ...(column.Parameters ?? {}) };
  if (original === to) delete Parameters[ORIGINAL_NAME];
  else Parameters[ORIGINAL_NAME] = original;
  const next: Column = { ...column, Name: to };
  if (Object.keys(Parameters).length) next.Parameters = Parameters; else delete next.Parameters;
  return next;
}

function renameAll(columns: Column[] | undefined, to: Map<string, string>): Column[] | undefined {
  // Partitions written before names were lowercased everywhere may spell a column "Species": match as the catalog does.
  return columns?.map((c) => (to.has(catalogKey(c.Name)) ? renamedColumn({ ...c, Name: catalogKey(c.Name) }, to.get(catalogKey(c.Name))!) : c));
}

// The OpenX JSON SerDe finds a Hive column under another JSON key through `mapping.<column>`; Athena honours it.
function withJsonMappings(sd: StorageDescriptor, columns: Column[] | undefined): StorageDescriptor {
  const serde = sd.SerdeInfo;
  if (serde?.SerializationLibrary !== HIVE.openxJson || !columns) return sd;
  const Parameters = Object.fromEntries(Object.entries(serde.Parameters ?? {}).filter(([k]) => !k.startsWith('mapping.')));
  for (const c of columns) if (sourceNameOf(c) !== c.Name) Parameters[`mapping.${c.Name}`] = sourceNameOf(c);
  return { ...sd, SerdeInfo: { ...serde, Parameters } };
}

/** A storage descriptor (a table's or a partition's) with the renames applied. */
function renamedStorage(sd: StorageDescriptor | undefined, to: Map<string, string>): StorageDescriptor | undefined {
  if (!sd) return sd;
  const Columns = renameAll(sd.Columns, to);
  return withJsonMappings({ ...sd, ...(Columns ? { Columns } : {}) }, Columns);
}

/** The table (columns and partition keys) and its partitions' storage with the renames `to` (lowercased catalog name -> new name). */
function withRenames(table: TableInput, partitions: PartitionInput[], to: Map<string, string>): { table: TableInput; partitions: PartitionInput[] } {
  const next: TableInput = { ...table };
  const sd = renamedStorage(table.StorageDescriptor, to);
  if (sd) next.StorageDescriptor = sd;
  const keys = renameAll(table.PartitionKeys, to);
  if (keys) next.PartitionKeys = keys;
  return { table: next, partitions: partitions.map((p) => (p.StorageDescriptor ? { ...p, StorageDescriptor: renamedStorage(p.StorageDescriptor, to)! } : p)) };
}

/**
 * The table and its partitions with every Athena-unsafe column and partition key renamed to its safe form
 * (`athenaUnsafeNames`). Nothing changes when every name is already safe.
 */
export function withAthenaSafeNames(table: TableInput, partitions: PartitionInput[] = []): { table: TableInput; partitions: PartitionInput[]; changes: NameChange[] } {
  const changes = athenaUnsafeNames(table);
  if (!changes.length) return { table, partitions, changes };
  return { ...withRenames(table, partitions, new Map(changes.map((c) => [c.from, c.to]))), changes };
}

/**
 * Make a stored table's names Athena-safe in one commit: the table (a new version; refused with
 * ConcurrentModificationException when `expectedVersionId` is not the stored one) and its partitions'
 * storage descriptors together. Returns the renames made (none: nothing was written).
 */
export async function normalizeStoredTable(catalog: Catalog, databaseName: string, tableName: string, expectedVersionId?: string): Promise<NameChange[]> {
  const stored = await catalog.getTable(databaseName, tableName);
  const partitions = stored.PartitionKeys?.length ? await catalog.getPartitions(databaseName, tableName) : [];
  const next = withAthenaSafeNames(tableInputOf(stored), partitions.map(partitionInputOf));
  if (!next.changes.length) return [];
  const changes: Change[] = [{ op: 'updateTable', databaseName, table: next.table, expectedVersionId: expectedVersionId ?? stored.VersionId ?? '0' }];
  if (next.partitions.length) changes.push({ op: 'putPartitions', databaseName, tableName, partitions: next.partitions });
  await catalog.commit(changes);
  return next.changes;
}

function partitionInputOf(p: Partition): PartitionInput {
  const { DatabaseName: _d, TableName: _t, CreationTime: _c, CatalogId: _i, ...input } = p;
  return input;
}

/**
 * A crawl's table with the renames a person made in the catalog carried over: a column the prior version
 * renamed (its ORIGINAL_NAME is the name the crawl found) keeps its catalog name, so a recrawl does not
 * undo a normalisation or an edit. Partitions get the same renames.
 */
export function withPriorRenames(prior: Pick<TableInput, 'StorageDescriptor' | 'PartitionKeys'>, table: TableInput, partitions: PartitionInput[]): { table: TableInput; partitions: PartitionInput[] } {
  const to = new Map<string, string>();
  for (const c of [...(prior.StorageDescriptor?.Columns ?? []), ...(prior.PartitionKeys ?? [])]) {
    if (sourceNameOf(c) !== c.Name) to.set(catalogKey(sourceNameOf(c)), c.Name);
  }
  return to.size ? withRenames(table, partitions, to) : { table, partitions };
}
