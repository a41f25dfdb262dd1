import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { transformOf } from '../../../../src/frames/transforms';
import { brewEngine, col, runFailure, runLast } from './brew-support';

let engine: Engine;
beforeAll(async () => { engine = await brewEngine(); });

const cased = (c: string, path = '`full name`') => runLast(engine, [{ id: 'c', kind: 'ChangeCase', params: { paths: [path], case: c as 'upper' } }]);

describe('ChangeCase', () => {
  it('upper- and lower-cases every letter, accents included; NULL stays NULL', () => {
    expect(col(cased('upper').rows, 1)).toEqual(['  ANN LEE  ', null, "BOB O'NEIL. THE ÉLU! OK? YES", '\tTAB\t ']);
    expect(col(cased('lower').rows, 1)).toEqual(['  ann lee  ', null, "bob o'neil. the élu! ok? yes", '\ttab\t ']);
  });

  it('capital case upper-cases the first character after each space and lower-cases the rest', () => {
    expect(col(cased('capital').rows, 1)).toEqual(['  Ann Lee  ', null, "Bob O'neil. The Élu! Ok? Yes", '\ttab\t ']);
  });

  it('sentence case upper-cases the start and the character after ". ", "! " and "? "', () => {
    expect(col(cased('sentence').rows, 1)).toEqual(['  ann lee  ', null, "Bob o'neil. The élu! Ok? Yes", '\ttab\t ']);
  });

  it('changes a nested field and several columns at once', () => {
    const out = runLast(engine, [{ id: 'c', kind: 'ChangeCase', params: { paths: ['address.city', 'iso'], case: 'capital' } }]);
    expect(col(out.rows, 2)).toEqual([{ city: ' Oslo ', zip: '0150' }, null, { city: 'Lima', zip: null }, { city: null, zip: null }]);
    expect(col(out.rows, 6)).toEqual(['2024-12-30', 'Nope', '2021-01-03t23:59:01', '2012-02-30']);
  });

  it('refuses a column that is not a string and an unknown case', () => {
    expect(runFailure(engine, [{ id: 'c', kind: 'ChangeCase', params: { paths: ['day'], case: 'upper' } }])).toBe('ChangeCase reads string columns; day is date (convert it with ApplyMapping first)');
    expect(runFailure(engine, [{ id: 'c', kind: 'ChangeCase', params: { paths: ['iso'], case: 'title' as 'upper' } }])).toBe('unknown case title (upper, lower, capital or sentence)');
  });

  it('describes itself', () => {
    expect(transformOf('ChangeCase')!.describe({ paths: ['Name'], case: 'capital' }, [])).toBe('capital case Name');
  });
});
