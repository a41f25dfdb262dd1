import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import Pivot, { type PivotParams } from '../../../../src/frames/transforms/Pivot';
import { engineOnce, failure, last, openRepoFile, rows, run, types } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE sales AS SELECT * FROM (VALUES
    ('EU', 'a', 1, 10.0::DOUBLE), ('EU', 'b', 2, 20.0), ('EU', 'a', 3, NULL), ('US', 'a', 4, 5.5), (NULL, 'b', 5, 1.0), ('US', 'c', 6, 2.0)
  ) t(region, "product line", qty, amount)`);
});

const pivot = (params: Partial<PivotParams>): Step => ({ id: 'p', kind: 'Pivot', params: { pivotColumn: '`product line`', values: [{ value: 'a' }, { value: 'b' }], aggFunction: 'sum', aggColumn: 'qty', groupBy: ['region'], ...params } });

describe('Pivot', () => {
  it('sums per group and listed value, groups ordered with NULL last, a value no record holds is NULL', () => {
    const out = last(run(engine, 'sales', [pivot({})]));
    expect(types(out.schema)).toEqual(['region:string', 'a:bigint', 'b:bigint']);
    expect(rows(engine, out.relation)).toEqual([['EU', 4, 2], ['US', 4, null], [null, null, 5]]);
  });

  it('counts 0 where a group has no record of a value, and counts rows without a column', () => {
    const counted = last(run(engine, 'sales', [pivot({ aggFunction: 'count', aggColumn: 'amount' })]));
    expect(rows(engine, counted.relation)).toEqual([['EU', 1, 1], ['US', 1, 0], [null, 0, 1]]);
    const rowsCounted = last(run(engine, 'sales', [pivot({ aggFunction: 'count', aggColumn: undefined })]));
    expect(rows(engine, rowsCounted.relation)).toEqual([['EU', 2, 1], ['US', 1, 0], [null, 0, 1]]);
  });

  it('groups by every other top-level column when no group is given (Glue\'s way)', () => {
    const out = last(run(engine, 'sales', [pivot({ groupBy: [], aggFunction: 'max', aggColumn: 'qty', values: ['a'] })]));
    expect(types(out.schema)).toEqual(['region:string', 'amount:double', 'a:int']);
    expect(rows(engine, out.relation)).toEqual([
      ['EU', 10, 1], ['EU', 20, null], ['EU', null, 3], ['US', 2, null], ['US', 5.5, 4], [null, 1, null],
    ]);
  });

  it('casts the listed text to the pivot column\'s type and names columns by it; groups by a name with a space', () => {
    const out = last(run(engine, 'sales', [pivot({ pivotColumn: 'qty', values: [{ value: '1' }, { value: '4' }], aggFunction: 'avg', aggColumn: 'amount' })]));
    expect(types(out.schema)).toEqual(['region:string', '1:double', '4:double']);
    expect(rows(engine, out.relation)).toEqual([['EU', 10, null], ['US', null, 5.5], [null, null, null]]);
    const dotted = last(run(engine, 'sales', [pivot({ values: [{ value: 'a' }], groupBy: [], aggColumn: undefined, aggFunction: 'count', pivotColumn: 'region' })]));
    expect(dotted.schema.map((f) => f.name)).toEqual(['product line', 'qty', 'amount', 'a']);
  });

  it('runs with no values yet (a new step) and says what to list', () => {
    const out = last(run(engine, 'sales', [pivot({ values: [] })]));
    expect(rows(engine, out.relation)).toEqual([['EU'], ['US'], [null]]);
    expect(out.messages).toEqual([{ stepId: 'p', severity: 'warning', column: '`product line`', message: 'list the values of `product line` that become columns' }]);
  });

  it('names what is wrong: a non-numeric sum, a value of the wrong type, a value twice, a value naming a group, a missing column', () => {
    const schema = run(engine, 'sales', []).input.schema;
    const msg = (params: Partial<PivotParams>) => validateStep(pivot(params), { relation: 'sales', schema }).filter((m) => m.severity === 'error').map((m) => m.message);
    expect(msg({ aggColumn: 'region' })).toEqual(['sum needs a numeric column; region is string']);
    expect(msg({ pivotColumn: 'qty', values: ['x'] })).toEqual(["'x' is not a int value of qty"]);
    expect(msg({ values: ['a', 'a'] })).toEqual(["the value 'a' is listed twice"]);
    expect(msg({ values: ['region'] })).toEqual(["the value 'region' would name a column the group by already has"]);
    expect(msg({ pivotColumn: 'nope' })).toEqual(['no field nope in the input']);
    expect(msg({ aggColumn: undefined, aggFunction: 'min' })).toEqual(['min needs an aggregation column']);
    expect(failure(run(engine, 'sales', [pivot({ aggFunction: 'median' as never })]))).toBe('unknown aggregation median (one of count, count_distinct, sum, avg, min, max)');
  });

  it('describes itself from params a link may have mangled', () => {
    expect(Pivot.describe(pivot({}).params as PivotParams, [])).toBe('sum(qty) for each of a, b of `product line` as columns, by region');
    expect(Pivot.describe({ values: 'x' } as never, [])).toBe('count(*) for each of nothing of ? as columns, by every other column');
  });

  it('pivots barley yields by year (its example)', async () => {
    const barley = await openRepoFile(engine, Pivot.examples[0]!.input);
    const out = last(run(engine, barley, [{ id: 'p', kind: 'Pivot', params: Pivot.examples[0]!.params }]));
    expect(types(out.schema)).toEqual(['variety:string', 'site:string', '1931:double', '1932:double']);
    expect(out.rowCount).toBe(60);
    const all = rows(engine, out.relation);
    expect(all[0]).toEqual(['Glabron', 'Crookston', 38.13333, 26.16667]);
    expect(all.at(-1)).toEqual(['Wisconsin No. 38', 'Waseca', 58.8, 58.16667]);
  });
});
