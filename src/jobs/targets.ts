/**
 * Target nodes: write a frame in the target's format (through the engine's writers) and, for a workspace
 * target with a table name, register what was written as a catalog table with its partitions.
 */
import type { Change } from '../catalog/store';
import { storageFor } from '../catalog/formats';
import type { PartitionInput, TableInput } from '../catalog/glue-types';
import { toColumn } from '../crawler/to-catalog';
import { quoteIdent } from '../engine/sql';
import type { StructField } from '../schema/types';
import type { JobEngine } from './engine';
import type { TargetNode, TargetSpec } from './model';
import { partitionValuesOf } from './sources';
import type { OutputFile } from './writers';

/** Run the target's write: the files it produced, with paths relative to the target location. */
export async function writeTarget(engine: JobEngine, relation: string, spec: TargetSpec): Promise<OutputFile[]> {
  return engine.writeOutput(`SELECT * FROM ${quoteIdent(relation)}`, {
    format: spec.format,
    ...(spec.format === 'parquet' ? { compression: spec.compression ?? 'snappy' } : {}),
    partitionBy: spec.partitionBy ?? [],
  });
}

const CLASSIFICATION = { parquet: 'parquet', csv: 'csv', ndjson: 'json' } as const;

/**
 * The catalog changes that register a target's output as a table: the table (created, or updated as a new
 * version), its database when missing, and one partition per Hive folder written.
 */
export function registerOutput(node: TargetNode, location: string, schema: StructField[], files: OutputFile[]): Change[] {
  const spec = node.target;
  if (spec.type !== 'workspace' || !spec.table) return [];
  const database = spec.database || 'default';
  const keys = spec.partitionBy ?? [];
  const columns = schema.filter((f) => !keys.includes(f.name)).map((f) => toColumn(f.name, f.type));
  const classification = CLASSIFICATION[spec.format];
  const storage = (loc: string) => storageFor(classification, { location: loc, columns, header: spec.format === 'csv', ...(spec.format === 'csv' ? { quoteChar: '"' } : {}) });
  const { StorageDescriptor, Parameters } = storage(location);
  const rows = files.reduce((n, f) => n + f.rows, 0);
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const table: TableInput = {
    Name: spec.table,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor,
    PartitionKeys: keys.map((k) => ({ Name: k, Type: 'string' })),
    Parameters: { ...Parameters, recordCount: String(rows), objectCount: String(files.length), sizeKey: String(bytes), 'epoxy.writtenBy': `job node ${node.id}` },
  };
  const changes: Change[] = [{ op: 'ensureDatabase', database: { Name: database } }, { op: 'putTable', databaseName: database, table }];
  if (keys.length) {
    const byFolder = new Map<string, OutputFile[]>();
    for (const f of files) {
      const folder = f.path.split('/').slice(0, -1).join('/');
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), f]);
    }
    const partitions: PartitionInput[] = [...byFolder].map(([folder, fs]) => {
      const values = partitionValuesOf(`${folder}/x`, keys);
      return {
        Values: keys.map((k) => values[k]!),
        StorageDescriptor: storage(`${location.replace(/\/+$/, '')}/${folder}`).StorageDescriptor,
        Parameters: { recordCount: String(fs.reduce((n, f) => n + f.rows, 0)), objectCount: String(fs.length) },
      };
    });
    changes.push({ op: 'putPartitions', databaseName: database, tableName: spec.table, partitions });
  }
  return changes;
}
