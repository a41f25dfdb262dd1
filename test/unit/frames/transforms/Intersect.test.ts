import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { engineOnce } from '../helpers';
import { failure, last, run, sortedRows, types, vega } from './combine-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  // a: 1 x twice, 2 y, a NULL row twice, 3 z; b: 1 x once, NULL row once, 2 'y ' (not y), 4 w. Columns in another order.
  engine.query(`CREATE OR REPLACE TABLE ia AS SELECT * FROM (VALUES (1, 'x'), (1, 'x'), (2, 'y'), (NULL, NULL), (NULL, NULL), (3, 'z')) t(n, "s t")`);
  engine.query(`CREATE OR REPLACE TABLE ib AS SELECT * FROM (VALUES ('x', 1::BIGINT, true), (NULL, NULL, false), ('y ', 2, true), ('w', 4, true)) t("s t", n, extra)`);
  engine.query(`CREATE OR REPLACE TABLE ic AS SELECT * FROM (VALUES ('1', 'x')) t(n, "s t")`);
  engine.query(`CREATE OR REPLACE TABLE inone AS SELECT * FROM (VALUES (1)) t(other)`);
  engine.query(`CREATE OR REPLACE TABLE iempty AS SELECT * FROM ia WHERE false`);
});

const step = (other: string, all = false) => ({ id: 'i', kind: 'Intersect' as const, params: { other, all } });

describe('Intersect', () => {
  it('keeps the distinct records in both, matching columns by name; NULLs compare equal; numbers widen', () => {
    const out = last(run(engine, [step('ib')], 'ia', ['ib']));
    expect(types(out.schema)).toEqual(['n:bigint', 's t:string']);
    expect(sortedRows(engine, out.relation)).toEqual([[1, 'x'], [null, null]]);
    expect(out.messages).toEqual([{ stepId: 'i', severity: 'warning', message: 'compared on the columns both inputs have; not in the output: extra (second input)' }]);
  });

  it('with all, keeps a record as often as it is in both', () => {
    engine.query(`CREATE OR REPLACE TABLE ib2 AS SELECT * FROM ib UNION ALL SELECT 'x', 1, true UNION ALL SELECT 'x', 1, true`);
    // ia has (1, x) twice, ib2 three times: twice in the output. (NULL, NULL) twice in ia, once in ib2: once.
    expect(sortedRows(engine, last(run(engine, [step('ib2', true)], 'ia', ['ib2'])).relation)).toEqual([[1, 'x'], [1, 'x'], [null, null]]);
  });

  it('is empty when either side is', () => {
    expect(last(run(engine, [step('iempty')], 'ia', ['iempty'])).rowCount).toBe(0);
    expect(last(run(engine, [step('ia')], 'iempty', ['ia'])).rowCount).toBe(0);
  });

  it('refuses a column whose types disagree, naming both types', () => {
    expect(failure(run(engine, [step('ic')], 'ia', ['ic']))).toBe('n is int in the first input and string in the second: cast one of them first (numbers widen on their own)');
  });

  it('refuses inputs with no column name in common, and a missing second input', () => {
    expect(failure(run(engine, [step('inone')], 'ia', ['inone']))).toBe('the two inputs share no column name: set operations compare columns by name');
    expect(failure(run(engine, [step('nowhere')], 'ia'))).toBe('no table nowhere to intersect with');
  });

  it('finds the Seattle records of weather.csv in seattle-weather.csv (its example)', async () => {
    const weather = await vega(engine, 'weather.csv');
    const seattle = await vega(engine, 'seattle-weather.csv');
    const out = last(run(engine, [step(seattle)], weather, [seattle]));
    expect(out.schema.map((f) => f.name)).toEqual(['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
    expect(out.rowCount).toBe(1461);
    expect(out.messages[0]?.message).toBe('compared on the columns both inputs have; not in the output: location (first input)');
  });

  it('describes itself by the second input', () => {
    const def = transformOf('Intersect')!;
    expect(def.describe({ other: 'b', all: false }, ['a', 'weather'])).toBe('keep the distinct records also in weather');
    expect(def.describe({ other: 'b', all: true }, [])).toBe('keep the records also in b');
  });
});
