import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { glueSchemaOfAvro, readAvroInto } from '../../../src/frames/readers/avro';
import { relationSchema } from '../../../src/frames/run';
import { renderType } from '../../../src/schema/types';
import { engineOnce, rows } from './helpers';
import { avroFile } from '../../support/avro';

// Fixtures are written by avsc (an independent Avro implementation), then read by our decoder.

const schema = {
  type: 'record', name: 'Order', fields: [
    { name: 'id', type: 'long' },
    { name: 'sku', type: ['null', 'string'], default: null },
    { name: 'price', type: ['long', 'string'] },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'ship', type: { type: 'record', name: 'Ship', fields: [{ name: 'city', type: 'string' }, { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['AIR', 'SEA'] } }] } },
  ],
};

function encode(records: unknown[], codec: 'null' | 'deflate', blockSize: number): Promise<Uint8Array> {
  return avroFile(schema, records, { codec, blockSize, codecs: { null: (buf: Buffer, cb: (e: null, b: Buffer) => void) => cb(null, buf), deflate: (buf: Buffer, cb: (e: null, b: Buffer) => void) => cb(null, deflateRawSync(buf)) } });
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const amount = (cents: number) => { const b = Buffer.alloc(4); b.writeInt32BE(cents); return b; };
const records = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1, sku: i % 5 === 0 ? null : `s${i}`, price: i % 2 ? `${i} USD` : i * 10,
  day: 19723 + i, at: 1_700_000_000_000 + i * 1000, amount: amount(i % 2 ? -(i * 101) : i * 101),
  tags: i % 3 ? ['a', `t${i}`] : [], ship: { city: 'Oslo', kind: i % 2 ? 'SEA' : 'AIR' },
}));

let engine: Engine;
beforeAll(async () => { engine = await engineOnce(); });

describe('Avro reader', () => {
  it('maps an Avro schema to Glue types (nullable unions unwrap, others become choices)', () => {
    expect(glueSchemaOfAvro(schema).map((f) => `${f.name}:${renderType(f.type)}`)).toEqual([
      'id:bigint', 'sku:string', 'price:choice<bigint,string>', 'day:date', 'at:timestamp', 'amount:decimal(6,2)', 'tags:array<string>', 'ship:struct<city:string,kind:string>',
    ]);
  });

  for (const codec of ['null', 'deflate'] as const) {
    it(`streams ${codec} blocks across chunk boundaries into a table`, async () => {
      const bytes = await encode(records, codec, 256);
      const r = await readAvroInto(engine, `avro_${codec}`, pieces(bytes, 37), null, 16);
      expect(r.rows).toBe(50);
      expect(r.errorCount).toBe(0);
      expect(relationSchema(engine, `avro_${codec}`).map((f) => renderType(f.type))).toEqual(['bigint', 'string', 'choice<bigint,string>', 'date', 'timestamp', 'decimal(6,2)', 'array<string>', 'struct<city:string,kind:string>']);
      const got = rows(engine, `avro_${codec}`);
      expect(got[0]).toEqual([1, null, 0, '2024-01-01', '2023-11-14 22:13:20', '0.00', [], { city: 'Oslo', kind: 'AIR' }]);
      expect(got[1]).toEqual([2, 's1', '1 USD', '2024-01-02', '2023-11-14 22:13:21', '-1.01', ['a', 't1'], { city: 'Oslo', kind: 'SEA' }]);
      expect(got[49]![0]).toBe(50);
    });
  }
});
