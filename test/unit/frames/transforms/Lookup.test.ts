import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import type { LookupParams } from '../../../../src/frames/transforms/Lookup';
import { createOrders, engineOnce, rows } from '../helpers';
import { failure, last, run, types, vega } from './combine-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  createOrders(engine);
  engine.query(`CREATE OR REPLACE TABLE users AS SELECT * FROM (VALUES (3, 'eu', 'ann'), (1, 'us', 'bob'), (2, 'eu', 'cy'), (NULL, 'eu', 'nobody')) t(user_id, region, who)`);
  engine.query(`CREATE OR REPLACE TABLE people AS SELECT * FROM (VALUES (1::BIGINT, 'us', 'Bob', 41), (2, 'eu', 'Cy', 35), (3, 'us', 'Ann', 29), (NULL, 'eu', 'Null', 0)) t(id, region, "full name", age)`);
  engine.query(`CREATE OR REPLACE TABLE cities AS SELECT * FROM (VALUES ('Oslo', 'NO'), ('Lima', 'PE'), ('Lima', 'PE2')) t(city, country)`);
});

const step = (p: Omit<LookupParams, 'lookup'> & { lookup?: string }) => ({ id: 'lk', kind: 'Lookup' as const, params: { lookup: 'people', ...p } });

describe('Lookup', () => {
  it('adds the taken columns where every key matches (a composite key); unmatched and NULL keys get NULLs; input order kept', () => {
    const out = last(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: 'id' }, { column: 'region', lookupColumn: 'region' }], take: [{ column: '`full name`', as: 'name' }, { column: 'age' }] })], 'users', ['people']));
    expect(types(out.schema)).toEqual(['user_id:int', 'region:string', 'who:string', 'name:string', 'age:int']);
    // ann (3, eu) does not match Ann (3, us); NULL = NULL matches nothing.
    expect(rows(engine, out.relation)).toEqual([[3, 'eu', 'ann', null, null], [1, 'us', 'bob', 'Bob', 41], [2, 'eu', 'cy', 'Cy', 35], [null, 'eu', 'nobody', null, null]]);
  });

  it('without columns to take, takes every non-key lookup column the input does not have, and says which it skipped', () => {
    const out = last(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: 'id' }] })], 'users', ['people']));
    expect(out.schema.map((f) => f.name)).toEqual(['user_id', 'region', 'who', 'full name', 'age']);
    expect(out.messages).toEqual([{ stepId: 'lk', severity: 'warning', message: 'the input already has region: not taken from the lookup table (take them with another name)' }]);
    expect(rows(engine, out.relation).map((r) => r[3])).toEqual(['Ann', 'Bob', 'Cy', null]);
  });

  it('matches on a nested input field; a key the lookup table holds twice adds one record per match, as in Glue', () => {
    const out = last(run(engine, [step({ lookup: 'cities', keys: [{ column: 'address.city', lookupColumn: 'city' }], take: [{ column: 'country' }] })], 'orders', ['cities']));
    expect(rows(engine, out.relation).map((r) => [r[0], r.at(-1)])).toEqual([[1, 'NO'], [2, 'PE'], [2, 'PE2'], [3, null], [4, null]]);
  });

  it('refuses a name the output has, keys of disagreeing types, a missing key column and a missing lookup table', () => {
    expect(failure(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: 'id' }], take: [{ column: 'region' }] })], 'users', ['people']))).toBe('the output already has a column region: give the lookup column region another name (as)');
    expect(failure(run(engine, [step({ keys: [{ column: 'who', lookupColumn: 'id' }] })], 'users', ['people']))).toBe('who is string but the lookup column id is bigint: cast one of them first');
    expect(failure(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: '' }] })], 'users', ['people']))).toBe('choose the lookup column user_id matches');
    expect(failure(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: 'nope' }] })], 'users', ['people']))).toBe('no field nope in the lookup table');
    expect(failure(run(engine, [step({ keys: [{ column: 'user_id', lookupColumn: 'id' }], take: [{ column: 'age' }, { column: '' }] })], 'users', ['people']))).toBe('choose the lookup column to take');
    expect(failure(run(engine, [step({ keys: [] })], 'users', ['people']))).toBe('add at least one key: a column of the input and the lookup column it matches');
    expect(failure(run(engine, [step({ lookup: 'gone', keys: [{ column: 'user_id', lookupColumn: 'id' }] })], 'users'))).toBe('no table gone to look up in');
  });

  it("adds each group member's age and height from lookup_people.csv (its example)", async () => {
    const groups = await vega(engine, 'lookup_groups.csv');
    const people = await vega(engine, 'lookup_people.csv');
    const def = transformOf('Lookup')!;
    const out = last(run(engine, [{ id: 'lk', kind: 'Lookup', params: { ...(def.examples[0]!.params as LookupParams), lookup: people } }], groups, [people]));
    expect(out.schema.map((f) => f.name)).toEqual(['group', 'person', 'age', 'height_cm']);
    expect(rows(engine, out.relation).slice(0, 2)).toEqual([[1, 'Alan', 25, 180], [1, 'George', 32, 174]]);
    expect(out.rowCount).toBe(9);
  });

  it('describes itself', () => {
    const def = transformOf('Lookup')!;
    expect(def.describe({ lookup: 'people', keys: [{ column: 'person', lookupColumn: 'name' }], take: [{ column: 'age', as: 'years' }] }, ['g', 'lookup_people'])).toBe('add age as years of lookup_people where person = name');
    expect(def.describe({ lookup: 'people', keys: [] }, [])).toBe('add the other columns of people where no keys');
  });
});
