import { t } from '../../schema/types';
import { firstText, needText, rewriteInPlace, sparkInPlace } from './brew';
import { defineTransform } from './def';
import { arr, listText, str } from './text';

export type TextCase = 'upper' | 'lower' | 'capital' | 'sentence';
export interface ChangeCaseParams { paths: string[]; case: TextCase }

export const TEXT_CASES: readonly TextCase[] = ['upper', 'lower', 'capital', 'sentence'];
/** Where a sentence ends: the next character starts a new one. */
const SENTENCE_ENDS = ['. ', '! ', '? '];

// Capital and sentence case are spelled out the same way in both engines (lowercase, split at a separator,
// upper-case each piece's first character, join) rather than with Spark's initcap, which DuckDB lacks.
function duckCapitalize(expr: string, sep: string): string {
  return `array_to_string(list_transform(string_split(${expr}, '${sep}'), lambda w__: upper(w__[1:1]) || w__[2:]), '${sep}')`;
}

function sparkCapitalize(expr: string, sep: string): string {
  const regex = sep.replace(/[.?!]/g, (ch) => `\\\\${ch}`);
  return `F.array_join(F.transform(F.split(${expr}, "${regex}", -1), lambda w: F.concat(F.upper(F.substring(w, 1, 1)), F.substring(w, 2, 2147483647))), "${sep}")`;
}

export default defineTransform<'ChangeCase', ChangeCaseParams>({
  kind: 'ChangeCase',
  group: 'Text & dates',
  help: 'Change string columns to UPPER, lower, Capital Case or Sentence case, in place (DataBrew *_CASE).',
  defaults: (schema) => ({ paths: [firstText(schema)], case: 'upper' }),
  form: [
    { key: 'paths', label: 'String columns', widget: 'columns' },
    { key: 'case', label: 'Case', widget: 'select', options: TEXT_CASES },
  ],
  describe: (p) => `${str(p.case) || 'upper'} case ${listText(p.paths)}`,
  duckdb(p, c) {
    if (!TEXT_CASES.includes(p.case)) { c.error(`unknown case ${str(p.case)} (upper, lower, capital or sentence)`); return c.none(); }
    const change = (e: string): string => {
      switch (p.case) {
        case 'upper': return `upper(${e})`;
        case 'lower': return `lower(${e})`;
        case 'capital': return duckCapitalize(`lower(${e})`, ' ');
        default: return SENTENCE_ENDS.reduce((acc, sep) => duckCapitalize(acc, sep), `lower(${e})`);
      }
    };
    return rewriteInPlace(c, p.paths, (expr, type, path) => (needText(c, 'ChangeCase', path, type) ? { expr: change(expr), type: t.string } : null));
  },
  spark(p, s) {
    const change = (col: string): string => {
      switch (p.case) {
        case 'upper': return `F.upper(${col})`;
        case 'lower': return `F.lower(${col})`;
        case 'capital': return sparkCapitalize(`F.lower(${col})`, ' ');
        default: return SENTENCE_ENDS.reduce((acc, sep) => sparkCapitalize(acc, sep), `F.lower(${col})`);
      }
    };
    return { lines: sparkInPlace(s, arr(p.paths).map(str), change) };
  },
  examples: [
    { title: 'car names in capital case', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Name'], case: 'capital' } },
    { title: 'airport cities upper-cased', input: 'node_modules/vega-datasets/data/airports.csv', params: { paths: ['city', 'name'], case: 'upper' } },
    { title: 'penguin species in sentence case', input: 'node_modules/vega-datasets/data/penguins.json', params: { paths: ['Species'], case: 'sentence' } },
  ],
  docs: {
    tab: 'upper / lower change every letter; capital lower-cases the text and upper-cases the first character after each space (and at the start); sentence lower-cases it and upper-cases the first character of the text and after each ". ", "! " or "? ". In place; NULL stays NULL; a column that is not a string is an error.',
    spark: 'F.upper / F.lower; capital and sentence as split, transform and array_join, the same steps as the tab (not initcap).',
    glue: 'The PySpark body.',
    differences: 'ASCII letters agree everywhere. Beyond ASCII each engine uses its own Unicode case mapping: Spark (Java) upper-cases ß to SS where DuckDB gives ẞ, and lower-cases İ to i̇ (two characters) where DuckDB gives i; accented letters such as É/é agree.',
  },
});
