import { defaultParams } from '../../../src/app/transform/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { compileStep, StepError, validateStep } from '../../../src/frames/compile';
import { runFrame, runFrameStrict, ThresholdError, type FrameRunResult } from '../../../src/frames/run';
import type { Step } from '../../../src/frames/steps';
import { renderType, type StructField } from '../../../src/schema/types';
import { createOrders, engineOnce, rows } from './helpers';

let engine: Engine;
let ns = 0;
beforeAll(async () => {
  engine = await engineOnce();
  createOrders(engine);
});

function run(steps: Step[], input = 'orders', extra: Partial<Parameters<typeof runFrame>[1]> = {}): FrameRunResult {
  return runFrame(engine, { input, steps, sampleRows: null, namespace: `t${++ns}`, ...extra });
}

function last(result: FrameRunResult) {
  expect(result.failure).toBeNull();
  return result.steps.at(-1)!;
}

const types = (schema: StructField[]) => schema.map((f) => `${f.name}:${renderType(f.type)}`);

describe('input schema', () => {
  it('reads a DuckDB UNION column as a Glue choice', () => {
    const r = run([]);
    expect(types(r.input.schema)).toEqual([
      'id:int', 'name:string', 'address:struct<city:string,zip:string>', 'tags:array<int>', 'price:choice<bigint,string>', 'payload:string',
    ]);
  });
});

describe('ApplyMapping', () => {
  it('renames, casts and nests; records whose cast fails go to the error frame', () => {
    const r = run([{ id: 'm', kind: 'ApplyMapping', params: { mappings: [
      { source: 'id', target: 'order_id', targetType: 'bigint' },
      { source: 'address.city', target: 'where.city', targetType: 'string' },
      { source: 'price', target: 'price', targetType: 'double' },
    ] } }]);
    const out = last(r);
    expect(types(out.schema)).toEqual(['order_id:bigint', 'where:struct<city:string>', 'price:double']);
    // Record 3 has price "1.5 USD": not a double, so it leaves the frame with a reason.
    expect(rows(engine, out.relation)).toEqual([
      [1, { city: 'Oslo' }, 5],
      [2, { city: 'Lima' }, 7],
      [4, { city: 'Pune' }, null],
    ]);
    expect(out.errorCount).toBe(1);
    expect(rows(engine, out.errorRelation!)).toEqual([['m', 'price', '1.5 USD', 'cannot cast choice<bigint,string> to double']]);
  });

  it('points at the step and column of a missing source', () => {
    const messages = validateStep({ id: 's1', kind: 'ApplyMapping', params: { mappings: [{ source: 'nope', target: 'x', targetType: 'int' }] } }, { relation: 'orders', schema: run([]).input.schema });
    expect(messages).toEqual([{ stepId: 's1', column: 'nope', severity: 'error', message: 'no field nope in the input' }]);
  });
});

describe('ResolveChoice', () => {
  it('cast:T converts each option and routes failures', () => {
    const out = last(run([{ id: 'rc', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'cast:bigint' }] } }]));
    expect(types(out.schema)).toContain('price:bigint');
    expect(rows(engine, out.relation).map((r) => [r[0], r[4]])).toEqual([[1, 5], [2, 7], [4, null]]);
    expect(rows(engine, out.errorRelation!)).toEqual([['rc', 'price', '1.5 USD', 'cannot cast choice<bigint,string> to bigint']]);
  });

  it('project:T keeps every record and nulls values that do not convert', () => {
    const out = last(run([{ id: 'rc', kind: 'ResolveChoice', params: { choice: 'project:bigint' } }]));
    expect(rows(engine, out.relation).map((r) => r[4])).toEqual([5, 7, null, null]);
    expect(out.errorCount).toBe(0);
  });

  it('make_cols splits a choice into one column per type, in place', () => {
    const out = last(run([{ id: 'rc', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'make_cols' }] } }]));
    expect(out.schema.map((f) => f.name)).toEqual(['id', 'name', 'address', 'tags', 'price_bigint', 'price_string', 'payload']);
    expect(rows(engine, out.relation).map((r) => [r[4], r[5]])).toEqual([[5, null], [null, '7'], [null, '1.5 USD'], [null, null]]);
  });

  it('make_struct turns a choice into a struct of its options', () => {
    const out = last(run([{ id: 'rc', kind: 'ResolveChoice', params: { choice: 'make_struct' } }]));
    expect(types(out.schema)).toContain('price:struct<bigint:bigint,string:string>');
    expect(rows(engine, out.relation).map((r) => r[4])).toEqual([{ bigint: 5, string: null }, { bigint: null, string: '7' }, { bigint: null, string: '1.5 USD' }, null]);
  });

  it('match_catalog casts to the catalog column type', () => {
    const out = last(run([{ id: 'rc', kind: 'ResolveChoice', params: { choice: 'match_catalog', catalogSchema: [{ name: 'price', type: 'string' }] } }]));
    expect(types(out.schema)).toContain('price:string');
    expect(rows(engine, out.relation).map((r) => r[4])).toEqual(['5', '7', '1.5 USD', null]);
  });

  it('rejects a path that is not a choice and a project type that is not an option', () => {
    const schema = run([]).input.schema;
    expect(validateStep({ id: 'x', kind: 'ResolveChoice', params: { specs: [{ path: 'name', action: 'make_cols' }] } }, { relation: 'orders', schema })[0]).toMatchObject({ column: 'name', message: 'name is not a choice type' });
    expect(validateStep({ id: 'x', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'project:double' }] } }, { relation: 'orders', schema })[0]).toMatchObject({ column: 'price' });
  });
});

describe('field steps', () => {
  it('SelectFields keeps nested paths only', () => {
    const out = last(run([{ id: 's', kind: 'SelectFields', params: { paths: ['id', 'address.city'] } }]));
    expect(rows(engine, out.relation)).toEqual([[1, { city: 'Oslo' }], [2, { city: 'Lima' }], [3, null], [4, { city: 'Pune' }]]);
  });

  it('DropFields removes a nested field and keeps a null struct null', () => {
    const out = last(run([{ id: 'd', kind: 'DropFields', params: { paths: ['address.zip', 'tags', 'price', 'payload'] } }]));
    expect(types(out.schema)).toEqual(['id:int', 'name:string', 'address:struct<city:string>']);
    expect(rows(engine, out.relation)[2]).toEqual([3, null, null]);
  });

  it('RenameField renames in place and moves across levels', () => {
    let out = last(run([{ id: 'r', kind: 'RenameField', params: { from: 'address.city', to: 'address.town' } }]));
    expect(types(out.schema)[2]).toBe('address:struct<town:string,zip:string>');
    out = last(run([{ id: 'r', kind: 'RenameField', params: { from: 'address.zip', to: 'zip' } }]));
    expect(out.schema.map((f) => f.name)).toEqual(['id', 'name', 'address', 'tags', 'price', 'payload', 'zip']);
    expect(rows(engine, out.relation).map((r) => r[6])).toEqual(['0150', null, null, '4110']);
  });

  it('SplitFields gives the chosen fields and the rest as a second output', () => {
    const out = last(run([{ id: 'sf', kind: 'SplitFields', params: { paths: ['id', 'name'] } }]));
    expect(out.schema.map((f) => f.name)).toEqual(['id', 'name']);
    expect(out.extras[0]!.schema.map((f) => f.name)).toEqual(['address', 'tags', 'price', 'payload']);
  });

  it('Unnest flattens structs into dotted columns', () => {
    const out = last(run([{ id: 'u', kind: 'Unnest', params: {} }]));
    expect(out.schema.map((f) => f.name)).toEqual(['id', 'name', 'address.city', 'address.zip', 'tags', 'price', 'payload']);
    expect(rows(engine, out.relation)[0]!.slice(0, 4)).toEqual([1, 'ann', 'Oslo', '0150']);
  });
});

describe('row steps', () => {
  it('Filter with the expression builder (and/or) and with SQL', () => {
    let out = last(run([{ id: 'f', kind: 'Filter', params: { predicate: { combine: 'or', conditions: [{ path: 'address.city', op: '=', value: 'Lima' }, { path: 'id', op: '>=', value: 4 }] } } }]));
    expect(rows(engine, out.relation).map((r) => r[0])).toEqual([2, 4]);
    out = last(run([{ id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'name', op: 'not_null' }, { path: 'price', op: 'in', value: ['5', '7'] }] } } }]));
    expect(rows(engine, out.relation).map((r) => r[0])).toEqual([1, 2]);
    out = last(run([{ id: 'f', kind: 'Filter', params: { predicate: { sql: 'len(tags) > 0' } } }]));
    expect(rows(engine, out.relation).map((r) => r[0])).toEqual([1, 4]);
  });

  it('SplitRows gives matching rows and the rest (nulls go to the rest)', () => {
    const out = last(run([{ id: 'sr', kind: 'SplitRows', params: { predicate: { combine: 'and', conditions: [{ path: 'name', op: 'starts_with', value: 'b' }] } } }]));
    expect(rows(engine, out.relation).map((r) => r[0])).toEqual([2]);
    expect(rows(engine, out.extras[0]!.relation).map((r) => r[0])).toEqual([1, 3, 4]);
  });

  it('Spigot passes everything and samples deterministically', () => {
    const out = last(run([{ id: 'sp', kind: 'Spigot', params: { topk: 2 } }]));
    expect(out.rowCount).toBe(4);
    expect(rows(engine, out.extras[0]!.relation).map((r) => r[0])).toEqual([1, 2]);
    const a = last(run([{ id: 'sp', kind: 'Spigot', params: { prob: 0.5, seed: 7 } }]));
    const b = last(run([{ id: 'sp', kind: 'Spigot', params: { prob: 0.5, seed: 7 } }]));
    expect(rows(engine, a.extras[0]!.relation)).toEqual(rows(engine, b.extras[0]!.relation));
  });

  it('DropDuplicates keeps the first record per key', () => {
    engine.query(`CREATE OR REPLACE TABLE dups AS SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (3, 'b'), (1, 'a')) t(k, v)`);
    expect(rows(engine, last(run([{ id: 'dd', kind: 'DropDuplicates', params: { paths: ['v'] } }], 'dups')).relation)).toEqual([[1, 'a'], [3, 'b']]);
    expect(rows(engine, last(run([{ id: 'dd', kind: 'DropDuplicates', params: {} }], 'dups')).relation)).toEqual([[1, 'a'], [2, 'a'], [3, 'b']]);
  });
});

describe('column steps', () => {
  it('DropNullFields drops columns that are null in every record', () => {
    engine.query(`CREATE OR REPLACE TABLE sparse AS SELECT * FROM (VALUES (1, NULL::VARCHAR, 2), (2, NULL, NULL)) t(a, b, c)`);
    const out = last(run([{ id: 'dn', kind: 'DropNullFields', params: {} }], 'sparse'));
    expect(out.schema.map((f) => f.name)).toEqual(['a', 'c']);
  });

  it('FillMissingValues adds <col>_filled with the mean, median, mode or a constant', () => {
    engine.query(`CREATE OR REPLACE TABLE gaps AS SELECT * FROM (VALUES (1, 'x'), (NULL, 'x'), (5, NULL), (6, 'y')) t(n, s)`);
    const fill = (path: string, strategy: 'mean' | 'median' | 'mode' | 'constant', value?: string) =>
      rows(engine, last(run([{ id: 'fm', kind: 'FillMissingValues', params: { path, strategy, ...(value ? { value } : {}) } }], 'gaps')).relation).map((r) => r[2]);
    expect(fill('n', 'mean')).toEqual([1, 4, 5, 6]); // (1+5+6)/3
    expect(fill('n', 'median')).toEqual([1, 5, 5, 6]);
    expect(fill('s', 'mode')).toEqual(['x', 'x', 'x', 'y']);
    expect(fill('n', 'constant', '0')).toEqual([1, 0, 5, 6]);
  });

  it('Derived adds a typed column; values that do not cast are error records', () => {
    const out = last(run([{ id: 'dv', kind: 'Derived', params: { name: 'id_x', sql: "CASE WHEN id = 2 THEN 'bad' ELSE CAST(id * 10 AS VARCHAR) END", type: 'int' } }]));
    expect(rows(engine, out.relation).map((r) => r[6])).toEqual([10, 30, 40]);
    expect(rows(engine, out.errorRelation!)).toEqual([['dv', 'id_x', 'bad', 'cannot cast to int']]);
  });

  it('Unbox parses JSON and CSV strings into structs', () => {
    let out = last(run([{ id: 'ub', kind: 'Unbox', params: { path: 'payload', format: 'json', type: 'struct<a:int,b:string>' } }]));
    expect(rows(engine, out.relation).map((r) => r[5])).toEqual([{ a: 1, b: 'x' }, null, { a: 2, b: 'y' }]);
    expect(rows(engine, out.errorRelation!)).toEqual([['ub', 'payload', 'nope', 'not JSON of type struct<a:int,b:string> (or holds escaped characters)']]);
    engine.query(`CREATE OR REPLACE TABLE packed AS SELECT * FROM (VALUES (1, '3|red'), (2, 'x|blue'), (3, NULL)) t(id, v)`);
    out = last(run([{ id: 'ub', kind: 'Unbox', params: { path: 'v', format: 'csv', delimiter: '|', type: 'struct<n:int,color:string>' } }], 'packed'));
    expect(rows(engine, out.relation)).toEqual([[1, { n: 3, color: 'red' }], [3, null]]);
    expect(rows(engine, out.errorRelation!)).toEqual([['ub', 'v.n', 'x', 'cannot cast string to int']]);
  });
});

describe('multi-frame steps', () => {
  it('Join on keys, keeping a shared key once', () => {
    engine.query(`CREATE OR REPLACE TABLE cities AS SELECT * FROM (VALUES ('Oslo', 'NO'), ('Lima', 'PE')) t(city, country)`);
    const out = last(run([
      { id: 'u', kind: 'Unnest', params: {} },
      { id: 'j', kind: 'Join', params: { right: 'cities', leftKeys: ['`address.city`'], rightKeys: ['city'], how: 'left' } },
    ], 'orders', { relations: ['cities'] }));
    expect(out.schema.map((f) => f.name)).toEqual(['id', 'name', 'address.city', 'address.zip', 'tags', 'price', 'payload', 'city', 'country']);
    expect(rows(engine, out.relation).map((r) => [r[0], r[8]])).toEqual([[1, 'NO'], [2, 'PE'], [3, null], [4, null]]);
  });

  it('Union merges schemas by name; disagreeing types become a choice', () => {
    engine.query(`CREATE OR REPLACE TABLE u1 AS SELECT * FROM (VALUES (1, 'a')) t(k, v)`);
    engine.query(`CREATE OR REPLACE TABLE u2 AS SELECT * FROM (VALUES ('z', 2.5)) t(k, w)`);
    const out = last(run([{ id: 'un', kind: 'Union', params: { other: 'u2' } }], 'u1', { relations: ['u2'] }));
    expect(types(out.schema)).toEqual(['k:choice<int,string>', 'v:string', 'w:decimal(2,1)']);
    expect(rows(engine, out.relation)).toEqual([[1, 'a', null], ['z', null, '2.5']]);
  });

  it('Relationalize flattens structs and moves arrays to child tables keyed by id', () => {
    const out = last(run([{ id: 're', kind: 'Relationalize', params: { rootName: 'root' } }]));
    expect(types(out.schema)).toEqual(['id:int', 'name:string', 'address.city:string', 'address.zip:string', 'tags:bigint', 'price:choice<bigint,string>', 'payload:string']);
    expect(rows(engine, out.relation).map((r) => r[4])).toEqual([1, 2, null, 4]);
    const child = out.extras[0]!;
    expect(child.name).toBe('root_tags');
    expect(rows(engine, child.relation)).toEqual([[1, 0, 10], [1, 1, 20], [4, 0, 30]]);
  });

  it('after Relationalize a later step addresses a flattened column as address.city, `address.city` or by its default (issue 15: "no field customer.name in the input")', () => {
    const re: Step = { id: 're', kind: 'Relationalize', params: { rootName: 'root' } };
    const relationalized = last(run([re]));
    const byDefault = defaultParams('Aggregate', relationalized.schema);
    for (const groupBy of [['address.city'], ['`address.city`'], byDefault.groupBy]) {
      const out = last(run([re, { id: 'ag', kind: 'Aggregate', params: { groupBy, aggregations: [{ fn: 'count' }, { fn: 'max', path: 'address.zip' }] } }]));
      expect(out.schema.map((f) => f.name), JSON.stringify(groupBy)).toEqual(groupBy === byDefault.groupBy ? [byDefault.groupBy[0]!.replace(/`/g, ''), 'count', 'max_address.zip'] : ['address.city', 'count', 'max_address.zip']);
    }
    const selected = last(run([re, { id: 'sf', kind: 'SelectFields', params: defaultParams('SelectFields', relationalized.schema.slice(2)) }]));
    expect(selected.schema.map((f) => f.name)).toEqual(['address.city', 'address.zip']);
  });

  it('Aggregate groups and aggregates with Spark result types', () => {
    engine.query(`CREATE OR REPLACE TABLE sales AS SELECT * FROM (VALUES ('n', 1), ('s', 2), ('n', 3), ('s', NULL)) t(region, qty)`);
    const out = last(run([{ id: 'ag', kind: 'Aggregate', params: { groupBy: ['region'], aggregations: [{ fn: 'count' }, { fn: 'sum', path: 'qty' }, { fn: 'avg', path: 'qty', as: 'mean' }, { fn: 'count_distinct', path: 'qty' }] } }], 'sales'));
    expect(types(out.schema)).toEqual(['region:string', 'count:bigint', 'sum_qty:bigint', 'mean:double', 'count_distinct_qty:bigint']);
    expect(rows(engine, out.relation)).toEqual([['n', 2, 4, 2, 2], ['s', 2, 2, 2, 1]]);
  });

  it('a free SQL step reads its input as `input`', () => {
    const out = last(run([{ id: 'q', kind: 'Sql', params: { sql: 'SELECT id * 2 AS twice FROM input WHERE id < 3;' } }]));
    expect(rows(engine, out.relation)).toEqual([[2], [4]]);
    const withCte = last(run([{ id: 'q', kind: 'Sql', params: { sql: 'WITH small AS (SELECT id FROM input WHERE id < 3) SELECT count(*) AS n FROM small' } }]));
    expect(rows(engine, withCte.relation)).toEqual([[2]]);
  });
});

describe('failures and thresholds', () => {
  it('a SQL error stops the run at its step', () => {
    const r = run([{ id: 'ok', kind: 'DropFields', params: { paths: ['payload'] } }, { id: 'bad', kind: 'Filter', params: { predicate: { sql: 'nope > 1' } } }]);
    expect(r.steps).toHaveLength(1);
    expect(r.failure).toMatchObject({ stepId: 'bad', kind: 'sql', column: 'nope' });
  });

  it('stageThreshold and totalThreshold fail the run with a specific error', () => {
    const cast: Step = { id: 'c1', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'cast:bigint' }], stageThreshold: 0 } };
    expect(run([cast]).failure).toEqual({ stepId: 'c1', kind: 'stageThreshold', message: '1 error record exceeds stageThreshold 0' });
    const ok = { ...cast, params: { ...cast.params, stageThreshold: 1 } } as Step;
    expect(run([ok]).failure).toBeNull();
    const two: Step = { id: 'c2', kind: 'ApplyMapping', params: { mappings: [{ source: 'name', target: 'n', targetType: 'int' }] } };
    const r = run([ok, two], 'orders', { totalThreshold: 2 });
    expect(r.totalErrors).toBe(4); // 1 bad price (record 3), then ann, bob and dan are not ints
    expect(r.failure).toEqual({ stepId: 'c2', kind: 'totalThreshold', message: '4 error records in the run so far exceed totalThreshold 2' });
    expect(() => runFrameStrict(engine, { input: 'orders', steps: [ok, two], sampleRows: null, namespace: 'strict', totalThreshold: 2 })).toThrow(ThresholdError);
    expect(() => runFrameStrict(engine, { input: 'orders', steps: [ok, two], sampleRows: null, namespace: 'strict', totalThreshold: 2 })).toThrow('c2: 4 error records in the run so far exceed totalThreshold 2');
  });

  it('compileStep throws a StepError listing every problem', () => {
    expect(() => compileStep({ id: 'x', kind: 'SelectFields', params: { paths: ['a', 'b'] } }, { relation: 'orders', schema: [] })).toThrow(StepError);
  });

  it('a sample run works on the first N rows and says so', () => {
    const r = run([], 'orders', { sampleRows: 2 });
    expect(r.sampled).toBe(true);
    expect(r.input.rowCount).toBe(2);
  });
});

describe('Relationalize, nested arrays', () => {
  it('recurses: arrays inside array elements become grandchild tables keyed by the child row', () => {
    engine.query(`CREATE OR REPLACE TABLE carts AS SELECT * FROM (VALUES
      (7, [{'sku': 'a', 'tags': ['x', 'y']}, {'sku': 'b', 'tags': []}]),
      (8, NULL),
      (9, [{'sku': 'c', 'tags': ['z']}])
    ) t(cart, items)`);
    const out = last(run([{ id: 're', kind: 'Relationalize', params: {} }], 'carts'));
    expect(rows(engine, out.relation)).toEqual([[7, 1], [8, null], [9, 3]]);
    expect(out.extras.map((x) => x.name)).toEqual(['root_items', 'root_items.val.tags']);
    const items = out.extras[0]!;
    expect(items.schema.map((f) => f.name)).toEqual(['id', 'index', 'items.val.sku', 'items.val.tags']);
    // Child rows are numbered 1..3 in (id, index) order; their tags column holds that number.
    expect(rows(engine, items.relation)).toEqual([[1, 0, 'a', 1], [1, 1, 'b', 2], [3, 0, 'c', 3]]);
    expect(rows(engine, out.extras[1]!.relation)).toEqual([[1, 0, 'x'], [1, 1, 'y'], [3, 0, 'z']]);
    expect(out.extras[1]!.schema.map((f) => f.name)).toEqual(['id', 'index', 'items.val.tags.val']);
  });
});
