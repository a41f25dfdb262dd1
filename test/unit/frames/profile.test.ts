import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { profileColumn, readHistogram } from '../../../src/frames/profile';
import { relationSchema } from '../../../src/frames/run';
import { createOrders, engineOnce } from './helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE m AS SELECT * FROM (VALUES
    (1, 'a', DATE '2024-01-01'), (2, 'b', DATE '2024-01-02'), (2, 'b', NULL), (NULL, 'b', DATE '2024-01-11'), (10, NULL, DATE '2024-01-11')) t(n, s, d)`);
  createOrders(engine);
});

const field = (relation: string, name: string) => relationSchema(engine, relation).find((f) => f.name === name)!;

describe('column profile', () => {
  it('numbers: nulls, distinct, min/max/mean, top values and a histogram', () => {
    const p = profileColumn(engine, 'm', field('m', 'n'), { bins: 3 });
    expect(p).toMatchObject({ column: 'n', type: 'int', kind: 'numeric', rows: 5, nulls: 1, nullPct: 20, distinct: 3, min: '1', max: '10', mean: 15 / 4 });
    expect(p.top).toEqual([{ value: '2', count: 2 }, { value: '1', count: 1 }, { value: '10', count: 1 }]);
    // Bins of width 3 over [1, 10]: 1, 2, 2 | none | 10.
    expect(p.histogram).toEqual([{ lo: 1, hi: 4, count: 3 }, { lo: 4, hi: 7, count: 0 }, { lo: 7, hi: 10, count: 1 }]);
  });

  it('top values of a number column break ties numerically (issue 15: TOP VALUES sorted 10 before 9)', () => {
    engine.query(`CREATE OR REPLACE TABLE ties AS SELECT * FROM (VALUES (10), (9), (100), (2), (2)) t(n)`);
    expect(profileColumn(engine, 'ties', field('ties', 'n')).top.map((t) => t.value)).toEqual(['2', '9', '10', '100']);
  });

  it('text: top values with stable ties, no histogram', () => {
    const p = profileColumn(engine, 'm', field('m', 's'));
    expect(p).toMatchObject({ kind: 'text', nulls: 1, distinct: 2, min: 'a', max: 'b', mean: null, histogram: null });
    expect(p.top).toEqual([{ value: 'b', count: 3 }, { value: 'a', count: 1 }]);
  });

  it('dates: histogram over epoch seconds', () => {
    const p = profileColumn(engine, 'm', field('m', 'd'), { bins: 2 });
    expect(p).toMatchObject({ kind: 'temporal', min: '2024-01-01', max: '2024-01-11' });
    expect(p.histogram!.map((b) => b.count)).toEqual([2, 2]);
  });

  it('choice and nested columns profile as text', () => {
    const p = profileColumn(engine, 'orders', field('orders', 'price'));
    expect(p).toMatchObject({ type: 'choice<bigint,string>', kind: 'nested', nulls: 1, distinct: 3, histogram: null });
    expect(p.top.map((x) => x.value)).toEqual(['1.5 USD', '5', '7']);
  });

  it('a single-valued column has one bin', () => {
    expect(readHistogram([[0, 4, 3, 3]])).toEqual([{ lo: 3, hi: 3, count: 4 }]);
  });
});
