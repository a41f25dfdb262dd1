import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { engineOnce, rows } from '../helpers';
import { failure, last, run, vega } from './combine-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  // Not sorted by any column: Limit must keep the input order, not a sorted one.
  engine.query(`CREATE OR REPLACE TABLE la AS SELECT * FROM (VALUES (5, 'e'), (1, NULL), (4, 'd'), (2, 'b')) t(n, s)`);
});

const step = (count: unknown) => ({ id: 'l', kind: 'Limit' as const, params: { count } as { count: number } });

describe('Limit', () => {
  it('keeps the first N records in input order', () => {
    expect(rows(engine, last(run(engine, [step(2)], 'la')).relation)).toEqual([[5, 'e'], [1, null]]);
  });

  it('keeps none for 0 and all when N exceeds the input', () => {
    expect(last(run(engine, [step(0)], 'la')).rowCount).toBe(0);
    expect(rows(engine, last(run(engine, [step(100)], 'la')).relation)).toEqual([[5, 'e'], [1, null], [4, 'd'], [2, 'b']]);
  });

  it('after OrderBy, keeps the top N of the sort', () => {
    const out = last(run(engine, [{ id: 'o', kind: 'OrderBy', params: { sort: [{ path: 'n', direction: 'desc', nulls: 'last' }] } }, step(2)], 'la'));
    expect(rows(engine, out.relation)).toEqual([[5, 'e'], [4, 'd']]);
  });

  it('refuses a count that is not a whole number of 0 or more', () => {
    expect(failure(run(engine, [step(-1)], 'la'))).toBe('the number of records must be a whole number of 0 or more, not -1');
    expect(failure(run(engine, [step(2.5)], 'la'))).toBe('the number of records must be a whole number of 0 or more, not 2.5');
    expect(failure(run(engine, [step('3; DROP TABLE la')], 'la'))).toBe('the number of records must be a whole number of 0 or more, not "3; DROP TABLE la"');
    expect(failure(run(engine, [step(undefined)], 'la'))).toBe('the number of records must be a whole number of 0 or more, not null');
  });

  it('keeps the first 25 airports of airports.csv (its example)', async () => {
    const airports = await vega(engine, 'airports.csv');
    const out = last(run(engine, [step(25)], airports));
    expect(out.rowCount).toBe(25);
    expect(rows(engine, out.relation).map((r) => r[0]).slice(0, 3)).toEqual(['00M', '00R', '00V']);
  });

  it('describes itself', () => {
    expect(transformOf('Limit')!.describe({ count: 10 }, [])).toBe('keep the first 10 records');
  });
});
