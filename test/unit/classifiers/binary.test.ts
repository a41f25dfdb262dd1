import { createRequire } from 'node:module';
import { Field, Schema, Struct, Table, makeVector, vectorFromArray, tableToIPC, Int32, Utf8, Float64, List, Decimal, DateDay, TimestampMicrosecond, Map_, Bool, Int64 } from 'apache-arrow';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classifyAvro } from '../../../src/classifiers/avro';
import { classifyOrc } from '../../../src/classifiers/orc';
import { classifyParquet } from '../../../src/classifiers/parquet';
import { classify } from '../../../src/classifiers/classify';
import { cols, enc, sampleOf } from './helpers';
import { avroFile } from '../../support/avro';

const require = createRequire(import.meta.url);

const avroSchema = {
  type: 'record', name: 'Order', namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'double' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'DONE'] } },
    { name: 'addr', type: { type: 'record', name: 'Addr', fields: [{ name: 'city', type: 'string' }] } },
    { name: 'prev', type: ['null', 'Addr'], default: null },
    { name: 'mixed', type: ['int', 'string'] },
  ],
};
const avroRecord = (i: number) => ({ id: i, qty: 2, note: null, price: Buffer.from([0, 100]), day: 19000, at: 1_700_000_000_000, tags: ['a'], attrs: { x: 1.5 }, status: 'NEW', addr: { city: 'Paris' }, prev: null, mixed: i });
const avroCols = ['id:bigint', 'qty:int', 'note:string', 'price:decimal(10,2)', 'day:date', 'at:timestamp', 'tags:array<string>', 'attrs:map<string,double>', 'status:string', 'addr:struct<city:string>', 'prev:struct<city:string>', 'mixed:choice<int,string>'];

describe('Avro classifier', () => {
  it('maps the header schema, logical types and unions, and counts records from block headers', async () => {
    const bytes = await avroFile(avroSchema, Array.from({ length: 25 }, (_, i) => avroRecord(i)), { blockSize: 200 });
    const r = (await classifyAvro(sampleOf(bytes)))!;
    expect(r.classification).toBe('avro');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(avroCols);
    expect(r.recordCount).toBe(25);
    expect(r.recordCountEstimated).toBeUndefined();
  });

  it('reads deflate files without inflating and walks blocks beyond the sample with readRange', async () => {
    const bytes = await avroFile(avroSchema, Array.from({ length: 300 }, (_, i) => avroRecord(i)), { codec: 'deflate', blockSize: 512 });
    const sample = { name: 'x.avro', bytes: bytes.subarray(0, 2048), totalSize: bytes.length, complete: false, readRange: async (o: number, l: number) => bytes.slice(o, o + l) };
    const r = (await classifyAvro(sample))!;
    expect(r.properties.compressionType).toBe('deflate');
    expect(r.recordCount).toBe(300);
    expect(cols(r.schema)).toEqual(avroCols);
  });

  it('reports a cut header instead of crashing', async () => {
    const bytes = await avroFile(avroSchema, [avroRecord(1)]);
    const r = (await classifyAvro({ name: 'x', bytes: bytes.subarray(0, 40), totalSize: 40, complete: true }))!;
    expect(r.classification).toBe('avro');
    expect(r.warnings?.[0]).toMatch(/cut short/);
  });
});

/** Build a Parquet file with nested and logical types through Arrow and parquet-wasm. */
function parquetFile(): Uint8Array {
  const pq = require('parquet-wasm') as typeof import('parquet-wasm');
  const n = 3;
  const addr = new Struct([new Field('city', new Utf8(), true), new Field('zip', new Int32(), true)]);
  const schema = new Schema([
    new Field('id', new Int64(), false),
    new Field('name', new Utf8(), true),
    new Field('score', new Float64(), true),
    new Field('ok', new Bool(), true),
    new Field('price', new Decimal(2, 12, 128), true),
    new Field('day', new DateDay(), true),
    new Field('at', new TimestampMicrosecond(), true),
    new Field('tags', new List(new Field('item', new Utf8(), true)), true),
    new Field('attrs', new Map_(new Field('entries', new Struct<{ key: Utf8; value: Int32 }>([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]), false) as never), true),
    new Field('addr', addr, true),
  ]);
  const decimals = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) decimals[i * 4] = 1234 + i;
  const columns = {
    id: vectorFromArray([1n, 2n, 3n], new Int64()),
    name: vectorFromArray(['a', 'b', null], new Utf8()),
    score: vectorFromArray([1.5, 2, 3], new Float64()),
    ok: vectorFromArray([true, false, true], new Bool()),
    price: makeVector({ type: new Decimal(2, 12, 128), data: decimals, length: n }),
    day: vectorFromArray([new Date(0), new Date(86_400_000), null], new DateDay()),
    at: vectorFromArray([1, 2, 3].map((x) => x * 1000), new TimestampMicrosecond()),
    tags: vectorFromArray([['x'], [], ['y', 'z']], new List(new Field('item', new Utf8(), true))),
    attrs: vectorFromArray([new Map([['k', 1]]), new Map(), null], schema.fields[8]!.type),
    addr: vectorFromArray([{ city: 'P', zip: 1 }, null, { city: 'B', zip: 2 }], addr),
  };
  const table = new Table(schema, columns as never);
  const wasmTable = pq.Table.fromIPCStream(tableToIPC(table, 'stream'));
  return pq.writeParquet(wasmTable);
}

const parquetCols = ['id:bigint', 'name:string', 'score:double', 'ok:boolean', 'price:decimal(12,2)', 'day:date', 'at:timestamp', 'tags:array<string>', 'attrs:map<string,int>', 'addr:struct<city:string,zip:int>'];

describe('Parquet classifier', () => {
  it('reads nested and logical types and the row count from the footer', async () => {
    const bytes = parquetFile();
    const r = (await classifyParquet(sampleOf(bytes)))!;
    expect(r.classification).toBe('parquet');
    expect(cols(r.schema)).toEqual(parquetCols);
    expect(r.recordCount).toBe(3);
  });

  it('reads only the footer through readRange when the sample is a prefix', async () => {
    const bytes = parquetFile();
    let read = 0;
    const r = (await classifyParquet({ name: 'x.parquet', bytes: bytes.subarray(0, 8), totalSize: bytes.length, complete: false, readRange: async (o, l) => { read += l; return bytes.slice(o, o + l); } }))!;
    expect(cols(r.schema)).toEqual(parquetCols);
    expect(read).toBeLessThanOrEqual(bytes.length);
  });

  it('reports an unreadable footer specifically', async () => {
    const r = (await classifyParquet(sampleOf(enc('PAR1 not really parquet'))))!;
    expect(r.classification).toBe('parquet');
    expect(r.warnings?.[0]).toMatch(/unreadable Parquet footer/);
  });
});

/** Protobuf encoding for hand-built ORC tails (there is no ORC writer among our dependencies). */
const pb = {
  varint(n: number): number[] { const out: number[] = []; do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out.push(b); } while (n > 0); return out; },
  num(field: number, v: number): number[] { return [...pb.varint(field * 8), ...pb.varint(v)]; },
  bytes(field: number, b: ArrayLike<number>): number[] { return [...pb.varint(field * 8 + 2), ...pb.varint(b.length), ...Array.from(b)]; },
  str(field: number, s: string): number[] { return pb.bytes(field, enc(s)); },
};

/** An ORC file layout: magic, (absent) stripes, footer with the type tree, postscript, its length. */
function orcFile(codec: 'none' | 'zlib'): Uint8Array {
  const type = (kind: number, subtypes: number[] = [], names: string[] = [], extra: number[] = []) =>
    [...pb.num(1, kind), ...(subtypes.length ? pb.bytes(2, subtypes.flatMap((x) => pb.varint(x))) : []), ...names.flatMap((n) => pb.str(3, n)), ...extra];
  const types = [
    type(12, [1, 2, 3, 4, 6], ['id', 'name', 'price', 'days', 'attrs']),
    type(4), type(7), type(14, [], [], [...pb.num(5, 10), ...pb.num(6, 2)]), type(10, [5]), type(15), type(11, [7, 8]), type(7), type(6),
  ];
  const footer = new Uint8Array([...pb.num(1, 3), ...types.flatMap((ty) => pb.bytes(4, ty)), ...pb.num(6, 42)]);
  let stored: Uint8Array = footer;
  if (codec === 'zlib') {
    const z = deflateSync(footer);
    const header = z.length << 1;
    stored = new Uint8Array([header & 255, (header >> 8) & 255, (header >> 16) & 255, ...z]);
  }
  const ps = [...pb.num(1, stored.length), ...pb.num(2, codec === 'zlib' ? 1 : 0), ...pb.num(3, 262144), ...pb.str(8000, 'ORC')];
  return new Uint8Array([0x4f, 0x52, 0x43, 0, 0, 0, 0, ...stored, ...ps, ps.length]);
}

const orcCols = ['id:bigint', 'name:string', 'price:decimal(10,2)', 'days:array<date>', 'attrs:map<string,double>'];

describe('ORC classifier', () => {
  it('reads the type tree and row count from an uncompressed or zlib footer', async () => {
    for (const codec of ['none', 'zlib'] as const) {
      const bytes = orcFile(codec);
      const r = (await classifyOrc({ name: 'x.orc', bytes: bytes.subarray(0, 3), totalSize: bytes.length, complete: false, readRange: async (o, l) => bytes.slice(o, o + l) }))!;
      expect(r.classification).toBe('orc');
      expect(cols(r.schema)).toEqual(orcCols);
      expect(r.recordCount).toBe(42);
      expect(r.properties.compressionType).toBe(codec);
    }
  });

  it('recognises the magic and says why the schema was not read', async () => {
    const r = (await classifyOrc(sampleOf(new Uint8Array([0x4f, 0x52, 0x43, 0, 1, 2, 3]))))!;
    expect(r.classification).toBe('orc');
    expect(r.warnings?.[0]).toMatch(/ORC schema not read/);
    expect((await classify(sampleOf(new Uint8Array([0x4f, 0x52, 0x43, 0, 1, 2, 3])))).classification).toBe('orc');
  });
});
