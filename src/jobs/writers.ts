import type { Engine } from '../engine/engine';
import type { ParquetCompression } from '../engine/parquet';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { tableToResult, type PlainValue } from '../engine/values';

/** Output formats a job target can write. */
export type OutputFormat = 'parquet' | 'csv' | 'ndjson';

/** How a target writes its data. */
export interface WriteOptions {
  format: OutputFormat;
  compression?: ParquetCompression;
  /** Hive-style partition columns: files go under col=value/ folders, the columns leave the files. */
  partitionBy?: string[];
  /** File name stem, e.g. part-00000. */
  fileStem?: string;
}

/** One file a target produced, with its path relative to the target location. */
export interface OutputFile {
  path: string;
  bytes: Uint8Array;
  rows: number;
}

const EXTENSIONS: Record<OutputFormat, string> = { parquet: '.parquet', csv: '.csv', ndjson: '.json' };

/** Escape a partition value for a folder name the way Hive does (so `a/b` cannot create a folder). */
export function hivePartitionValue(value: PlainValue): string {
  if (value === null) return '__HIVE_DEFAULT_PARTITION__';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\u0000-\u001f"#%'*/:=?\\\u007f{}[\]^]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Serialize rows as NDJSON: one object per line, keys in column order. */
export function toNdjson(columns: { name: string }[], rows: PlainValue[][]): Uint8Array {
  let out = '';
  for (const row of rows) {
    const record: Record<string, PlainValue> = {};
    columns.forEach((c, i) => { record[c.name] = row[i] ?? null; });
    out += JSON.stringify(record) + '\n';
  }
  return new TextEncoder().encode(out);
}

function writeOne(engine: Engine, sql: string, options: WriteOptions): { bytes: Uint8Array; rows: number } {
  const rows = Number(engine.queryArrow(`SELECT count(*)::BIGINT AS n FROM (${sql})`).getChildAt(0)?.get(0));
  switch (options.format) {
    case 'parquet':
      return { bytes: engine.toParquet(sql, options.compression ?? 'snappy'), rows };
    case 'csv':
      return { bytes: engine.copyToBytes(sql, "FORMAT csv, HEADER true, DELIMITER ','"), rows };
    case 'ndjson': {
      const result = tableToResult(engine.queryArrow(sql));
      return { bytes: toNdjson(result.columns, result.rows), rows };
    }
  }
}

/**
 * Write the result of `sql` in the target format; with partition columns, one file per partition under
 * Hive-style `col=value/` folders (partition columns are not repeated inside the files, as Glue writes them).
 */
export function writeOutput(engine: Engine, sql: string, options: WriteOptions): OutputFile[] {
  const stem = options.fileStem ?? 'part-00000';
  const ext = EXTENSIONS[options.format];
  const partitionBy = options.partitionBy ?? [];
  if (partitionBy.length === 0) {
    const { bytes, rows } = writeOne(engine, sql, options);
    return [{ path: stem + ext, bytes, rows }];
  }
  const cols = partitionBy.map(quoteIdent).join(', ');
  const combos = tableToResult(engine.queryArrow(`SELECT DISTINCT ${cols} FROM (${sql}) ORDER BY ${cols}`));
  const files: OutputFile[] = [];
  for (const combo of combos.rows) {
    const where = partitionBy.map((c, i) => {
      const v = combo[i];
      return v === null || v === undefined ? `${quoteIdent(c)} IS NULL` : `CAST(${quoteIdent(c)} AS VARCHAR) = ${quoteLiteral(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
    }).join(' AND ');
    const partSql = `SELECT * EXCLUDE (${cols}) FROM (${sql}) WHERE ${where}`;
    const { bytes, rows } = writeOne(engine, partSql, options);
    // The key is escaped like the value: a column named `a/b` or `k=v` must not make extra folders or keys.
    const folder = partitionBy.map((c, i) => `${hivePartitionValue(c)}=${hivePartitionValue(combo[i] ?? null)}`).join('/');
    files.push({ path: `${folder}/${stem}${ext}`, bytes, rows });
  }
  return files;
}
