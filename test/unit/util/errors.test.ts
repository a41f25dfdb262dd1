import { describe, expect, it } from 'vitest';
import { errorMessage, WASM_FAILURE } from '../../../src/util/errors';
import { cleanError } from '../../../src/engine/engine';

const wasm = WebAssembly as unknown as { Tag: new (t: { parameters: string[] }) => object; Exception: new (tag: object, payload: unknown[]) => unknown };

describe('errorMessage', () => {
  it('says what an Error, a string and a deep-nesting RangeError mean', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new RangeError('Maximum call stack size exceeded'))).toMatch(/nests too deeply/);
  });

  it('names a WebAssembly trap instead of "[object WebAssembly.Exception]" (issue 19 attack: a failed URL read in Node said only that)', () => {
    const trap = new wasm.Exception(new wasm.Tag({ parameters: [] }), []);
    expect(String(trap)).toBe('[object WebAssembly.Exception]');
    expect(errorMessage(trap)).toBe(WASM_FAILURE);
    expect(cleanError(trap)).toMatch(/^DuckDB failed inside its WebAssembly code/);
  });
});
