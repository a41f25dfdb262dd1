import { quoteLiteral } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderRoot } from '../tree';
import { t } from '../../schema/types';
import { defineTransform } from './def';
import { isText, regexGroups, sourceColumn, typeIs, setOutput } from './column-out';
import { literal, str } from './text';

export interface RegexExtractParams {
  /** The string column the regex reads (Glue: Column to extract from). */
  path: string;
  /** The regular expression; each capture group gives a column (Glue: Regex). */
  pattern: string;
  /**
   * The new columns' names, comma separated, one per capture group (or one for the whole match when the regex
   * has no group); an empty name skips its group, as in Glue Studio.
   */
  names: string;
}

/** The column names, one per group (null: the group is skipped). */
function namesOf(text: unknown): (string | null)[] {
  return str(text).split(',').map((n) => n.trim() || null);
}

/** The outputs: [column name, group index] for each named group, or an error message. */
function outputsOf(p: RegexExtractParams): { outputs: [string, number][] } | { error: string } {
  let groups: number;
  try { groups = regexGroups(p.pattern); } catch (err) { return { error: (err as Error).message }; }
  const names = namesOf(p.names);
  const wanted = Math.max(groups, 1);
  if (names.length !== wanted) {
    return { error: groups ? `the regex has ${groups} capture group${groups === 1 ? '' : 's'} but ${names.length} column name${names.length === 1 ? '' : 's'} (comma separated; leave a name empty to skip its group)` : `a regex without capture groups gives one column (the whole match); ${names.length} names were given` };
  }
  const outputs = names.flatMap((n, i) => (n ? [[n, groups ? i + 1 : 0] as [string, number]] : []));
  if (!outputs.length) return { error: 'name at least one column' };
  const dup = outputs.find(([n], i) => outputs.findIndex(([m]) => m.toLowerCase() === n.toLowerCase()) !== i);
  if (dup) return { error: `the column name ${dup[0]} is given twice (names are case-insensitive)` };
  return { outputs };
}

export default defineTransform<'RegexExtract', RegexExtractParams>({
  kind: 'RegexExtract',
  group: 'Text & dates',
  help: 'Extract the capture groups of a regular expression into new columns.',
  defaults: (schema) => ({ path: renderPath([schema.find((f) => isText(f.type))?.name ?? schema[0]?.name ?? 'column']), pattern: '(\\w+)', names: 'first_word' }),
  form: [
    { key: 'path', label: 'Column to extract from', widget: 'column' },
    { key: 'pattern', label: 'Regular expression', widget: 'text', mono: true },
    { key: 'names', label: 'Column names, one per group (comma separated)', widget: 'text' },
  ],
  describe: (p) => `extract ${literal(p.pattern)} from ${str(p.path)} into ${namesOf(p.names).map((n) => n ?? '(skipped)').join(', ')}`,
  duckdb(p, c) {
    const root = c.tree();
    const src = sourceColumn(c, root, p.path);
    if (!src) return c.none();
    if (!isText(src.type)) { c.error(`RegexExtract reads a string column; ${typeIs(p.path, src.type)}`, p.path); return c.none(); }
    const o = outputsOf(p);
    if ('error' in o) { c.error(o.error, p.path); return c.none(); }
    const re = quoteLiteral(p.pattern);
    // No match: NULL in every column (a group that did not take part in a match is '' in both engines).
    for (const [name, group] of o.outputs) {
      setOutput(root, [name], { expr: `CASE WHEN regexp_matches(${src.expr}, ${re}) THEN regexp_extract(${src.expr}, ${re}, ${group}) END`, type: t.string });
    }
    const { select, schema } = renderRoot(root);
    return c.result(`SELECT ${select} FROM ${c.from}`, schema);
  },
  spark(p, s) {
    const o = outputsOf(p);
    if ('error' in o) throw new Error(o.error);
    const col = s.col(p.path);
    const re = s.value(p.pattern);
    // withColumns evaluates every output against the input, so a name that replaces the source column is safe.
    const cols = o.outputs.map(([name, group]) => `${s.value(name)}: F.when(${col}.rlike(${re}), F.regexp_extract(${col}, ${re}, ${group}))`);
    return { lines: [`${s.id} = ${s.input}.withColumns({${cols.join(', ')}})`] };
  },
  examples: [
    { title: 'car make and model from the name', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Name', pattern: '^(\\S+) (.*)$', names: 'make,model' } },
    { title: 'year and month of a car\'s year text, day skipped', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Year', pattern: '(\\d{4})-(\\d{2})-(\\d{2})', names: 'year, month,' } },
  ],
  docs: {
    tab: 'Applies a regular expression to a string column; each capture group goes to a named new column (names comma separated, an empty name skips its group; no groups: the whole match). A value the regex does not match gives NULL in every column; a group that did not take part in a match gives an empty string.',
    spark: 'F.when(col.rlike(re), F.regexp_extract(col, re, group)) per column, in one withColumns.',
    glue: 'The PySpark body.',
    differences: 'Glue Studio\'s Regex Extractor gives empty strings where the regex does not match; here it is NULL (told apart from an empty match). RE2 (tab, DuckDB) and Java (Spark) regexes: lookaround, backreferences and named groups are refused.',
  },
});
