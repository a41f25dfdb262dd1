import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import type { Step } from '../../../../src/frames/steps';
import ConditionalRouter, { type RouterGroup } from '../../../../src/frames/transforms/ConditionalRouter';
import { formSqlFragments } from '../../../../src/frames/transforms/form';
import { engineOnce, extraRows, failure, last, openRepoFile, rows, run } from './shape-helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE days AS SELECT * FROM (VALUES (1, 'rain', 5), (2, 'sun', NULL), (3, NULL, 12), (4, 'sun', 1)) t(id, weather, mm)`);
});

const route = (groups: RouterGroup[]): Step => ({ id: 'r', kind: 'ConditionalRouter', params: { groups } });
const wet: RouterGroup = { name: 'wet', predicate: { combine: 'or', conditions: [{ path: 'weather', op: '=', value: 'rain' }, { path: 'mm', op: '>', value: '10' }] } };
const big: RouterGroup = { name: 'big', predicate: { sql: 'mm > 3' } };

describe('ConditionalRouter', () => {
  it('puts a record in every group it matches; the records no group takes (NULL: no match) stay in the main frame', () => {
    const out = last(run(engine, 'days', [route([wet, big])]));
    expect(out.extras.map((x) => [x.name, x.rowCount])).toEqual([['wet', 2], ['big', 2]]);
    expect(extraRows(engine, out, 'wet')).toEqual([[1, 'rain', 5], [3, null, 12]]);
    expect(extraRows(engine, out, 'big')).toEqual([[1, 'rain', 5], [3, null, 12]]);
    expect(rows(engine, out.relation)).toEqual([[2, 'sun', null], [4, 'sun', 1]]);
  });

  it('lets a later step read the main frame (the default group)', () => {
    const out = last(run(engine, 'days', [route([wet]), { id: 'i', kind: 'Identifier', params: { column: 'n' } }]));
    expect(rows(engine, out.relation)).toEqual([[2, 'sun', null, 0], [4, 'sun', 1, 1]]);
  });

  it('checks each group\'s SQL condition with the SQL guard (a condition is one expression, never a statement)', () => {
    const step = route([{ name: 'bad', predicate: { sql: "true); DROP TABLE days; --" } }]);
    expect(formSqlFragments(ConditionalRouter as never, step.params)).toEqual([{ field: 'groups.0.predicate.sql', sql: 'true); DROP TABLE days; --', kind: 'expression' }]);
    expect(failure(run(engine, 'days', [step]))).toMatch(/^The expression holds a ";"/);
    expect(rows(engine, 'days').length).toBe(4);
  });

  it('names what is wrong: no group, a bad or repeated name, a missing column', () => {
    const schema = run(engine, 'days', []).input.schema;
    const msg = (groups: RouterGroup[]) => validateStep(route(groups), { relation: 'days', schema }).map((m) => m.message);
    expect(msg([])).toEqual(['add at least one output group']);
    expect(msg([{ ...wet, name: 'wet days' }])).toEqual(['name the group with letters, digits and _ (not "wet days")']);
    expect(msg([wet, wet])).toEqual(['two groups are called wet']);
    expect(msg([{ name: 'x', predicate: { combine: 'and', conditions: [{ path: 'nope', op: 'is_null' }] } }])).toEqual(['no field nope in the input']);
  });

  it('describes itself from params a link may have mangled', () => {
    expect(ConditionalRouter.describe({ groups: [wet, big] }, [])).toBe("route records to wet (weather = 'rain' or mm > '10'), big (the SQL condition below is true); the rest stay here");
    expect(ConditionalRouter.describe({ groups: 'x' } as never, [])).toBe('no groups: every record stays here');
  });

  it('routes the seattle weather (its example)', async () => {
    const weather = await openRepoFile(engine, ConditionalRouter.examples[0]!.input);
    const out = last(run(engine, weather, [{ id: 'r', kind: 'ConditionalRouter', params: ConditionalRouter.examples[0]!.params }]));
    expect(out.extras.map((x) => [x.name, x.rowCount])).toEqual([['wet', 702], ['windy', 80]]);
    expect(out.rowCount).toBe(744);
  });
});
