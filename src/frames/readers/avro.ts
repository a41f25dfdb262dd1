import { inflateSync } from 'fflate';
import type { ReaderEngine } from './json';
import { insertRecords, type InsertResult } from './insert';
import { avroToGlue } from '../../classifiers/avro';
import type { StructField } from '../../schema/types';

/** An Avro schema as JSON (the `avro.schema` of an object container file). */
export type AvroSchema = string | { type: string | AvroSchema[]; [key: string]: unknown } | AvroSchema[];

/** The Glue schema (top-level fields) of an Avro record schema. */
export function glueSchemaOfAvro(schema: AvroSchema): StructField[] {
  // The classifier's mapping, so a file opened here gets the types a crawl of it writes to the catalog.
  const type = avroToGlue(schema);
  if (type.kind !== 'struct') throw new Error('An Avro file must hold records to be read as a table');
  return type.fields;
}

class Cursor {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  /** A zigzag varint long, as a number when exact, else a decimal string. */
  long(): number | string {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7n;
    }
    const value = (result >> 1n) ^ -(result & 1n);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  int(): number { return Number(this.long()); }
  bytes(n = this.int()): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

const utf8 = new TextDecoder();
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isoDay(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function decimalText(bytes: Uint8Array, scale: number): string {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length && bytes[0]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return (neg ? '-' : '') + (scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
}

/** Decode one value of an Avro schema into plain JS (what RecordBatcher takes). */
function decode(c: Cursor, schema: AvroSchema, named: Map<string, AvroSchema>): unknown {
  if (Array.isArray(schema)) return decode(c, schema[c.int()]!, named);
  if (typeof schema === 'string') {
    switch (schema) {
      case 'null': return null;
      case 'boolean': return c.bytes(1)[0] === 1;
      case 'int': case 'long': return c.long();
      case 'float': { const b = c.bytes(4); return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true); }
      case 'double': { const b = c.bytes(8); return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true); }
      case 'bytes': return Array.from(c.bytes(), (b) => b.toString(16).padStart(2, '0')).join('');
      case 'string': return utf8.decode(c.bytes());
      default: return decode(c, named.get(schema) ?? (() => { throw new Error(`Unknown Avro type ${schema}`); })(), named);
    }
  }
  const logical = schema.logicalType;
  if (logical === 'date') return isoDay(c.int());
  if (logical === 'timestamp-millis' || logical === 'timestamp-micros') {
    const raw = Number(c.long());
    const ms = logical === 'timestamp-micros' ? Math.floor(raw / 1000) : raw;
    const d = new Date(ms);
    return `${d.toISOString().slice(0, 10)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  }
  if (logical === 'decimal') return decimalText(schema.type === 'fixed' ? c.bytes(Number(schema.size)) : c.bytes(), Number(schema.scale ?? 0));
  switch (schema.type) {
    case 'record': case 'error': {
      if (typeof schema.name === 'string') named.set(schema.name, schema);
      const out: Record<string, unknown> = {};
      for (const f of schema.fields as { name: string; type: AvroSchema }[]) out[f.name] = decode(c, f.type, named);
      return out;
    }
    case 'enum': {
      if (typeof schema.name === 'string') named.set(schema.name, schema);
      return (schema.symbols as string[])[c.int()];
    }
    case 'fixed': {
      if (typeof schema.name === 'string') named.set(schema.name, schema);
      return Array.from(c.bytes(Number(schema.size)), (b) => b.toString(16).padStart(2, '0')).join('');
    }
    case 'array': case 'map': {
      const isMap = schema.type === 'map';
      const items: unknown[] = [];
      const entries: Record<string, unknown> = {};
      for (;;) {
        let n = c.int();
        if (n === 0) break;
        if (n < 0) { n = -n; c.long(); } // a negative count is followed by the block's byte size
        for (let i = 0; i < n; i++) {
          if (isMap) { const k = utf8.decode(c.bytes()); entries[k] = decode(c, schema.values as AvroSchema, named); } else items.push(decode(c, schema.items as AvroSchema, named));
        }
      }
      return isMap ? entries : items;
    }
    default: return decode(c, schema.type as AvroSchema, named);
  }
}

/**
 * Stream the records of an Avro object container file, block by block (null and deflate codecs).
 * Only the current block is held in memory. The first value yielded is the file's schema.
 */
export async function* avroRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<{ schema: AvroSchema } | { record: unknown }> {
  let buf = new Uint8Array(0);
  const append = (chunk: Uint8Array) => {
    const next = new Uint8Array(buf.length + chunk.length);
    next.set(buf);
    next.set(chunk, buf.length);
    buf = next;
  };
  const it = chunks[Symbol.asyncIterator]();
  let ended = false;
  const more = async () => {
    const { done, value } = await it.next();
    if (done) ended = true;
    else append(value);
    return !done;
  };
  // Parse with the bytes at hand; on RangeError('truncated'), read more and retry.
  const parse = async <T>(fn: (c: Cursor) => T): Promise<T | null> => {
    for (;;) {
      const c = new Cursor(buf);
      try {
        const v = fn(c);
        buf = buf.subarray(c.pos);
        return v;
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        if (ended || !(await more())) {
          if (buf.length) throw new Error('The Avro file ends in the middle of a block');
          return null;
        }
      }
    }
  };
  const header = await parse((c) => {
    const magic = c.bytes(4);
    if (magic[0] !== 0x4f || magic[1] !== 0x62 || magic[2] !== 0x6a || magic[3] !== 1) throw new Error('Not an Avro object container file');
    const meta: Record<string, string> = {};
    for (;;) {
      let n = c.int();
      if (n === 0) break;
      if (n < 0) { n = -n; c.long(); }
      for (let i = 0; i < n; i++) { const k = utf8.decode(c.bytes()); meta[k] = utf8.decode(c.bytes()); }
    }
    return { meta, sync: c.bytes(16).slice() };
  });
  if (!header) throw new Error('Empty Avro file');
  const schema = JSON.parse(header.meta['avro.schema'] ?? 'null') as AvroSchema;
  const codec = header.meta['avro.codec'] ?? 'null';
  if (codec !== 'null' && codec !== 'deflate') throw new Error(`Avro codec ${codec} is not supported (null and deflate are)`);
  yield { schema };
  const named = new Map<string, AvroSchema>();
  for (;;) {
    const block = await parse((c) => {
      const count = c.int();
      const data = c.bytes().slice();
      const sync = c.bytes(16);
      if (!sync.every((b, i) => b === header.sync[i])) throw new Error('Avro sync marker mismatch: the file is corrupt');
      return { count, data };
    });
    if (!block) return;
    const body = new Cursor(codec === 'deflate' ? inflateSync(block.data) : block.data);
    for (let i = 0; i < block.count; i++) yield { record: decode(body, schema, named) };
  }
}

/**
 * Read an Avro object container file into a DuckDB table, block by block. The schema comes from the
 * file unless given (e.g. the catalog's).
 */
export async function readAvroInto(engine: ReaderEngine, table: string, chunks: AsyncIterable<Uint8Array>, schema: StructField[] | null = null, batchRows = 10_000): Promise<InsertResult & { schema: StructField[] }> {
  const stream = avroRecords(chunks);
  const first = await stream.next();
  if (first.done || !('schema' in first.value)) throw new Error('Empty Avro file');
  const fields = schema ?? glueSchemaOfAvro(first.value.schema);
  async function* records() {
    for await (const item of stream) if ('record' in item) yield item.record;
  }
  const result = await insertRecords(engine, table, fields, records(), batchRows);
  return { ...result, schema: fields };
}
