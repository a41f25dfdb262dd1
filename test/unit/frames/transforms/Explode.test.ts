import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import Explode, { type ExplodeParams } from '../../../../src/frames/transforms/Explode';
import { engineOnce, last, openRepoFile, rows, run, types } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE items AS SELECT * FROM (VALUES
    (1, ['a', 'b'], MAP {'x': 1}, {'inner': [10, 20]}),
    (2, [], NULL, {'inner': []}),
    (3, NULL, MAP {'y': 2, 'z': 3}, NULL)
  ) t(id, tags, counts, s)`);
});

const explode = (params: Partial<ExplodeParams>): Step => ({ id: 'e', kind: 'Explode', params: { column: 'tags', ...params } });
const cols = (engine: Engine, relation: string, n: number[]) => rows(engine, relation).map((r) => n.map((i) => r[i]));

describe('Explode', () => {
  it('makes one row per element, replacing the array in place when the new column keeps its name', () => {
    const out = last(run(engine, 'items', [explode({})]));
    expect(types(out.schema)).toEqual(['id:int', 'tags:string', 'counts:map<string,int>', 's:struct<inner:array<int>>']);
    expect(cols(engine, out.relation, [0, 1])).toEqual([[1, 'a'], [1, 'b']]);
  });

  it('keeps a record with a NULL or empty array once with Include NULLs (explode_outer)', () => {
    const out = last(run(engine, 'items', [explode({ outer: true })]));
    expect(cols(engine, out.relation, [0, 1])).toEqual([[1, 'a'], [1, 'b'], [2, null], [3, null]]);
  });

  it('adds a 0-based position and a new column at the end, keeping the array, when named otherwise', () => {
    const out = last(run(engine, 'items', [explode({ as: 'tag', position: 'pos', outer: true })]));
    expect(types(out.schema)).toEqual(['id:int', 'tags:array<string>', 'counts:map<string,int>', 's:struct<inner:array<int>>', 'pos:int', 'tag:string']);
    expect(cols(engine, out.relation, [0, 4, 5])).toEqual([[1, 0, 'a'], [1, 1, 'b'], [2, null, null], [3, null, null]]);
  });

  it('explodes a map into key and value columns', () => {
    const out = last(run(engine, 'items', [explode({ column: 'counts', keyColumn: 'k', position: 'i' })]));
    expect(types(out.schema)).toEqual(['id:int', 'tags:array<string>', 'counts:map<string,int>', 's:struct<inner:array<int>>', 'i:int', 'k:string', 'value:int']);
    expect(cols(engine, out.relation, [0, 4, 5, 6])).toEqual([[1, 0, 'x', 1], [3, 0, 'y', 2], [3, 1, 'z', 3]]);
  });

  it('explodes an array inside a struct by its path', () => {
    const out = last(run(engine, 'items', [explode({ column: 's.inner' })]));
    expect(types(out.schema).at(-1)).toBe('inner:int');
    expect(cols(engine, out.relation, [0, 4])).toEqual([[1, 10], [1, 20]]);
  });

  it('names what is wrong: not an array, a taken name, two new columns alike', () => {
    const schema = run(engine, 'items', []).input.schema;
    const msg = (params: Partial<ExplodeParams>) => validateStep(explode(params), { relation: 'items', schema }).filter((m) => m.severity === 'error').map((m) => m.message);
    expect(msg({ column: 'id' })).toEqual(['id is int: Explode needs an array or map column']);
    expect(msg({ as: 'id' })).toEqual(['the input has a column id already; name the new column otherwise']);
    expect(msg({ column: 'counts', keyColumn: 'v', valueColumn: 'v' })).toEqual(['two new columns are called v']);
    expect(msg({ column: 'nope' })).toEqual(['no field nope in the input']);
  });

  it('describes itself from params a link may have mangled', () => {
    expect(Explode.describe({ column: 'tags', as: 'tag', position: 'pos', outer: true }, [])).toBe('one row per element of tags as tag with its position in pos, keeping records with none');
    expect(Explode.describe({ outer: 'yes' } as never, [])).toBe('one row per element of ?');
  });

  it('explodes the characters of Les Misérables (its example)', async () => {
    const mis = await openRepoFile(engine, Explode.examples[0]!.input);
    const out = last(run(engine, mis, [{ id: 'e', kind: 'Explode', params: Explode.examples[0]!.params }]));
    expect(types(out.schema)).toEqual([
      'nodes:array<struct<name:string,group:bigint,index:bigint>>', 'links:array<struct<source:bigint,target:bigint,value:bigint>>', 'pos:int', 'node:struct<name:string,group:bigint,index:bigint>',
    ]);
    expect(out.rowCount).toBe(77);
    const all = cols(engine, out.relation, [2, 3]);
    expect(all[0]).toEqual([0, { name: 'Myriel', group: 1, index: 0 }]);
    expect(all.at(-1)).toEqual([76, { name: 'Mme.Hucheloup', group: 8, index: 76 }]);
  });
});
