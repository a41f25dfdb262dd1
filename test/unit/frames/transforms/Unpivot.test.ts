import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import Unpivot, { unpivotType, type UnpivotParams } from '../../../../src/frames/transforms/Unpivot';
import { renderType, t } from '../../../../src/schema/types';
import { engineOnce, last, openRepoFile, rows, run, types } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE months AS SELECT * FROM (VALUES
    (1, 10, 20::BIGINT, 'x', 1.5::DOUBLE, DATE '2024-01-02'), (2, NULL, 30::BIGINT, NULL, NULL, NULL)
  ) t(id, "jan sales", feb, note, rate, day)`);
});

const unpivot = (params: Partial<UnpivotParams>): Step => ({ id: 'u', kind: 'Unpivot', params: { columns: ['`jan sales`', 'feb'], ...params } });

describe('Unpivot', () => {
  it('turns each chosen column into a (name, value) row in input then column order, NULLs kept, ints widened to bigint', () => {
    const out = last(run(engine, 'months', [unpivot({})]));
    expect(types(out.schema)).toEqual(['id:int', 'note:string', 'rate:double', 'day:date', 'name:string', 'value:bigint']);
    expect(rows(engine, out.relation).map((r) => [r[0], r[4], r[5]])).toEqual([[1, 'jan sales', 10], [1, 'feb', 20], [2, 'jan sales', null], [2, 'feb', 30]]);
  });

  it('names the two new columns as asked, and mixes numbers as double', () => {
    const out = last(run(engine, 'months', [unpivot({ columns: ['feb', 'rate'], namesColumn: 'measure', valuesColumn: 'amount' })]));
    expect(types(out.schema).slice(-2)).toEqual(['measure:string', 'amount:double']);
    expect(rows(engine, out.relation).map((r) => r.slice(-2))).toEqual([['feb', 20], ['rate', 1.5], ['feb', 30], ['rate', null]]);
  });

  it('keeps values of unlike types as text and warns', () => {
    const out = last(run(engine, 'months', [unpivot({ columns: ['note', 'day'] })]));
    expect(types(out.schema).slice(-1)).toEqual(['value:string']);
    expect(rows(engine, out.relation).map((r) => r.slice(-2))).toEqual([['note', 'x'], ['day', '2024-01-02'], ['note', null], ['day', null]]);
    expect(out.messages.map((m) => m.message)).toEqual(['the values (string, date) are kept as text']);
  });

  it('merges types the way the docs say', () => {
    expect(renderType(unpivotType([t.int, t.bigint]))).toBe('bigint');
    expect(renderType(unpivotType([t.int, t.double]))).toBe('double');
    expect(renderType(unpivotType([t.decimal(5, 2), t.decimal(10, 0)]))).toBe('decimal(12,2)');
    expect(renderType(unpivotType([t.date, t.timestamp]))).toBe('timestamp');
    expect(renderType(unpivotType([t.boolean, t.int]))).toBe('string');
    expect(renderType(unpivotType([t.struct([['a', t.int]]), t.struct([['a', t.int]])]))).toBe('struct<a:int>');
  });

  it('names what is wrong: nothing chosen, a nested path, a missing column, a name clash', () => {
    const schema = run(engine, 'months', []).input.schema;
    const msg = (params: Partial<UnpivotParams>) => validateStep(unpivot(params), { relation: 'months', schema }).filter((m) => m.severity === 'error').map((m) => m.message);
    expect(msg({ columns: [] })).toEqual(['choose at least one column to unpivot']);
    expect(msg({ columns: ['id.x'] })).toEqual(['id.x is not a top-level column']);
    expect(msg({ columns: ['nope'] })).toEqual(['no column nope in the input']);
    expect(msg({ columns: ['feb', 'feb'] })).toEqual(['feb is listed twice']);
    expect(msg({ namesColumn: 'note' })).toEqual(['the input keeps a column note already; name the names column otherwise']);
    expect(msg({ namesColumn: 'v', valuesColumn: 'v' })).toEqual(['the names and values columns are both called v']);
  });

  it('describes itself from params a link may have mangled', () => {
    expect(Unpivot.describe(unpivot({}).params as UnpivotParams, [])).toBe('unpivot `jan sales`, feb into rows of name and value');
    expect(Unpivot.describe({ columns: 'x' } as never, [])).toBe('unpivot nothing into rows of name and value');
  });

  it('unpivots the seattle weather measures (its example)', async () => {
    const weather = await openRepoFile(engine, Unpivot.examples[0]!.input);
    const out = last(run(engine, weather, [{ id: 'u', kind: 'Unpivot', params: Unpivot.examples[0]!.params }]));
    expect(types(out.schema)).toEqual(['date:date', 'weather:string', 'measure:string', 'amount:double']);
    expect(out.rowCount).toBe(1461 * 4);
    expect(rows(engine, out.relation).slice(0, 5).map((r) => r.slice(1))).toEqual([
      ['drizzle', 'precipitation', 0], ['drizzle', 'temp_max', 12.8], ['drizzle', 'temp_min', 5], ['drizzle', 'wind', 4.7], ['rain', 'precipitation', 10.9],
    ]);
  });
});
