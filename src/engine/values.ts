import { DataType, Type, type Field, type Table, type Vector } from 'apache-arrow';

/** A JSON-safe cell value: what the grid shows and `--json` prints. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** A column of a query result: its name and DuckDB type as DuckDB spells it (BIGINT, VARCHAR, ...). */
export interface ResultColumn {
  name: string;
  type: string;
}

/** A query result small enough to cross a worker boundary by structured clone. */
export interface QueryResult {
  columns: ResultColumn[];
  rows: PlainValue[][];
}

/** Render an Arrow data type as the SQL type name a DuckDB user expects. */
export function sqlTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Null: return 'NULL';
    case Type.Bool: return 'BOOLEAN';
    case Type.Int: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      const base = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[t.bitWidth] ?? 'BIGINT';
      return t.isSigned ? base : 'U' + base;
    }
    case Type.Float: {
      const t = type as unknown as { precision: number };
      return t.precision === 2 ? 'DOUBLE' : 'FLOAT';
    }
    case Type.Decimal: {
      const t = type as unknown as { precision: number; scale: number };
      return `DECIMAL(${t.precision},${t.scale})`;
    }
    case Type.Utf8: case Type.LargeUtf8: return 'VARCHAR';
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return 'BLOB';
    case Type.Date: return 'DATE';
    case Type.Time: return 'TIME';
    case Type.Timestamp: {
      const t = type as unknown as { timezone: string | null };
      return t.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
    }
    case Type.Interval: case Type.Duration: return 'INTERVAL';
    case Type.List: case Type.FixedSizeList: {
      const child = (type as unknown as { children: Field[] }).children[0];
      return `${child ? sqlTypeName(child.type) : 'NULL'}[]`;
    }
    case Type.Struct: {
      const children = (type as unknown as { children: Field[] }).children;
      return `STRUCT(${children.map((c) => `${c.name} ${sqlTypeName(c.type)}`).join(', ')})`;
    }
    case Type.Map: {
      const entries = (type as unknown as { children: Field[] }).children[0];
      const [k, v] = (entries?.type as unknown as { children: Field[] }).children;
      return `MAP(${k ? sqlTypeName(k.type) : '?'}, ${v ? sqlTypeName(v.type) : '?'})`;
    }
    case Type.Dictionary: return sqlTypeName((type as unknown as { dictionary: DataType }).dictionary);
    default: return String(type);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function isoTimestamp(ms: number): string {
  const d = new Date(ms);
  const frac = d.getUTCMilliseconds() ? '.' + pad(d.getUTCMilliseconds(), 3) : '';
  return `${isoDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
}

/** Format a 128-bit little-endian two's complement decimal held in 32-bit words. */
function decimalToString(words: Uint32Array, scale: number): string {
  let big = 0n;
  for (let i = words.length - 1; i >= 0; i--) big = (big << 32n) | BigInt(words[i]!);
  const bits = BigInt(words.length * 32);
  if (big >> (bits - 1n)) big -= 1n << bits;
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? '-' + text : text;
}

/** Make a bigint JSON-safe: a number when exact, else its decimal string. */
function fromBigInt(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** Convert one Arrow cell to a plain JSON-safe value, keeping the meaning of its type. */
export function toPlainValue(value: unknown, type: DataType): PlainValue {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
      return typeof value === 'bigint' ? fromBigInt(value) : (value as number);
    case Type.Decimal:
      return decimalToString(value as Uint32Array, (type as unknown as { scale: number }).scale);
    case Type.Date:
      return isoDate(typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : (value as number));
    case Type.Timestamp:
      return isoTimestamp(typeof value === 'bigint' ? Number(value) : (value as number));
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: {
      const bytes = value as Uint8Array;
      return Array.from(bytes.subarray(0, 64), (b) => b.toString(16).padStart(2, '0')).join('') + (bytes.length > 64 ? '…' : '');
    }
    case Type.List: case Type.FixedSizeList: {
      const child = (type as unknown as { children: Field[] }).children[0]!;
      return Array.from(value as Vector, (v) => toPlainValue(v, child.type));
    }
    case Type.Struct: {
      const out: { [key: string]: PlainValue } = {};
      const row = value as Record<string, unknown>;
      for (const field of (type as unknown as { children: Field[] }).children) out[field.name] = toPlainValue(row[field.name], field.type);
      return out;
    }
    case Type.Map: {
      const out: { [key: string]: PlainValue } = {};
      const entries = (type as unknown as { children: Field[] }).children[0]!;
      const valueType = (entries.type as unknown as { children: Field[] }).children[1]!.type;
      for (const [k, v] of value as Map<unknown, unknown>) out[String(k)] = toPlainValue(v, valueType);
      return out;
    }
    case Type.Dictionary:
      return toPlainValue(value, (type as unknown as { dictionary: DataType }).dictionary);
    default:
      if (typeof value === 'bigint') return fromBigInt(value);
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
      if (value instanceof Date) return isoTimestamp(value.getTime());
      return String(value);
  }
}

/** Convert an Arrow table to plain columns and rows (column-wise, which is much faster than row proxies). */
export function tableToResult(table: Table): QueryResult {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: sqlTypeName(f.type) }));
  const rows: PlainValue[][] = Array.from({ length: table.numRows }, () => new Array<PlainValue>(columns.length));
  table.schema.fields.forEach((field, c) => {
    const vector = table.getChildAt(c);
    if (!vector) return;
    let r = 0;
    for (const value of vector) rows[r++]![c] = toPlainValue(value, field.type);
  });
  return { columns, rows };
}
