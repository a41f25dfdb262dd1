import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { runFrame } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { engine, runStep, table, vega } from './text-kit';

let e: Engine;
beforeAll(async () => {
  e = await engine();
  table(e, 'ts_in', 'txt, secs, fsecs, ms, d', `
    ('2022-11-02T14:40:59.915Z', CAST(1700000000 AS BIGINT), 1.5, CAST(1700000000123 AS BIGINT), DATE '2020-02-29'),
    ('2022-11-02T14:40:59+02:00', CAST(0 AS BIGINT), -1.5, CAST(-1 AS BIGINT), NULL),
    ('2022-11-02', NULL, 1700000000.1234567, NULL, DATE '1999-12-31'),
    ('11/02/2022', CAST(253402300800 AS BIGINT), CAST('NaN' AS DOUBLE), CAST(0 AS BIGINT), NULL),
    (NULL, CAST(-62135596800 AS BIGINT), NULL, CAST(1 AS BIGINT), NULL)`);
});

describe('ToTimestamp', () => {
  it('reads ISO text (offsets to UTC); text that is not ISO is an error record with its value and a reason', () => {
    const out = runStep(e, 'ts_in', 'ToTimestamp', { path: 'txt', format: 'iso', target: 'at' });
    expect(out.schema.at(-1)).toBe('at:timestamp');
    expect(out.rows.map((r) => [r[0], r.at(-1)])).toEqual([
      ['2022-11-02T14:40:59.915Z', '2022-11-02 14:40:59.915'],
      ['2022-11-02T14:40:59+02:00', '2022-11-02 12:40:59'],
      ['2022-11-02', '2022-11-02 00:00:00'],
      [null, null],
    ]);
    expect(out.errors).toEqual([['s', 'txt', '11/02/2022', 'not an ISO 8601 timestamp (yyyy-MM-dd[THH:mm[:ss[.ffffff][zone]]])']]);
  });

  it('reads epoch seconds (integers and fractions, truncated like Spark), milliseconds; out-of-range values are error records', () => {
    const secs = runStep(e, 'ts_in', 'ToTimestamp', { path: 'secs', format: 'seconds' });
    expect(secs.schema[1]).toBe('secs:timestamp');
    expect(secs.rows.map((r) => r[1])).toEqual(['2023-11-14 22:13:20', '1970-01-01 00:00:00', null, '1-01-01 00:00:00']); // the engine renders year 1 unpadded
    expect(secs.errors).toEqual([['s', 'secs', '253402300800', 'epoch seconds outside the years 0001-9999']]);
  });

  it('gives the exact microseconds of fractional seconds and milliseconds (values from Spark 3.5: timestamp_seconds)', () => {
    const r = runFrame(e, { input: 'ts_in', steps: [
      { id: 'a', kind: 'ToTimestamp', params: { path: 'fsecs', format: 'seconds', target: 'f' } },
      { id: 'b', kind: 'Derived', params: { name: 'f_text', sql: "strftime(f, '%Y-%m-%d %H:%M:%S.%f')", type: 'string' } },
    ] as Step[], sampleRows: null, namespace: 'tsf' });
    expect(r.failure).toBeNull();
    const out = r.steps.at(-1)!;
    expect(e.query(`SELECT fsecs, f_text FROM ${out.relation}`).rows).toEqual([
      [1.5, '1970-01-01 00:00:01.500000'], [-1.5, '1969-12-31 23:59:58.500000'], [1700000000.1234567, '2023-11-14 22:13:20.123456'], [null, null],
    ]);
    // NaN is no time: an error record, where Spark gives NULL.
    expect(r.steps[0]!.errorCount).toBe(1);
    const ms = runStep(e, 'ts_in', 'ToTimestamp', { path: 'ms', format: 'milliseconds', target: 'm' });
    expect(ms.errorCount).toBe(0);
    expect(ms.rows.map((r) => r.at(-1))).toEqual(['2023-11-14 22:13:20.123', '1969-12-31 23:59:59.999', null, '1970-01-01 00:00:00', '1970-01-01 00:00:00.001']);
  });

  it('reads text in a Spark pattern; text of another shape is an error record', () => {
    table(e, 'ts_pat', 'd', `('Jan 1 2000'), ('Feb 29 2000'), ('Feb 30 2000'), ('2000-01-01'), (NULL)`);
    const out = runStep(e, 'ts_pat', 'ToTimestamp', { path: 'd', format: 'pattern', pattern: 'MMM d yyyy', target: 't' });
    expect(out.rows.map((r) => r[0])).toEqual(['Jan 1 2000', 'Feb 29 2000', null]);
    expect(out.errors.map((r) => [r[2], r[3]])).toEqual([['Feb 30 2000', 'does not read as MMM d yyyy'], ['2000-01-01', 'does not read as MMM d yyyy']]);
  });

  it('turns a date into a timestamp at midnight', () => {
    const out = runStep(e, 'ts_in', 'ToTimestamp', { path: 'd', format: 'iso' });
    expect(out.schema.at(-1)).toBe('d:timestamp');
    expect(out.errorCount).toBe(0);
  });

  it('says what is wrong: the wrong type for a format, a pattern it cannot read the same as Spark, an unknown format', () => {
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'secs', format: 'iso' })).toThrow(/iso reads text \(or a date\); secs is bigint: choose seconds, milliseconds or microseconds for numbers/);
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'txt', format: 'seconds' })).toThrow(/epoch seconds are numbers; txt is string/);
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'secs', format: 'pattern', pattern: 'yyyy' })).toThrow(/a pattern reads text; secs is bigint/);
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'txt', format: 'pattern', pattern: 'dd/MM/yy' })).toThrow(/yy cannot be read: Spark reads two-digit years as 2000-2099/);
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'txt', format: 'pattern' })).toThrow(/the pattern is empty/);
    expect(() => runStep(e, 'ts_in', 'ToTimestamp', { path: 'txt', format: 'autodetect' })).toThrow(/unknown time format autodetect \(iso, seconds, milliseconds, microseconds, pattern\)/);
  });

  it('fails the run past stageThreshold, as Glue does', () => {
    const r = runFrame(e, { input: 'ts_in', steps: [{ id: 'a', kind: 'ToTimestamp', params: { path: 'txt', format: 'iso', stageThreshold: 0 } }] as Step[], sampleRows: null, namespace: 'tsth' });
    expect(r.failure?.message).toMatch(/error record/);
  });

  it('reads car years and stock dates (its examples)', async () => {
    const cars = runStep(e, await vega(e, 'cars.json'), 'ToTimestamp', { path: 'Year', format: 'iso', target: 'year_ts' });
    expect([cars.rows.length, cars.errorCount]).toEqual([406, 0]);
    const stocks = runStep(e, await vega(e, 'stocks.csv'), 'ToTimestamp', { path: 'date', format: 'pattern', pattern: 'MMM d yyyy' });
    expect([stocks.schema, stocks.rows.length, stocks.errorCount]).toEqual([['symbol:string', 'date:timestamp', 'price:double'], 560, 0]);
    const flights = runStep(e, await vega(e, 'flights-2k.json'), 'ToTimestamp', { path: 'date', format: 'pattern', pattern: 'yyyy/MM/dd HH:mm', target: 'departure' });
    expect([flights.rows.length, flights.errorCount]).toEqual([2000, 0]);
  });
});
