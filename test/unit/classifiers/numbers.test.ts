import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classifiers/classify';
import { classifyCsv } from '../../../src/classifiers/csv';
import { fullScan } from '../../../src/classifiers/full-scan';
import { inferText } from '../../../src/classifiers/infer';
import { FLOAT } from '../../../src/classifiers/infer-json';
import { parseJsonExact, stringifyExact } from '../../../src/classifiers/json-exact';
import { classifyJson } from '../../../src/classifiers/json';
import { classifyXml } from '../../../src/classifiers/xml';
import { classifyByteSource } from '../../../src/crawler/classify-file';
import { renderType } from '../../../src/schema/types';
import { cols, memorySource, sampleOf } from './helpers';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/numbers/${name}`, import.meta.url));
const text = (name: string) => fixture(name).toString('utf8');

describe('parseJsonExact', () => {
  it('gives what JSON.parse gives for any JSON whose integers fit 2^53', () => {
    fc.assert(fc.property(fc.json().filter((j) => !/\d{16}/.test(j)), (json) => {
      expect(parseJsonExact(json)).toEqual(JSON.parse(json));
      // One long integer sends the whole text through the exact parser rather than JSON.parse.
      expect(parseJsonExact(`[${json}, 12345678901234567890]`)).toEqual([JSON.parse(json), 12345678901234567890n]);
    }), { numRuns: 500 });
  });

  it('keeps integers beyond 2^53 exact as bigints (issue 17: 9223372036854775807 read as a rounded double)', () => {
    const v = parseJsonExact('{"max":9223372036854775807,"min":-9223372036854775808,"safe":9007199254740991,"wide":123456789012345678901234567890,"f":1.5}');
    expect(v).toEqual({ max: 9223372036854775807n, min: -9223372036854775808n, safe: 9007199254740991, wide: 123456789012345678901234567890n, f: 1.5 });
    expect(stringifyExact(v)).toBe('{"max":9223372036854775807,"min":-9223372036854775808,"safe":9007199254740991,"wide":123456789012345678901234567890,"f":1.5}');
  });

  it('marks numbers written with a fraction when asked, so 10.0 is not an integer (issue 17)', () => {
    expect(parseJsonExact('[10.0, 1e3, 2, "3.0"]', { fraction: FLOAT })).toEqual([FLOAT, FLOAT, 2, '3.0']);
    expect(parseJsonExact('[10.0, 1e3]')).toEqual([10, 1000]);
  });

  it('rejects exactly what JSON.parse rejects, and keeps __proto__ an own key', () => {
    for (const bad of ['[01]', '[1.]', '[-]', '{"a":1,}', '[1 2]', '"a\nb"', '[9223372036854775807', '{"a" 1}', '9223372036854775807 x', 'tru', '[.5]', '[1e]']) {
      expect(() => JSON.parse(bad), bad).toThrow(SyntaxError);
      expect(() => parseJsonExact(bad, { fraction: FLOAT }), bad).toThrow(SyntaxError);
    }
    const o = parseJsonExact('{"__proto__":{"x":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'n']);
  });

  it('parses nesting deeper than its recursion bound', () => {
    const deep = '['.repeat(5000) + '12345678901234567890' + ']'.repeat(5000);
    expect(() => parseJsonExact(deep)).not.toThrow();
  });
});

describe('JSON numbers (issue 17: numbers right)', () => {
  it('types numbers written with a fraction double: anscombe.json X is 10.0, 8.0 ... (issue 17: typed bigint)', () => {
    const r = classifyJson(sampleOf(fixture('anscombe.json')))!;
    expect(cols(r.schema)).toEqual(['Series:string', 'X:double', 'Y:double']);
  });

  it('types GeoJSON coordinates [100.0, 0.0] array<double> (issue 17: typed bigint)', () => {
    const r = classifyJson(sampleOf(fixture('points.geojson')))!;
    const features = renderType(r.schema.find((c) => c.name === 'features')!.type);
    expect(features).toContain('coordinates:array<double>');
    expect(features).toContain('elevation:double');
  });

  it('types 64-bit integers beyond 2^53 bigint (issue 17: 9223372036854775807 typed double)', () => {
    const r = classifyJson(sampleOf(fixture('int64.ndjson')))!;
    expect(cols(r.schema)).toEqual(['id:bigint', 'n:bigint']);
  });

  it('types integers beyond 64 bits decimal(38,0), beyond 38 digits double, as the CSV rules do', () => {
    expect(cols(classifyJson(sampleOf('{"a":9223372036854775808}\n{"a":1}'))!.schema)).toEqual(['a:decimal(38,0)']);
    expect(cols(classifyJson(sampleOf(`{"a":${'9'.repeat(39)}}\n{"a":1}`))!.schema)).toEqual(['a:double']);
    expect(cols(classifyJson(sampleOf('{"a":9223372036854775808}\n{"a":0.5}'))!.schema)).toEqual(['a:double']);
  });

  it('the full scan types the same way (fraction and 64-bit integers)', async () => {
    const r = await fullScan(memorySource(text('int64.ndjson') + '{"id":1,"n":2.0}\n', 'x.ndjson'));
    expect(cols(r.schema)).toEqual(['id:bigint', 'n:double']);
  });

  it('types 64-bit XML leaves bigint, not double', () => {
    const r = classifyXml(sampleOf('<rows><row><id>9223372036854775807</id></row><row><id>-9223372036854775808</id></row></rows>'))!;
    expect(cols(r.schema)).toEqual(['id:bigint']);
  });
});

describe('JSON scalars give col0 (issue 17: a JSON-lines file of plain strings was rejected)', () => {
  it('types JSON Lines of strings as one string column col0', async () => {
    const r = await classify(sampleOf(fixture('strings.jsonl')));
    expect(r.classification).toBe('json');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(['col0:string']);
    expect(r.recordCount).toBe(3);
  });

  it('types JSON Lines of numbers, and top-level arrays of scalars, as col0', async () => {
    expect(cols((await classify(sampleOf('1\n2.5\n-3\n'))).schema)).toEqual(['col0:double']);
    expect(cols((await classify(sampleOf('9223372036854775807\n1\n'))).schema)).toEqual(['col0:bigint']);
    const arr = await classify(sampleOf('["a", "b", "c"]'));
    expect(arr.properties.jsonPath).toBe('$[*]');
    expect(cols(arr.schema)).toEqual(['col0:string']);
  });

  it('leaves text that merely starts like a scalar to the other classifiers', async () => {
    // A CSV with quoted cells, a log line, a cut last line of a partial sample.
    const csv = await classify(sampleOf('"name","age"\n"ann","3"\n"bob","4"\n'));
    expect(csv.classification).toBe('csv');
    expect(classifyJson(sampleOf('10 apples\n11 pears\n'))).toBeNull();
    expect(classifyJson(sampleOf('"a"\nnot json\n'))).toBeNull();
    const partial = { ...sampleOf('"a"\n"b"\n"c'), complete: false, totalSize: 100 };
    expect(cols(classifyJson(partial)!.schema)).toEqual(['col0:string']);
  });
});

describe('signed zero-padded numbers (issue 17: -072.637078 typed string by the leading-zero rule)', () => {
  it('types signed padded numbers as numbers and unsigned padded codes as strings', () => {
    for (const [v, ty] of [['-072.637078', 'double'], ['+0042', 'bigint'], ['-007', 'bigint'], ['0.5', 'double'], ['-0.5', 'double'], ['+0.5', 'double'],
      ['007', 'string'], ['01234', 'string'], ['00.5', 'string'], ['0', 'bigint'], ['-0', 'bigint']] as const) {
      expect(renderType(inferText(v).type), v).toBe(ty);
    }
  });

  it('types the zip_codes.csv shape: zip string, longitude double, signed offset bigint', () => {
    const r = classifyCsv(sampleOf(fixture('zip_codes.csv')))!;
    expect(cols(r.schema)).toEqual(['zip:string', 'city:string', 'state:string', 'latitude:double', 'longitude:double', 'offset:bigint']);
  });
});

describe('the decimal rule (issue 17: stock prices typed decimal(18,2) where Glue and DuckDB say double)', () => {
  it('types fixed-scale columns double by default, as Glue does, and decimal(p,s) with keepDecimals', async () => {
    expect(cols((await classify(sampleOf(fixture('prices.csv')))).schema)).toEqual(['day:date', 'ticker:string', 'close:double', 'volume:bigint']);
    expect(cols((await classify(sampleOf(fixture('prices.csv')), [], { keepDecimals: true })).schema)).toEqual(['day:date', 'ticker:string', 'close:decimal(18,2)', 'volume:bigint']);
  });

  it('applies to custom CSV classifiers and to full scans', async () => {
    const custom = [{ CsvClassifier: { Name: 'semi', Delimiter: ';' } }];
    const semi = text('prices.csv').replaceAll(',', ';');
    expect(cols((await classify(sampleOf(semi), custom)).schema)[2]).toBe('close:double');
    expect(cols((await classify(sampleOf(semi), custom, { keepDecimals: true })).schema)[2]).toBe('close:decimal(18,2)');
    expect(cols((await fullScan(memorySource(text('prices.csv'), 'p.csv'), [], { keepDecimals: true })).schema)[2]).toBe('close:decimal(18,2)');
    expect(cols((await fullScan(memorySource(text('prices.csv'), 'p.csv'))).schema)[2]).toBe('close:double');
  });

  it('is the crawler option keepDecimals (sampled and full scan)', async () => {
    const src = () => ({ ...memorySource(text('prices.csv'), 'p.csv'), path: 'p.csv' });
    for (const fullScan of [false, true]) {
      expect(cols((await classifyByteSource(src(), { customClassifiers: [], fullScan })).schema)[2]).toBe('close:double');
      expect(cols((await classifyByteSource(src(), { customClassifiers: [], fullScan, keepDecimals: true })).schema)[2]).toBe('close:decimal(18,2)');
    }
  });
});
