import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { regexGroups } from '../../../../src/frames/transforms/column-out';
import { engine, runStep, table, vega } from './text-kit';

let e: Engine;
beforeAll(async () => {
  e = await engine();
  table(e, 're_in', 'purchase, n', `('2023-01-05T10', 1), ('2023-02-06', 2), ('none', 3), (NULL, 4), ('x 2024-03-07 y', 5)`);
});

describe('RegexExtract', () => {
  it('puts each capture group in its named column; no match is NULL, a group that took no part is empty', () => {
    const out = runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}))?', names: 'year,month,day,hour' });
    expect(out.schema).toEqual(['purchase:string', 'n:int', 'year:string', 'month:string', 'day:string', 'hour:string']);
    expect(out.rows.map((r) => r.slice(2))).toEqual([
      ['2023', '01', '05', '10'], ['2023', '02', '06', ''], [null, null, null, null], [null, null, null, null], ['2024', '03', '07', ''],
    ]);
  });

  it('skips a group whose name is empty, and replaces the source column when a name is its own', () => {
    const out = runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(\\d{4})-(\\d{2})', names: ' , purchase' });
    expect(out.schema).toEqual(['purchase:string', 'n:int']);
    expect(out.rows.map((r) => r[0])).toEqual(['01', '02', null, null, '03']);
  });

  it('takes the whole match into one column when the regex has no group', () => {
    expect(runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '\\d+-\\d+', names: 'ym' }).rows.map((r) => r[2])).toEqual(['2023-01', '2023-02', null, null, '2024-03']);
  });

  it('says what is wrong: names that do not fit the groups, a number column, RE2-only or Java-only constructs', () => {
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(a)(b)', names: 'x' })).toThrow(/the regex has 2 capture groups but 1 column name \(comma separated; leave a name empty to skip its group\)/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '\\d', names: 'x,y' })).toThrow(/a regex without capture groups gives one column \(the whole match\); 2 names were given/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(a)(b)', names: 'x,x' })).toThrow(/the column name x is given twice/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(a)', names: ' ' })).toThrow(/name at least one column/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'n', pattern: '(a)', names: 'x' })).toThrow(/RegexExtract reads a string column; n is int/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(?<y>\\d+)', names: 'y' })).toThrow(/named groups/);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(a)\\1', names: 'x' })).toThrow(/backreferences \(\\1\) are not supported/);
  });

  it('counts capture groups past classes, escapes and non-capturing groups', () => {
    expect(regexGroups('(a)(?:b)[(](\\()(?i)(c)')).toBe(3);
    expect(regexGroups('[]()](x)')).toBe(1);
    expect(regexGroups('\\Q(a)\\E(b)')).toBe(1);
    expect(() => regexGroups('[abc')).toThrow(/unclosed \[/);
    expect(() => regexGroups('x\\Z')).toThrow(/\\Z is Java-only/);
  });

  it('takes car makes and models from the names (its example)', async () => {
    const out = runStep(e, await vega(e, 'cars.json'), 'RegexExtract', { path: 'Name', pattern: '^(\\S+) (.*)$', names: 'make,model' });
    expect(out.rows[0]!.slice(-2)).toEqual(['chevrolet', 'chevelle malibu']);
  });

  it('replaces a column whose name differs only in case, as Spark\'s withColumns does (Spark parity: "year" took "Year"\'s place there, the tab added year_1)', async () => {
    const out = runStep(e, await vega(e, 'cars.json'), 'RegexExtract', { path: 'Year', pattern: '(\\d{4})-(\\d{2})-(\\d{2})', names: 'year, month,' });
    expect(out.schema.slice(-3)).toEqual(['year:string', 'Origin:string', 'month:string']);
    expect(out.rows[0]!.slice(-3)).toEqual(['1970', 'USA', '01']);
    expect(() => runStep(e, 're_in', 'RegexExtract', { path: 'purchase', pattern: '(a)(b)', names: 'x,X' })).toThrow(/the column name X is given twice \(names are case-insensitive\)/);
  });
});
