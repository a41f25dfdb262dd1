import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { validateStep } from '../../../../src/frames/compile';
import { transformOf } from '../../../../src/frames/transforms';
import { t } from '../../../../src/schema/types';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

const TAB = '\t';

describe('Trim', () => {
  it('removes spaces at both ends, in place, keeping the column order; NULL stays NULL; tabs stay', () => {
    const out = runLast(engine, [{ id: 't', kind: 'Trim', params: { paths: ['`full name`'], side: 'both' } }]);
    expect(out.types.slice(0, 3)).toEqual(['id:int', 'full name:string', 'address:struct<city:string,zip:string>']);
    expect(col(out.rows, 1)).toEqual(['Ann Lee', null, "bob o'NEIL. the ÉLU! ok? yes", `${TAB}tab${TAB}`]);
  });

  it('trims only leading or only trailing spaces', () => {
    const lead = runLast(engine, [{ id: 't', kind: 'Trim', params: { paths: ['`full name`'], side: 'leading' } }]);
    const trail = runLast(engine, [{ id: 't', kind: 'Trim', params: { paths: ['`full name`'], side: 'trailing' } }]);
    expect(lead.rows[0]![1]).toBe('Ann Lee  ');
    expect(trail.rows[0]![1]).toBe('  Ann Lee');
    expect(trail.rows[3]![1]).toBe(`${TAB}tab${TAB}`);
  });

  it('trims a nested field inside its struct; a NULL struct stays NULL', () => {
    const out = runLast(engine, [{ id: 't', kind: 'Trim', params: { paths: ['address.city', '`full name`'] } }]);
    expect(col(out.rows, 2)).toEqual([{ city: 'oslo', zip: '0150' }, null, { city: 'LIMA', zip: null }, { city: null, zip: null }]);
    expect(out.rows[0]![1]).toBe('Ann Lee');
  });

  it('refuses a column that is not a string rather than casting it', () => {
    expect(runFailure(engine, [{ id: 't', kind: 'Trim', params: { paths: ['amount'] } }])).toBe('Trim reads string columns; amount is double (convert it with ApplyMapping first)');
    expect(validateStep({ id: 't', kind: 'Trim', params: { paths: ['address'] } }, { relation: 'x', schema: [{ name: 'address', type: t.struct([['city', t.string]]) }] }))
      .toEqual([{ stepId: 't', column: 'address', severity: 'error', message: 'address is a struct; choose one of its fields' }]);
  });

  it('names a missing column and an empty choice', () => {
    const schema = [{ name: 'a', type: t.string }];
    expect(validateStep({ id: 't', kind: 'Trim', params: { paths: ['nope'] } }, { relation: 'x', schema })[0]!.message).toBe('no field nope in the input');
    expect(validateStep({ id: 't', kind: 'Trim', params: { paths: [] } }, { relation: 'x', schema })[0]!.message).toBe('choose at least one column');
  });

  it('describes itself and starts on the first string column', () => {
    const def = transformOf('Trim')!;
    expect(def.defaults([{ name: 'n', type: t.int }, { name: 'city name', type: t.string }], [])).toEqual({ paths: ['city name'], side: 'both' });
    expect(def.describe({ paths: ['a', 'b'], side: 'leading' }, [])).toBe('trim leading spaces of a, b');
  });
});
