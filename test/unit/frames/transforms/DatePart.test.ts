import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import type { DatePartName } from '../../../../src/frames/transforms/DatePart';
import { t } from '../../../../src/schema/types';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

const part = (path: string, p: DatePartName) => {
  const out = runLast(engine, [{ id: 'd', kind: 'DatePart', params: { path, part: p, output: 'part' } }]);
  expect(out.types.at(-1)).toBe('part:int');
  return col(out.rows, 8);
};

// The table's dates: 2024-03-10 (a Sunday), NULL, 2021-01-03 (a Sunday, in ISO week 53 of 2020), 2020-02-29 (a Saturday).
describe('DatePart', () => {
  it('reads the calendar parts of a date', () => {
    expect(part('day', 'year')).toEqual([2024, null, 2021, 2020]);
    expect(part('day', 'quarter')).toEqual([1, null, 1, 1]);
    expect(part('day', 'month')).toEqual([3, null, 1, 2]);
    expect(part('day', 'day')).toEqual([10, null, 3, 29]);
    expect(part('day', 'day_of_year')).toEqual([70, null, 3, 60]);
  });

  it('numbers weekdays ISO-style (1 = Monday … 7 = Sunday) and weeks by ISO 8601', () => {
    expect(part('day', 'weekday')).toEqual([7, null, 7, 6]);
    expect(part('day', 'week_of_year')).toEqual([10, null, 53, 9]);
  });

  it('reads hours, minutes and whole seconds of a timestamp', () => {
    expect(part('at', 'hour')).toEqual([14, null, 0, 9]);
    expect(part('at', 'minute')).toEqual([5, null, 0, 30]);
    expect(part('at', 'second')).toEqual([9, null, 0, 0]);
  });

  it('reads ISO text (date, or date and time with T or a space); other text and impossible dates give NULL', () => {
    expect(part('iso', 'day')).toEqual([30, null, 3, null]);
    expect(part('iso', 'week_of_year')).toEqual([1, null, 53, null]);
    expect(part('iso', 'hour')).toEqual([0, null, 23, null]);
  });

  it('refuses time parts of a date, a column that is no date, and an unknown part', () => {
    expect(runFailure(engine, [{ id: 'd', kind: 'DatePart', params: { path: 'day', part: 'hour', output: 'h' } }])).toBe('day is a date: it has no hour');
    expect(runFailure(engine, [{ id: 'd', kind: 'DatePart', params: { path: 'amount', part: 'year', output: 'y' } }])).toBe('DatePart reads a date, a timestamp or ISO date text; amount is double');
    expect(runFailure(engine, [{ id: 'd', kind: 'DatePart', params: { path: 'day', part: 'fortnight' as 'day', output: 'y' } }])).toMatch(/^unknown part fortnight \(year, quarter, /);
  });

  it('starts on the first date column and describes itself', () => {
    const def = transformOf('DatePart')!;
    expect(def.defaults([{ name: 'id', type: t.int }, { name: 'when', type: t.date }], [])).toEqual({ path: 'when', part: 'year', output: 'when_year' });
    expect(def.describe({ path: 'date', part: 'week_of_year', output: 'week' }, [])).toBe('week of year of date into week');
  });
});
