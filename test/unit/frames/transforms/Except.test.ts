import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { engineOnce } from '../helpers';
import { failure, last, run, sortedRows, types, vega } from './combine-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE ea AS SELECT * FROM (VALUES (1, 'x'), (1, 'x'), (1, 'x'), (2, 'y'), (NULL, NULL), (3, 'z')) t(n, "a.b")`);
  engine.query(`CREATE OR REPLACE TABLE eb AS SELECT * FROM (VALUES ('x', 1.0), (NULL, NULL), ('z', 3.5)) t("a.b", n)`);
  engine.query(`CREATE OR REPLACE TABLE ec AS SELECT * FROM (VALUES (DATE '2020-01-01', 'x')) t(n, "a.b")`);
});

const step = (other: string, all = false) => ({ id: 'e', kind: 'Except' as const, params: { other, all } });

describe('Except', () => {
  it('keeps the distinct records of the first input not in the second; NULLs compare equal; int and decimal widen', () => {
    const out = last(run(engine, [step('eb')], 'ea', ['eb']));
    expect(types(out.schema)).toEqual(['n:decimal(11,1)', 'a.b:string']);
    expect(sortedRows(engine, out.relation)).toEqual([['2.0', 'y'], ['3.0', 'z']]);
    expect(out.messages).toEqual([]);
  });

  it('with all, each record of the second input cancels one equal record of the first', () => {
    engine.query(`CREATE OR REPLACE TABLE eb2 AS SELECT * FROM (VALUES (1, 'x'), (3, 'z'), (3, 'z')) t(n, "a.b")`);
    expect(sortedRows(engine, last(run(engine, [step('eb2', true)], 'ea', ['eb2'])).relation)).toEqual([[1, 'x'], [1, 'x'], [2, 'y'], [null, null]]);
    expect(sortedRows(engine, last(run(engine, [step('eb2', false)], 'ea', ['eb2'])).relation)).toEqual([[2, 'y'], [null, null]]);
  });

  it('minus an empty input is the (distinct) input; an empty input minus anything is empty', () => {
    engine.query(`CREATE OR REPLACE TABLE eempty AS SELECT * FROM ea WHERE false`);
    expect(last(run(engine, [step('eempty', true)], 'ea', ['eempty'])).rowCount).toBe(6);
    expect(last(run(engine, [step('eempty')], 'ea', ['eempty'])).rowCount).toBe(4);
    expect(last(run(engine, [step('ea')], 'eempty', ['ea'])).rowCount).toBe(0);
  });

  it('refuses a column whose types disagree and a missing second input', () => {
    expect(failure(run(engine, [step('ec')], 'ea', ['ec']))).toBe('n is int in the first input and date in the second: cast one of them first (numbers widen on their own)');
    expect(failure(run(engine, [step('gone')], 'ea'))).toBe('no table gone to subtract');
  });

  it('leaves the New York records of weather.csv once the Seattle file is subtracted (its example)', async () => {
    const weather = await vega(engine, 'weather.csv');
    const seattle = await vega(engine, 'seattle-weather.csv');
    const all = last(run(engine, [step(seattle, true)], weather, [seattle]));
    expect(all.rowCount).toBe(1461);
    // Distinct: each New York record once, however often the file holds it.
    const distinct = last(run(engine, [step(seattle)], weather, [seattle]));
    expect(distinct.rowCount).toBe(Number(engine.query(`SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (location) FROM "${weather}" WHERE location = 'New York')`).rows[0]![0]));
  });

  it('describes itself by the second input', () => {
    expect(transformOf('Except')!.describe({ other: 'b', all: true }, ['a', 'seattle'])).toBe('keep the records not in seattle');
  });
});
