import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { duckReplacement } from '../../../../src/frames/transforms/ReplaceText';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

const replaced = (params: Record<string, unknown>) => runLast(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: '`full name`', ...params } as never }]);

describe('ReplaceText', () => {
  it('replaces every occurrence of a literal text, in place; regex characters are literal', () => {
    expect(col(replaced({ pattern: ' ', value: '_' }).rows, 1)).toEqual(['__Ann_Lee__', null, "bob_o'NEIL._the_ÉLU!_ok?_yes", '\ttab\t_']);
    expect(col(replaced({ pattern: '.', value: '$1\\' }).rows, 1)).toEqual(['  Ann Lee  ', null, "bob o'NEIL$1\\ the ÉLU! ok? yes", '\ttab\t ']);
  });

  it('replaces a regular expression, with $1 naming a group and other characters literal', () => {
    const out = replaced({ pattern: '([A-Z])([a-z]+)', value: '$2$1\\1$', regex: true });
    expect(col(out.rows, 1)).toEqual(['  nnA\\1$ eeL\\1$  ', null, "bob o'NEIL. the ÉLU! ok? yes", '\ttab\t ']);
  });

  it('writes into a new column when given one, leaving the source as it is', () => {
    const out = replaced({ pattern: '\\s+', value: ' ', regex: true, output: 'clean' });
    expect(out.types.at(-1)).toBe('clean:string');
    expect(col(out.rows, 8)).toEqual([' Ann Lee ', null, "bob o'NEIL. the ÉLU! ok? yes", ' tab ']);
    expect(out.rows[0]![1]).toBe('  Ann Lee  ');
  });

  it('replaces inside a nested field', () => {
    const out = runLast(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'address.city', pattern: 'o', value: '0' } }]);
    expect(col(out.rows, 2)).toEqual([{ city: ' 0sl0 ', zip: '0150' }, null, { city: 'LIMA', zip: null }, { city: null, zip: null }]);
  });

  it('says what is wrong with the find text, the pattern, the column or the output', () => {
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: '', value: 'x' } }])).toBe('the text to find is empty');
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: '(a', value: 'x', regex: true } }])).toMatch(/^not a valid regular expression: /);
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: 'a(?=b)', value: 'x', regex: true } }])).toMatch(/lookahead and lookbehind .* not supported/);
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: '(a)\\1', value: 'x', regex: true } }])).toMatch(/back-references/);
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'n', pattern: '1', value: 'x' } }])).toBe('ReplaceText reads string columns; n is int (convert it with ApplyMapping first)');
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: '1', value: 'x', output: 'id' } }])).toBe('a column id already exists (leave the output empty to change iso in place)');
    expect(runFailure(engine, [{ id: 'r', kind: 'ReplaceText', params: { path: 'iso', pattern: '1', value: 'x', output: 'ID' } }])).toBe('a column ID already exists (leave the output empty to change iso in place)');
  });

  it('turns $n into DuckDB group references and doubles backslashes', () => {
    expect(duckReplacement('$1-\\$x')).toBe('\\1-\\\\$x');
  });

  it('describes itself', () => {
    expect(transformOf('ReplaceText')!.describe({ path: 'Name', pattern: '[0-9]', value: "'", regex: true }, [])).toBe("replace the pattern '[0-9]' with '''' in Name in place");
  });
});
