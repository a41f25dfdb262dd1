import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

const sub = (params: Record<string, unknown>) => runLast(engine, [{ id: 's', kind: 'Substring', params: { path: 'iso', ...params } as never }]);

describe('Substring', () => {
  it('takes characters from a 1-based start for a length, into a new column', () => {
    const out = sub({ start: 6, length: 2, output: 'month' });
    expect(out.types.at(-1)).toBe('month:string');
    expect(col(out.rows, 8)).toEqual(['12', '', '01', '02']);
  });

  it('takes the rest without a length, in place; a start past the end is empty; NULL stays NULL', () => {
    expect(col(sub({ start: 9 }).rows, 6)).toEqual(['30', '', '03T23:59:01', '30']);
    expect(col(runLast(engine, [{ id: 's', kind: 'Substring', params: { path: '`full name`', start: 3, length: 3 } }]).rows, 1)).toEqual(['Ann', null, 'b o', 'ab\t']);
  });

  it('counts characters, not bytes', () => {
    expect(col(runLast(engine, [{ id: 's', kind: 'Substring', params: { path: '`full name`', start: 17, length: 3 } }]).rows, 1)).toEqual(['', null, 'ÉLU', '']);
  });

  it('refuses a start before 1, a negative or fractional length, and a column that is not a string', () => {
    expect(runFailure(engine, [{ id: 's', kind: 'Substring', params: { path: 'iso', start: 0 } }])).toBe('the start position must be a whole number from 1 (the first character); it is 0');
    expect(runFailure(engine, [{ id: 's', kind: 'Substring', params: { path: 'iso', start: 1, length: -1 } }])).toBe('the length must be a whole number from 0; it is -1');
    expect(runFailure(engine, [{ id: 's', kind: 'Substring', params: { path: 'iso', start: 1.5 } }])).toBe('the start position must be a whole number from 1 (the first character); it is 1.5');
    expect(runFailure(engine, [{ id: 's', kind: 'Substring', params: { path: 'iso', start: '5' as unknown as number } }])).toBe('the start position must be a whole number from 1 (the first character); it is "5"');
    expect(runFailure(engine, [{ id: 's', kind: 'Substring', params: { path: 'id', start: 1 } }])).toBe('Substring reads string columns; id is int (convert it with ApplyMapping first)');
  });

  it('describes itself with DataBrew\'s end position', () => {
    const def = transformOf('Substring')!;
    expect(def.describe({ path: 'name', start: 5, length: 4 }, [])).toBe('characters 5 to 8 of name in place');
    expect(def.describe({ path: 'name', start: 2, output: 'x' }, [])).toBe('characters 2 to the end of name into x');
  });
});
