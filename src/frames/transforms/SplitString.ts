import { quoteLiteral } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderRoot } from '../tree';
import { t } from '../../schema/types';
import { defineTransform } from './def';
import { isText, outputPath, regexGroups, sourceColumn, sparkOutputName, typeIs, setOutput } from './column-out';
import { literal, str } from './text';

export interface SplitStringParams {
  /** The string column to split (Glue: Column to split). */
  path: string;
  /** The delimiter, literal text unless `regex` (Glue: Splitting regular expression). */
  pattern: string;
  /** Read the delimiter as a regular expression, as Glue does. */
  regex?: boolean;
  /** The array column to write (Glue: Array column name); empty replaces the split column. */
  target?: string;
}

/** Java regex metacharacters: escaped one by one, a literal delimiter is a regex matching only itself. */
const QUOTE_HELPER = [
  'def _regex_quote(s):',
  '    """Literal text as a Java regular expression matching exactly it."""',
  '    return "".join("\\\\" + ch if ch in "\\\\^$.|?*+()[]{}" else ch for ch in s)',
];

export default defineTransform<'SplitString', SplitStringParams>({
  kind: 'SplitString',
  group: 'Text & dates',
  help: 'Split a string column at a delimiter into an array column.',
  defaults: (schema) => {
    const name = schema.find((f) => isText(f.type))?.name ?? schema[0]?.name ?? 'column';
    return { path: renderPath([name]), pattern: ',', target: `${name}_parts` };
  },
  form: [
    { key: 'path', label: 'Column to split', widget: 'column' },
    { key: 'pattern', label: 'Delimiter', widget: 'text', short: true, mono: true },
    { key: 'regex', label: 'Delimiter is a regular expression', widget: 'checkbox' },
    { key: 'target', label: 'Array column name', widget: 'text', placeholder: '(replace the column)', optional: true },
  ],
  describe: (p) => `split ${str(p.path)} at ${p.regex ? 'the regex ' : ''}${literal(p.pattern)} into ${p.target ? `array column ${str(p.target)}` : 'an array in place'}`,
  duckdb(p, c) {
    const root = c.tree();
    const src = sourceColumn(c, root, p.path);
    if (!src) return c.none();
    if (!isText(src.type)) c.error(`SplitString splits a string column; ${typeIs(p.path, src.type)}`, p.path);
    if (!p.pattern) c.error('the delimiter is empty', p.path);
    else if (p.regex) {
      try { regexGroups(p.pattern); } catch (err) { c.error((err as Error).message, p.path); }
    }
    const to = outputPath(c, src, p.path, p.target);
    if (c.failed() || !to) return c.none();
    // Both keep empty pieces, leading and trailing (Spark's split with limit -1).
    const expr = p.regex ? `string_split_regex(${src.expr}, ${quoteLiteral(p.pattern)})` : `string_split(${src.expr}, ${quoteLiteral(p.pattern)})`;
    setOutput(root, to, { expr, type: t.array(t.string) });
    const { select, schema } = renderRoot(root);
    return c.result(`SELECT ${select} FROM ${c.from}`, schema);
  },
  spark(p, s) {
    if (!p.pattern) throw new Error('the delimiter is empty');
    if (p.regex) regexGroups(p.pattern);
    let pattern = s.value(p.pattern);
    if (!p.regex) { s.helper('_regex_quote', QUOTE_HELPER); pattern = `_regex_quote(${pattern})`; }
    return { lines: [`${s.id} = ${s.input}.withColumn(${sparkOutputName(s, p.path, p.target)}, F.split(${s.col(p.path)}, ${pattern}, -1))`] };
  },
  examples: [
    { title: 'car names split into words', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Name', pattern: ' ', target: 'words' } },
    { title: 'airport names split at runs of spaces and slashes (a regex), in place', input: 'node_modules/vega-datasets/data/airports.csv', params: { path: 'name', pattern: '[ /]+', regex: true } },
  ],
  docs: {
    tab: 'Splits a string column at a delimiter (literal text, or a regular expression as in Glue) into an array<string> column, named or in place of the column; empty pieces are kept (`a,,b` → `[a, "", b]`); NULL stays NULL.',
    spark: 'F.split(column, regex, -1) (a literal delimiter is quoted into a regex) in withColumn.',
    glue: 'The PySpark body (Glue Studio\'s Split String splits at a regex the same way).',
    differences: 'Regular expressions run on RE2 in the tab and DuckDB, Java in Spark: constructs only one of them has (lookaround, backreferences, named groups) are refused; a regex that matches the empty string splits differently.',
  },
});
