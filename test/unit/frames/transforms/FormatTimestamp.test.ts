import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { engine, runStep, table, vega } from './text-kit';

let e: Engine;
beforeAll(async () => {
  e = await engine();
  table(e, 'ft_in', 'ts, d, txt, n', `
    (TIMESTAMP '2012-01-05 13:04:05.123456', DATE '2012-01-05', '2012-01-05T13:04:05+01:00', 1),
    (NULL, NULL, 'Jan 5', 2),
    (TIMESTAMP '1999-12-31 00:00:00', DATE '2000-02-29', NULL, 3)`);
});

describe('FormatTimestamp', () => {
  it('formats a timestamp with a Spark pattern (expected text from Spark 3.5 date_format)', () => {
    const out = runStep(e, 'ft_in', 'FormatTimestamp', { path: 'ts', pattern: "EEE d MMM yyyy 'at' h:mm a, SSS", target: 'label' });
    expect(out.schema.at(-1)).toBe('label:string');
    expect(out.rows.map((r) => r.at(-1))).toEqual(['Thu 5 Jan 2012 at 1:04 PM, 123', null, 'Fri 31 Dec 1999 at 12:00 AM, 000']);
  });

  it('formats a date in place', () => {
    const out = runStep(e, 'ft_in', 'FormatTimestamp', { path: 'd', pattern: 'dd/MM/yyyy (DDD)' });
    expect(out.schema[1]).toBe('d:string');
    expect(out.rows.map((r) => r[1])).toEqual(['05/01/2012 (005)', null, '29/02/2000 (060)']);
  });

  it('reads ISO text first; other text is an error record', () => {
    const out = runStep(e, 'ft_in', 'FormatTimestamp', { path: 'txt', pattern: 'yyyy-MM-dd HH:mm', target: 'utc' });
    expect(out.rows.map((r) => [r[3], r.at(-1)])).toEqual([[1, '2012-01-05 12:04'], [3, null]]);
    expect(out.errors).toEqual([['s', 'txt', 'Jan 5', 'not an ISO 8601 timestamp (yyyy-MM-dd[THH:mm[:ss[.ffffff][zone]]])']]);
  });

  it('says what is wrong: a number column, a letter with no DuckDB code', () => {
    expect(() => runStep(e, 'ft_in', 'FormatTimestamp', { path: 'n', pattern: 'yyyy' })).toThrow(/FormatTimestamp formats a timestamp or date; n is int \(convert it with ToTimestamp first\)/);
    expect(() => runStep(e, 'ft_in', 'FormatTimestamp', { path: 'ts', pattern: "yyyy-MM-dd'T'HH:mmXXX" })).toThrow(/the pattern letter X \(zone offset\) has no DuckDB equivalent/);
    expect(() => runStep(e, 'ft_in', 'FormatTimestamp', { path: 'ts', pattern: 'Q yyyy' })).toThrow(/letter Q \(quarter\)/);
  });

  it('formats the weather dates (its example)', async () => {
    const out = runStep(e, await vega(e, 'seattle-weather.csv'), 'FormatTimestamp', { path: 'date', pattern: 'dd/MM/yyyy', target: 'day' });
    expect(out.rows[0]!.at(-1)).toBe('01/01/2012');
    expect(out.rows.length).toBe(1461);
  });
});
