import { t } from '../../schema/types';
import { firstText, needText, rewriteInPlace, sparkInPlace } from './brew';
import { defineTransform } from './def';
import { arr, listText, str } from './text';

export type TrimSide = 'both' | 'leading' | 'trailing';
export interface TrimParams { paths: string[]; side?: TrimSide }

const DUCK: Record<TrimSide, string> = { both: 'trim', leading: 'ltrim', trailing: 'rtrim' };

export default defineTransform<'Trim', TrimParams>({
  kind: 'Trim',
  group: 'Text & dates',
  help: 'Remove spaces at the start and/or end of string columns, in place (DataBrew TRIM).',
  defaults: (schema) => ({ paths: [firstText(schema)], side: 'both' }),
  form: [
    { key: 'paths', label: 'String columns', widget: 'columns' },
    { key: 'side', label: 'Spaces to remove', widget: 'select', options: ['both', 'leading', 'trailing'] },
  ],
  describe: (p) => `trim ${p.side === 'leading' || p.side === 'trailing' ? `${p.side} ` : ''}spaces of ${listText(p.paths)}`,
  duckdb(p, c) {
    const side = p.side ?? 'both';
    if (!DUCK[side]) { c.error(`unknown side ${str(side)} (both, leading or trailing)`); return c.none(); }
    // Spaces only (U+0020), as Spark's trim: tabs and line breaks stay.
    return rewriteInPlace(c, p.paths, (expr, type, path) => (needText(c, 'Trim', path, type) ? { expr: `${DUCK[side]}(${expr})`, type: t.string } : null));
  },
  spark(p, s) {
    const fn = { both: 'F.trim', leading: 'F.ltrim', trailing: 'F.rtrim' }[p.side ?? 'both'];
    return { lines: sparkInPlace(s, arr(p.paths).map(str), (col) => `${fn}(${col})`) };
  },
  examples: [
    { title: 'penguin species and island trimmed', input: 'node_modules/vega-datasets/data/penguins.json', params: { paths: ['Species', 'Island'], side: 'both' } },
    { title: 'airport names without trailing spaces', input: 'node_modules/vega-datasets/data/airports.csv', params: { paths: ['name'], side: 'trailing' } },
  ],
  docs: {
    tab: 'Removes spaces (U+0020 only; tabs and line breaks stay) at both ends, the start or the end of each string column, in place; NULL stays NULL. A column that is not a string is an error (convert it first), never cast silently.',
    spark: 'F.trim / F.ltrim / F.rtrim per column (withField for a nested one).',
    glue: 'The PySpark body.',
  },
});
