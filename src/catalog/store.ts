import { wrap, type IDBPDatabase } from 'idb';
import { applyChange, emptySnapshot, type Change, type CommitCounts, type CommitResult, type Snapshot, type VersionCheck } from './changes';
import { CatalogError, notFound, storageError } from './errors';
import { blockedMessage, reportDatabaseUpgrade, versionChangeMessage } from '../storage/db-upgrades';
import { wrapDatabase, wrapUpgrade } from '../storage/wrap';
import type { CrawlerRun, Database, DatabaseInput, JobRun, ObjectKind, ObjectTypes, ObjectVersion, Partition, PartitionInput, Table, TableInput, TableVersion } from './glue-types';
import { catalogKey } from './names';
import { OBJECT_KIND_ORDER, OBJECT_KINDS } from './object-kinds';
import { MIGRATIONS, SCHEMA_VERSION, STORES, type CatalogSchema, type ObjectVersionRecord, type StoreName } from './schema';
import { tableInputOf } from './versions';
import { errorMessage } from '../util/errors';

export type { ObjectKind, ObjectTypes } from './glue-types';
export { nameOf } from './object-kinds';
export { emptySnapshot, type Change, type ChangeOf, type CommitCounts, type CommitResult, type Snapshot, type VersionCheck } from './changes';

export interface OpenOptions {
  /** IndexedDB factory: the browser's by default; fake-indexeddb's in Node. */
  factory?: IDBFactory;
  /** Database name (one catalog per name). */
  name?: string;
  /** Clock for CreateTime/UpdateTime (tests pin it). */
  clock?: () => Date;
  /** Called when another tab holds an older version open and this upgrade must wait for it. */
  onBlocked?: (error: CatalogError) => void;
  /** Called after this connection closed itself because another tab upgrades the schema. */
  onVersionChange?: () => void;
  /** Only for migration tests: stop at this schema version. */
  version?: number;
}

type CatalogDatabase = IDBPDatabase<CatalogSchema>;
const ALL_STORES: StoreName[] = Object.values(STORES);
const DEFAULT_NAME = 'epoxy-catalog';

/** Open an IndexedDB database, running the migrations from its stored version up to `version`. */
export async function openDatabase(factory: IDBFactory, name: string, version: number, opts: OpenOptions = {}): Promise<CatalogDatabase> {
  const request = factory.open(name, version);
  const failed: { migration?: { from: number; to: number; err: unknown } } = {};
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrapDatabase<CatalogSchema>(request.result);
    const tx = wrapUpgrade<CatalogSchema>(request.transaction!);
    // The open request reports a failed upgrade; the transaction's own rejection is not a second error.
    tx.done.catch(() => undefined);
    let at = event.oldVersion;
    void (async () => {
      for (; at < version; at++) await MIGRATIONS[at]!(db, tx);
    })().catch((err) => {
      failed.migration = { from: event.oldVersion, to: at + 1, err };
      try { tx.abort(); } catch { /* already finished */ }
    });
  });
  let blocked = false;
  request.addEventListener('blocked', () => {
    blocked = true;
    const error = new CatalogError('UpgradeBlocked', 'Epoxy needs to upgrade its catalog, but another Epoxy tab still has the old one open. Close or reload the other tabs; this tab continues as soon as they let go.');
    opts.onBlocked?.(error);
    // Whichever view opened it, the app says so (not only the Catalog view).
    reportDatabaseUpgrade({ kind: 'blocked', database: 'catalog', name, message: blockedMessage('catalog') });
  });
  try {
    await wrap(request);
  } catch (err) {
    if (failed.migration) {
      const { from, to, err: cause } = failed.migration;
      // The versionchange transaction rolled back: the stored catalog is still the old version, untouched.
      throw new CatalogError('StorageError', `Upgrading the catalog from version ${from} failed in step ${to}: ${errorMessage(cause)}. Nothing was changed; the catalog is still at version ${from}.`);
    }
    throw storageError(err ?? request.error);
  } finally {
    if (blocked) reportDatabaseUpgrade({ kind: 'unblocked', database: 'catalog', name });
  }
  return wrapDatabase<CatalogSchema>(request.result);
}

/** The Data Catalog: Glue's catalog API over IndexedDB. Every mutation is one transaction. */
export class Catalog {
  private listeners = new Set<(result: CommitResult) => void>();

  private constructor(private db: CatalogDatabase, private readonly opts: OpenOptions & { factory: IDBFactory; name: string }) {
    this.watch(db);
  }

  /** Open (and migrate) the catalog. */
  static async open(opts: OpenOptions = {}): Promise<Catalog> {
    const factory = opts.factory ?? globalThis.indexedDB;
    if (!factory) throw new CatalogError('StorageError', 'IndexedDB is not available here (private browsing or an old browser?): the catalog cannot be saved.');
    const full = { ...opts, factory, name: opts.name ?? DEFAULT_NAME };
    const db = await openDatabase(factory, full.name, opts.version ?? SCHEMA_VERSION, opts);
    return new Catalog(db, full);
  }

  /** The IndexedDB database name. */
  get name(): string { return this.opts.name; }

  // Another tab wants to upgrade: let go at once so it is not blocked, and reopen on next use.
  private closed = false;
  private watch(db: CatalogDatabase): void {
    db.addEventListener('versionchange', () => {
      db.close();
      this.closed = true;
      this.opts.onVersionChange?.();
      reportDatabaseUpgrade({ kind: 'versionchange', database: 'catalog', name: this.opts.name, message: versionChangeMessage('catalog') });
    });
  }

  private async conn(): Promise<CatalogDatabase> {
    if (this.closed) {
      this.db = await openDatabase(this.opts.factory, this.opts.name, this.opts.version ?? SCHEMA_VERSION, this.opts);
      this.closed = false;
      this.watch(this.db);
    }
    return this.db;
  }

  /** Close the connection. */
  close(): void { this.db.close(); this.closed = true; }

  /** Subscribe to commits made through this instance; returns the unsubscribe function. */
  onCommit(listener: (result: CommitResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private now(): string { return (this.opts.clock?.() ?? new Date()).toISOString(); }

  // ---------- reads ----------

  /** GetDatabases. */
  async getDatabases(): Promise<Database[]> {
    return (await this.conn()).getAll(STORES.databases);
  }

  /** GetDatabase; throws EntityNotFoundException. */
  async getDatabase(name: string): Promise<Database> {
    const db = await (await this.conn()).get(STORES.databases, catalogKey(name));
    if (!db) throw notFound(`Database ${name}`);
    return db;
  }

  /** GetTables of one database, sorted by name. */
  async getTables(databaseName: string): Promise<Table[]> {
    return (await this.conn()).getAllFromIndex(STORES.tables, 'byDatabase', catalogKey(databaseName));
  }

  /** GetTable; throws EntityNotFoundException. */
  async getTable(databaseName: string, name: string): Promise<Table> {
    const table = await (await this.conn()).get(STORES.tables, [catalogKey(databaseName), catalogKey(name)]);
    if (!table) throw notFound(`Table ${databaseName}.${name}`);
    return table;
  }

  /** GetPartitions of a table, in key order. */
  async getPartitions(databaseName: string, tableName: string): Promise<Partition[]> {
    return (await this.conn()).getAllFromIndex(STORES.partitions, 'byTable', [catalogKey(databaseName), catalogKey(tableName)]);
  }

  /** GetTableVersions, newest first (like Glue). */
  async getTableVersions(databaseName: string, tableName: string): Promise<TableVersion[]> {
    const recs = await (await this.conn()).getAllFromIndex(STORES.tableVersions, 'byTable', [catalogKey(databaseName), catalogKey(tableName)]);
    return recs.sort((a, b) => b.Seq - a.Seq).map((r) => ({ Table: r.Table, VersionId: r.VersionId }));
  }

  /** GetTableVersion; throws EntityNotFoundException. */
  async getTableVersion(databaseName: string, tableName: string, versionId: string): Promise<TableVersion> {
    const rec = await (await this.conn()).get(STORES.tableVersions, [catalogKey(databaseName), catalogKey(tableName), Number(versionId)]);
    if (!rec) throw notFound(`Version ${versionId} of table ${databaseName}.${tableName}`);
    return { Table: rec.Table, VersionId: rec.VersionId };
  }

  /** Versions of an ETL object, newest first; the first is the current definition. */
  async getObjectVersions<K extends ObjectKind>(kind: K, name: string): Promise<ObjectVersion<K>[]> {
    const recs = await (await this.conn()).getAllFromIndex(STORES.objectVersions, 'byObject', [kind, name]);
    return recs.filter((r) => isRecordOf(kind, r)).sort((a, b) => b.Seq - a.Seq).map(versionOf);
  }

  /** One kept version of an ETL object; throws EntityNotFoundException. */
  async getObjectVersion<K extends ObjectKind>(kind: K, name: string, versionId: string): Promise<ObjectVersion<K>> {
    const rec = /^\d+$/.test(versionId) ? await (await this.conn()).get(STORES.objectVersions, [kind, name, Number(versionId)]) : undefined;
    if (!rec || !isRecordOf(kind, rec)) throw notFound(`Version ${versionId} of ${kind} ${name}`);
    return versionOf(rec);
  }

  /** All ETL objects of a kind (classifiers sorted by their Epoxy `order`). */
  async list<K extends ObjectKind>(kind: K): Promise<ObjectTypes[K][]> {
    const rules = OBJECT_KINDS[kind];
    const all = await rules.store.getAll(await this.conn());
    return rules.order ? all.sort(rules.order) : all;
  }

  /** One ETL object by name; throws EntityNotFoundException. */
  async get<K extends ObjectKind>(kind: K, name: string): Promise<ObjectTypes[K]> {
    const rules = OBJECT_KINDS[kind];
    const value = await rules.store.get(await this.conn(), name);
    if (!value) throw notFound(`${rules.label} ${name}`);
    return value;
  }

  /** Runs of a job (GetJobRuns), newest StartedOn first. */
  async getJobRuns(jobName: string): Promise<JobRun[]> {
    const runs = await (await this.conn()).getAll(STORES.jobRuns, IDBKeyRange.bound([jobName], [jobName, []]));
    return runs.sort((a, b) => (b.StartedOn ?? '').localeCompare(a.StartedOn ?? ''));
  }

  /** Crawls of a crawler (ListCrawls), newest first. */
  async getCrawlerRuns(crawlerName: string): Promise<CrawlerRun[]> {
    const runs = await (await this.conn()).getAll(STORES.crawlerRuns, IDBKeyRange.bound([crawlerName], [crawlerName, []]));
    return runs.sort((a, b) => (b.StartTime ?? '').localeCompare(a.StartTime ?? ''));
  }

  /** Every record, read in one transaction (a consistent picture for export). */
  async snapshot(databaseName?: string): Promise<Snapshot> {
    const tx = (await this.conn()).transaction(ALL_STORES, 'readonly');
    const snap = emptySnapshot();
    const inDb = (n: string) => databaseName === undefined || n === catalogKey(databaseName);
    snap.databases = (await tx.objectStore(STORES.databases).getAll()).filter((d) => inDb(d.Name));
    snap.tables = (await tx.objectStore(STORES.tables).getAll()).filter((t) => inDb(t.DatabaseName));
    snap.partitions = (await tx.objectStore(STORES.partitions).getAll()).filter((p) => inDb(p.DatabaseName));
    snap.versions = (await tx.objectStore(STORES.tableVersions).getAll()).filter((v) => inDb(v.DatabaseName));
    if (databaseName === undefined) {
      for (const kind of OBJECT_KIND_ORDER) {
        for (const value of await OBJECT_KINDS[kind].store.readAll(tx)) snap.objects.push({ kind, value });
      }
      snap.objectVersions = await tx.objectStore(STORES.objectVersions).getAll();
      snap.jobRuns = await tx.objectStore(STORES.jobRuns).getAll();
      snap.crawlerRuns = await tx.objectStore(STORES.crawlerRuns).getAll();
    }
    await tx.done;
    return snap;
  }

  // ---------- writes ----------

  /** Create a database (CreateDatabase). */
  async createDatabase(database: DatabaseInput): Promise<void> { await this.commit([{ op: 'createDatabase', database }]); }
  /** Replace a database's description, location and parameters (UpdateDatabase). */
  async updateDatabase(database: DatabaseInput): Promise<void> { await this.commit([{ op: 'updateDatabase', database }]); }
  /** Delete a database with its tables, partitions and versions; returns what was removed (for undo). */
  async deleteDatabase(name: string): Promise<Snapshot> { return (await this.commit([{ op: 'deleteDatabase', name }])).deleted; }
  /** CreateTable; the definition becomes version 0. */
  async createTable(databaseName: string, table: TableInput): Promise<void> { await this.commit([{ op: 'createTable', databaseName, table }]); }
  /**
   * UpdateTable: a new version; the previous definition stays listed in getTableVersions. With
   * `expectedVersionId` (the version the editor loaded) a table changed meanwhile fails with
   * ConcurrentModificationException. Returns the table's VersionId now.
   */
  async updateTable(databaseName: string, table: TableInput, check: VersionCheck = {}): Promise<string> {
    const result = await this.commit([{ op: 'updateTable', databaseName, table, ...check }]);
    return Object.values(result.versionIds)[0]!;
  }
  /** Make an old version of a table current again, as a new version (Glue has no restore; this is an UpdateTable). */
  async restoreTableVersion(databaseName: string, tableName: string, versionId: string, check: VersionCheck = {}): Promise<string> {
    const version = await this.getTableVersion(databaseName, tableName, versionId);
    return this.updateTable(databaseName, tableInputOf(version.Table), check);
  }
  /** DeleteTable with its partitions and versions; returns what was removed (for undo). */
  async deleteTable(databaseName: string, name: string): Promise<Snapshot> { return (await this.commit([{ op: 'deleteTable', databaseName, name }])).deleted; }
  /** BatchCreatePartition (all or nothing). */
  async createPartitions(databaseName: string, tableName: string, partitions: PartitionInput[]): Promise<void> {
    await this.commit([{ op: 'createPartitions', databaseName, tableName, partitions }]);
  }
  /**
   * Create or replace a connection, classifier, crawler, job or trigger (see the putObject change); returns its
   * VersionId now. `expectedVersionId` makes it Glue's optimistic update.
   */
  async put<K extends ObjectKind>(kind: K, value: ObjectTypes[K], check: VersionCheck = {}): Promise<string> {
    const result = await this.commit([{ op: 'putObject', kind, value, ...check }]);
    return Object.values(result.versionIds)[0]!;
  }
  /** Make a kept version of an object current again, as a new version; returns the new VersionId. */
  async restoreObjectVersion(kind: ObjectKind, name: string, versionId: string, check: VersionCheck = {}): Promise<string> {
    const result = await this.commit([{ op: 'restoreObjectVersion', kind, name, versionId, ...check }]);
    return Object.values(result.versionIds)[0]!;
  }
  /** Delete a connection, classifier, crawler, job or trigger with its versions; returns what was removed (for undo). */
  async delete(kind: ObjectKind, name: string, check: VersionCheck = {}): Promise<Snapshot> { return (await this.commit([{ op: 'deleteObject', kind, name, ...check }])).deleted; }
  /** Put back what a delete removed. */
  async restore(snapshot: Snapshot): Promise<void> { await this.commit([{ op: 'restore', snapshot }]); }

  /**
   * Apply every change in ONE IndexedDB transaction: either all are saved or, on any error (validation, a name
   * that exists, quota), none is. Errors are CatalogErrors with Glue's exception names.
   */
  async commit(changes: Change[]): Promise<CommitResult> {
    const tx = (await this.conn()).transaction(ALL_STORES, 'readwrite');
    const counts: CommitCounts = { databasesCreated: 0, tablesCreated: 0, tablesUpdated: 0, tablesUnchanged: 0, partitionsCreated: 0, partitionsUpdated: 0 };
    const result: CommitResult = { deleted: emptySnapshot(), changed: [], counts, versionIds: {} };
    try {
      for (const change of changes) await applyChange({ tx, now: this.now(), result }, change);
      await tx.done;
    } catch (err) {
      try { tx.abort(); } catch { /* the transaction already failed */ }
      await tx.done.catch(() => undefined);
      throw storageError(err);
    }
    for (const listener of this.listeners) listener(result);
    return result;
  }
}

// The versions store files each record under its kind, so this holds for every record an index on the kind
// returns; the check makes the record's type say so.
function isRecordOf<K extends ObjectKind>(kind: K, rec: ObjectVersionRecord): rec is ObjectVersionRecord<K> {
  return rec.Kind === kind;
}

function versionOf<K extends ObjectKind>(rec: ObjectVersionRecord<K>): ObjectVersion<K> {
  return { VersionId: rec.VersionId, ...(rec.SavedAt ? { SavedAt: rec.SavedAt } : {}), Value: rec.Value };
}
