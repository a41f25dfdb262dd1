import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import Flatten, { type FlattenParams } from '../../../../src/frames/transforms/Flatten';
import { engineOnce, last, openRepoFile, rows, run, types } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE people AS SELECT * FROM (VALUES
    (1, {'a': 1, 'b': {'c': 2, 'd': 'x'}}, [{'e': 1}]),
    (2, NULL, NULL)
  ) t(id, "the s", arr)`);
});

const flatten = (params: FlattenParams): Step => ({ id: 'f', kind: 'Flatten', params });

describe('Flatten', () => {
  it('flattens every level by default, named by the path joined with dots; arrays stay; a NULL struct gives NULLs', () => {
    const out = last(run(engine, 'people', [flatten({})]));
    expect(types(out.schema)).toEqual(['id:int', 'the s.a:int', 'the s.b.c:int', 'the s.b.d:string', 'arr:array<struct<e:int>>']);
    expect(rows(engine, out.relation)).toEqual([[1, 1, 2, 'x', [{ e: 1 }]], [2, null, null, null, null]]);
  });

  it('stops at max levels: deeper structs stay struct columns', () => {
    const out = last(run(engine, 'people', [flatten({ maxLevels: 1, separator: '_' })]));
    expect(types(out.schema)).toEqual(['id:int', 'the s_a:int', 'the s_b:struct<c:int,d:string>', 'arr:array<struct<e:int>>']);
    expect(rows(engine, out.relation)[0]).toEqual([1, 1, { c: 2, d: 'x' }, [{ e: 1 }]]);
  });

  it('refuses names that would collide, and a negative depth', () => {
    engine.query(`CREATE OR REPLACE TABLE clash AS SELECT {'b': 1} AS a, 2 AS a_b`);
    const schema = run(engine, 'clash', []).input.schema;
    expect(validateStep(flatten({ separator: '_' }), { relation: 'clash', schema }).map((m) => m.message)).toEqual(['a_b and a.b would both be named a_b; choose another separator']);
    expect(validateStep(flatten({ maxLevels: -1 }), { relation: 'clash', schema }).map((m) => m.message)).toEqual(['max levels must be a whole number, 0 or more']);
  });

  it('describes itself from params a link may have mangled', () => {
    expect(Flatten.describe({ separator: '_', maxLevels: 2 }, [])).toBe("flatten structs 2 levels deep into columns joined by '_'");
    expect(Flatten.describe({ maxLevels: 'x' } as never, [])).toBe("flatten structs into columns joined by '.'");
  });

  it('flattens the weekly weather one level deep (its example)', async () => {
    const weekly = await openRepoFile(engine, Flatten.examples[0]!.input);
    const out = last(run(engine, weekly, [{ id: 'f', kind: 'Flatten', params: Flatten.examples[0]!.params }]));
    expect(out.schema.map((f) => f.name)).toEqual(['day', 'record_high', 'record_low', 'normal_high', 'normal_low', 'actual_high', 'actual_low', 'id', 'forecast_high', 'forecast_low']);
    expect(rows(engine, out.relation)[0]).toEqual(['M', 62, 15, 50, 38, 48, 36, 0, null, null]);
  });
});
