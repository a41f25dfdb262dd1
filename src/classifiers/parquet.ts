import { parquetSchema } from 'hyparquet';
import { readParquetFooter, type RangeReader } from '../engine/parquet-footer';
import type { FileMetaData, SchemaTree } from 'hyparquet';
import { t, type GlueType, type StructField } from '../schema/types';
import { startsWith } from './text';
import type { ClassifierResult, Sample } from './types';
import { errorMessage } from '../util/errors';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** Glue type of a Parquet schema node (logical types first, then converted types, then physical). */
export function parquetNodeType(node: SchemaTree): GlueType {
  const el = node.element;
  const logical = el.logical_type?.type;
  const converted = el.converted_type;
  if (node.children.length > 0) {
    if (logical === 'LIST' || converted === 'LIST') return listType(node);
    if (logical === 'MAP' || converted === 'MAP' || converted === 'MAP_KEY_VALUE') return mapType(node);
    return { kind: 'struct', fields: node.children.map(fieldOf) };
  }
  if (logical === 'DECIMAL' || converted === 'DECIMAL') {
    const lt = el.logical_type as { precision?: number; scale?: number } | undefined;
    const precision = Math.min(38, lt?.precision ?? el.precision ?? 38);
    return t.decimal(precision, Math.min(precision, lt?.scale ?? el.scale ?? 0));
  }
  if (logical === 'DATE' || converted === 'DATE') return t.date;
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || el.type === 'INT96') return t.timestamp;
  if (logical === 'STRING' || logical === 'ENUM' || logical === 'JSON' || logical === 'UUID' || converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON') return t.string;
  if (logical === 'INTEGER') {
    const it = el.logical_type as { bitWidth: number; isSigned: boolean };
    return intType(it.bitWidth, it.isSigned);
  }
  const conv = converted && /^(U?)INT_(\d+)$/.exec(converted);
  if (conv) return intType(Number(conv[2]), conv[1] !== 'U');
  if (logical === 'FLOAT16') return { kind: 'primitive', name: 'float' };
  switch (el.type) {
    case 'BOOLEAN': return t.boolean;
    case 'INT32': return t.int;
    case 'INT64': return t.bigint;
    case 'FLOAT': return { kind: 'primitive', name: 'float' };
    case 'DOUBLE': return t.double;
    default: return { kind: 'primitive', name: 'binary' };
  }
}

function intType(bits: number, signed: boolean): GlueType {
  // Unsigned values need the next wider signed type; uint64 only fits a decimal.
  const width = signed ? bits : bits * 2;
  if (width <= 8) return { kind: 'primitive', name: 'tinyint' };
  if (width <= 16) return { kind: 'primitive', name: 'smallint' };
  if (width <= 32) return t.int;
  if (width <= 64) return t.bigint;
  return t.decimal(20, 0);
}

function fieldOf(node: SchemaTree): StructField {
  const type = parquetNodeType(node);
  // A repeated field outside a LIST annotation is itself a list (legacy 1-level encoding).
  const repeated = node.element.repetition_type === 'REPEATED';
  return { name: node.element.name, type: repeated ? t.array(type) : type };
}

function listType(node: SchemaTree): GlueType {
  const rep = node.children[0];
  if (!rep) return t.array(t.null);
  // 3-level: LIST { repeated group list { element } }; legacy 2-level: the repeated child is the element.
  const threeLevel = rep.children.length === 1 && rep.element.name !== 'array' && rep.element.name !== `${node.element.name}_tuple`;
  return t.array(threeLevel ? parquetNodeType(rep.children[0]!) : parquetNodeType(rep));
}

function mapType(node: SchemaTree): GlueType {
  const kv = node.children[0];
  const key = kv?.children[0], value = kv?.children[1];
  return t.map(key ? parquetNodeType(key) : t.string, value ? parquetNodeType(value) : t.null);
}

/** Schema, row count and codec from parsed footer metadata. */
export function parquetResultFromMetadata(meta: FileMetaData, totalSize: number): ClassifierResult {
  const root = parquetSchema(meta);
  const schema = root.children.map(fieldOf);
  const rows = Number(meta.num_rows);
  const codecs = new Set<string>();
  for (const rg of meta.row_groups) for (const c of rg.columns) if (c.meta_data?.codec) codecs.add(c.meta_data.codec.toLowerCase());
  const properties: Record<string, string> = {};
  if (codecs.size === 1) properties.compressionType = [...codecs][0] === 'uncompressed' ? 'none' : [...codecs][0]!;
  return {
    classification: 'parquet',
    certainty: 1,
    schema,
    properties,
    recordCount: rows,
    ...(rows > 0 ? { averageRecordSize: Math.max(1, Math.round(totalSize / rows)) } : {}),
  };
}

/**
 * Parquet: the schema (nested, logical types) and exact row count come from the footer, read with
 * `readRange` (two small reads), or from the bytes when the sample is the whole file.
 */
export async function classifyParquet(sample: Sample): Promise<ClassifierResult | null> {
  if (!startsWith(sample.bytes, MAGIC)) return null;
  // The engine's footer reader (engine/parquet-footer.ts): a file the crawler catalogs is one the engine opens.
  let read: RangeReader;
  if (sample.complete) read = (offset, length) => sample.bytes.subarray(offset, offset + length);
  else if (sample.readRange) read = sample.readRange;
  else return { classification: 'parquet', certainty: 1, schema: [], properties: {}, warnings: ['Parquet schema not read: the footer is outside the sample and no range reader was given'] };
  try {
    const { meta } = await readParquetFooter(read, sample.complete ? sample.bytes.length : sample.totalSize);
    return parquetResultFromMetadata(meta, sample.totalSize);
  } catch (err) {
    return { classification: 'parquet', certainty: 1, schema: [], properties: {}, warnings: [`unreadable Parquet footer: ${errorMessage(err).replace(/^Not a readable Parquet file: /, '')}`] };
  }
}
