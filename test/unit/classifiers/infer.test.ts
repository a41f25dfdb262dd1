import { describe, expect, it } from 'vitest';
import { renderType } from '../../../src/schema/types';
import { ColumnStats, inferText } from '../../../src/classifiers/infer';

function column(values: string[], keepDecimals = false) {
  const st = new ColumnStats();
  for (const v of values) st.add(v, 0, v.length);
  const r = st.result({ keepDecimals });
  return { type: renderType(r.type), format: r.format };
}

describe('text type inference', () => {
  it('types single values', () => {
    const cases: [string, string][] = [
      ['42', 'bigint'], ['-7', 'bigint'], ['3.14', 'double'], ['1e10', 'double'], ['.5', 'double'], ['12.50', 'double'],
      ['true', 'boolean'], ['FALSE', 'boolean'], ['2024-02-29', 'date'], ['2023-02-29', 'string'],
      ['2024-01-02 03:04:05', 'timestamp'], ['2024-01-02T03:04:05.123Z', 'timestamp'], ['2024-01-02T03:04:05+01:00', 'timestamp'],
      ['hello', 'string'], ['007', 'string'], ['1,234', 'string'], ['12:30', 'string'], ['NaN', 'string'], ['', 'string'],
      ['99999999999999999999', 'decimal(38,0)'], ['9223372036854775807', 'bigint'], ['-', 'string'], ['+', 'string'], ['1.2.3', 'string'],
    ];
    for (const [v, ty] of cases) expect(renderType(inferText(v).type), v).toBe(ty);
  });

  it('treats empty, \\N and NULL as null and types the rest', () => {
    expect(column(['', '1', '\\N', 'NULL', '2'])).toEqual({ type: 'bigint', format: undefined });
    expect(column(['', ''])).toEqual({ type: 'string', format: undefined });
  });

  it('widens integers to double; fixed-scale money is double as in Glue, decimal with keepDecimals; mixed scales double', () => {
    expect(column(['1', '2.5'])).toEqual({ type: 'double', format: undefined });
    expect(column(['10.00', '3.50', '7.25'])).toEqual({ type: 'double', format: undefined });
    expect(column(['10.00', '3.50', '7.25'], true)).toEqual({ type: 'decimal(18,2)', format: undefined });
    expect(column(['10.5', '3.25'], true)).toEqual({ type: 'double', format: undefined });
    expect(column(['10.5', '3.25'])).toEqual({ type: 'double', format: undefined });
    expect(column(['1.25', '2.75'])).toEqual({ type: 'double', format: undefined });
    expect(column(['1', 'x'])).toEqual({ type: 'string', format: undefined });
  });

  it('resolves US versus EU slash dates per column and records the format', () => {
    expect(column(['03/04/2024', '12/31/2024'])).toEqual({ type: 'date', format: '%m/%d/%Y' });
    expect(column(['03/04/2024', '31/12/2024'])).toEqual({ type: 'date', format: '%d/%m/%Y' });
    expect(column(['13/04/2024', '04/13/2024'])).toEqual({ type: 'string', format: undefined });
    expect(column(['31.12.2024', '01.02.2024'])).toEqual({ type: 'date', format: '%d.%m.%Y' });
    expect(column(['31.12.2024 10:00:00'])).toEqual({ type: 'timestamp', format: '%d.%m.%Y %H:%M:%S' });
    expect(column(['2024-01-01', '2024-01-02 10:00:00'])).toEqual({ type: 'timestamp', format: undefined });
    expect(column(['2024-01-01', '01/02/2024'])).toEqual({ type: 'string', format: undefined });
  });

  it('reads year-first dates with slashes or dots (issue 17: vega github.csv and loghub dates were strings where DuckDB says TIMESTAMP/DATE)', () => {
    expect(column(['2015/01/01 01:00:00', '2015/01/01 04:00:00'])).toEqual({ type: 'timestamp', format: '%Y/%m/%d %H:%M:%S' });
    expect(column(['2005.11.09', '2005.06.03'])).toEqual({ type: 'date', format: '%Y.%m.%d' });
    expect(column(['2005.13.09'])).toEqual({ type: 'string', format: undefined });
    expect(column(['2005.11', '1438.359985'])).toEqual({ type: 'double', format: undefined });
    expect(column(['2005.11.09', '2005/11/09'])).toEqual({ type: 'string', format: undefined });
  });
});
