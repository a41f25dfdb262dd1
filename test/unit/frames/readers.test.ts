import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { readJsonInto, inferRecordsSchema } from '../../../src/frames/readers/json';
import { JsonRecordSplitter } from '../../../src/frames/readers/split-json';
import { relationSchema } from '../../../src/frames/run';
import { parseType, renderType, type StructField } from '../../../src/schema/types';
import { engineOnce, rows } from './helpers';

let engine: Engine;
beforeAll(async () => { engine = await engineOnce(); });

const enc = (s: string) => new TextEncoder().encode(s);
/** Feed text in pieces of `size` bytes, as a file stream would. */
async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = enc(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const schema = (s: string): StructField[] => (parseType(s) as { fields: StructField[] }).fields;

describe('JsonRecordSplitter', () => {
  it('cuts NDJSON, a top-level array and concatenated values, across any chunk boundary', () => {
    const ndjson = '{"a":1}\n{"a":"x}\\"{"}\n\n{"b":[1,{"c":2}]}';
    const array = ' [ {"a":1} , {"a":"]"},\n{"b":[]} ]\n';
    for (const [text, expected] of [
      [ndjson, ['{"a":1}', '{"a":"x}\\"{"}', '{"b":[1,{"c":2}]}']],
      [array, ['{"a":1}', '{"a":"]"}', '{"b":[]}']],
      ['{"a":1}{"a":2}', ['{"a":1}', '{"a":2}']],
    ] as const) {
      for (const size of [1, 3, 1000]) {
        const s = new JsonRecordSplitter();
        const out: string[] = [];
        for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
        out.push(...s.end());
        expect(out).toEqual(expected);
      }
    }
  });
});

describe('readJsonInto', () => {
  it('streams NDJSON in batches into a table with nested types and a choice column as UNION', async () => {
    const lines = [
      { id: 1, price: 1, when: '2024-01-02', tags: ['a'], addr: { city: 'Oslo' } },
      { id: 2, price: '1.5 USD', when: '2024-01-03 10:00:00', tags: [], addr: { city: 'Lima', extra: true } },
      { id: 3 },
      { id: 'four', price: 2.5 },
    ];
    const s = schema('struct<id:bigint,price:choice<bigint,string,double>,when:timestamp,tags:array<string>,addr:struct<city:string>>');
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\nnot json\n';
    const r = await readJsonInto(engine, 'ndj', pieces(text, 7), s, { batchRows: 2 });
    expect(r.rows).toBe(4);
    expect(r.errorCount).toBe(2);
    expect(r.errors.map((e) => [e.record, e.column, e.reason.split(':')[0]])).toEqual([[3, 'id', 'not an integer (bigint)'], [4, '(record)', 'invalid JSON']]);
    expect(relationSchema(engine, 'ndj').map((f) => `${f.name}:${renderType(f.type)}`)).toEqual([
      'id:bigint', 'price:choice<bigint,string,double>', 'when:timestamp', 'tags:array<string>', 'addr:struct<city:string>',
    ]);
    expect(rows(engine, 'ndj')).toEqual([
      [1, 1, '2024-01-02 00:00:00', ['a'], { city: 'Oslo' }],
      [2, '1.5 USD', '2024-01-03 10:00:00', [], { city: 'Lima' }],
      [3, null, null, null, null],
      [null, 2.5, null, null, null],
    ]);
    expect(engine.query(`SELECT CAST(union_tag(price) AS VARCHAR) FROM ndj`).rows.map((x) => x[0])).toEqual(['bigint', 'string', null, 'double']);
  });

  it('reads a gzipped top-level array', async () => {
    const text = JSON.stringify([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    const r = await readJsonInto(engine, 'arr', { kind: 'buffer', bytes: new Uint8Array(gzipSync(text)) }, schema('struct<a:int,b:string>'), { gzip: true });
    expect(r.rows).toBe(2);
    expect(rows(engine, 'arr')).toEqual([[1, 'x'], [2, 'y']]);
  });

  it('a small local inference merges records into choice types', () => {
    const s = inferRecordsSchema([{ a: 1, b: { c: 'x' } }, { a: 'two', b: { d: 1.5 } }, { e: null }]);
    expect(s.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['a:choice<bigint,string>', 'b:struct<c:string,d:double>', 'e:string']);
  });
});

describe('CSV with explicit options', () => {
  it('reads a pipe-delimited file with a given schema', async () => {
    const { csvViewSql } = await import('../../../src/frames/readers/csv');
    const path = await engine.registerSource('p.csv', { kind: 'buffer', bytes: enc('id|name|amt\n1|a "b"|2.5\n2|c|\n') });
    engine.query(csvViewSql('pipes', path, { delimiter: '|', header: true, quote: '', escape: '', columns: schema('struct<id:bigint,name:string,amt:decimal(5,2)>') }));
    expect(relationSchema(engine, 'pipes').map((f) => renderType(f.type))).toEqual(['bigint', 'string', 'decimal(5,2)']);
    expect(rows(engine, 'pipes')).toEqual([[1, 'a "b"', '2.50'], [2, 'c', null]]);
  });
});

describe('nested choices', () => {
  it('a choice inside a struct or an array is stored as a UNION too, and ResolveChoice reaches it by path', async () => {
    const { runFrame } = await import('../../../src/frames/run');
    const records = [{ a: { p: 1 }, l: [1, 'x'] }, { a: { p: 'two' }, l: [] }, { a: null, l: null }];
    const s = inferRecordsSchema(records);
    expect(s.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['a:struct<p:choice<bigint,string>>', 'l:array<choice<bigint,string>>']);
    await readJsonInto(engine, 'nested_choice', pieces(records.map((r) => JSON.stringify(r)).join('\n'), 5), s);
    expect(relationSchema(engine, 'nested_choice').map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['a:struct<p:choice<bigint,string>>', 'l:array<choice<bigint,string>>']);
    expect(rows(engine, 'nested_choice')).toEqual([[{ p: 1 }, [1, 'x']], [{ p: 'two' }, []], [null, null]]);
    const r = runFrame(engine, { input: 'nested_choice', sampleRows: null, namespace: 'nc', steps: [{ id: 'rc', kind: 'ResolveChoice', params: { specs: [{ path: 'a.p', action: 'cast:bigint' }] } }] });
    expect(r.failure).toBeNull();
    expect(rows(engine, r.steps[0]!.relation)).toEqual([[{ p: 1 }, [1, 'x']], [null, null]]);
    expect(rows(engine, r.steps[0]!.errorRelation!)).toEqual([['rc', 'a.p', 'two', 'cannot cast choice<bigint,string> to bigint']]);
  });
});
