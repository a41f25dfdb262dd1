import { t } from '../../schema/types';
import { pathLabel } from './kit';
import { firstText, intoText, needText, rewriteTo, shown, sparkTo } from './brew';
import { defineTransform } from './def';
import { str } from './text';

export interface SubstringParams { path: string; start: number; length?: number; output?: string }

const wholeAtLeast = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

export default defineTransform<'Substring', SubstringParams>({
  kind: 'Substring',
  group: 'Text & dates',
  help: 'Take characters from a position (1 is the first) of a string column, in place or into a new column (DataBrew SUBSTRING).',
  defaults: (schema) => ({ path: firstText(schema), start: 1, length: 3, output: `${pathLabel(firstText(schema))}_part` }),
  form: [
    { key: 'path', label: 'String column', widget: 'column' },
    { key: 'start', label: 'Start position (1 = first character)', widget: 'number', min: 1, step: 1 },
    { key: 'length', label: 'Length', widget: 'number', min: 0, step: 1, optional: true },
    { key: 'output', label: 'Output column', widget: 'text', optional: true, placeholder: '(in place)' },
  ],
  describe: (p) => `characters ${str(p.start)}${typeof p.length === 'number' ? ` to ${Number(p.start) + p.length - 1}` : ' to the end'} of ${str(p.path)} ${intoText(p.output)}`,
  duckdb(p, c) {
    if (!wholeAtLeast(p.start, 1)) { c.error(`the start position must be a whole number from 1 (the first character); it is ${shown(p.start)}`, str(p.path)); return c.none(); }
    if (p.length !== undefined && !wholeAtLeast(p.length, 0)) { c.error(`the length must be a whole number from 0; it is ${shown(p.length)}`, str(p.path)); return c.none(); }
    return rewriteTo(c, p.path, p.output, (expr, type, path) =>
      needText(c, 'Substring', path, type) ? { expr: `substring(${expr}, ${p.start}${p.length === undefined ? '' : `, ${p.length}`})`, type: t.string } : null);
  },
  spark: (p, s) => ({ lines: sparkTo(s, p.path, p.output, (col) => `F.substring(${col}, ${p.start}, ${p.length ?? 2147483647})`) }),
  examples: [
    { title: 'the first three letters of airport cities', input: 'node_modules/vega-datasets/data/airports.csv', params: { path: 'city', start: 1, length: 3, output: 'city3' } },
    { title: 'seattle weather from its second letter', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { path: 'weather', start: 2, output: 'weather_tail' } },
    { title: 'car names cut in place', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Name', start: 5, length: 8 } },
  ],
  docs: {
    tab: 'The characters (Unicode code points) from the start position (1 = first, as SQL) for the length, or to the end without one, in place or into a new column; a start past the end gives an empty string; NULL stays NULL. DataBrew\'s endPosition is start + length - 1. A column that is not a string is an error.',
    spark: 'F.substring(column, start, length) (to the end: length 2147483647).',
    glue: 'The PySpark body.',
  },
});
