/**
 * Target nodes: write a frame in the target's format (through the engine's writers) and, for a workspace
 * target with a table name, register what was written as a catalog table with its partitions.
 */
import type { Catalog, Change } from '../catalog/store';
import { storageFor } from '../catalog/formats';
import { catalogKey } from '../catalog/names';
import type { PartitionInput, TableInput } from '../catalog/glue-types';
import { toColumn } from '../crawler/to-catalog';
import { quoteIdent } from '../engine/sql';
import { toCatalogType, type StructField } from '../schema/types';
import { frameDuckType } from '../frames/duck-types';
import type { BookmarkOption } from './bookmarks';
import type { JobEngine } from './engine';
import { WRITE_MODES, type TargetNode, type TargetSpec, type WriteMode } from './model';
import { partitionValuesOf } from './sources';
import type { OutputFile } from './writers';

/**
 * The SELECT a Parquet or CSV target writes: a top-level choice column (records disagree on its type, a DuckDB
 * UNION) as the catalog type the table registers for it — numbers widened, anything else text — since the
 * writers have no union type (the Parquet writer trapped on one: issue 20, movies.json's Title).
 */
export function writableSelect(from: string, schema: StructField[]): string {
  const choices = schema.filter((f) => f.type.kind === 'choice');
  if (!choices.length) return `SELECT * FROM ${from}`;
  const cast = (f: StructField) => `CAST(CAST(${quoteIdent(f.name)} AS VARCHAR) AS ${frameDuckType(toCatalogType(f.type))}) AS ${quoteIdent(f.name)}`;
  return `SELECT * REPLACE (${choices.map(cast).join(', ')}) FROM ${from}`;
}

/** Run the target's write: the files it produced, with paths relative to the target location. */
export async function writeTarget(engine: JobEngine, relation: string, spec: TargetSpec, schema: StructField[] = []): Promise<OutputFile[]> {
  return engine.writeOutput(writableSelect(quoteIdent(relation), spec.format === 'ndjson' ? [] : schema), {
    format: spec.format,
    ...(spec.format === 'parquet' ? { compression: spec.compression ?? 'snappy' } : {}),
    partitionBy: spec.partitionBy ?? [],
  });
}

const CLASSIFICATION = { parquet: 'parquet', csv: 'csv', ndjson: 'json' } as const;

/**
 * The write mode a target runs with: its own, else append when the run's bookmark is enabled (a bookmarked
 * run reads only new files, so replacing the output with them would lose the earlier rows; Glue appends),
 * else overwrite.
 */
export function writeModeOf(spec: TargetSpec, bookmark: BookmarkOption): WriteMode {
  if (spec.mode && WRITE_MODES.includes(spec.mode)) return spec.mode;
  return bookmark === 'job-bookmark-enable' ? 'append' : 'overwrite';
}

/** What the catalog registers for a target before the run: the table's location and its partitions. */
export interface PreviousOutput {
  location?: string;
  recordCount?: number;
  partitions: { values: string[]; recordCount?: number }[];
}

/** Read what the catalog registers for a workspace target now (null when it registers nothing). */
export async function previousOutput(catalog: Catalog | undefined, spec: TargetSpec): Promise<PreviousOutput | null> {
  if (!catalog || spec.type !== 'workspace' || !spec.table) return null;
  const database = spec.database || 'default';
  const table = await catalog.getTable(database, spec.table).catch(() => null);
  if (!table) return null;
  const partitions = table.PartitionKeys?.length ? await catalog.getPartitions(database, spec.table) : [];
  const count = (p?: Record<string, string>) => (p?.['recordCount'] !== undefined && p['recordCount'] !== '' ? Number(p['recordCount']) : undefined);
  return {
    ...(table.StorageDescriptor?.Location ? { location: table.StorageDescriptor.Location } : {}),
    ...(count(table.Parameters) !== undefined ? { recordCount: count(table.Parameters)! } : {}),
    partitions: partitions.map((p) => ({ values: p.Values, ...(count(p.Parameters) !== undefined ? { recordCount: count(p.Parameters)! } : {}) })),
  };
}

/** A file of the output as registered: its path under the location, rows when known (null: carried over from an unversioned output). */
export interface RegisteredFile { path: string; rows: number | null; bytes: number }

/**
 * The catalog changes that register a target's output as a table: the table (created, or updated as a new
 * version) pointing at `location`, its database when missing, one partition per Hive folder of the output,
 * and the deletion of partitions the output no longer has (an overwrite that wrote fewer). `files` is the
 * whole output (kept files too); rows unknown for carried-over files are taken from the previous partitions.
 */
export function registerOutput(node: TargetNode, location: string, schema: StructField[], files: (OutputFile | RegisteredFile)[], o: { mode?: WriteMode; previous?: PreviousOutput | null } = {}): Change[] {
  const spec = node.target;
  if (spec.type !== 'workspace' || !spec.table) return [];
  const database = spec.database || 'default';
  const keys = spec.partitionBy ?? [];
  // Names match case-insensitively, as in the catalog and in DuckDB: "Order Region" is the key "order region".
  const lowerKeys = new Set(keys.map(catalogKey));
  const columns = schema.filter((f) => !lowerKeys.has(catalogKey(f.name))).map((f) => toColumn(f.name, f.type));
  const classification = CLASSIFICATION[spec.format];
  const storage = (loc: string) => storageFor(classification, { location: loc, columns, header: spec.format === 'csv', ...(spec.format === 'csv' ? { quoteChar: '"' } : {}) });
  const { StorageDescriptor, Parameters } = storage(location);
  const list = files.map((f) => ({ path: f.path, rows: f.rows, bytes: 'bytes' in f && f.bytes instanceof Uint8Array ? f.bytes.length : (f as RegisteredFile).bytes }));
  const previous = o.previous ?? null;
  const known = (fs: typeof list) => fs.reduce((n, f) => n + (f.rows ?? 0), 0);
  const unknown = (fs: typeof list) => fs.some((f) => f.rows === null);
  const bytes = list.reduce((n, f) => n + f.bytes, 0);
  const partitions: PartitionInput[] = [];
  let rows = known(list);
  if (keys.length) {
    const byFolder = new Map<string, typeof list>();
    for (const f of list) {
      const folder = f.path.split('/').slice(0, -1).join('/');
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), f]);
    }
    rows = 0;
    for (const [folder, fs] of byFolder) {
      const values = keys.map((k) => partitionValuesOf(`${folder}/x`, keys)[k]!);
      const prior = unknown(fs) ? previous?.partitions.find((p) => p.values.join('\u0000') === values.join('\u0000'))?.recordCount ?? 0 : 0;
      const count = known(fs) + prior;
      rows += count;
      partitions.push({
        Values: values,
        StorageDescriptor: storage(`${location.replace(/\/+$/, '')}/${folder}`).StorageDescriptor,
        Parameters: { recordCount: String(count), objectCount: String(fs.length) },
      });
    }
  } else if (unknown(list)) {
    rows += previous?.recordCount ?? 0;
  }
  const table: TableInput = {
    Name: spec.table,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor,
    PartitionKeys: keys.map((k) => ({ Name: k, Type: 'string' })),
    Parameters: { ...Parameters, recordCount: String(rows), objectCount: String(list.length), sizeKey: String(bytes), 'epoxy.writtenBy': `job node ${node.id}` },
  };
  const changes: Change[] = [{ op: 'ensureDatabase', database: { Name: database } }, { op: 'putTable', databaseName: database, table }];
  if (keys.length) {
    const now = new Set(partitions.map((p) => p.Values.join('\u0000')));
    const gone = (previous?.partitions ?? []).filter((p) => !now.has(p.values.join('\u0000'))).map((p) => p.values);
    if (gone.length) changes.push({ op: 'deletePartitions', databaseName: database, tableName: spec.table, values: gone });
    if (partitions.length) changes.push({ op: 'putPartitions', databaseName: database, tableName: spec.table, partitions });
  }
  return changes;
}
