import type { Engine } from '../engine/engine';
import type { ParquetCompression } from '../engine/parquet';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { DataType, type Field, type Table, type Vector } from 'apache-arrow';
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

/**
 * A partition key or value as a folder name, spelled as native DuckDB's COPY ... PARTITION_BY spells it for ASCII:
 * every ASCII character but letters, digits and `_ . ~ -` percent-encoded (`North%20East`, `a%2Fb`), so the tab's
 * folders and an exported script's are the same. Hive, Spark and Athena decode each `%XX` (measured on Spark 3.5:
 * `k=a%20b` reads as `a b`). Non-ASCII stays as it is: Spark decodes `%XX` byte by byte (`%C3%A9` reads as `Ã©`),
 * so it writes `é` raw, and so does the tab (DuckDB encodes the bytes; the export says so).
 */
export function hivePartitionValue(value: PlainValue): string {
  if (value === null) return '__HIVE_DEFAULT_PARTITION__';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[^A-Za-z0-9_.~\u0080-\uffff-]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/**
 * One value as JSON text, as DuckDB's JSON writer spells it for the column's Arrow type: a whole DOUBLE is `3.0`
 * (JSON.stringify's `3` reads back as an integer), a DECIMAL or a BIGINT beyond 2^53 is a number, not a string.
 */
function jsonValue(value: PlainValue, type: DataType | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (type && DataType.isFloat(type) && typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : JSON.stringify(value);
  if (type && (DataType.isDecimal(type) || DataType.isInt(type)) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  if (type && (DataType.isList(type) || DataType.isFixedSizeList(type)) && Array.isArray(value)) {
    const child = (type.children as Field[])[0]?.type;
    return `[${value.map((v) => jsonValue(v, child)).join(',')}]`;
  }
  if (type && DataType.isStruct(type) && value && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.children as Field[];
    return `{${fields.map((f) => `${JSON.stringify(f.name)}:${jsonValue(value[f.name] ?? null, f.type)}`).join(',')}}`;
  }
  if (type && DataType.isMap(type) && value && typeof value === 'object' && !Array.isArray(value)) {
    const valueType = ((type.children as Field[])[0]?.type.children as Field[] | undefined)?.[1]?.type;
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v, valueType)}`).join(',')}}`;
  }
  // A UTC instant, as DuckDB writes one in a UTC session (`2024-01-01 10:00:00+00`).
  if (type && DataType.isTimestamp(type) && type.timezone && typeof value === 'string') return JSON.stringify(value.endsWith('+00') ? value : `${value}+00`);
  if (type && DataType.isUnion(type)) return jsonValue(value, unionMember(value, type.children as Field[]));
  return JSON.stringify(value);
}

/**
 * The member of a choice (UNION) a plain value came from, as the record readers place values: an integral number
 * in an integer member when there is one, else a floating one; text, lists and records in theirs.
 */
function unionMember(value: PlainValue, members: Field[]): DataType | undefined {
  const find = (test: (t: DataType) => boolean) => members.find((m) => test(m.type))?.type;
  if (typeof value === 'number') return (Number.isInteger(value) ? find(DataType.isInt) : undefined) ?? find(DataType.isFloat) ?? find(DataType.isDecimal);
  if (Array.isArray(value)) return find((t) => DataType.isList(t) || DataType.isFixedSizeList(t));
  if (value && typeof value === 'object') return find((t) => DataType.isStruct(t) || DataType.isMap(t));
  return undefined;
}

/**
 * Serialize rows as NDJSON: one object per line, keys in column order. With the columns' Arrow types (`types`,
 * same order), numbers are written as native DuckDB's COPY (FORMAT json) writes them (see jsonValue).
 */
export function toNdjson(columns: { name: string }[], rows: PlainValue[][], types?: DataType[]): Uint8Array {
  let out = '';
  for (const row of rows) out += `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${jsonValue(row[i] ?? null, types?.[i])}`).join(',')}}\n`;
  return new TextEncoder().encode(out);
}

/** Bytes as DuckDB spells a BLOB as text: printable ASCII as is, other bytes (and \\ ' ") as \\xHH. */
export function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 32 && b <= 126 && b !== 92 && b !== 39 && b !== 34 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A timestamp held as `raw` units (seconds, ms, µs or ns since 1970, Arrow's TimeUnit 0-3) as DuckDB spells it:
 * `2024-01-01 10:00:00.01001`, the fraction's trailing zeros cut. Arrow's own getter rounds to milliseconds.
 */
export function timestampText(raw: bigint, unit: number): string {
  const digits = [0, 3, 6, 9][unit] ?? 6;
  const perSecond = 10n ** BigInt(digits);
  let seconds = raw / perSecond;
  let frac = raw % perSecond;
  if (frac < 0n) { frac += perSecond; seconds -= 1n; }
  const d = new Date(Number(seconds) * 1000);
  const day = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const fraction = frac ? '.' + frac.toString().padStart(digits, '0').replace(/0+$/, '') : '';
  return `${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fraction}`;
}

/** A top-level column's raw values chunk by chunk (null where invalid), for what the Arrow getters round or cut. */
function rawValues(vector: Vector): (bigint | number | null)[] {
  const out: (bigint | number | null)[] = [];
  for (const d of vector.data) {
    const values = d.values as ArrayLike<bigint | number>;
    for (let j = 0; j < d.length; j++) out.push(d.getValid(j) ? values[d.offset + j]! : null);
  }
  return out;
}

/** An Arrow table as NDJSON bytes (see toNdjson); a BLOB column is DuckDB's text of all its bytes. */
export function tableToNdjson(table: Table): Uint8Array {
  const result = tableToResult(table);
  // tableToResult shows a BLOB as a hex preview of its first bytes: the file gets every byte.
  table.schema.fields.forEach((f, c) => {
    if (!DataType.isBinary(f.type) && !DataType.isLargeBinary(f.type) && !DataType.isFixedSizeBinary(f.type)) return;
    const vector = table.getChildAt(c);
    result.rows.forEach((row, r) => { const v = vector?.get(r) as Uint8Array | null | undefined; row[c] = v ? blobText(v) : null; });
  });
  table.schema.fields.forEach((f, c) => {
    const vector = table.getChildAt(c);
    if (!DataType.isTimestamp(f.type) || !vector) return;
    const unit = f.type.unit as number;
    const tz = f.type.timezone ? '+00' : '';
    rawValues(vector).forEach((v, r) => { result.rows[r]![c] = v === null ? null : timestampText(BigInt(v), unit) + tz; });
  });
  return toNdjson(result.columns, result.rows, table.schema.fields.map((f) => f.type));
}

function writeOne(engine: Engine, sql: string, options: WriteOptions): { bytes: Uint8Array; rows: number } {
  const rows = Number(engine.queryArrow(`SELECT count(*)::BIGINT AS n FROM (${sql})`).getChildAt(0)?.get(0));
  switch (options.format) {
    case 'parquet':
      return { bytes: engine.toParquet(sql, options.compression ?? 'snappy'), rows };
    case 'csv':
      return { bytes: engine.copyToBytes(sql, "FORMAT csv, HEADER true, DELIMITER ','"), rows };
    case 'ndjson':
      return { bytes: tableToNdjson(engine.queryArrow(sql)), rows };
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
