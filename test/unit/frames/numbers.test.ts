import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyCsv } from '../../../src/classifiers/csv';
import { classifyJson } from '../../../src/classifiers/json';
import type { Engine } from '../../../src/engine/engine';
import { openJson } from '../../../src/frames/open-records';
import { csvViewSql } from '../../../src/frames/readers/csv';
import { readJsonInto } from '../../../src/frames/readers/json';
import { parseType, renderType, type StructField } from '../../../src/schema/types';
import { engineOnce } from './helpers';

let engine: Engine;
beforeAll(async () => { engine = await engineOnce(); });

const enc = (s: string) => new TextEncoder().encode(s);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/numbers/${name}`, import.meta.url)));
const schema = (s: string): StructField[] => (parseType(s) as { fields: StructField[] }).fields;
/** Values as DuckDB prints them: exact digits, no JS number in between. */
const texts = (sql: string) => engine.query(sql).rows.map((r) => r.map((v) => (v === null ? null : String(v))));

describe('exact 64-bit integers into the engine (issue 17: 9223372036854775807 went through a JS double)', () => {
  it('reads JSON integers beyond 2^53 into a bigint column exactly', async () => {
    const read = await readJsonInto(engine, 'int64', { kind: 'buffer', bytes: fixture('int64.ndjson') }, schema('struct<id:bigint,n:bigint>'));
    expect(read.errorCount).toBe(0);
    expect(texts('SELECT id::VARCHAR, n::VARCHAR FROM int64')).toEqual([
      ['9223372036854775807', '1'], ['-9223372036854775808', '9007199254740993'], ['42', '-9007199254740993'],
    ]);
  });

  it('reads what the classifier typed: wider integers as decimal(38,0), nested bigints and map text exactly', async () => {
    const text = '{"w":9223372036854775808,"s":{"id":9007199254740993},"a":[9007199254740995],"m":{"x":12345678901234567890}}\n';
    const read = await readJsonInto(engine, 'wide', { kind: 'buffer', bytes: enc(text) }, schema('struct<w:decimal(38,0),s:struct<id:bigint>,a:array<bigint>,m:string>'));
    expect(read.errorCount).toBe(0);
    expect(texts('SELECT w::VARCHAR, s.id::VARCHAR, a[1]::VARCHAR, m FROM wide')).toEqual([['9223372036854775808', '9007199254740993', '9007199254740995', '{"x":12345678901234567890}']]);
  });

  it('reports an integer beyond 64 bits in a bigint column instead of wrapping it', async () => {
    const read = await readJsonInto(engine, 'over', { kind: 'buffer', bytes: enc('{"id":9223372036854775808}\n{"id":1}\n') }, schema('struct<id:bigint>'));
    expect(read.errors).toEqual([{ record: 0, column: 'id', value: '9223372036854775808', reason: 'out of range for bigint' }]);
    expect(texts('SELECT id::VARCHAR FROM over')).toEqual([[null], ['1']]);
  });

  it('reads CSV 64-bit integers exactly through read_csv with the catalog types', async () => {
    const path = await engine.registerSource('big.csv', { kind: 'buffer', bytes: enc('id,v\n9223372036854775807,1\n-9223372036854775808,9007199254740993\n') });
    const types = classifyCsv({ name: 'big.csv', bytes: enc('id,v\n9223372036854775807,1\n-9223372036854775808,9007199254740993\n'), totalSize: 0, complete: true })!.schema;
    expect(types.map((c) => renderType(c.type))).toEqual(['bigint', 'bigint']);
    engine.query(csvViewSql('big_csv', path, { delimiter: ',', header: true, columns: types }));
    expect(texts('SELECT id::VARCHAR, v::VARCHAR FROM big_csv')).toEqual([['9223372036854775807', '1'], ['-9223372036854775808', '9007199254740993']]);
  });
});

describe('numbers with a fraction and signed padding reach the engine (issue 17)', () => {
  it('reads anscombe-style 10.0 and GeoJSON [100.0, 0.0] into the double columns the classifier gives', async () => {
    for (const [file, table, sql, expected] of [
      ['anscombe.json', 'ans', 'SELECT "X", "Y" FROM ans', [[10, 8.04], [8, 6.95], [13, 7.58]]],
      ['points.geojson', 'geo', 'SELECT f.geometry.coordinates FROM (SELECT unnest(features) AS f FROM geo)', [[[100, 0]], [[-72.637078, 42.062734]]]],
    ] as const) {
      const bytes = fixture(file);
      const typed = classifyJson({ name: file, bytes, totalSize: bytes.length, complete: true })!.schema;
      const read = await readJsonInto(engine, table, { kind: 'buffer', bytes }, typed);
      expect(read.errorCount, file).toBe(0);
      expect(engine.query(sql).rows, file).toEqual(expected);
    }
    expect(engine.describe('ans').map((c) => c.type)).toEqual(['VARCHAR', 'DOUBLE', 'DOUBLE']);
  });

  it('reads the signed zero-padded zip_codes.csv columns as DOUBLE and BIGINT with the classifier types', async () => {
    const bytes = fixture('zip_codes.csv');
    const types = classifyCsv({ name: 'zip_codes.csv', bytes, totalSize: bytes.length, complete: true })!.schema;
    const path = await engine.registerSource('zip_codes.csv', { kind: 'buffer', bytes });
    engine.query(csvViewSql('zips', path, { delimiter: ',', header: true, columns: types }));
    expect(engine.query('SELECT zip, longitude, "offset" FROM zips').rows).toEqual([['01001', -72.637078, 42], ['01002', -72.462018, -5], ['02101', -71.026964, 0]]);
  });
});

describe('JSON scalars read as col0 (issue 17: a JSON-lines file of plain strings was rejected)', () => {
  it('reads JSON Lines of strings and an array of numbers into col0', async () => {
    await readJsonInto(engine, 'strs', { kind: 'buffer', bytes: fixture('strings.jsonl') }, schema('struct<col0:string>'));
    expect(engine.query('SELECT col0 FROM strs').rows).toEqual([['alpha'], ['beta'], ['gamma, delta']]);
    await readJsonInto(engine, 'nums', { kind: 'buffer', bytes: enc('[1, 2.5, 9223372036854775807]') }, schema('struct<col0:double>'));
    expect(engine.query('SELECT col0 FROM nums').rows).toEqual([[1], [2.5], [9223372036854775807]]);
  });

  it('opens a scalar file without a catalog schema (Workspace open) as col0, and 10.0 as double', async () => {
    const opened = await openJson(engine, 'strings.jsonl', { kind: 'buffer', bytes: fixture('strings.jsonl') }, null);
    expect(opened.schema.map((c) => `${c.name}:${renderType(c.type)}`)).toEqual(['col0:string']);
    expect(opened.rows).toBe(3);
    const points = await openJson(engine, 'x.ndjson', { kind: 'buffer', bytes: enc('{"x":10.0}\n{"x":2.0}\n{"big":9223372036854775807}\n') }, null);
    expect(points.schema.map((c) => `${c.name}:${renderType(c.type)}`)).toEqual(['x:double', 'big:bigint']);
    expect(texts(`SELECT x, big::VARCHAR FROM ${points.table}`)).toEqual([['10', null], ['2', null], [null, '9223372036854775807']]);
  });
});
