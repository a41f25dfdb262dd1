/**
 * THE resolver from a catalog table to an engine relation: the SQL box (Athena in the tab), Transform, Jobs,
 * the scheduler and the CLI all read catalog tables through resolveTable, so a table reads the same everywhere.
 */
import type { Catalog } from '../catalog/store';
import type { Table } from '../catalog/glue-types';
import { catalogKey } from '../catalog/names';
import { quoteIdent } from '../engine/sql';
import type { QueryEngine } from './engine';
import { UnreachableLocationError, UnreachableTableError } from './errors';
import type { LocationLister, ResolvedFile } from './locations';
import { dataFiles, loadFiles, partitionValuesOf, planTable, type ReadPlan } from './read';

export type { LocationLister, ResolvedFile } from './locations';
export { UnreachableTableError, UnreachableLocationError, fixOf, type UnreachableFix } from './errors';

/** A condition on a partition key from a WHERE clause; values as text, compared by the key's Hive type. */
export interface PartitionPredicate {
  key: string;
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'in' | 'between';
  values: string[];
}

/** How to resolve a table. */
export interface ResolveOptions {
  /** The engine table to create (replaced when it exists); default `__epoxy_table_<db>_<table>`. */
  relation?: string;
  /** A schema to create the relation in (created when missing), e.g. the database's name for `db.table` SQL. */
  schema?: string;
  /** Only files whose partition values pass all of these are read (predicates on other names are ignored). */
  partitions?: PartitionPredicate[];
  /** Read files only until this many rows are in (previews): `files.read` counts the files actually read. */
  sampleRows?: number;
  /** A last choice of the files to read, after pruning (a job's bookmark skips files it processed). */
  select?: (files: ResolvedFile[]) => ResolvedFile[];
  signal?: AbortSignal;
}

/** A catalog table loaded as an engine relation, with what was read of how much. */
export interface ResolvedRelation {
  /** The table's name in the engine (in `schema` when one was given). */
  relation: string;
  schema?: string;
  /** `relation` quoted for SQL: `"db"."table"` or `"name"`. */
  sql: string;
  table: Table;
  rows: number;
  files: { read: number; total: number };
  bytes: { read: number; total: number };
  /** The data files read (paths under the location), for bookmarks and stats. */
  read: ResolvedFile[];
}

const NUMERIC = /^(tinyint|smallint|int|integer|bigint|float|double|real|decimal)\b/i;
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** -1/0/1 comparing a partition value with a literal by the key's Hive type; null when they do not compare. */
function compare(value: string, literal: string, hiveType: string): number | null {
  if (NUMERIC.test(hiveType.trim())) {
    const a = Number(value), b = Number(literal);
    if (value.trim() === '' || literal.trim() === '' || Number.isNaN(a) || Number.isNaN(b)) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (/^boolean$/i.test(hiveType.trim())) {
    const a = value.trim().toLowerCase(), b = literal.trim().toLowerCase();
    if (!['true', 'false'].includes(a) || !['true', 'false'].includes(b)) return null;
    return a === b ? 0 : a === 'false' ? -1 : 1;
  }
  // Strings, and ISO dates and timestamps, order as text (Athena compares dates the same way once typed).
  return value < literal ? -1 : value > literal ? 1 : 0;
}

/** Whether a partition value passes one predicate (SQL semantics: the default partition, NULL, passes none). */
export function passes(value: string, p: PartitionPredicate, hiveType = 'string'): boolean {
  if (value === HIVE_NULL) return false;
  const cmp = (lit: string | undefined) => (lit === undefined ? null : compare(value, lit, hiveType));
  switch (p.op) {
    case '=': return cmp(p.values[0]) === 0;
    case '<>': { const c = cmp(p.values[0]); return c !== null && c !== 0; }
    case '<': { const c = cmp(p.values[0]); return c !== null && c < 0; }
    case '<=': { const c = cmp(p.values[0]); return c !== null && c <= 0; }
    case '>': { const c = cmp(p.values[0]); return c !== null && c > 0; }
    case '>=': { const c = cmp(p.values[0]); return c !== null && c >= 0; }
    case 'in': return p.values.some((v) => cmp(v) === 0);
    case 'between': { const lo = cmp(p.values[0]), hi = cmp(p.values[1]); return lo !== null && hi !== null && lo >= 0 && hi <= 0; }
  }
}

/** The files whose partition values pass every predicate on one of the plan's partition keys. */
export function prunePartitions<F extends { path: string }>(files: F[], plan: Pick<ReadPlan, 'partitionKeys' | 'partitionTypes' | 'partitionFolderKeys'>, predicates: PartitionPredicate[] = []): F[] {
  const keys = plan.partitionKeys.map(catalogKey);
  const relevant = predicates.filter((p) => keys.includes(catalogKey(p.key)));
  if (!relevant.length) return files;
  return files.filter((f) => {
    const values = partitionValuesOf(f.path, plan.partitionKeys, plan.partitionFolderKeys);
    return relevant.every((p) => {
      const i = keys.indexOf(catalogKey(p.key));
      return passes(values[plan.partitionKeys[i]!] ?? '', p, plan.partitionTypes?.[i] ?? 'string');
    });
  });
}

class Aborted extends Error {
  constructor() { super('The read was stopped'); this.name = 'AbortError'; }
}

/** An engine whose every call first checks the signal, so a stop ends a many-file read between files. */
function abortable(engine: QueryEngine, signal: AbortSignal | undefined): QueryEngine {
  if (!signal) return engine;
  const check = () => { if (signal.aborted) throw new Aborted(); };
  return {
    query: async (sql, limit) => { check(); return engine.query(sql, limit); },
    open: async (n, s, size, d) => { check(); return engine.open(n, s, size, d); },
    close: (t) => engine.close(t),
    openRecords: async (n, s, o) => { check(); return engine.openRecords(n, s, o); },
  };
}

/**
 * Read the catalog table `database.table` into an engine relation: its location listed by `lister`, its data
 * files (of its classification) pruned by the partition predicates, each read as the catalog says (SerDe,
 * columns and their types, typed partition keys). A location this tab cannot reach throws
 * UnreachableTableError with the reason and fix; a table the catalog lacks throws the catalog's not-found error.
 */
export async function resolveTable(engine: QueryEngine, catalog: Catalog, database: string, table: string, lister: LocationLister, options: ResolveOptions = {}): Promise<ResolvedRelation> {
  const t = await catalog.getTable(database, table);
  return resolveLoaded(engine, t, database, lister, options);
}

/** resolveTable for a Table already in hand (a catalog JSON file in the CLI, a table version). */
export async function resolveLoaded(engine: QueryEngine, t: Table, database: string, lister: LocationLister, options: ResolveOptions = {}): Promise<ResolvedRelation> {
  const plan = planTable(t);
  const name = `${database}.${t.Name}`;
  if (!plan.location) throw new Error(`${name} has no location: the catalog does not say where its files are`);
  let listed: ResolvedFile[];
  try {
    listed = await lister.listFiles(plan.location);
  } catch (err) {
    if (err instanceof UnreachableLocationError) throw new UnreachableTableError(database, t.Name, err.reachability, plan.location);
    throw err;
  }
  options.signal?.throwIfAborted?.();
  const all = dataFiles(listed, plan.format, !!plan.grok);
  // Files compressed with a codec only Hadoop readers know would otherwise vanish from the listing unexplained.
  const packed = !all.length ? listed.find((f) => /\.(bz2|snappy|zst|lz4|lzo|deflate)$/i.test(f.path)) : undefined;
  if (packed) throw new Error(`${name}: ${packed.path} is compressed with ${packed.path.split('.').pop()}, which Epoxy does not read (gzip .gz is read); recompress the files with gzip or write them as Parquet`);
  if (!all.length && !plan.columns.length) throw new Error(`${name}: no ${plan.format ?? 'data'} files at ${plan.location}`);
  const pruned = prunePartitions(all, plan, options.partitions);
  const read = options.select ? options.select(pruned) : pruned;
  const relation = options.relation ?? `__epoxy_table_${catalogKey(database)}_${catalogKey(t.Name)}`;
  const target = { name: relation, ...(options.schema ? { schema: options.schema } : {}) };
  const done: ResolvedFile[] = [];
  const rows = await loadFiles(abortable(engine, options.signal), target, read, plan, all[0], { onFile: (f) => done.push(f), ...(options.sampleRows !== undefined ? { stopAfterRows: options.sampleRows } : {}) });
  const sum = (fs: ResolvedFile[]) => fs.reduce((n, f) => n + f.size, 0);
  return {
    relation,
    ...(options.schema ? { schema: options.schema } : {}),
    sql: options.schema ? `${quoteIdent(options.schema)}.${quoteIdent(relation)}` : quoteIdent(relation),
    table: t,
    rows,
    files: { read: done.length, total: all.length },
    bytes: { read: sum(done), total: sum(all) },
    read: done,
  };
}
