import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import type { RoundMode } from '../../../../src/frames/transforms/Round';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

// amount: 2.675, NULL, -0.3, -2.5
const rounded = (mode: RoundMode, decimals?: number) => {
  const out = runLast(engine, [{ id: 'r', kind: 'Round', params: { path: 'amount', mode, ...(decimals === undefined ? {} : { decimals }) } }]);
  expect(out.types[3]).toBe('amount:double');
  return col(out.rows, 3);
};

describe('Round', () => {
  it('rounds x·10ⁿ half away from zero, in place; NULL stays NULL; no negative zero', () => {
    expect(rounded('round')).toEqual([3, null, 0, -3]);
    expect(rounded('round', 2)).toEqual([2.68, null, -0.3, -2.5]);
    expect(rounded('round', 1)).toEqual([2.7, null, -0.3, -2.5]);
    expect(Object.is(rounded('round')[2], -0)).toBe(false);
  });

  it('rounds the double arithmetic gives, not the printed decimal: 1.005 is stored as 1.00499999… and rounds to 1', () => {
    engine.query('CREATE OR REPLACE TABLE ties AS SELECT * FROM (VALUES (CAST(1.005 AS DOUBLE)), (-2.445), (0.285), (1.115)) t(x)');
    const out = runLast(engine, [{ id: 'r', kind: 'Round', params: { path: 'x', mode: 'round', decimals: 2 } }], 'ties');
    expect(col(out.rows, 0)).toEqual([1, -2.44, 0.28, 1.12]);
  });

  it('floors and ceils to N decimals', () => {
    expect(rounded('floor')).toEqual([2, null, -1, -3]);
    expect(rounded('ceil')).toEqual([3, null, 0, -2]);
    expect(rounded('floor', 1)).toEqual([2.6, null, -0.3, -2.5]);
    expect(rounded('ceil', 2)).toEqual([2.68, null, -0.3, -2.5]);
  });

  it('writes a new column when given one', () => {
    const out = runLast(engine, [{ id: 'r', kind: 'Round', params: { path: 'amount', mode: 'round', decimals: 0, output: 'whole' } }]);
    expect(out.types.at(-1)).toBe('whole:double');
    expect(col(out.rows, 8)).toEqual([3, null, 0, -3]);
    expect(col(out.rows, 3)).toEqual([2.675, null, -0.3, -2.5]);
  });

  it('leaves an integer column as it is, with a warning', () => {
    const out = runLast(engine, [{ id: 'r', kind: 'Round', params: { path: 'n', mode: 'ceil', decimals: 1 } }]);
    expect(col(out.rows, 7)).toEqual([7, null, -2, 0]);
    expect(out.messages).toEqual([{ stepId: 'r', column: 'n', severity: 'warning', message: 'n is int: whole numbers round to themselves' }]);
  });

  it('refuses strings, decimals, and decimals out of range', () => {
    expect(runFailure(engine, [{ id: 'r', kind: 'Round', params: { path: 'iso', mode: 'round' } }])).toBe('Round reads numeric columns; iso is string');
    expect(runFailure(engine, [{ id: 'r', kind: 'Round', params: { path: 'amount', mode: 'round', decimals: 16 } }])).toBe('decimals must be a whole number from 0 to 15; it is 16');
    expect(runFailure(engine, [{ id: 'r', kind: 'Round', params: { path: 'amount', mode: 'trunc' as 'round' } }])).toBe('unknown mode trunc (round, floor or ceil)');
    engine.query('CREATE OR REPLACE TABLE prices AS SELECT CAST(1.25 AS DECIMAL(5,2)) AS price');
    expect(runFailure(engine, [{ id: 'r', kind: 'Round', params: { path: 'price', mode: 'round' } }], 'prices')).toBe('Round reads double, float and integer columns; price is decimal(5,2) (cast it to double with ApplyMapping first)');
  });

  it('describes itself', () => {
    expect(transformOf('Round')!.describe({ path: 'wind', mode: 'ceil', decimals: 1, output: 'w' }, [])).toBe('ceil wind to 1 decimal into w');
  });
});
