import { CatalogError } from './errors';
import { snapshotFromBundle, type CatalogBundle } from './export-glue';
import type { Database, DatabaseInput, Partition, PartitionInput, Table, TableInput } from './glue-types';
import type { Change } from './changes';
import { catalogKey } from './names';
import type { Catalog } from './store';
import { tableInputOf } from './versions';
import { errorMessage } from '../util/errors';

/** What an import did. */
export interface ImportSummary { databases: number; tablesCreated: number; tablesUpdated: number; tablesUnchanged: number; partitions: number; objects: number }

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Epoch seconds (boto3/`--output json` of some tools) or ISO strings -> ISO strings. */
function isoTime(v: unknown): string | undefined {
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  if (typeof v === 'string') { const d = new Date(v); return Number.isNaN(d.getTime()) ? undefined : d.toISOString(); }
  return undefined;
}

/** The tables, databases and partitions in a document of any supported Glue shape. */
interface Parsed { databases: DatabaseInput[]; tables: { db: string; input: TableInput }[]; partitions: { db: string; table: string; input: PartitionInput }[] }

function parseDocument(doc: unknown, targetDb: string | undefined, fallbackDb?: string): Parsed | CatalogBundle {
  if (!isObj(doc)) throw new CatalogError('InvalidInputException', 'The file is not a JSON object.');
  if (doc.Format === 'epoxy-glue-catalog') return doc as unknown as CatalogBundle;
  const out: Parsed = { databases: [], tables: [], partitions: [] };
  const dbOf = (t: Json) => {
    const db = targetDb ?? (t.DatabaseName as string | undefined) ?? fallbackDb;
    if (!db) throw new CatalogError('InvalidInputException', `Table ${String(t.Name)} has no DatabaseName; choose the database to import into.`);
    return db;
  };
  const addTable = (t: Json) => {
    const input = tableInputOf(t as unknown as Table);
    for (const k of ['LastAccessTime', 'LastAnalyzedTime'] as const) if (input[k] !== undefined) input[k] = isoTime(input[k]);
    out.tables.push({ db: dbOf(t), input });
  };
  const addPartition = (db: string | undefined, table: string | undefined, p: Json) => {
    const d = targetDb ?? db ?? (p.DatabaseName as string | undefined) ?? fallbackDb;
    const tn = table ?? (p.TableName as string | undefined);
    if (!d || !tn) throw new CatalogError('InvalidInputException', 'A partition has no DatabaseName/TableName.');
    const { Values, LastAccessTime, StorageDescriptor, Parameters, LastAnalyzedTime } = p as unknown as Partition;
    out.partitions.push({ db: d, table: tn, input: { Values, LastAccessTime: isoTime(LastAccessTime), StorageDescriptor, Parameters, LastAnalyzedTime: isoTime(LastAnalyzedTime) } });
  };
  let recognized = false;
  if (isObj(doc.Table)) { addTable(doc.Table); recognized = true; } // get-table
  if (Array.isArray(doc.TableList)) { doc.TableList.filter(isObj).forEach(addTable); recognized = true; } // get-tables
  if (isObj(doc.TableInput)) { out.tables.push({ db: targetDb ?? String(doc.DatabaseName ?? fallbackDb ?? ''), input: tableInputOf(doc.TableInput as unknown as TableInput) }); recognized = true; } // create-table input
  if (isObj(doc.DatabaseInput)) { out.databases.push(doc.DatabaseInput as unknown as DatabaseInput); recognized = true; } // create-database input
  if (isObj(doc.Database)) { out.databases.push(doc.Database as unknown as Database); recognized = true; } // get-database
  if (Array.isArray(doc.DatabaseList)) { out.databases.push(...(doc.DatabaseList.filter(isObj) as unknown as Database[])); recognized = true; } // get-databases
  if (Array.isArray(doc.Partitions)) { doc.Partitions.filter(isObj).forEach((p) => addPartition(undefined, undefined, p)); recognized = true; } // get-partitions
  if (Array.isArray(doc.PartitionInputList)) { doc.PartitionInputList.filter(isObj).forEach((p) => addPartition(doc.DatabaseName as string, doc.TableName as string, p)); recognized = true; } // batch-create-partition
  if (!recognized) {
    throw new CatalogError('InvalidInputException', 'Not a Glue document Epoxy knows: expected the output of `aws glue get-table`, `get-tables`, `get-database(s)`, `get-partitions`, a create-table/create-database/batch-create-partition input, or an Epoxy catalog bundle.');
  }
  for (const t of out.tables) if (!t.db) throw new CatalogError('InvalidInputException', `Table ${t.input.Name} has no DatabaseName; choose the database to import into.`);
  return out;
}

/**
 * What in a Glue document names no database (tables by name, partitions as `partitions of <table>`), so the
 * importer can ask where they go before importing. Empty for a bundle, and for a document it cannot read
 * (importing it says why).
 */
export function withoutDatabase(doc: unknown): string[] {
  if (!isObj(doc) || doc.Format === 'epoxy-glue-catalog') return [];
  const named = (v: unknown) => typeof v === 'string' && v !== '';
  const out: string[] = [];
  const table = (t: unknown) => { if (isObj(t) && !named(t.DatabaseName)) out.push(String(t.Name ?? '(unnamed)')); };
  if (isObj(doc.Table)) table(doc.Table);
  if (Array.isArray(doc.TableList)) doc.TableList.forEach(table);
  if (isObj(doc.TableInput) && !named(doc.DatabaseName)) out.push(String(doc.TableInput.Name ?? '(unnamed)'));
  if (Array.isArray(doc.Partitions)) {
    for (const p of doc.Partitions) if (isObj(p) && !named(p.DatabaseName)) out.push(`partitions of ${String(p.TableName ?? '(unnamed)')}`);
  }
  if (Array.isArray(doc.PartitionInputList) && doc.PartitionInputList.length && !named(doc.DatabaseName)) out.push(`partitions of ${String(doc.TableName ?? '(unnamed)')}`);
  return [...new Set(out)];
}

/**
 * Import a Glue JSON document into the catalog in one transaction. `database` puts every table into that
 * database (the CLI's --database); `fallbackDatabase` only the tables and partitions that name none. A table that exists is updated when its
 * definition differs (the old one becomes a version) and left alone when identical; a missing database is
 * created; partitions are created or replaced. A bundle is restored with its history.
 */
export async function importGlueJson(catalog: Catalog, doc: unknown, opts: { database?: string; fallbackDatabase?: string; now?: string } = {}): Promise<ImportSummary> {
  const parsed = parseDocument(doc, opts.database && catalogKey(opts.database), catalogKey(opts.fallbackDatabase?.trim() ?? '') || undefined);
  if ('Format' in parsed) {
    const snapshot = snapshotFromBundle(parsed, opts.now ?? new Date().toISOString());
    await catalog.commit([{ op: 'restore', snapshot }]);
    return {
      databases: snapshot.databases.length, tablesCreated: snapshot.tables.length, tablesUpdated: 0, tablesUnchanged: 0,
      partitions: snapshot.partitions.length, objects: snapshot.objects.length,
    };
  }
  // Decisions (create or update) are made inside the one transaction, so a concurrent tab cannot slip between.
  const changes: Change[] = [];
  for (const d of parsed.databases) {
    const input: DatabaseInput = { Name: d.Name, Description: d.Description, LocationUri: d.LocationUri, Parameters: d.Parameters };
    changes.push({ op: 'ensureDatabase', database: input }, { op: 'updateDatabase', database: input });
  }
  for (const t of parsed.tables) {
    changes.push({ op: 'ensureDatabase', database: { Name: t.db } }, { op: 'putTable', databaseName: t.db, table: t.input });
  }
  const byTable = new Map<string, { db: string; table: string; inputs: PartitionInput[] }>();
  for (const p of parsed.partitions) {
    const key = `${p.db}\u0000${p.table}`;
    if (!byTable.has(key)) byTable.set(key, { db: p.db, table: p.table, inputs: [] });
    byTable.get(key)!.inputs.push(p.input);
  }
  for (const { db, table, inputs } of byTable.values()) changes.push({ op: 'putPartitions', databaseName: db, tableName: table, partitions: inputs });
  const { counts } = await catalog.commit(changes);
  return {
    databases: counts.databasesCreated, tablesCreated: counts.tablesCreated, tablesUpdated: counts.tablesUpdated, tablesUnchanged: counts.tablesUnchanged,
    partitions: counts.partitionsCreated + counts.partitionsUpdated, objects: 0,
  };
}

/** Parse JSON text with an error that says which file was wrong. */
export function parseJsonText(text: string, fileName = 'the file'): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CatalogError('InvalidInputException', `${fileName} is not valid JSON: ${errorMessage(err)}`);
  }
}
