import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
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

  it('says what is wrong: no name, no columns, nested values', () => {
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: '', columns: ['y'] })).toThrow(/the concatenated column needs a name/);
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: [] })).toThrow(/tick at least one column to concatenate/);
    expect(() => runStep(e, 'cc_in', 'Concatenate', { target: 'x', columns: ['a'] })).toThrow(/only plain values concatenate; a is array<int>/);
  });

  it('prints doubles and floats as Spark casts them to string (expected text from Spark 3.5, Java 17)', () => {
    const doubles = ['1.5', '100.0', '0.001', '0.0001', '0.00123', '9999999.999', '1e7', '12345678.9', '1e20', '1.7000000001234567e9', '-1e-6', '1e-300', '1.2345e-5', '0.0', "'NaN'", "'inf'", "'-inf'", '123456789012345680000', '0.0025'];
    table(e, 'cc_dbl', 'v', doubles.map((v) => `(CAST(${v} AS DOUBLE))`).join(', '));
    expect(runStep(e, 'cc_dbl', 'Concatenate', { target: 'x', columns: ['v'] }).rows.map((r) => r[1])).toEqual(
      ['1.5', '100.0', '0.001', '1.0E-4', '0.00123', '9999999.999', '1.0E7', '1.23456789E7', '1.0E20', '1.7000000001234567E9', '-1.0E-6', '1.0E-300', '1.2345E-5', '0.0', 'NaN', 'Infinity', '-Infinity', '1.2345678901234568E20', '0.0025']);
    table(e, 'cc_flt', 'v', ['1.5', '0.1', '1e7', '3.4e38', '1.17e-38', '16777216', '0.001'].map((v) => `(CAST(${v} AS FLOAT))`).join(', '));
    expect(runStep(e, 'cc_flt', 'Concatenate', { target: 'x', columns: ['v'] }).rows.map((r) => r[1])).toEqual(['1.5', '0.1', '1.0E7', '3.4E38', '1.17E-38', '1.6777216E7', '0.001']);
  });

  it('joins airport cities, states and countries (its example)', async () => {
    const out = runStep(e, await vega(e, 'airports.csv'), 'Concatenate', { target: 'place', columns: ['city', 'state', 'country'], spacer: ', ' });
    expect(out.rows[0]!.at(-1)).toBe('Bay Springs, MS, USA');
  });
});
