/**
 * Athena in the tab, the running half: a user's SQL with catalog tables in it runs on the user's own engine
 * connection. Each catalog table it names is resolved (resolve.ts) into a relation of the engine's main
 * database, pruned by the partition predicates of the query's WHERE, and shown to the SQL under its own
 * schema as a view `"db"."table"`; the SQL's references are rewritten to that view (quoted, so names
 * like `default` work), and everything else of the text runs verbatim. Catalog statements (SHOW, DESCRIBE,
 * USE) are answered from the catalog. A resolved table is kept per (table version, listing, predicates)
 * for the tab's next queries.
 */
import type { BoundedResult } from '../engine/engine';
import { quoteIdent } from '../engine/sql';
import { mayWrite, tokenize } from '../engine/sql-tokens';
import type { Table } from '../catalog/glue-types';
import { catalogKey } from '../catalog/names';
import type { Catalog } from '../catalog/store';
import type { QueryEngine } from './engine';
import type { LocationLister, ResolvedFile } from './locations';
import { fixOf, prunePartitions, resolveTable, UnreachableTableError, type ResolvedRelation, type UnreachableFix } from './resolve';
import { dataFiles, planTable } from './read';
import {
  analyzeSql, answerCatalogStatement, parseCatalogStatement, partitionPredicates, rewriteReferences, targetOf,
  type CatalogReader, type CatalogStatement, type NameScope, type PartitionPredicate,
} from './athena';

/** What a resolver gives back of resolve.ts's ResolvedRelation. */
export type ResolvedTable = Pick<ResolvedRelation, 'sql' | 'table' | 'files' | 'bytes'>;

/** Resolve catalog table `database.table` into `schema.relation`, reading only partitions that pass (resolveTable's shape). */
export type TableResolver = (database: string, table: string, options: { relation: string; schema: string; partitions: PartitionPredicate[]; signal?: AbortSignal }) => Promise<ResolvedTable>;

/** The resolver of a catalog: resolve.ts's resolveTable over this engine, catalog and lister. */
export function catalogResolver(engine: QueryEngine, catalog: Catalog, lister: LocationLister): TableResolver {
  return (database, table, options) => resolveTable(engine, catalog, database, table, lister, options);
}

/**
 * A lister that lists each location once per run: the fingerprint (listingOf) and the resolver read the same
 * listing, so a presigned S3 listing is fetched once per query, not twice. `reset` forgets (a run starts).
 */
export function memoLister(lister: LocationLister): LocationLister & { reset(): void } {
  let memo = new Map<string, Promise<ResolvedFile[]>>();
  return {
    listFiles(location) {
      let p = memo.get(location);
      if (!p) {
        p = lister.listFiles(location);
        memo.set(location, p);
        // A failed listing is not kept: the fix (a permission click) makes the next try list again.
        p.catch(() => memo.delete(location));
      }
      return p;
    },
    reset() { memo = new Map(); },
  };
}

/** An Athena session over a catalog and the places its tables are (the app's and the CLI's way to make one). */
export function catalogSession(engine: AthenaEngine & QueryEngine, catalog: Catalog, lister: LocationLister): AthenaSession {
  const listed = memoLister(lister);
  return new AthenaSession(engine, catalog, catalogResolver(engine, catalog, listed), listingOf(listed), () => listed.reset());
}

/**
 * A fingerprint of the files a read would choose (the table's data files at its location, pruned by the
 * predicates as resolveTable prunes them: paths, sizes, dates, ETags), so a kept table is reused only while it
 * holds exactly those files. Listing is cheap next to reading (no data is read).
 */
export function listingOf(lister: LocationLister): (table: Table, partitions: PartitionPredicate[]) => Promise<string | null> {
  return async (table, partitions) => {
    const plan = planTable(table);
    if (!plan.location) return null;
    const chosen = prunePartitions(dataFiles(await lister.listFiles(plan.location), plan.format, !!plan.grok), plan, partitions);
    return JSON.stringify(chosen.map((f) => [f.path, f.size, f.lastModified ?? null, f.etag ?? null]).sort());
  };
}

/** The engine calls a session makes: the engine's connection (views, drops) and the user's (the SQL). */
export interface AthenaEngine {
  query(sql: string, limit?: number): Promise<BoundedResult>;
  userQuery(sql: string, limit?: number): Promise<BoundedResult>;
}

/** What one catalog table of a query read. */
export interface TableStats {
  database: string;
  table: string;
  files: { read: number; total: number };
  bytes: { read: number; total: number };
  /** The partition predicates that chose the files (empty: the whole table). */
  partitions: PartitionPredicate[];
  /** True when the table came from this tab's cache (nothing was read for this query). */
  cached: boolean;
}

/** The outcome of a run: rows (with what each catalog table read), or a table this tab cannot reach and the fix. */
export type AthenaOutcome =
  | { kind: 'rows'; result: BoundedResult; stats: TableStats[]; defaultDatabase?: string }
  | { kind: 'unreachable'; database: string; table: string; location: string; reason: string; fix: string; action: UnreachableFix };

/** Options of one run. */
export interface AthenaRunOptions {
  /** The database unqualified names are looked up in (the workbench's chosen one), or null. */
  defaultDatabase: string | null;
  /** The relations the user opened in the Workspace: an unqualified name they hold stays theirs. */
  opened?: Iterable<string>;
  limit?: number;
  signal?: AbortSignal;
}

/** The engine schema resolved tables live in, out of the user's main schema (the views point into it). */
export const RESOLVED_SCHEMA = 'athena$resolved';

/**
 * Names DuckDB (or this session) keeps for itself: a catalog database named like one gets a schema
 * `<name>$catalog` instead. An imported catalog may name a database anything: one named `athena$resolved`
 * would put its views among the resolved tables, under the name the next resolved table takes.
 */
const DUCK_SCHEMAS = new Set(['main', 'temp', 'pg_catalog', 'information_schema', 'memory', 'system', RESOLVED_SCHEMA]);

/** The schema of the engine that holds a catalog database's views. */
export function schemaOf(database: string): string {
  return DUCK_SCHEMAS.has(database) ? `${database}$catalog` : database;
}

interface CacheEntry { key: string; relation: string; resolved: ResolvedTable }

/** Numbers the relations of every session of this engine's thread: two sessions never share a name. */
let relationCounter = 0;

/** How many resolved tables a tab keeps (each is a table in DuckDB's memory). */
export const CACHE_SIZE = 6;

/**
 * A tab's Athena: runs user SQL over the catalog and the user's opened tables, keeping resolved tables for
 * the next queries (least recently used dropped first).
 */
export class AthenaSession {
  private readonly cache: CacheEntry[] = [];
  private catalogName: string | null = null;

  constructor(
    private readonly engine: AthenaEngine,
    private readonly catalog: CatalogReader,
    private readonly resolve: TableResolver,
    /**
     * A cheap fingerprint of the files a read of the table with these predicates would choose now (paths, sizes,
     * dates), or null if unknown: a kept table is reused while the chosen files are the same.
     */
    private readonly listing: (table: Table, partitions: PartitionPredicate[]) => Promise<string | null> = async () => null,
    /** Called as each run starts (a per-run listing memo forgets what it listed). */
    private readonly beforeRun: () => void = () => {},
  ) {}

  /** Run one SQL text: a catalog statement, or SQL whose catalog tables are resolved first. */
  async run(sql: string, options: AthenaRunOptions): Promise<AthenaOutcome> {
    const started = performance.now();
    this.beforeRun();
    const opened = new Set([...(options.opened ?? [])]);
    const statement = parseCatalogStatement(sql, opened);
    if (statement && !(await this.catalogAnswers(statement, options.defaultDatabase))) {
      // `SHOW TABLES` with no database chosen, `DESCRIBE t` of a table the catalog lacks: DuckDB's own answer.
      const result = await this.userQuery(sql, options.limit);
      return { kind: 'rows', result: { ...result, elapsedMs: performance.now() - started }, stats: [] };
    }
    if (statement) {
      const answer = await answerCatalogStatement(statement, this.catalog, options.defaultDatabase);
      const result: BoundedResult = { ...answer.result, truncated: false, totalRows: answer.result.rows.length, elapsedMs: performance.now() - started };
      return { kind: 'rows', result, stats: [], ...(answer.defaultDatabase ? { defaultDatabase: answer.defaultDatabase } : {}) };
    }
    for (const r of this.transient.splice(0)) await this.dropRelation(r);
    const analysis = analyzeSql(sql);
    if (analysis.problem) throw new Error(analysis.problem);
    const scope = await this.nameScope(analysis.references.map((r) => r.database), options.defaultDatabase, opened);
    const targets = analysis.references.map((ref) => ({ ref, target: targetOf(ref, analysis, scope) }));
    const missing = targets.find((t) => t.target.kind === 'missing');
    if (missing && missing.target.kind === 'missing') throw new Error(missing.target.message);

    const tables = new Map<string, Table>();
    for (const { target } of targets) {
      if (target.kind !== 'catalog') continue;
      const id = `${target.database}.${target.table}`;
      if (!tables.has(id)) tables.set(id, await this.catalog.getTable(target.database, target.table));
    }
    const keysOf = (ref: typeof targets[number]['ref']) => {
      const t = targets.find((x) => x.ref === ref)!.target;
      return t.kind === 'catalog' ? (tables.get(`${t.database}.${t.table}`)!.PartitionKeys ?? []).map((k) => k.Name) : [];
    };
    const stats: TableStats[] = [];
    for (const [id, table] of tables) {
      const refs = targets.filter((t) => t.target.kind === 'catalog' && `${t.target.database}.${t.target.table}` === id).map((t) => t.ref);
      const keys = (table.PartitionKeys ?? []).map((k) => ({ name: k.Name, ...(k.Type ? { type: k.Type } : {}) }));
      // A table named twice is read once: pruned only when every reference prunes it alike.
      const each = refs.map((r) => partitionPredicates(analysis, r, keys, keysOf));
      const same = each.every((p) => JSON.stringify(p) === JSON.stringify(each[0]));
      const partitions = same ? each[0] ?? [] : [];
      try {
        stats.push(await this.bind(table, partitions, options.signal));
      } catch (err) {
        if (!(err instanceof UnreachableTableError)) throw err;
        const r = err.reachability;
        return { kind: 'unreachable', database: catalogKey(table.DatabaseName), table: catalogKey(table.Name), location: err.location, reason: r.reason, fix: r.fix, action: fixOf(err) };
      }
    }
    const catalogName = await this.duckCatalog();
    const rewritten = rewriteReferences(sql, analysis.references, (ref) => {
      const t = targets.find((x) => x.ref === ref)!.target;
      return t.kind === 'catalog' ? `${quoteIdent(catalogName)}.${quoteIdent(schemaOf(t.database))}.${quoteIdent(t.table)}` : null;
    });
    const result = await this.userQuery(rewritten, options.limit);
    return { kind: 'rows', result: { ...result, elapsedMs: performance.now() - started }, stats };
  }

  /**
   * The user's SQL on their connection. The resolved tables are ordinary tables that connection can reach
   * (`DELETE FROM "athena$resolved"…`, then `INSERT` fake rows): SQL that may write drops every kept table
   * afterwards, even when it failed halfway, so a later query never reads rows the catalog's files don't hold.
   */
  private async userQuery(sql: string, limit?: number): Promise<BoundedResult> {
    const writes = mayWrite(tokenize(sql).tokens);
    try {
      return await this.engine.userQuery(sql, limit);
    } finally {
      if (writes) await this.clear();
    }
  }

  /**
   * Whether the catalog answers a statement: always, except an unqualified SHOW TABLES with no default database
   * and DESCRIBE of an unqualified name the default database lacks (the user's own tables: DuckDB answers).
   */
  private async catalogAnswers(stmt: CatalogStatement, defaultDatabase: string | null): Promise<boolean> {
    if (stmt.kind === 'tables') return stmt.database !== null || defaultDatabase !== null;
    if (stmt.kind !== 'columns' || stmt.database !== null) return true;
    if (defaultDatabase === null) return false;
    const db = catalogKey(defaultDatabase);
    if (!(await this.catalog.getDatabases()).some((d) => catalogKey(d.Name) === db)) return true;
    return (await this.catalog.getTables(db)).some((t) => catalogKey(t.Name) === stmt.table);
  }

  /** Drop every resolved table this session made (a catalog change, or the tab going away). */
  async clear(): Promise<void> {
    for (const entry of this.cache.splice(0)) await this.dropRelation(entry.relation);
    for (const r of this.transient.splice(0)) await this.dropRelation(r);
  }

  private async nameScope(databases: (string | null)[], defaultDatabase: string | null, opened: Set<string>): Promise<NameScope> {
    const known = new Set((await this.catalog.getDatabases()).map((d) => catalogKey(d.Name)));
    const wanted = new Set<string>();
    for (const d of databases) if (d !== null && known.has(d)) wanted.add(d);
    const def = defaultDatabase === null ? null : catalogKey(defaultDatabase);
    if (def !== null && known.has(def) && databases.includes(null)) wanted.add(def);
    const tables = new Map<string, Set<string>>();
    for (const d of known) tables.set(d, new Set());
    for (const d of wanted) tables.set(d, new Set((await this.catalog.getTables(d)).map((t) => catalogKey(t.Name))));
    return { tables, defaultDatabase: def, opened };
  }

  /** Resolve a table (or take it from the cache) and point its view `"db"."table"` at it. */
  private async bind(table: Table, partitions: PartitionPredicate[], signal?: AbortSignal): Promise<TableStats> {
    const database = catalogKey(table.DatabaseName);
    const name = catalogKey(table.Name);
    const listing = await this.listing(table, partitions).catch(() => null);
    const key = JSON.stringify([database, name, table.VersionId ?? '', listing]);
    let entry = listing === null ? undefined : this.cache.find((e) => e.key === key);
    const cached = !!entry;
    if (entry) this.cache.splice(this.cache.indexOf(entry), 1);
    else {
      // Not temporary (an internal name would be): the user's connection reads it through the view.
      const relation = `${database}.${name} #${++relationCounter}`;
      const resolved = await this.resolve(database, name, { relation, schema: RESOLVED_SCHEMA, partitions, ...(signal ? { signal } : {}) });
      entry = { key, relation: resolved.sql, resolved };
    }
    // Without a fingerprint a resolved table can't be told stale: it serves this query only.
    if (listing === null) this.transient.push(entry.relation);
    else {
      this.cache.unshift(entry);
      for (const old of this.cache.splice(CACHE_SIZE)) await this.dropRelation(old.relation);
    }
    const schema = quoteIdent(schemaOf(database));
    await this.engine.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`, 0);
    await this.engine.query(`CREATE OR REPLACE VIEW ${schema}.${quoteIdent(name)} AS SELECT * FROM ${entry.relation}`, 0);
    return { database, table: name, files: entry.resolved.files, bytes: entry.resolved.bytes, partitions, cached };
  }

  /** Tables resolved for the last query only (see bind), dropped when the next one starts. */
  private transient: string[] = [];

  /** Drop a resolved table (`relation` is its quoted `"schema"."name"`). */
  private async dropRelation(relation: string): Promise<void> {
    await this.engine.query(`DROP TABLE IF EXISTS ${relation}`, 0);
  }

  private async duckCatalog(): Promise<string> {
    this.catalogName ??= String((await this.engine.query('SELECT current_database()', 1)).rows[0]?.[0] ?? 'memory');
    return this.catalogName;
  }
}

/** A byte count as people read it: 950 B, 1.2 kB, 3.4 MB (powers of 1000, as file managers show). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A predicate as SQL would write it: `year = '2024'`, `month IN ('01', '02')`, `day BETWEEN '1' AND '9'`. */
export function predicateText(p: PartitionPredicate): string {
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  if (p.op === 'in') return `${p.key} IN (${p.values.map(lit).join(', ')})`;
  if (p.op === 'between') return `${p.key} BETWEEN ${lit(p.values[0] ?? '')} AND ${lit(p.values[1] ?? '')}`;
  return `${p.key} ${p.op} ${lit(p.values[0] ?? '')}`;
}

/** One line of query stats for a catalog table: `sales.orders: 1 of 3 files, 27 B of 95 B read (year = '2024')`. */
export function statsLine(s: TableStats): string {
  const files = `${s.files.read} of ${s.files.total} file${s.files.total === 1 ? '' : 's'}`;
  const bytes = `${formatBytes(s.bytes.read)} of ${formatBytes(s.bytes.total)}`;
  const pruned = s.partitions.length ? ` (partitions: ${s.partitions.map(predicateText).join(' AND ')})` : '';
  return `${s.database}.${s.table}: ${files}, ${bytes}${s.cached ? ' already read in this tab' : ' read'}${pruned}`;
}
