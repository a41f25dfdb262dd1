import { mergeTypes, t, type GlueType } from '../schema/types';
import { startsWith } from './text';
import type { ClassifierResult, Sample } from './types';

const MAGIC = [0x4f, 0x62, 0x6a, 0x01]; // "Obj\x01"
/** Blocks walked to count records exactly; past this the count is extrapolated. */
export const AVRO_MAX_BLOCKS = 10_000;

/** A cursor over Avro binary: zigzag varint longs and length-prefixed bytes. */
class Reader {
  constructor(readonly buf: Uint8Array, public pos = 0) {}
  /** Read a zigzag varint long (as a JS number; Avro block counts and sizes fit). Throws at the end. */
  long(): number {
    let n = 0, shift = 0, b: number;
    do {
      if (this.pos >= this.buf.length) throw new RangeError('end of data');
      b = this.buf[this.pos++]!;
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    } while (b & 0x80);
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  bytes(): Uint8Array {
    const len = this.long();
    if (len < 0 || this.pos + len > this.buf.length) throw new RangeError('end of data');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

/** The parsed Avro container header. */
export interface AvroHeader {
  schema: unknown;
  codec: string;
  meta: Record<string, string>;
  /** Offset of the first data block. */
  dataStart: number;
}

/** Parse the container header (magic, metadata map, sync marker). Throws RangeError when the bytes end first. */
export function readAvroHeader(bytes: Uint8Array): AvroHeader {
  const r = new Reader(bytes, 4);
  const meta: Record<string, string> = {};
  const dec = new TextDecoder();
  for (;;) {
    let count = r.long();
    if (count === 0) break;
    if (count < 0) { count = -count; r.long(); }
    for (let i = 0; i < count; i++) {
      const key = dec.decode(r.bytes());
      meta[key] = dec.decode(r.bytes());
    }
  }
  if (r.pos + 16 > bytes.length) throw new RangeError('end of data');
  const schemaText = meta['avro.schema'];
  if (!schemaText) throw new Error('Avro header has no avro.schema');
  return { schema: JSON.parse(schemaText), codec: meta['avro.codec'] ?? 'null', meta, dataStart: r.pos + 16 };
}

/**
 * Map an Avro schema to a Glue type: logical types first (decimal, date, timestamp-*, uuid),
 * `[null, T]` unions to T (everything is nullable), other unions to a choice, enums to string,
 * recursive named types to string past one level.
 */
export function avroToGlue(schema: unknown, named = new Map<string, unknown>(), depth = 0): GlueType {
  if (depth > 64) return t.string;
  if (typeof schema === 'string') {
    switch (schema) {
      case 'null': return t.null;
      case 'boolean': return t.boolean;
      case 'int': return t.int;
      case 'long': return t.bigint;
      case 'float': return { kind: 'primitive', name: 'float' };
      case 'double': return t.double;
      case 'bytes': return { kind: 'primitive', name: 'binary' };
      case 'string': return t.string;
    }
    const ref = named.get(schema) ?? named.get(schema.split('.').pop()!);
    if (ref === undefined) throw new Error(`unknown Avro type "${schema}"`);
    if (ref === 'pending') return t.string; // recursive reference: no finite Glue type
    return avroToGlue(ref, named, depth + 1);
  }
  if (Array.isArray(schema)) {
    return schema.map((s) => avroToGlue(s, named, depth + 1)).reduce<GlueType>((a, b) => mergeTypes(a, b), t.null);
  }
  if (!schema || typeof schema !== 'object') throw new Error('bad Avro schema');
  const s = schema as Record<string, unknown>;
  const logical = s.logicalType as string | undefined;
  if (logical === 'decimal' && typeof s.precision === 'number') {
    const precision = Math.min(38, s.precision);
    return t.decimal(precision, Math.min(precision, (s.scale as number | undefined) ?? 0));
  }
  if (logical === 'date') return t.date;
  if (logical === 'timestamp-millis' || logical === 'timestamp-micros' || logical === 'timestamp-nanos' || logical === 'local-timestamp-millis' || logical === 'local-timestamp-micros') return t.timestamp;
  if (logical === 'uuid') return t.string;
  const name = typeof s.name === 'string' ? s.name : undefined;
  const fullName = name && typeof s.namespace === 'string' && !name.includes('.') ? `${s.namespace}.${name}` : name;
  switch (s.type) {
    case 'record': case 'error': {
      if (fullName) { named.set(fullName, 'pending'); if (name) named.set(name, 'pending'); }
      // The header is untrusted: a "fields" that is not a list of named fields is a broken schema, said as such.
      const raw = s.fields ?? [];
      if (!Array.isArray(raw) || raw.some((f) => !f || typeof (f as { name?: unknown }).name !== 'string')) throw new Error(`record ${name ?? '(unnamed)'} has no valid list of named fields`);
      const fields = (raw as { name: string; type: unknown }[]).map((f) => ({ name: f.name, type: avroToGlue(f.type, named, depth + 1) }));
      if (fullName) { named.set(fullName, schema); if (name) named.set(name, schema); }
      return { kind: 'struct', fields };
    }
    case 'enum': if (fullName) { named.set(fullName, schema); if (name) named.set(name, schema); } return t.string;
    case 'fixed': if (fullName) { named.set(fullName, schema); if (name) named.set(name, schema); } return { kind: 'primitive', name: 'binary' };
    case 'array': return t.array(avroToGlue(s.items, named, depth + 1));
    case 'map': return t.map(t.string, avroToGlue(s.values, named, depth + 1));
    default: return avroToGlue(s.type, named, depth + 1);
  }
}

async function readAt(sample: Sample, offset: number, length: number): Promise<Uint8Array | null> {
  if (offset + length <= sample.bytes.length) return sample.bytes.subarray(offset, offset + length);
  if (offset >= sample.totalSize) return new Uint8Array(0);
  if (!sample.readRange) return null;
  return sample.readRange(offset, Math.min(length, sample.totalSize - offset));
}

/** Count records by walking block headers (count + size), never decoding (or inflating) data. */
async function countRecords(sample: Sample, start: number): Promise<{ records: number; exact: boolean; bytes: number }> {
  let pos = start, records = 0, blocks = 0;
  while (pos < sample.totalSize && blocks < AVRO_MAX_BLOCKS) {
    const head = await readAt(sample, pos, 20);
    if (!head || head.length === 0) return { records, exact: false, bytes: pos - start };
    const r = new Reader(head);
    let count: number, size: number;
    try { count = r.long(); size = r.long(); } catch { return { records, exact: false, bytes: pos - start }; }
    if (count < 0 || size < 0) throw new Error(`corrupt Avro block at ${pos}`);
    records += count;
    blocks++;
    pos += r.pos + size + 16;
  }
  return { records, exact: pos >= sample.totalSize, bytes: pos - start };
}

/** Avro object container files: schema from the header, record count from block headers. */
export async function classifyAvro(sample: Sample): Promise<ClassifierResult | null> {
  if (!startsWith(sample.bytes, MAGIC)) return null;
  let header: AvroHeader;
  try {
    header = readAvroHeader(sample.bytes);
  } catch (err) {
    const msg = err instanceof RangeError ? 'the Avro header is cut short (truncated file or sample)' : `unreadable Avro header: ${(err as Error).message}`;
    return { classification: 'avro', certainty: 1, schema: [], properties: {}, warnings: [msg] };
  }
  const warnings: string[] = [];
  let schema;
  try {
    const type = avroToGlue(header.schema);
    schema = type.kind === 'struct' ? type.fields : [{ name: 'col0', type }];
  } catch (err) {
    return { classification: 'avro', certainty: 1, schema: [], properties: {}, warnings: [`unsupported Avro schema: ${(err as Error).message}`] };
  }
  const properties: Record<string, string> = {};
  if (header.codec !== 'null') properties.compressionType = header.codec;
  let counts: Pick<ClassifierResult, 'recordCount' | 'recordCountEstimated' | 'averageRecordSize'> = {};
  try {
    const c = await countRecords(sample, header.dataStart);
    if (c.records > 0) {
      const avg = Math.max(1, Math.round(c.bytes / c.records));
      counts = c.exact ? { recordCount: c.records, averageRecordSize: avg } : { recordCount: Math.max(c.records, Math.round((sample.totalSize - header.dataStart) / avg)), recordCountEstimated: true, averageRecordSize: avg };
    } else if (c.exact) counts = { recordCount: 0 };
  } catch (err) {
    warnings.push((err as Error).message);
  }
  return { classification: 'avro', certainty: 1, schema, properties, ...counts, ...(warnings.length ? { warnings } : {}) };
}
