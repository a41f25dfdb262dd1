import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { compileStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import { t } from '../../../../src/schema/types';
import { engine, runStep, table, vega } from './text-kit';

let e: Engine;
beforeAll(async () => {
  e = await engine();
  table(e, 'cc_in', 'y, m, "the day", ok, d, a, s', `(2020, '01', 5, true, DATE '2020-01-05', [1], {'c': 'Oslo'}), (2021, NULL, NULL, NULL, NULL, [2], NULL)`);
});

describe('Concatenate', () => {
  it('joins values as text with the spacer, in the order given (numbers, booleans, dates as Spark prints them)', () => {
    const out = runStep(e, 'cc_in', 'Concatenate', { target: 'date', columns: ['y', 'm', '`the day`', 'ok', 'd', 's.c'], spacer: '-' });
    expect(out.schema.at(-1)).toBe('date:string');
    expect(out.rows.map((r) => r.at(-1))).toEqual(['2020-01-5-true-2020-01-05-Oslo', '2021-----']);
  });

  it('writes a NULL part as the Null value text, spacers kept (Glue: empty unless set)', () => {
    const out = runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: ['y', 'm'], spacer: '/', nullValue: 'NA' });
    expect(out.rows.map((r) => r.at(-1))).toEqual(['2020/01', '2021/NA']);
    expect(runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: ['m', 'y'] }).rows.map((r) => r.at(-1))).toEqual(['012020', '2021']);
  });

  it('replaces a column of the same name in place', () => {
    const out = runStep(e, 'cc_in', 'Concatenate', { target: 'm', columns: ['y', 'm'], spacer: '.' });
    expect(out.schema[1]).toBe('m:string');
    expect(out.rows.map((r) => r[1])).toEqual(['2020.01', '2021.']);
  });

  it('says what is wrong: no name, no columns, nested values; warns about doubles', () => {
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: '', columns: ['y'] })).toThrow(/the concatenated column needs a name/);
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: [] })).toThrow(/tick at least one column to concatenate/);
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: ['a'] })).toThrow(/only plain values concatenate; a is array<int>/);
    const compiled = compileStep({ id: 'c', kind: 'Concatenate', params: { target: 'x', columns: ['v'] } } as Step, { relation: 'r', schema: [{ name: 'v', type: t.double }] });
    expect(compiled.messages).toEqual([{ stepId: 'c', column: 'v', severity: 'warning', message: expect.stringMatching(/v is double: from 10 million up .* Spark prints it as 1.0E7/) }]);
  });

  it('joins airport cities, states and countries (its example)', async () => {
    const out = runStep(e, await vega(e, 'airports.csv'), 'Concatenate', { target: 'place', columns: ['city', 'state', 'country'], spacer: ', ' });
    expect(out.rows[0]!.at(-1)).toBe('Bay Springs, MS, USA');
  });
});
