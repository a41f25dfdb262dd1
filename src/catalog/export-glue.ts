import type {
  Classifier, Column, Connection, ConnectionInput, Crawler, CrawlerRun, Database, DatabaseInput, Job, JobRun, ObjectKind, ObjectTypes, ObjectVersion,
  Partition, PartitionInput, StorageDescriptor, Table, TableInput, TableVersion, Trigger,
} from './glue-types';
import { emptySnapshot, type Snapshot } from './changes';
import { nameOf } from './object-kinds';
import type { ObjectVersionRecord, VersionRecord } from './schema';
import { definitionOf } from './versions';
import { redactForExport } from './redact';
import { tableInputOf } from './versions';
import { S3_PRESIGNED_CONNECTION } from '../sources/s3-connection';
import {
  glueCrawlerRequest, glueJobRequest, glueTriggerRequest, glueWorkflowRequests, safeName, type ExportNote, type GlueExportOptions,
} from './export-glue-etl';

/**
 * The catalog file: every top-level list holds documents that the matching `aws glue` command accepts as
 * `--cli-input-json` (create-database, create-table, batch-create-partition, create-connection, create-classifier,
 * create-crawler, create-job, create-trigger). `History` carries what Glue's inputs have no field for (times,
 * table versions, runs, classifier order), so export -> import restores the identical catalog.
 */
export interface CatalogBundle {
  Format: 'epoxy-glue-catalog';
  Version: 1;
  Databases: { DatabaseInput: DatabaseInput }[];
  Tables: { DatabaseName: string; TableInput: TableInput }[];
  Partitions: { DatabaseName: string; TableName: string; PartitionInputList: PartitionInput[] }[];
  Connections?: { ConnectionInput: ConnectionInput }[];
  Classifiers?: Classifier[];
  Crawlers?: Crawler[];
  Jobs?: Job[];
  Triggers?: Trigger[];
  History?: {
    Databases: { Name: string; CreateTime?: string }[];
    TableVersions: { DatabaseName: string; TableName: string; TableVersions: TableVersion[] }[];
    Partitions: { DatabaseName: string; TableName: string; Values: string[]; CreationTime?: string }[];
    Connections?: { Name: string; CreationTime?: string; LastUpdatedTime?: string }[];
    JobRuns?: JobRun[];
    CrawlerRuns?: CrawlerRun[];
    /** VersionId and kept versions of each connection, classifier, crawler, job and trigger. */
    ObjectVersions?: { Kind: ObjectKind; Name: string; VersionId: string; Versions: ObjectVersion[] }[];
  };
}

// Glue documents list fields in this order; exports follow it so files diff cleanly against Glue's.
const ORDER: Record<string, string[]> = {
  table: ['Name', 'Description', 'Owner', 'LastAccessTime', 'LastAnalyzedTime', 'Retention', 'StorageDescriptor', 'PartitionKeys', 'ViewOriginalText', 'ViewExpandedText', 'TableType', 'Parameters'],
  sd: ['Columns', 'Location', 'AdditionalLocations', 'InputFormat', 'OutputFormat', 'Compressed', 'NumberOfBuckets', 'SerdeInfo', 'BucketColumns', 'SortColumns', 'Parameters', 'StoredAsSubDirectories'],
  column: ['Name', 'Type', 'Comment', 'Parameters'],
  serde: ['Name', 'SerializationLibrary', 'Parameters'],
  database: ['Name', 'Description', 'LocationUri', 'Parameters'],
  partition: ['Values', 'LastAccessTime', 'StorageDescriptor', 'Parameters', 'LastAnalyzedTime'],
};

function ordered<T extends object>(value: T, order: string[]): T {
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
}

const orderColumns = (cols: Column[] | undefined) => cols?.map((c) => ordered(c, ORDER.column!));
function orderSd(sd: StorageDescriptor | undefined): StorageDescriptor | undefined {
  if (!sd) return sd;
  return ordered({ ...sd, Columns: orderColumns(sd.Columns), SerdeInfo: sd.SerdeInfo && ordered(sd.SerdeInfo, ORDER.serde!) }, ORDER.sd!);
}

/** TableInput in Glue's field order, ready for `aws glue create-table --cli-input-json`. */
export function glueTableInput(table: Table | TableInput): TableInput {
  const input = tableInputOf(table);
  return ordered({ ...input, StorageDescriptor: orderSd(input.StorageDescriptor), PartitionKeys: orderColumns(input.PartitionKeys) }, ORDER.table!);
}

/** DatabaseInput in Glue's field order, for `aws glue create-database --cli-input-json`. */
export function glueDatabaseInput(db: Database | DatabaseInput): DatabaseInput {
  const { Name, Description, LocationUri, Parameters } = db;
  return ordered({ Name, Description, LocationUri, Parameters }, ORDER.database!);
}

/** PartitionInput in Glue's field order. */
export function gluePartitionInput(p: Partition | PartitionInput): PartitionInput {
  const { Values, LastAccessTime, StorageDescriptor, Parameters, LastAnalyzedTime } = p;
  return ordered({ Values, LastAccessTime, StorageDescriptor: orderSd(StorageDescriptor), Parameters, LastAnalyzedTime }, ORDER.partition!);
}

const safe = safeName;
const byName = <T extends { Name: string }>(a: T, b: T) => a.Name.localeCompare(b.Name);
// Glue's create-* inputs have no VersionId: the bundle keeps it in History.ObjectVersions.
const stripVersion = <T extends { VersionId?: string }>(v: T): T => { const { VersionId: _v, ...rest } = v; return rest as T; };
const OBJECT_KINDS: ObjectKind[] = ['connection', 'classifier', 'crawler', 'job', 'trigger'];

/** Render a snapshot as a catalog bundle (sorted, so equal catalogs give byte-identical files). */
export function bundleFromSnapshot(snap: Snapshot): CatalogBundle {
  const dbs = [...snap.databases].sort(byName);
  const tables = [...snap.tables].sort((a, b) => a.DatabaseName.localeCompare(b.DatabaseName) || a.Name.localeCompare(b.Name));
  const partsOf = (t: Table) => snap.partitions.filter((p) => p.DatabaseName === t.DatabaseName && p.TableName === t.Name)
    .sort((a, b) => JSON.stringify(a.Values).localeCompare(JSON.stringify(b.Values)));
  const versionsOf = (t: Table) => snap.versions.filter((v) => v.DatabaseName === t.DatabaseName && v.TableName === t.Name).sort((a, b) => b.Seq - a.Seq);
  const objects = (kind: ObjectKind) => snap.objects.filter((o) => o.kind === kind).map((o) => stripVersion(o.value))
    .sort((a, b) => nameOf(kind, a).localeCompare(nameOf(kind, b)));
  // Old versions of a job or connection may hold secrets as much as the current one: redacted alike.
  const redactsValue = (kind: ObjectKind) => kind !== 'classifier';
  const objectVersions = OBJECT_KINDS.flatMap((kind) => snap.objects.filter((o) => o.kind === kind).map((o) => {
    const name = nameOf(kind, o.value);
    const versions = snap.objectVersions.filter((v) => v.Kind === kind && v.Name === name).sort((a, b) => b.Seq - a.Seq)
      .map((v): ObjectVersion => ({ VersionId: v.VersionId, ...(v.SavedAt ? { SavedAt: v.SavedAt } : {}), Value: redactsValue(kind) ? redactForExport(v.Value) : v.Value }));
    return { Kind: kind, Name: name, VersionId: o.value.VersionId ?? '0', Versions: versions };
  }).sort((a, b) => a.Name.localeCompare(b.Name)));
  const connections = objects('connection') as Connection[];
  const bundle: CatalogBundle = {
    Format: 'epoxy-glue-catalog',
    Version: 1,
    Databases: dbs.map((d) => ({ DatabaseInput: glueDatabaseInput(d) })),
    Tables: tables.map((t) => ({ DatabaseName: t.DatabaseName, TableInput: glueTableInput(t) })),
    Partitions: tables.filter((t) => partsOf(t).length).map((t) => ({ DatabaseName: t.DatabaseName, TableName: t.Name, PartitionInputList: partsOf(t).map(gluePartitionInput) })),
    Connections: connections.map(({ CreationTime: _c, LastUpdatedTime: _u, VersionId: _v, ...input }) => ({ ConnectionInput: redactForExport(input) })),
    Classifiers: objects('classifier') as Classifier[],
    Crawlers: (objects('crawler') as Crawler[]).map(redactForExport),
    Jobs: (objects('job') as Job[]).map(redactForExport),
    Triggers: (objects('trigger') as Trigger[]).map(redactForExport),
    History: {
      Databases: dbs.map((d) => ({ Name: d.Name, CreateTime: d.CreateTime })),
      TableVersions: tables.map((t) => ({ DatabaseName: t.DatabaseName, TableName: t.Name, TableVersions: versionsOf(t).map((v) => ({ Table: v.Table, VersionId: v.VersionId })) })),
      Partitions: tables.flatMap((t) => partsOf(t).map((p) => ({ DatabaseName: p.DatabaseName, TableName: p.TableName, Values: p.Values, CreationTime: p.CreationTime }))),
      Connections: connections.map((c) => ({ Name: c.Name, CreationTime: c.CreationTime, LastUpdatedTime: c.LastUpdatedTime })),
      JobRuns: [...snap.jobRuns].sort((a, b) => a.JobName.localeCompare(b.JobName) || a.Id.localeCompare(b.Id)),
      CrawlerRuns: [...snap.crawlerRuns].sort((a, b) => a.CrawlerName.localeCompare(b.CrawlerName) || a.CrawlId.localeCompare(b.CrawlId)),
      ObjectVersions: objectVersions,
    },
  };
  return bundle;
}

/** Turn a bundle back into stored records; without History, times are `now` and each table starts at version 0. */
export function snapshotFromBundle(bundle: CatalogBundle, now: string): Snapshot {
  const snap = emptySnapshot();
  const h = bundle.History;
  for (const { DatabaseInput: d } of bundle.Databases ?? []) {
    snap.databases.push({ ...d, CreateTime: h?.Databases.find((x) => x.Name === d.Name)?.CreateTime ?? now });
  }
  for (const { DatabaseName, TableInput: input } of bundle.Tables ?? []) {
    const versions = h?.TableVersions.find((v) => v.DatabaseName === DatabaseName && v.TableName === input.Name)?.TableVersions ?? [];
    const latest = [...versions].sort((a, b) => Number(b.VersionId) - Number(a.VersionId))[0];
    const table: Table = {
      ...input, DatabaseName,
      CreateTime: latest?.Table.CreateTime ?? now, UpdateTime: latest?.Table.UpdateTime ?? now, VersionId: latest?.VersionId ?? '0',
    };
    snap.tables.push(table);
    const records: VersionRecord[] = versions.length
      ? versions.map((v) => ({ DatabaseName, TableName: input.Name, Seq: Number(v.VersionId), VersionId: v.VersionId, Table: v.Table }))
      : [{ DatabaseName, TableName: input.Name, Seq: 0, VersionId: '0', Table: table }];
    snap.versions.push(...records);
  }
  for (const { DatabaseName, TableName, PartitionInputList } of bundle.Partitions ?? []) {
    for (const p of PartitionInputList) {
      const CreationTime = h?.Partitions.find((x) => x.DatabaseName === DatabaseName && x.TableName === TableName && JSON.stringify(x.Values) === JSON.stringify(p.Values))?.CreationTime ?? now;
      snap.partitions.push({ ...p, DatabaseName, TableName, CreationTime });
    }
  }
  for (const { ConnectionInput: c } of bundle.Connections ?? []) {
    const times = h?.Connections?.find((x) => x.Name === c.Name);
    snap.objects.push({ kind: 'connection', value: { ...c, CreationTime: times?.CreationTime ?? now, LastUpdatedTime: times?.LastUpdatedTime ?? now } });
  }
  for (const value of bundle.Classifiers ?? []) snap.objects.push({ kind: 'classifier', value });
  for (const value of bundle.Crawlers ?? []) snap.objects.push({ kind: 'crawler', value });
  for (const value of bundle.Jobs ?? []) snap.objects.push({ kind: 'job', value });
  for (const value of bundle.Triggers ?? []) snap.objects.push({ kind: 'trigger', value });
  // Each object gets its VersionId and kept versions back; without History it starts at version 0.
  snap.objects = snap.objects.map((o) => {
    const name = nameOf(o.kind, o.value);
    const kept = h?.ObjectVersions?.find((x) => x.Kind === o.kind && x.Name === name);
    const VersionId = kept?.VersionId ?? o.value.VersionId ?? '0';
    const value = { ...o.value, VersionId } as ObjectTypes[ObjectKind];
    const versions = kept?.Versions.length ? kept.Versions : [{ VersionId, SavedAt: now, Value: definitionOf(o.kind, value) }];
    snap.objectVersions.push(...versions.map((v): ObjectVersionRecord => ({ Kind: o.kind, Name: name, Seq: Number(v.VersionId), VersionId: v.VersionId, ...(v.SavedAt ? { SavedAt: v.SavedAt } : {}), Value: v.Value })));
    return { kind: o.kind, value };
  });
  snap.jobRuns = h?.JobRuns ?? [];
  snap.crawlerRuns = h?.CrawlerRuns ?? [];
  return snap;
}

/** A file of a per-object export: its relative path, the Glue API operation it is the request of, and the request. */
export interface ExportFile { path: string; operation: GlueOperation; json: unknown }

/** The Glue API operations the per-object export writes requests for (`aws glue create-table` = CreateTable). */
export type GlueOperation = 'CreateDatabase' | 'CreateTable' | 'BatchCreatePartition' | 'CreateConnection' | 'CreateClassifier'
  | 'CreateCrawler' | 'CreateJob' | 'CreateWorkflow' | 'CreateTrigger';

/** The per-object export and what it filled in or left out (placeholders to replace, approximations). */
export interface GlueExport { files: ExportFile[]; notes: ExportNote[] }

// batch-create-partition takes at most 100 partitions per call.
const PARTITION_BATCH = 100;

/**
 * One `--cli-input-json` file per object, in the order they can be created: databases/<db>.json
 * (create-database), tables/<db>/<table>.json (create-table), partitions/<db>/<table>[-n].json
 * (batch-create-partition), connections/, classifiers/, crawlers/, jobs/, workflows/ (one per workflow a
 * trigger names) and triggers/. Each is a request botocore's Glue model accepts: Epoxy-only fields are left
 * out, and what Glue needs that the catalog lacks (role, script and data locations) comes from `options`
 * or is a placeholder listed in `notes`.
 */
export function glueExport(stored: CatalogBundle, options: GlueExportOptions = {}): GlueExport {
  const bundle = redactForExport(stored);
  const files: ExportFile[] = [];
  const notes: ExportNote[] = [];
  const add = (path: string, operation: GlueOperation, json: unknown) => files.push({ path, operation, json });
  for (const d of bundle.Databases) add(`databases/${d.DatabaseInput.Name}.json`, 'CreateDatabase', d);
  for (const t of bundle.Tables) add(`tables/${t.DatabaseName}/${t.TableInput.Name}.json`, 'CreateTable', t);
  for (const p of bundle.Partitions) {
    const chunks = Math.ceil(p.PartitionInputList.length / PARTITION_BATCH);
    for (let i = 0; i < chunks; i++) {
      const json = { DatabaseName: p.DatabaseName, TableName: p.TableName, PartitionInputList: p.PartitionInputList.slice(i * PARTITION_BATCH, (i + 1) * PARTITION_BATCH) };
      add(`partitions/${p.DatabaseName}/${p.TableName}${chunks > 1 ? `-${i + 1}` : ''}.json`, 'BatchCreatePartition', json);
    }
  }
  for (const c of bundle.Connections ?? []) {
    const path = `connections/${safe(c.ConnectionInput.Name)}.json`;
    // Presigned URLs are the tab's way into S3; a Glue job reads S3 with its role and needs no connection.
    if (c.ConnectionInput.ConnectionType === S3_PRESIGNED_CONNECTION) { notes.push({ file: path, message: `connection ${c.ConnectionInput.Name} (presigned S3 URLs) is not exported: Glue reads S3 with the job's role` }); continue; }
    add(path, 'CreateConnection', c);
  }
  for (const c of bundle.Classifiers ?? []) { const { order: _o, VersionId: _v, ...input } = c; add(`classifiers/${safe(nameOf('classifier', c))}.json`, 'CreateClassifier', input); }
  for (const c of bundle.Crawlers ?? []) { const path = `crawlers/${safe(c.Name)}.json`; add(path, 'CreateCrawler', glueCrawlerRequest(c, options, path, notes)); }
  for (const j of bundle.Jobs ?? []) { const path = `jobs/${safe(j.Name)}.json`; add(path, 'CreateJob', glueJobRequest(j, options, path, notes)); }
  for (const w of glueWorkflowRequests(bundle.Triggers ?? [])) add(`workflows/${safe(w.Name)}.json`, 'CreateWorkflow', w);
  for (const t of bundle.Triggers ?? []) { const path = `triggers/${safe(t.Name)}.json`; add(path, 'CreateTrigger', glueTriggerRequest(t, path, notes)); }
  return { files, notes };
}

/** The files of `glueExport` (placeholders where `options` give no role or S3 locations). */
export function glueFiles(stored: CatalogBundle, options: GlueExportOptions = {}): ExportFile[] {
  return glueExport(stored, options).files;
}

/** JSON text as Epoxy writes it: two-space indent and a final newline. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
