import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import type { Step } from '../../../../src/frames/steps';
import Identifier, { type IdentifierParams } from '../../../../src/frames/transforms/Identifier';
import { t } from '../../../../src/schema/types';
import { engineOnce, failure, last, openRepoFile, rows, run, types } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE letters AS SELECT * FROM (VALUES ('c', 5), ('a', NULL), ('b', 7), ('d', 1)) t(letter, n)`);
});

const identify = (params: IdentifierParams): Step => ({ id: 'i', kind: 'Identifier', params });

describe('Identifier', () => {
  it('numbers the records in input order from 0, as a bigint column at the end', () => {
    const out = last(run(engine, 'letters', [identify({ column: 'id' })]));
    expect(types(out.schema)).toEqual(['letter:string', 'n:int', 'id:bigint']);
    expect(rows(engine, out.relation)).toEqual([['c', 5, 0], ['a', null, 1], ['b', 7, 2], ['d', 1, 3]]);
  });

  it('counts from 1 when asked (the form writes "1"), and replaces a column of the same name in place', () => {
    const out = last(run(engine, 'letters', [identify({ column: 'n', start: '1' })]));
    expect(types(out.schema)).toEqual(['letter:string', 'n:bigint']);
    expect(rows(engine, out.relation)).toEqual([['c', 1], ['a', 2], ['b', 3], ['d', 4]]);
  });

  it('numbers the output of an earlier step without gaps', () => {
    const out = last(run(engine, 'letters', [
      { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'n', op: 'not_null' }] } } },
      identify({ column: 'row' }),
    ]));
    expect(rows(engine, out.relation)).toEqual([['c', 5, 0], ['b', 7, 1], ['d', 1, 2]]);
  });

  it('refuses an empty name and a first number other than 0 or 1', () => {
    expect(failure(run(engine, 'letters', [identify({ column: '' })]))).toBe('the new column needs a name');
    expect(failure(run(engine, 'letters', [identify({ column: 'id', start: 2 })]))).toBe('the first number is 0 or 1, not 2');
  });

  it('picks a free name by default and describes itself from mangled params', () => {
    expect(Identifier.defaults([{ name: 'id', type: t.int }], [])).toEqual({ column: 'row_id', start: 0 });
    expect(Identifier.defaults([{ name: 'id', type: t.int }, { name: 'row_id', type: t.int }], [])).toEqual({ column: 'id_2', start: 0 });
    expect(Identifier.describe({ column: 'id', start: 1 }, [])).toBe('number the records in input order in id, from 1');
    expect(Identifier.describe({ start: {} } as never, [])).toBe('number the records in input order in ?, from 0');
  });

  it('numbers the cars from 1 (its example)', async () => {
    const cars = await openRepoFile(engine, Identifier.examples[0]!.input);
    const out = last(run(engine, cars, [{ id: 'i', kind: 'Identifier', params: Identifier.examples[0]!.params }]));
    const all = rows(engine, out.relation);
    expect(all.length).toBe(406);
    expect([all[0]![0], all[0]!.at(-1)]).toEqual(['chevrolet chevelle malibu', 1]);
    expect([all[405]![0], all[405]!.at(-1)]).toEqual(['chevy s-10', 406]);
  });
});
