import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import type { SortKey } from '../../../../src/frames/transforms/OrderBy';
import { createOrders, engineOnce, rows } from '../helpers';
import { failure, last, run, vega } from './combine-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  createOrders(engine);
  engine.query(`CREATE OR REPLACE TABLE oa AS SELECT * FROM (VALUES (1, 'b', 'first b'), (NULL, 'a', 'null a'), (2, NULL, 'null s'), (1, 'a', 'first a'), (2, 'a', 'two a'), (1, 'b', 'second b')) t(n, "s.x", tag)`);
});

const step = (...sort: SortKey[]) => ({ id: 'o', kind: 'OrderBy' as const, params: { sort } });
const tags = (sort: SortKey[], input = 'oa') => rows(engine, last(run(engine, [step(...sort)], input)).relation).map((r) => r[2]);

describe('OrderBy', () => {
  it('sorts by several keys; ties keep the input order', () => {
    expect(tags([{ path: 'n', direction: 'asc', nulls: 'last' }, { path: '`s.x`', direction: 'desc', nulls: 'last' }])).toEqual(['first b', 'second b', 'first a', 'two a', 'null s', 'null a']);
  });

  it('puts NULLs where asked, both directions', () => {
    expect(tags([{ path: 'n', direction: 'asc', nulls: 'first' }]).at(0)).toBe('null a');
    expect(tags([{ path: 'n', direction: 'desc', nulls: 'first' }])).toEqual(['null a', 'null s', 'two a', 'first b', 'first a', 'second b']);
    expect(tags([{ path: 'n', direction: 'desc', nulls: 'last' }]).at(-1)).toBe('null a');
  });

  it("without a NULL placement follows Spark's defaults (first ascending, last descending), not DuckDB's (last both ways)", () => {
    expect(tags([{ path: 'n' }]).at(0)).toBe('null a');
    expect(tags([{ path: 'n', direction: 'desc' }]).at(-1)).toBe('null a');
  });

  it('sorts by a nested field', () => {
    const out = last(run(engine, [step({ path: 'address.city', direction: 'asc', nulls: 'last' })], 'orders'));
    expect(rows(engine, out.relation).map((r) => r[0])).toEqual([2, 1, 4, 3]);
  });

  it('refuses structs, arrays and choices, naming the type, and an unknown column or direction', () => {
    expect(failure(run(engine, [step({ path: 'address' })], 'orders'))).toBe('cannot sort by address: it is struct<city:string,zip:string>; sort by a field inside it');
    expect(failure(run(engine, [step({ path: 'price' })], 'orders'))).toBe('cannot sort by price: it is choice<bigint,string>; sort by a field inside it or resolve the choice first');
    expect(failure(run(engine, [step({ path: 'nope' })], 'orders'))).toBe('no field nope in the input');
    expect(failure(run(engine, [step({ path: 'id', direction: 'up' as 'asc' })], 'orders'))).toBe('the order of id must be asc or desc, not up');
    expect(failure(run(engine, [step()], 'orders'))).toBe('add at least one sort key');
  });

  it('sorts cars.json by horsepower, the cars without one last (its example)', async () => {
    const cars = await vega(engine, 'cars.json');
    const def = transformOf('OrderBy')!;
    const out = last(run(engine, [{ id: 'o', kind: 'OrderBy', params: def.examples[0]!.params as { sort: SortKey[] } }], cars));
    const hp = out.schema.findIndex((f) => f.name === 'Horsepower');
    const values = rows(engine, out.relation).map((r) => r[hp] as number | null);
    expect(values[0]).toBe(230);
    expect(values.at(-1)).toBeNull();
    const numbers = values.filter((v) => v !== null);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it('describes itself with every placement spelled out', () => {
    expect(transformOf('OrderBy')!.describe({ sort: [{ path: 'a' }, { path: 'b', direction: 'desc' }] }, [])).toBe('sort by a asc nulls first, b desc nulls last');
  });
});
