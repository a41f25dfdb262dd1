import { describe, expect, it } from 'vitest';
import { mergeTypes, parseType, renderCatalogType, renderType, t, toDuckDBType, type GlueType } from '../../../src/schema/types';

describe('Hive type strings', () => {
  it('parse and render back identically, nested and case-insensitive', () => {
    for (const s of ['string', 'decimal(12,2)', 'array<struct<a:int,b:map<string,array<double>>>>', 'struct<`first name`:string,x:varchar(20)>', 'map<string,boolean>']) {
      expect(renderType(parseType(s))).toBe(s);
    }
    expect(renderType(parseType(' STRUCT < A : INTEGER , b : Long > '))).toBe('struct<A:int,b:bigint>');
  });

  it('gives a positioned, specific error', () => {
    expect(() => parseType('struct<a:int')).toThrow('expected ">" but the type ended at position 12 in "struct<a:int"');
    expect(() => parseType('arry<int>')).toThrow('unknown type "arry" at position 0');
    expect(() => parseType('decimal(40,2)')).toThrow(/precision must be 1..38/);
    expect(() => parseType('int int')).toThrow(/unexpected "i"/);
  });
});

describe('merging field types across records', () => {
  it('widens numbers and dates, yields null, and makes a choice of real conflicts', () => {
    expect(mergeTypes(t.int, t.bigint)).toEqual(t.bigint);
    expect(mergeTypes(t.bigint, t.double)).toEqual(t.double);
    expect(mergeTypes(t.null, t.date)).toEqual(t.date);
    expect(mergeTypes(t.date, t.timestamp)).toEqual(t.timestamp);
    expect(mergeTypes(t.decimal(5, 2), t.decimal(10, 4))).toEqual(t.decimal(10, 4));
    expect(mergeTypes(t.decimal(5, 0), t.decimal(5, 4))).toEqual(t.decimal(9, 4));
    expect(renderType(mergeTypes(t.bigint, t.string))).toBe('choice<bigint,string>');
    expect(renderType(mergeTypes(mergeTypes(t.bigint, t.string), t.double))).toBe('choice<double,string>');
  });

  it('merges structs field by field and arrays by element', () => {
    const a = t.struct([['id', t.int], ['tags', t.array(t.string)]]);
    const b = t.struct([['id', t.bigint], ['extra', t.boolean], ['tags', t.array(t.null)]]);
    expect(renderType(mergeTypes(a, b))).toBe('struct<id:bigint,tags:array<string>,extra:boolean>');
  });

  it('renders choice for the catalog as the type every option fits in', () => {
    expect(renderCatalogType(t.choice([t.int, t.double]))).toBe('double');
    expect(renderCatalogType(t.struct([['v', t.choice([t.int, t.string])]]))).toBe('struct<v:string>');
    expect(renderCatalogType(t.null)).toBe('string');
  });

  it('maps to DuckDB types', () => {
    expect(toDuckDBType(parseType('struct<a:int,b:array<map<string,decimal(5,1)>>>'))).toBe('STRUCT("a" INTEGER, "b" MAP(VARCHAR, DECIMAL(5,1))[])');
  });
});

describe('struct field names from files (regression: a backquote in a nested JSON key broke the type string)', () => {
  it('round-trips names with backquotes, quotes, SQL and markup through render and parse', () => {
    const names = ['c`; DROP DATABASE d; --', 'a"; DROP TABLE x; --', "b'); DELETE FROM t; --", '<img src=x onerror=alert(1)>', '``', 'x:y<z>,w'];
    const type: GlueType = { kind: 'struct', fields: names.map((name) => ({ name, type: t.string })) };
    const text = renderType(type);
    expect(parseType(text)).toEqual(type);
  });
});
