import type { DataSource, Engine } from '../engine/engine';
import { tableNameFromFile, uniqueName } from '../engine/sql';
import { openFileFormat, xmlRowTag, type OpenedFileTable } from '../frames/open-file';
import type { QueryEngine } from '../query/engine';
import { loadFiles, planTable } from '../query/read';

/** One file of a folder opened as a table: its path as dropped (`trips/year=2024/x.csv`), its bytes, its size. */
export interface FolderPart {
  fileName: string;
  source: DataSource;
  size: number;
}

/** How Hive writes a NULL partition value. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/**
 * The Hive type of a partition key of a dropped folder (no catalog to say it), as DuckDB's hive_partitioning
 * autocast types one: all integers bigint, all ISO dates date, anything else string (so `month=01` reads as 1).
 */
export function partitionKeyType(values: string[]): 'bigint' | 'date' | 'string' {
  const real = values.filter((v) => v !== HIVE_NULL && v !== '');
  if (!real.length) return 'string';
  if (real.every((v) => /^-?\d{1,18}$/.test(v))) return 'bigint';
  if (real.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)))) return 'date';
  return 'string';
}

/**
 * Open the files of a dropped folder as ONE table named after the folder, read the way a catalog table over
 * the same folder is (the resolver's loadFiles: files stacked by column name, a typed column per partition
 * key from the `k=v` folder names, Hive's default partition NULL). `values[i]` are each file's partition
 * values in key order (the app groups the drop with the crawler's partition naming); they type the keys.
 */
export async function openFolder(engine: Engine, reader: QueryEngine, folderName: string, keys: string[], parts: (FolderPart & { values: string[] })[]): Promise<OpenedFileTable> {
  if (!parts.length) throw new Error(`Cannot open ${folderName}: the folder holds no data files`);
  const format = openFileFormat(parts[0]!.fileName);
  if (!format || format === 'log' || format === 'xlsx') throw new Error(`Cannot open ${folderName} as one table: its ${format ?? 'unknown'} files open one by one`);
  const prefix = `${folderName}/`;
  const files = parts.map((p) => ({ path: p.fileName.startsWith(prefix) ? p.fileName.slice(prefix.length) : p.fileName, size: p.size, data: p.source }));
  const plan = {
    ...planTable(null, folderName),
    format: format === 'tsv' ? 'csv' as const : format,
    partitionKeys: keys,
    partitionTypes: keys.map((_, i) => partitionKeyType(parts.map((p) => p.values[i] ?? ''))),
    ...(format === 'xml' ? { rowTag: await xmlRowTag(parts[0]!.fileName, parts[0]!.source) } : {}),
  };
  const taken = new Set(engine.query('SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()').rows.map((r) => String(r[0])));
  const name = uniqueName(tableNameFromFile(`${folderName}.folder`), taken);
  try {
    await loadFiles(reader, name, files, plan);
  } catch (err) {
    engine.query(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}"`);
    throw new Error(`Cannot open ${folderName}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...engine.adopt(name, folderName, format), files: parts.length, partitionKeys: keys };
}
