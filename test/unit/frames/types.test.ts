import { describe, expect, it } from 'vitest';
import { frameDuckType, parseDuckDBType } from '../../../src/frames/duck-types';
import { parsePath, renderPath } from '../../../src/frames/paths';
import { parseType, renderType } from '../../../src/schema/types';

describe('DuckDB types <-> Glue types', () => {
  it('reads DESCRIBE types, nested and quoted', () => {
    const cases: [string, string][] = [
      ['BIGINT', 'bigint'], ['INTEGER[]', 'array<int>'], ['DECIMAL(5,2)', 'decimal(5,2)'], ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
      ['STRUCT(a BIGINT, "b c" VARCHAR[], d STRUCT(e DOUBLE))', 'struct<a:bigint,`b c`:array<string>,d:struct<e:double>>'],
      ['MAP(VARCHAR, INTEGER)', 'map<string,int>'],
      ['UNION("bigint" BIGINT, string VARCHAR)', 'choice<bigint,string>'],
      ['STRUCT(x UNION(int INTEGER, "struct" STRUCT(y BOOLEAN)))[]', 'array<struct<x:choice<int,struct<y:boolean>>>>'],
    ];
    for (const [duck, glue] of cases) expect(renderType(parseDuckDBType(duck))).toBe(glue);
  });

  it('stores a choice as a UNION whose members are tagged by type', () => {
    expect(frameDuckType(parseType('struct<p:choice<bigint,string>>'))).toBe('STRUCT("p" UNION("bigint" BIGINT, "string" VARCHAR))');
  });
});

describe('paths', () => {
  it('parses dotted paths with backquoted names', () => {
    expect(parsePath('a.b')).toEqual(['a', 'b']);
    expect(parsePath('`a.b`.c')).toEqual(['a.b', 'c']);
    expect(renderPath(['a.b', 'c'])).toBe('`a.b`.c');
    expect(() => parsePath('a..b')).toThrow(/Empty field name/);
  });
});
