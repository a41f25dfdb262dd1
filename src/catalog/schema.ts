import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import type { Classifier, Connection, Crawler, CrawlerRun, Database, Job, JobRun, ObjectKind, ObjectTypes, Partition, Table, Trigger } from './glue-types';

/** Object stores of the catalog database. */
export const STORES = {
  databases: 'databases',
  tables: 'tables',
  partitions: 'partitions',
  tableVersions: 'tableVersions',
  connections: 'connections',
  classifiers: 'classifiers',
  crawlers: 'crawlers',
  jobs: 'jobs',
  triggers: 'triggers',
  jobRuns: 'jobRuns',
  crawlerRuns: 'crawlerRuns',
  objectVersions: 'objectVersions',
} as const;
export type StoreName = (typeof STORES)[keyof typeof STORES];

/** One stored version of a table: Glue's TableVersion plus the keys it is filed under. */
export interface VersionRecord {
  DatabaseName: string;
  TableName: string;
  /** VersionId as a number, so versions sort in the store. */
  Seq: number;
  VersionId: string;
  Table: Table;
}

/** One stored version of an ETL object, filed under its kind and name (`K`: the kind, when it is known). */
export interface ObjectVersionRecord<K extends ObjectKind = ObjectKind> {
  Kind: K;
  Name: string;
  /** VersionId as a number, so versions sort in the store. */
  Seq: number;
  VersionId: string;
  SavedAt?: string;
  /** The definition (without VersionId and run state). */
  Value: ObjectTypes[K];
}

/**
 * The catalog database as the migrations below build it: each store's record, its key (the keyPath's values,
 * or the name for the ETL stores, which keep their keys out of line) and its indexes.
 */
export interface CatalogSchema extends DBSchema {
  databases: { key: string; value: Database };
  tables: { key: [string, string]; value: Table; indexes: { byDatabase: string } };
  partitions: { key: [string, string, string[]]; value: Partition; indexes: { byTable: [string, string] } };
  tableVersions: { key: [string, string, number]; value: VersionRecord; indexes: { byTable: [string, string] } };
  connections: { key: string; value: Connection };
  classifiers: { key: string; value: Classifier };
  crawlers: { key: string; value: Crawler };
  jobs: { key: string; value: Job };
  triggers: { key: string; value: Trigger };
  jobRuns: { key: [string, string]; value: JobRun };
  crawlerRuns: { key: [string, string]; value: CrawlerRun };
  objectVersions: { key: [ObjectKind, string, number]; value: ObjectVersionRecord; indexes: { byObject: [ObjectKind, string] } };
}

/** The stores that hold ETL objects by name. */
export type ObjectStoreName = (typeof STORES)['connections' | 'classifiers' | 'crawlers' | 'jobs' | 'triggers'];

type Upgrade = (db: IDBPDatabase<CatalogSchema>, tx: IDBPTransaction<CatalogSchema, StoreName[], 'versionchange'>) => Promise<void> | void;

/**
 * Schema migrations, index i upgrades version i to i+1. Append only: a released migration never changes,
 * because a user's browser may hold a catalog at any older version.
 */
export const MIGRATIONS: Upgrade[] = [
  // v1: the metadata catalog proper.
  (db) => {
    db.createObjectStore(STORES.databases, { keyPath: 'Name' });
    db.createObjectStore(STORES.tables, { keyPath: ['DatabaseName', 'Name'] }).createIndex('byDatabase', 'DatabaseName');
    db.createObjectStore(STORES.partitions, { keyPath: ['DatabaseName', 'TableName', 'Values'] }).createIndex('byTable', ['DatabaseName', 'TableName']);
  },
  // v2: table versions. Tables saved by v1 get their current definition as their first version.
  async (db, tx) => {
    db.createObjectStore(STORES.tableVersions, { keyPath: ['DatabaseName', 'TableName', 'Seq'] }).createIndex('byTable', ['DatabaseName', 'TableName']);
    const versions = tx.objectStore(STORES.tableVersions);
    const tables = tx.objectStore(STORES.tables);
    for (let cursor = await tables.openCursor(); cursor; cursor = await cursor.continue()) {
      const table = { ...cursor.value };
      table.VersionId ??= '0';
      await cursor.update(table);
      await versions.put({ DatabaseName: table.DatabaseName, TableName: table.Name, Seq: Number(table.VersionId), VersionId: table.VersionId, Table: table } satisfies VersionRecord);
    }
  },
  // v3: ETL objects (Glue-shaped records keyed by name) and their runs.
  (db) => {
    for (const name of [STORES.connections, STORES.classifiers, STORES.crawlers, STORES.jobs, STORES.triggers]) db.createObjectStore(name);
    db.createObjectStore(STORES.jobRuns, { keyPath: ['JobName', 'Id'] });
    db.createObjectStore(STORES.crawlerRuns, { keyPath: ['CrawlerName', 'CrawlId'] });
  },
  // v4: versions of ETL objects. Objects saved by v3 start at version '0', kept as their first version. The
  // stripping is written out here (not shared with versions.ts) so this released step never changes.
  async (db, tx) => {
    db.createObjectStore(STORES.objectVersions, { keyPath: ['Kind', 'Name', 'Seq'] }).createIndex('byObject', ['Kind', 'Name']);
    const versions = tx.objectStore(STORES.objectVersions);
    const kinds: [ObjectKind, ObjectStoreName][] = [['connection', STORES.connections], ['classifier', STORES.classifiers], ['crawler', STORES.crawlers], ['job', STORES.jobs], ['trigger', STORES.triggers]];
    for (const [kind, name] of kinds) {
      for (let cursor = await tx.objectStore(name).openCursor(); cursor; cursor = await cursor.continue()) {
        const value = { ...cursor.value };
        const versionId = typeof value.VersionId === 'string' ? value.VersionId : '0';
        value.VersionId = versionId;
        await cursor.update(value);
        const def: Record<string, unknown> = { ...value };
        delete def.VersionId;
        if (kind === 'connection') { delete def.CreationTime; delete def.LastUpdatedTime; }
        if (kind === 'job' && def.Epoxy && typeof def.Epoxy === 'object') {
          const { bookmark: _b, ...rest } = def.Epoxy as Record<string, unknown>;
          if (Object.keys(rest).length) def.Epoxy = rest; else delete def.Epoxy;
        }
        // The record minus the fields deleted above is still a definition of its kind; TypeScript cannot follow the deletes.
        await versions.put({ Kind: kind, Name: String(cursor.key), Seq: Number(versionId), VersionId: versionId, Value: def as ObjectTypes[ObjectKind] } satisfies ObjectVersionRecord);
      }
    }
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
