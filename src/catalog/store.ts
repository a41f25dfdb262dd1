import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { CatalogError, ConcurrentModificationError, storageError } from './errors';
import { blockedMessage, reportDatabaseUpgrade, versionChangeMessage } from '../storage/db-upgrades';
import { wrapDatabase, wrapUpgrade } from '../storage/wrap';
import type {
  CrawlerRun, Database, DatabaseInput, Job, JobRun, ObjectKind, ObjectTypes, ObjectVersion, Partition,
  PartitionInput, Table, TableInput, TableVersion,
} from './glue-types';
import { catalogName, objectName } from './names';
import { nameOf, OBJECT_KIND_ORDER, OBJECT_KINDS } from './object-kinds';
import { MIGRATIONS, SCHEMA_VERSION, STORES, type CatalogSchema, type ObjectVersionRecord, type StoreName, type VersionRecord } from './schema';
import { checkPartitionInput, normalizeDatabaseInput, normalizeTableInput } from './validate';
import { definitionOf, runStateOf, sameDefinition, sameObjectDefinition, tableInputOf, withRunState } from './versions';
import { errorMessage } from '../util/errors';

export type { ObjectKind, ObjectTypes } from './glue-types';
export { nameOf } from './object-kinds';

/** Raw records, as stored: what a deletion removed (for undo) and what a bundle restores. */
export interface Snapshot {
  databases: Database[];
  tables: Table[];
  partitions: Partition[];
  versions: VersionRecord[];
  objects: { kind: ObjectKind; value: ObjectTypes[ObjectKind] }[];
  objectVersions: ObjectVersionRecord[];
  jobRuns: JobRun[];
  crawlerRuns: CrawlerRun[];
}

/** An empty snapshot. */
export function emptySnapshot(): Snapshot {
  return { databases: [], tables: [], partitions: [], versions: [], objects: [], objectVersions: [], jobRuns: [], crawlerRuns: [] };
}

/**
 * Glue's optimistic check: the VersionId the editor loaded. When given and the stored one differs, the whole
 * commit fails with ConcurrentModificationException and nothing is written; `null` means "I am creating it" (fails
 * when it exists). Omitted: no check (the object is replaced, its previous definition kept as a version).
 */
export interface VersionCheck { expectedVersionId?: string | null }

/** One step of an atomic change; `commit` applies a list of them in one transaction. */
export type Change =
  | { op: 'createDatabase'; database: DatabaseInput }
  | { op: 'updateDatabase'; database: DatabaseInput }
  | { op: 'deleteDatabase'; name: string }
  | { op: 'createTable'; databaseName: string; table: TableInput }
  /** Replaces the definition and keeps the previous one as a version. */
  | ({ op: 'updateTable'; databaseName: string; table: TableInput } & VersionCheck)
  | { op: 'deleteTable'; databaseName: string; name: string }
  /** Create the database unless it exists (what a crawler does with its target database). */
  | { op: 'ensureDatabase'; database: DatabaseInput }
  /** Create the table, or update it when the definition differs (a new version); an identical one changes nothing. */
  | ({ op: 'putTable'; databaseName: string; table: TableInput } & VersionCheck)
  /** Create partitions, replacing any with the same values (keeping their CreationTime). */
  | { op: 'putPartitions'; databaseName: string; tableName: string; partitions: PartitionInput[] }
  | { op: 'createPartitions'; databaseName: string; tableName: string; partitions: PartitionInput[] }
  | { op: 'updatePartition'; databaseName: string; tableName: string; values: string[]; partition: PartitionInput }
  | { op: 'deletePartitions'; databaseName: string; tableName: string; values: string[][] }
  /**
   * Create or replace an ETL object. A different definition becomes a new version (VersionId + 1, the previous
   * one kept); an identical one changes nothing. An existing object keeps its stored run state (a job's bookmark):
   * a definition never carries it back.
   */
  | ({ op: 'putObject'; kind: ObjectKind; value: ObjectTypes[ObjectKind] } & VersionCheck)
  | ({ op: 'deleteObject'; kind: ObjectKind; name: string } & VersionCheck)
  /** Make a kept version of an object current again, as a new version. */
  | ({ op: 'restoreObjectVersion'; kind: ObjectKind; name: string; versionId: string } & VersionCheck)
  /** Run state: move a job's bookmark. Not a version, and no editor's VersionId goes stale. */
  | { op: 'setJobBookmark'; jobName: string; bookmark: unknown }
  | { op: 'putJobRun'; run: JobRun }
  | { op: 'putCrawlerRun'; run: CrawlerRun }
  /** Put raw records back exactly (undo of a delete, bundle import with history). */
  | { op: 'restore'; snapshot: Snapshot };

/** How many objects a commit created, updated or left as they were. */
export interface CommitCounts {
  databasesCreated: number; tablesCreated: number; tablesUpdated: number; tablesUnchanged: number; partitionsCreated: number; partitionsUpdated: number;
}

/**
 * What a commit did: the records its deletions removed (for undo), what changed (`kind:name`), counts, and the
 * VersionId each table/object it wrote (or left unchanged) holds now (`table:db.name`, `job:name`...).
 */
export interface CommitResult { deleted: Snapshot; changed: string[]; counts: CommitCounts; versionIds: Record<string, string> }

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
type Tx = IDBPTransaction<CatalogSchema, StoreName[], 'readwrite'>;
const ALL_STORES: StoreName[] = Object.values(STORES);
const DEFAULT_NAME = 'epoxy-catalog';

function notFound(what: string): CatalogError {
  return new CatalogError('EntityNotFoundException', `${what} not found.`);
}

/** Throw ConcurrentModificationException unless the stored VersionId is the one the editor expects. */
function checkVersion(kind: ObjectKind | 'table', name: string, stored: string | undefined, expected: string | null | undefined): void {
  if (expected === undefined) return;
  const what = `${kind === 'table' ? 'Table' : OBJECT_KINDS[kind].label} ${name}`;
  if (expected === null) {
    if (stored === undefined) return;
    throw new ConcurrentModificationError(kind, name, stored, null, `${what} already exists (version ${stored}), perhaps created in another tab. Nothing was saved: reload it, compare, or save yours anyway to replace it (the current one is kept as a version).`);
  }
  if (stored === undefined) {
    throw new ConcurrentModificationError(kind, name, null, expected, `${what} was deleted in another tab (you edited version ${expected}). Nothing was saved: save yours anyway to create it again.`);
  }
  if (stored !== expected) {
    throw new ConcurrentModificationError(kind, name, stored, expected, `${what} was changed in another tab (now version ${stored}, you edited version ${expected}). Nothing was saved: reload theirs, compare, or save yours anyway.`);
  }
}

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
    const db = await (await this.conn()).get(STORES.databases, name.toLowerCase());
    if (!db) throw notFound(`Database ${name}`);
    return db;
  }

  /** GetTables of one database, sorted by name. */
  async getTables(databaseName: string): Promise<Table[]> {
    return (await this.conn()).getAllFromIndex(STORES.tables, 'byDatabase', databaseName.toLowerCase());
  }

  /** GetTable; throws EntityNotFoundException. */
  async getTable(databaseName: string, name: string): Promise<Table> {
    const table = await (await this.conn()).get(STORES.tables, [databaseName.toLowerCase(), name.toLowerCase()]);
    if (!table) throw notFound(`Table ${databaseName}.${name}`);
    return table;
  }

  /** GetPartitions of a table, in key order. */
  async getPartitions(databaseName: string, tableName: string): Promise<Partition[]> {
    return (await this.conn()).getAllFromIndex(STORES.partitions, 'byTable', [databaseName.toLowerCase(), tableName.toLowerCase()]);
  }

  /** GetTableVersions, newest first (like Glue). */
  async getTableVersions(databaseName: string, tableName: string): Promise<TableVersion[]> {
    const recs = await (await this.conn()).getAllFromIndex(STORES.tableVersions, 'byTable', [databaseName.toLowerCase(), tableName.toLowerCase()]);
    return recs.sort((a, b) => b.Seq - a.Seq).map((r) => ({ Table: r.Table, VersionId: r.VersionId }));
  }

  /** GetTableVersion; throws EntityNotFoundException. */
  async getTableVersion(databaseName: string, tableName: string, versionId: string): Promise<TableVersion> {
    const rec = await (await this.conn()).get(STORES.tableVersions, [databaseName.toLowerCase(), tableName.toLowerCase(), Number(versionId)]);
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
    const inDb = (n: string) => databaseName === undefined || n === databaseName.toLowerCase();
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
      for (const change of changes) await this.apply(tx, change, result);
      await tx.done;
    } catch (err) {
      try { tx.abort(); } catch { /* the transaction already failed */ }
      await tx.done.catch(() => undefined);
      throw storageError(err);
    }
    for (const listener of this.listeners) listener(result);
    return result;
  }

  private async apply(tx: Tx, change: Change, result: CommitResult): Promise<void> {
    const now = this.now();
    const store = <S extends StoreName>(name: S) => tx.objectStore(name);
    const requireDb = async (name: string) => {
      const db = await store(STORES.databases).get(name);
      if (!db) throw notFound(`Database ${name}`);
    };
    const requireTable = async (db: string, name: string) => {
      const table = await store(STORES.tables).get([db, name]);
      if (!table) throw notFound(`Table ${db}.${name}`);
      return table;
    };
    const putVersion = (table: Table) => store(STORES.tableVersions).put({
      DatabaseName: table.DatabaseName, TableName: table.Name, Seq: Number(table.VersionId), VersionId: table.VersionId!, Table: table,
    } satisfies VersionRecord);
    const deleteTableCascade = async (db: string, name: string) => {
      const table = await requireTable(db, name);
      result.deleted.tables.push(table);
      const range = IDBKeyRange.only([db, name]);
      for (let c = await store(STORES.partitions).index('byTable').openCursor(range); c; c = await c.continue()) { result.deleted.partitions.push(c.value); await c.delete(); }
      for (let c = await store(STORES.tableVersions).index('byTable').openCursor(range); c; c = await c.continue()) { result.deleted.versions.push(c.value); await c.delete(); }
      await store(STORES.tables).delete([db, name]);
    };
    const createTable = async (dbName: string, input: TableInput) => {
      await requireDb(dbName);
      if (await store(STORES.tables).get([dbName, input.Name])) throw new CatalogError('AlreadyExistsException', `Table ${dbName}.${input.Name} already exists.`);
      const table: Table = { ...input, DatabaseName: dbName, CreateTime: now, UpdateTime: now, VersionId: '0' };
      await store(STORES.tables).put(table);
      await putVersion(table);
      result.changed.push(`table:${dbName}.${input.Name}`);
      result.versionIds[`table:${dbName}.${input.Name}`] = '0';
      result.counts.tablesCreated++;
    };
    const updateTable = async (dbName: string, input: TableInput, old: Table) => {
      const table: Table = { ...input, DatabaseName: dbName, CreateTime: old.CreateTime, UpdateTime: now, VersionId: String(Number(old.VersionId ?? 0) + 1) };
      await store(STORES.tables).put(table);
      await putVersion(table);
      result.changed.push(`table:${dbName}.${input.Name}`);
      result.versionIds[`table:${dbName}.${input.Name}`] = table.VersionId!;
      result.counts.tablesUpdated++;
    };
    // Write an object as its next version (or as version 0), keeping its stored run state; identical: nothing.
    const putObject = async <K extends ObjectKind>(kind: K, incoming: ObjectTypes[K], expected: string | null | undefined) => {
      const rules = OBJECT_KINDS[kind];
      const name = objectName(kind, rules.name(incoming));
      rules.check?.(incoming);
      const objects = rules.store.in(tx);
      const old = await objects.get(name);
      checkVersion(kind, name, old && (old.VersionId ?? '0'), expected);
      const key = `${kind}:${name}`;
      let value = { ...incoming };
      delete value.VersionId;
      if (old) value = withRunState(kind, value, runStateOf(kind, old));
      if (old && sameObjectDefinition(kind, old, value)) { result.versionIds[key] = old.VersionId ?? '0'; return; }
      const versionId = old ? String(Number(old.VersionId ?? 0) + 1) : '0';
      if (rules.stamp) value = rules.stamp(value, old, now);
      value = { ...value, VersionId: versionId };
      await objects.put(value, name);
      await store(STORES.objectVersions).put({ Kind: kind, Name: name, Seq: Number(versionId), VersionId: versionId, SavedAt: now, Value: definitionOf(kind, value) } satisfies ObjectVersionRecord);
      result.changed.push(key);
      result.versionIds[key] = versionId;
    };

    switch (change.op) {
      case 'createDatabase': {
        const input = normalizeDatabaseInput(change.database);
        if (await store(STORES.databases).get(input.Name)) throw new CatalogError('AlreadyExistsException', `Database ${input.Name} already exists.`);
        await store(STORES.databases).put({ ...input, CreateTime: now } satisfies Database);
        result.changed.push(`database:${input.Name}`);
        result.counts.databasesCreated++;
        return;
      }
      case 'ensureDatabase': {
        const input = normalizeDatabaseInput(change.database);
        if (await store(STORES.databases).get(input.Name)) return;
        await store(STORES.databases).put({ ...input, CreateTime: now } satisfies Database);
        result.changed.push(`database:${input.Name}`);
        result.counts.databasesCreated++;
        return;
      }
      case 'updateDatabase': {
        const input = normalizeDatabaseInput(change.database);
        const old = await store(STORES.databases).get(input.Name);
        if (!old) throw notFound(`Database ${input.Name}`);
        await store(STORES.databases).put({ ...input, CreateTime: old.CreateTime } satisfies Database);
        result.changed.push(`database:${input.Name}`);
        return;
      }
      case 'deleteDatabase': {
        const name = change.name.toLowerCase();
        const db = await store(STORES.databases).get(name);
        if (!db) throw notFound(`Database ${name}`);
        const tables = await store(STORES.tables).index('byDatabase').getAll(name);
        for (const t of tables) await deleteTableCascade(name, t.Name);
        result.deleted.databases.push(db);
        await store(STORES.databases).delete(name);
        result.changed.push(`database:${name}`);
        return;
      }
      case 'createTable': {
        const dbName = catalogName('database', change.databaseName);
        await createTable(dbName, normalizeTableInput(dbName, change.table));
        return;
      }
      case 'updateTable': {
        const dbName = catalogName('database', change.databaseName);
        const input = normalizeTableInput(dbName, change.table);
        const old = await requireTable(dbName, input.Name).catch((err: unknown) => {
          if (change.expectedVersionId) checkVersion('table', `${dbName}.${input.Name}`, undefined, change.expectedVersionId);
          throw err;
        });
        checkVersion('table', `${dbName}.${input.Name}`, old.VersionId ?? '0', change.expectedVersionId);
        await updateTable(dbName, input, old);
        return;
      }
      case 'putTable': {
        const dbName = catalogName('database', change.databaseName);
        const input = normalizeTableInput(dbName, change.table);
        await requireDb(dbName);
        const old = await store(STORES.tables).get([dbName, input.Name]);
        checkVersion('table', `${dbName}.${input.Name}`, old && (old.VersionId ?? '0'), change.expectedVersionId);
        if (!old) await createTable(dbName, input);
        else if (sameDefinition(old, input)) { result.counts.tablesUnchanged++; result.versionIds[`table:${dbName}.${input.Name}`] = old.VersionId ?? '0'; }
        else await updateTable(dbName, input, old);
        return;
      }
      case 'deleteTable': {
        const dbName = change.databaseName.toLowerCase();
        const name = change.name.toLowerCase();
        await deleteTableCascade(dbName, name);
        result.changed.push(`table:${dbName}.${name}`);
        return;
      }
      case 'createPartitions': {
        const dbName = change.databaseName.toLowerCase();
        const tableName = change.tableName.toLowerCase();
        const table = await requireTable(dbName, tableName);
        for (const p of change.partitions) {
          checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, p);
          if (await store(STORES.partitions).get([dbName, tableName, p.Values])) throw new CatalogError('AlreadyExistsException', `Partition (${p.Values.join(', ')}) of ${dbName}.${tableName} already exists.`);
          await store(STORES.partitions).put({ ...p, DatabaseName: dbName, TableName: tableName, CreationTime: now } satisfies Partition);
          result.counts.partitionsCreated++;
        }
        result.changed.push(`table:${dbName}.${tableName}`);
        return;
      }
      case 'putPartitions': {
        const dbName = change.databaseName.toLowerCase();
        const tableName = change.tableName.toLowerCase();
        const table = await requireTable(dbName, tableName);
        for (const p of change.partitions) {
          checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, p);
          const old = await store(STORES.partitions).get([dbName, tableName, p.Values]);
          await store(STORES.partitions).put({ ...p, DatabaseName: dbName, TableName: tableName, CreationTime: old?.CreationTime ?? now } satisfies Partition);
          if (old) result.counts.partitionsUpdated++; else result.counts.partitionsCreated++;
        }
        result.changed.push(`table:${dbName}.${tableName}`);
        return;
      }
      case 'updatePartition': {
        const dbName = change.databaseName.toLowerCase();
        const tableName = change.tableName.toLowerCase();
        const table = await requireTable(dbName, tableName);
        checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, change.partition);
        const old = await store(STORES.partitions).get([dbName, tableName, change.values]);
        if (!old) throw notFound(`Partition (${change.values.join(', ')}) of ${dbName}.${tableName}`);
        await store(STORES.partitions).delete([dbName, tableName, change.values]);
        await store(STORES.partitions).put({ ...change.partition, DatabaseName: dbName, TableName: tableName, CreationTime: old.CreationTime } satisfies Partition);
        result.counts.partitionsUpdated++;
        result.changed.push(`table:${dbName}.${tableName}`);
        return;
      }
      case 'deletePartitions': {
        const dbName = change.databaseName.toLowerCase();
        const tableName = change.tableName.toLowerCase();
        for (const values of change.values) {
          const key: [string, string, string[]] = [dbName, tableName, values];
          const old = await store(STORES.partitions).get(key);
          if (!old) throw notFound(`Partition (${values.join(', ')}) of ${dbName}.${tableName}`);
          result.deleted.partitions.push(old);
          await store(STORES.partitions).delete(key);
        }
        result.changed.push(`table:${dbName}.${tableName}`);
        return;
      }
      case 'putObject': {
        await putObject(change.kind, change.value, change.expectedVersionId);
        return;
      }
      case 'restoreObjectVersion': {
        const rec = /^\d+$/.test(change.versionId) ? await store(STORES.objectVersions).get([change.kind, change.name, Number(change.versionId)]) : undefined;
        if (!rec) throw notFound(`Version ${change.versionId} of ${change.kind} ${change.name}`);
        await putObject(change.kind, rec.Value, change.expectedVersionId);
        return;
      }
      case 'deleteObject': {
        const objects = OBJECT_KINDS[change.kind].store.in(tx);
        const old = await objects.get(change.name);
        if (!old && change.expectedVersionId) checkVersion(change.kind, change.name, undefined, change.expectedVersionId);
        if (!old) throw notFound(`${change.kind} ${change.name}`);
        checkVersion(change.kind, change.name, old.VersionId ?? '0', change.expectedVersionId);
        result.deleted.objects.push({ kind: change.kind, value: old });
        const range = IDBKeyRange.only([change.kind, change.name]);
        for (let c = await store(STORES.objectVersions).index('byObject').openCursor(range); c; c = await c.continue()) { result.deleted.objectVersions.push(c.value); await c.delete(); }
        await objects.delete(change.name);
        result.changed.push(`${change.kind}:${change.name}`);
        return;
      }
      case 'setJobBookmark': {
        const jobs = OBJECT_KINDS.job.store.in(tx);
        const job = await jobs.get(change.jobName);
        if (!job) throw notFound(`Job ${change.jobName}`);
        await jobs.put({ ...job, Epoxy: { ...job.Epoxy, bookmark: change.bookmark } } satisfies Job, change.jobName);
        result.changed.push(`jobBookmark:${change.jobName}`);
        return;
      }
      case 'putJobRun': {
        objectName('job', change.run.JobName);
        await store(STORES.jobRuns).put(change.run);
        result.changed.push(`jobRun:${change.run.JobName}`);
        return;
      }
      case 'putCrawlerRun': {
        objectName('crawler', change.run.CrawlerName);
        await store(STORES.crawlerRuns).put(change.run);
        result.changed.push(`crawlerRun:${change.run.CrawlerName}`);
        return;
      }
      case 'restore': {
        const s = change.snapshot;
        for (const d of s.databases) await store(STORES.databases).put({ ...d, ...normalizeDatabaseInput(d) });
        for (const t of s.tables) {
          const db = catalogName('database', t.DatabaseName);
          await requireDb(db);
          await store(STORES.tables).put({ ...t, ...normalizeTableInput(db, t), DatabaseName: db });
        }
        for (const v of s.versions) await store(STORES.tableVersions).put(v);
        for (const p of s.partitions) {
          const table = await requireTable(p.DatabaseName, p.TableName);
          checkPartitionInput(`Table ${p.DatabaseName}.${p.TableName}`, table.PartitionKeys, p);
          await store(STORES.partitions).put(p);
        }
        for (const v of s.objectVersions ?? []) await store(STORES.objectVersions).put(v);
        const restoreObject = async <K extends ObjectKind>(kind: K, stored: ObjectTypes[K]) => {
          const rules = OBJECT_KINDS[kind];
          const name = objectName(kind, rules.name(stored));
          // Records from before versions (old bundles, old undo snapshots) start at version 0, kept as such.
          const value = { ...stored, VersionId: stored.VersionId ?? '0' };
          await rules.store.in(tx).put(value, name);
          if (!(await store(STORES.objectVersions).get([kind, name, Number(value.VersionId)]))) {
            await store(STORES.objectVersions).put({ Kind: kind, Name: name, Seq: Number(value.VersionId), VersionId: value.VersionId, SavedAt: now, Value: definitionOf(kind, value) } satisfies ObjectVersionRecord);
          }
        };
        for (const o of s.objects) await restoreObject(o.kind, o.value);
        for (const r of s.jobRuns) await store(STORES.jobRuns).put(r);
        for (const r of s.crawlerRuns) await store(STORES.crawlerRuns).put(r);
        result.changed.push('restore');
        return;
      }
    }
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

/** Make an old version current again: an UpdateTable with its definition, so the restore is itself a new version. */
export async function restoreTableVersion(catalog: Catalog, databaseName: string, tableName: string, versionId: string, check: VersionCheck = {}): Promise<string> {
  return catalog.restoreTableVersion(databaseName, tableName, versionId, check);
}
