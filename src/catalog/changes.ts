import type { IDBPTransaction } from 'idb';
import { CatalogError, ConcurrentModificationError, notFound } from './errors';
import type { CrawlerRun, Database, DatabaseInput, JobRun, ObjectKind, ObjectTypes, Partition, PartitionInput, Table, TableInput } from './glue-types';
import { catalogKey, catalogName, objectName } from './names';
import { OBJECT_KINDS } from './object-kinds';
import { STORES, type CatalogSchema, type ObjectVersionRecord, type StoreName, type VersionRecord } from './schema';
import { checkPartitionInput, normalizeDatabaseInput, normalizeTableInput } from './validate';
import { definitionOf, runStateOf, sameDefinition, sameObjectDefinition, withRunState } from './versions';

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

/**
 * The steps a commit can hold, by `op`, each with what it carries. Each has its handler in APPLY below, whose
 * type requires one per op: a new change is an entry here and its handler there.
 */
interface ChangeMap {
  createDatabase: { database: DatabaseInput };
  updateDatabase: { database: DatabaseInput };
  deleteDatabase: { name: string };
  createTable: { databaseName: string; table: TableInput };
  /** Replaces the definition and keeps the previous one as a version. */
  updateTable: { databaseName: string; table: TableInput } & VersionCheck;
  deleteTable: { databaseName: string; name: string };
  /** Create the database unless it exists (what a crawler does with its target database). */
  ensureDatabase: { database: DatabaseInput };
  /** Create the table, or update it when the definition differs (a new version); an identical one changes nothing. */
  putTable: { databaseName: string; table: TableInput } & VersionCheck;
  /** Create partitions, replacing any with the same values (keeping their CreationTime). */
  putPartitions: { databaseName: string; tableName: string; partitions: PartitionInput[] };
  createPartitions: { databaseName: string; tableName: string; partitions: PartitionInput[] };
  updatePartition: { databaseName: string; tableName: string; values: string[]; partition: PartitionInput };
  deletePartitions: { databaseName: string; tableName: string; values: string[][] };
  /**
   * Create or replace an ETL object. A different definition becomes a new version (VersionId + 1, the previous
   * one kept); an identical one changes nothing. An existing object keeps its stored run state (a job's bookmark):
   * a definition never carries it back.
   */
  putObject: { kind: ObjectKind; value: ObjectTypes[ObjectKind] } & VersionCheck;
  deleteObject: { kind: ObjectKind; name: string } & VersionCheck;
  /** Make a kept version of an object current again, as a new version. */
  restoreObjectVersion: { kind: ObjectKind; name: string; versionId: string } & VersionCheck;
  /** Run state: move a job's bookmark. Not a version, and no editor's VersionId goes stale. */
  setJobBookmark: { jobName: string; bookmark: unknown };
  putJobRun: { run: JobRun };
  putCrawlerRun: { run: CrawlerRun };
  /** Put raw records back exactly (undo of a delete, bundle import with history). */
  restore: { snapshot: Snapshot };
}

/** The change of one `op`. */
export type ChangeOf<Op extends keyof ChangeMap> = { op: Op } & ChangeMap[Op];

/** One step of an atomic change; `commit` applies a list of them in one transaction. */
export type Change = { [Op in keyof ChangeMap]: ChangeOf<Op> }[keyof ChangeMap];

/** How many objects a commit created, updated or left as they were. */
export interface CommitCounts {
  databasesCreated: number; tablesCreated: number; tablesUpdated: number; tablesUnchanged: number; partitionsCreated: number; partitionsUpdated: number;
}

/**
 * What a commit did: the records its deletions removed (for undo), what changed (`kind:name`), counts, and the
 * VersionId each table/object it wrote (or left unchanged) holds now (`table:db.name`, `job:name`...).
 */
export interface CommitResult { deleted: Snapshot; changed: string[]; counts: CommitCounts; versionIds: Record<string, string> }

/** What a change is applied in: the commit's transaction over every store, its time, and the result it adds to. */
export interface ChangeContext {
  tx: IDBPTransaction<CatalogSchema, StoreName[], 'readwrite'>;
  now: string;
  result: CommitResult;
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

// ---------- steps shared by several changes ----------

async function requireDb({ tx }: ChangeContext, name: string): Promise<void> {
  if (!(await tx.objectStore(STORES.databases).get(name))) throw notFound(`Database ${name}`);
}

async function requireTable({ tx }: ChangeContext, db: string, name: string): Promise<Table> {
  const table = await tx.objectStore(STORES.tables).get([db, name]);
  if (!table) throw notFound(`Table ${db}.${name}`);
  return table;
}

function putVersion({ tx }: ChangeContext, table: Table): Promise<unknown> {
  return tx.objectStore(STORES.tableVersions).put({
    DatabaseName: table.DatabaseName, TableName: table.Name, Seq: Number(table.VersionId), VersionId: table.VersionId!, Table: table,
  } satisfies VersionRecord);
}

async function deleteTableCascade(ctx: ChangeContext, db: string, name: string): Promise<void> {
  const { tx, result } = ctx;
  const table = await requireTable(ctx, db, name);
  result.deleted.tables.push(table);
  const range = IDBKeyRange.only([db, name]);
  for (let c = await tx.objectStore(STORES.partitions).index('byTable').openCursor(range); c; c = await c.continue()) { result.deleted.partitions.push(c.value); await c.delete(); }
  for (let c = await tx.objectStore(STORES.tableVersions).index('byTable').openCursor(range); c; c = await c.continue()) { result.deleted.versions.push(c.value); await c.delete(); }
  await tx.objectStore(STORES.tables).delete([db, name]);
}

async function createTable(ctx: ChangeContext, dbName: string, input: TableInput): Promise<void> {
  const { tx, now, result } = ctx;
  await requireDb(ctx, dbName);
  if (await tx.objectStore(STORES.tables).get([dbName, input.Name])) throw new CatalogError('AlreadyExistsException', `Table ${dbName}.${input.Name} already exists.`);
  const table: Table = { ...input, DatabaseName: dbName, CreateTime: now, UpdateTime: now, VersionId: '0' };
  await tx.objectStore(STORES.tables).put(table);
  await putVersion(ctx, table);
  result.changed.push(`table:${dbName}.${input.Name}`);
  result.versionIds[`table:${dbName}.${input.Name}`] = '0';
  result.counts.tablesCreated++;
}

async function updateTable(ctx: ChangeContext, dbName: string, input: TableInput, old: Table): Promise<void> {
  const { tx, now, result } = ctx;
  const table: Table = { ...input, DatabaseName: dbName, CreateTime: old.CreateTime, UpdateTime: now, VersionId: String(Number(old.VersionId ?? 0) + 1) };
  await tx.objectStore(STORES.tables).put(table);
  await putVersion(ctx, table);
  result.changed.push(`table:${dbName}.${input.Name}`);
  result.versionIds[`table:${dbName}.${input.Name}`] = table.VersionId!;
  result.counts.tablesUpdated++;
}

async function putDatabase(ctx: ChangeContext, input: DatabaseInput): Promise<void> {
  await ctx.tx.objectStore(STORES.databases).put({ ...input, CreateTime: ctx.now } satisfies Database);
  ctx.result.changed.push(`database:${input.Name}`);
  ctx.result.counts.databasesCreated++;
}

// Write an object as its next version (or as version 0), keeping its stored run state; identical: nothing.
async function putObject<K extends ObjectKind>(ctx: ChangeContext, kind: K, incoming: ObjectTypes[K], expected: string | null | undefined): Promise<void> {
  const { tx, now, result } = ctx;
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
  await tx.objectStore(STORES.objectVersions).put({ Kind: kind, Name: name, Seq: Number(versionId), VersionId: versionId, SavedAt: now, Value: definitionOf(kind, value) } satisfies ObjectVersionRecord);
  result.changed.push(key);
  result.versionIds[key] = versionId;
}

// Put an object back as it was stored; records from before versions (old bundles, old undo snapshots) start at
// version 0, kept as such.
async function restoreObject<K extends ObjectKind>({ tx, now }: ChangeContext, kind: K, stored: ObjectTypes[K]): Promise<void> {
  const rules = OBJECT_KINDS[kind];
  const name = objectName(kind, rules.name(stored));
  const value = { ...stored, VersionId: stored.VersionId ?? '0' };
  await rules.store.in(tx).put(value, name);
  const versions = tx.objectStore(STORES.objectVersions);
  if (!(await versions.get([kind, name, Number(value.VersionId)]))) {
    await versions.put({ Kind: kind, Name: name, Seq: Number(value.VersionId), VersionId: value.VersionId, SavedAt: now, Value: definitionOf(kind, value) } satisfies ObjectVersionRecord);
  }
}

// ---------- one handler per change ----------

type Handler<Op extends keyof ChangeMap> = (ctx: ChangeContext, change: ChangeOf<Op>) => Promise<void>;

const APPLY: { [Op in keyof ChangeMap]: Handler<Op> } = {
  async createDatabase(ctx, change) {
    const input = normalizeDatabaseInput(change.database);
    if (await ctx.tx.objectStore(STORES.databases).get(input.Name)) throw new CatalogError('AlreadyExistsException', `Database ${input.Name} already exists.`);
    await putDatabase(ctx, input);
  },

  async ensureDatabase(ctx, change) {
    const input = normalizeDatabaseInput(change.database);
    if (await ctx.tx.objectStore(STORES.databases).get(input.Name)) return;
    await putDatabase(ctx, input);
  },

  async updateDatabase({ tx, result }, change) {
    const input = normalizeDatabaseInput(change.database);
    const databases = tx.objectStore(STORES.databases);
    const old = await databases.get(input.Name);
    if (!old) throw notFound(`Database ${input.Name}`);
    await databases.put({ ...input, CreateTime: old.CreateTime } satisfies Database);
    result.changed.push(`database:${input.Name}`);
  },

  async deleteDatabase(ctx, change) {
    const { tx, result } = ctx;
    const name = catalogKey(change.name);
    const databases = tx.objectStore(STORES.databases);
    const db = await databases.get(name);
    if (!db) throw notFound(`Database ${name}`);
    const tables = await tx.objectStore(STORES.tables).index('byDatabase').getAll(name);
    for (const t of tables) await deleteTableCascade(ctx, name, t.Name);
    result.deleted.databases.push(db);
    await databases.delete(name);
    result.changed.push(`database:${name}`);
  },

  async createTable(ctx, change) {
    const dbName = catalogName('database', change.databaseName);
    await createTable(ctx, dbName, normalizeTableInput(dbName, change.table));
  },

  async updateTable(ctx, change) {
    const dbName = catalogName('database', change.databaseName);
    const input = normalizeTableInput(dbName, change.table);
    const old = await requireTable(ctx, dbName, input.Name).catch((err: unknown) => {
      if (change.expectedVersionId) checkVersion('table', `${dbName}.${input.Name}`, undefined, change.expectedVersionId);
      throw err;
    });
    checkVersion('table', `${dbName}.${input.Name}`, old.VersionId ?? '0', change.expectedVersionId);
    await updateTable(ctx, dbName, input, old);
  },

  async putTable(ctx, change) {
    const dbName = catalogName('database', change.databaseName);
    const input = normalizeTableInput(dbName, change.table);
    await requireDb(ctx, dbName);
    const old = await ctx.tx.objectStore(STORES.tables).get([dbName, input.Name]);
    checkVersion('table', `${dbName}.${input.Name}`, old && (old.VersionId ?? '0'), change.expectedVersionId);
    if (!old) await createTable(ctx, dbName, input);
    else if (sameDefinition(old, input)) { ctx.result.counts.tablesUnchanged++; ctx.result.versionIds[`table:${dbName}.${input.Name}`] = old.VersionId ?? '0'; }
    else await updateTable(ctx, dbName, input, old);
  },

  async deleteTable(ctx, change) {
    const dbName = catalogKey(change.databaseName);
    const name = catalogKey(change.name);
    await deleteTableCascade(ctx, dbName, name);
    ctx.result.changed.push(`table:${dbName}.${name}`);
  },

  async createPartitions(ctx, change) {
    const { tx, now, result } = ctx;
    const dbName = catalogKey(change.databaseName);
    const tableName = catalogKey(change.tableName);
    const table = await requireTable(ctx, dbName, tableName);
    const partitions = tx.objectStore(STORES.partitions);
    for (const p of change.partitions) {
      checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, p);
      if (await partitions.get([dbName, tableName, p.Values])) throw new CatalogError('AlreadyExistsException', `Partition (${p.Values.join(', ')}) of ${dbName}.${tableName} already exists.`);
      await partitions.put({ ...p, DatabaseName: dbName, TableName: tableName, CreationTime: now } satisfies Partition);
      result.counts.partitionsCreated++;
    }
    result.changed.push(`table:${dbName}.${tableName}`);
  },

  async putPartitions(ctx, change) {
    const { tx, now, result } = ctx;
    const dbName = catalogKey(change.databaseName);
    const tableName = catalogKey(change.tableName);
    const table = await requireTable(ctx, dbName, tableName);
    const partitions = tx.objectStore(STORES.partitions);
    for (const p of change.partitions) {
      checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, p);
      const old = await partitions.get([dbName, tableName, p.Values]);
      await partitions.put({ ...p, DatabaseName: dbName, TableName: tableName, CreationTime: old?.CreationTime ?? now } satisfies Partition);
      if (old) result.counts.partitionsUpdated++; else result.counts.partitionsCreated++;
    }
    result.changed.push(`table:${dbName}.${tableName}`);
  },

  async updatePartition(ctx, change) {
    const { tx, result } = ctx;
    const dbName = catalogKey(change.databaseName);
    const tableName = catalogKey(change.tableName);
    const table = await requireTable(ctx, dbName, tableName);
    checkPartitionInput(`Table ${dbName}.${tableName}`, table.PartitionKeys, change.partition);
    const partitions = tx.objectStore(STORES.partitions);
    const old = await partitions.get([dbName, tableName, change.values]);
    if (!old) throw notFound(`Partition (${change.values.join(', ')}) of ${dbName}.${tableName}`);
    await partitions.delete([dbName, tableName, change.values]);
    await partitions.put({ ...change.partition, DatabaseName: dbName, TableName: tableName, CreationTime: old.CreationTime } satisfies Partition);
    result.counts.partitionsUpdated++;
    result.changed.push(`table:${dbName}.${tableName}`);
  },

  async deletePartitions({ tx, result }, change) {
    const dbName = catalogKey(change.databaseName);
    const tableName = catalogKey(change.tableName);
    const partitions = tx.objectStore(STORES.partitions);
    for (const values of change.values) {
      const key: [string, string, string[]] = [dbName, tableName, values];
      const old = await partitions.get(key);
      if (!old) throw notFound(`Partition (${values.join(', ')}) of ${dbName}.${tableName}`);
      result.deleted.partitions.push(old);
      await partitions.delete(key);
    }
    result.changed.push(`table:${dbName}.${tableName}`);
  },

  async putObject(ctx, change) {
    await putObject(ctx, change.kind, change.value, change.expectedVersionId);
  },

  async restoreObjectVersion(ctx, change) {
    const rec = /^\d+$/.test(change.versionId) ? await ctx.tx.objectStore(STORES.objectVersions).get([change.kind, change.name, Number(change.versionId)]) : undefined;
    if (!rec) throw notFound(`Version ${change.versionId} of ${change.kind} ${change.name}`);
    await putObject(ctx, change.kind, rec.Value, change.expectedVersionId);
  },

  async deleteObject({ tx, result }, change) {
    const objects = OBJECT_KINDS[change.kind].store.in(tx);
    const old = await objects.get(change.name);
    if (!old && change.expectedVersionId) checkVersion(change.kind, change.name, undefined, change.expectedVersionId);
    if (!old) throw notFound(`${change.kind} ${change.name}`);
    checkVersion(change.kind, change.name, old.VersionId ?? '0', change.expectedVersionId);
    result.deleted.objects.push({ kind: change.kind, value: old });
    const range = IDBKeyRange.only([change.kind, change.name]);
    for (let c = await tx.objectStore(STORES.objectVersions).index('byObject').openCursor(range); c; c = await c.continue()) { result.deleted.objectVersions.push(c.value); await c.delete(); }
    await objects.delete(change.name);
    result.changed.push(`${change.kind}:${change.name}`);
  },

  async setJobBookmark({ tx, result }, change) {
    const jobs = OBJECT_KINDS.job.store.in(tx);
    const job = await jobs.get(change.jobName);
    if (!job) throw notFound(`Job ${change.jobName}`);
    await jobs.put({ ...job, Epoxy: { ...job.Epoxy, bookmark: change.bookmark } }, change.jobName);
    result.changed.push(`jobBookmark:${change.jobName}`);
  },

  async putJobRun({ tx, result }, change) {
    objectName('job', change.run.JobName);
    await tx.objectStore(STORES.jobRuns).put(change.run);
    result.changed.push(`jobRun:${change.run.JobName}`);
  },

  async putCrawlerRun({ tx, result }, change) {
    objectName('crawler', change.run.CrawlerName);
    await tx.objectStore(STORES.crawlerRuns).put(change.run);
    result.changed.push(`crawlerRun:${change.run.CrawlerName}`);
  },

  async restore(ctx, change) {
    const { tx } = ctx;
    const s = change.snapshot;
    for (const d of s.databases) await tx.objectStore(STORES.databases).put({ ...d, ...normalizeDatabaseInput(d) });
    for (const t of s.tables) {
      const db = catalogName('database', t.DatabaseName);
      await requireDb(ctx, db);
      await tx.objectStore(STORES.tables).put({ ...t, ...normalizeTableInput(db, t), DatabaseName: db });
    }
    // Versions and partitions are filed under their table's key, as the tables above are (a bundle may spell
    // "Shop"."Orders"; stored records already hold keys, and keep them).
    for (const v of s.versions) {
      const [db, table] = [catalogKey(v.DatabaseName), catalogKey(v.TableName)];
      const kept = v.Table && { ...v.Table, Name: catalogKey(v.Table.Name), ...(v.Table.DatabaseName === undefined ? {} : { DatabaseName: catalogKey(v.Table.DatabaseName) }) };
      await tx.objectStore(STORES.tableVersions).put({ ...v, DatabaseName: db, TableName: table, Table: kept });
    }
    for (const stored of s.partitions) {
      const p = { ...stored, DatabaseName: catalogKey(stored.DatabaseName), TableName: catalogKey(stored.TableName) };
      const table = await requireTable(ctx, p.DatabaseName, p.TableName);
      checkPartitionInput(`Table ${p.DatabaseName}.${p.TableName}`, table.PartitionKeys, p);
      await tx.objectStore(STORES.partitions).put(p);
    }
    for (const v of s.objectVersions ?? []) await tx.objectStore(STORES.objectVersions).put(v);
    for (const o of s.objects) await restoreObject(ctx, o.kind, o.value);
    for (const r of s.jobRuns) await tx.objectStore(STORES.jobRuns).put(r);
    for (const r of s.crawlerRuns) await tx.objectStore(STORES.crawlerRuns).put(r);
    ctx.result.changed.push('restore');
  },
};

/** Apply one change inside a commit's transaction (its handler in APPLY). */
export function applyChange<Op extends keyof ChangeMap>(ctx: ChangeContext, change: ChangeOf<Op>): Promise<void> {
  const handler: Handler<Op> = APPLY[change.op];
  return handler(ctx, change);
}
