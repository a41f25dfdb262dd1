import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { engine, runStep, table, vega } from './text-kit';

let e: Engine;
beforeAll(async () => {
  e = await engine();
  table(e, 'ss_in', '"the tags", n, s', `('a,b,,c,', 1, {'x': 'p.q'}), ('', 2, NULL), (NULL, 3, {'x': 'r'}), ('a.b|c', 4, {'x': ''})`);
});

describe('SplitString', () => {
  it('splits at a literal delimiter into a new array column, keeping empty pieces (as Spark split(-1)); NULL stays NULL', () => {
    const out = runStep(e, 'ss_in', 'SplitString', { path: '`the tags`', pattern: ',', target: 'parts' });
    expect(out.schema).toEqual(['the tags:string', 'n:int', 's:struct<x:string>', 'parts:array<string>']);
    expect(out.rows.map((r) => r[3])).toEqual([['a', 'b', '', 'c', ''], [''], null, ['a.b|c']]);
  });

  it('reads a literal delimiter literally (a dot is not "any character")', () => {
    const out = runStep(e, 'ss_in', 'SplitString', { path: '`the tags`', pattern: '.' });
    expect(out.schema[0]).toBe('the tags:array<string>');
    expect(out.rows[3]![0]).toEqual(['a', 'b|c']);
  });

  it('splits at a regular expression, in place when no name is given', () => {
    const out = runStep(e, 'ss_in', 'SplitString', { path: '`the tags`', pattern: '[.|]', regex: true });
    expect(out.schema).toEqual(['the tags:array<string>', 'n:int', 's:struct<x:string>']);
    expect(out.rows[3]![0]).toEqual(['a', 'b', 'c']);
  });

  it('splits a nested field into a named top-level column', () => {
    const out = runStep(e, 'ss_in', 'SplitString', { path: 's.x', pattern: '.', target: 'x_parts' });
    expect(out.rows.map((r) => r[3])).toEqual([['p', 'q'], null, ['r'], ['']]);
  });

  it('says what is wrong: a number column, an empty delimiter, a nested field in place, a regex RE2 lacks', () => {
    expect(() => runStep(e, 'ss_in', 'SplitString', { path: 'n', pattern: ',' })).toThrow(/SplitString splits a string column; n is int/);
    expect(() => runStep(e, 'ss_in', 'SplitString', { path: '`the tags`', pattern: '' })).toThrow(/the delimiter is empty/);
    expect(() => runStep(e, 'ss_in', 'SplitString', { path: 's.x', pattern: ',' })).toThrow(/name the new column: the nested field s.x cannot be replaced in place/);
    expect(() => runStep(e, 'ss_in', 'SplitString', { path: '`the tags`', pattern: '(?<=a),', regex: true })).toThrow(/lookaround \(\(\?<=…\)\) is not supported by DuckDB's RE2/);
    expect(() => runStep(e, 'ss_in', 'SplitString', { path: 'nope', pattern: ',' })).toThrow(/no field nope in the input/);
  });

  it('splits car names into words (its example)', async () => {
    const out = runStep(e, await vega(e, 'cars.json'), 'SplitString', { path: 'Name', pattern: ' ', target: 'words' });
    expect(out.rows[0]!.at(-1)).toEqual(['chevrolet', 'chevelle', 'malibu']);
    expect(out.rows.length).toBe(406);
  });

  it('works on an empty input', () => {
    table(e, 'ss_empty', 's', `('x')`);
    e.query('DELETE FROM ss_empty');
    expect(runStep(e, 'ss_empty', 'SplitString', { path: 's', pattern: ',', target: 'p' }).rows).toEqual([]);
  });
});
