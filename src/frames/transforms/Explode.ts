import { quoteIdent } from '../../engine/sql';
import { renderType, t, type GlueType, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode } from '../tree';
import { defineTransform } from './def';
import type { DuckCompiler } from './kit';
import { sparkChecker } from './spark-check';
import { str } from './text';

export interface ExplodeParams {
  /** The array or map column (a field path) whose elements become rows (Glue: "Column to explode"). */
  column: string;
  /** An array's element column (Glue: "New column name"); unset: the array's own name, which it replaces. */
  as?: string;
  /** A map's key and value columns (default `key`, `value`). */
  keyColumn?: string;
  valueColumn?: string;
  /** Also a column of the element's position, 0-based (Spark's posexplode); unset: none. */
  position?: string;
  /** Keep a record whose array or map is NULL or empty, once, with NULLs (Glue: "Include NULLs"; Spark's explode_outer). */
  outer?: boolean;
}

interface Plan {
  path: string;
  expr: string;
  type: Extract<GlueType, { kind: 'array' | 'map' }>;
  /** The generated columns, in order, and their types. */
  out: StructField[];
  /** The top-level column the generated columns replace (the array's own name reused), or null: appended. */
  replaces: string | null;
}

function plan(p: ExplodeParams, c: DuckCompiler): Plan | null {
  const f = c.field(c.tree(), p.column);
  if (!f) return null;
  const type = typeOfNode(f.node);
  if (type.kind !== 'array' && type.kind !== 'map') { c.error(`${p.column} is ${renderType(type)}: Explode needs an array or map column`, p.column); return null; }
  const out: StructField[] = [];
  if (p.position) out.push({ name: p.position, type: t.int });
  if (type.kind === 'array') out.push({ name: p.as || f.parts.at(-1)!, type: type.element });
  else out.push({ name: p.keyColumn || 'key', type: type.key }, { name: p.valueColumn || 'value', type: type.value });
  const names = out.map((x) => x.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) { c.error(`two new columns are called ${twice}`, p.column); return null; }
  const replaces = f.parts.length === 1 && names.includes(f.parts[0]!) ? f.parts[0]! : null;
  for (const n of names) {
    if (n !== replaces && c.input.schema.some((x) => x.name === n)) c.error(`the input has a column ${n} already; name the new column otherwise`, n);
  }
  if (c.failed()) return null;
  return { path: p.column, expr: renderNode(f.node), type, out, replaces };
}

/** The output columns in order: the input's, with the generated ones in place of the replaced column or at the end. */
function layout<T>(x: Plan, schema: StructField[], keep: (f: StructField) => T, generated: () => T[]): T[] {
  const cols: T[] = [];
  for (const f of schema) {
    if (f.name === x.replaces) cols.push(...generated());
    else cols.push(keep(f));
  }
  if (!x.replaces) cols.push(...generated());
  return cols;
}

export default defineTransform<'Explode', ExplodeParams>({
  kind: 'Explode',
  group: 'Nested',
  help: 'Explode an array or map into rows: one row per element (or key and value), the other columns repeated.',
  defaults: (schema) => {
    const nested = schema.find((f) => f.type.kind === 'array' || f.type.kind === 'map');
    return { column: renderPath([(nested ?? schema[0])?.name ?? 'column']), outer: false };
  },
  form: [
    { key: 'column', label: 'Column to explode', widget: 'column' },
    { key: 'as', label: 'New column (array)', widget: 'text', placeholder: '(its own name)', optional: true, short: true },
    { key: 'keyColumn', label: 'Key column (map)', widget: 'text', placeholder: 'key', optional: true, short: true },
    { key: 'valueColumn', label: 'Value column (map)', widget: 'text', placeholder: 'value', optional: true, short: true },
    { key: 'position', label: 'Position column', widget: 'text', placeholder: '(none)', optional: true, short: true },
    { key: 'outer', label: 'Include NULLs (keep records with no elements)', widget: 'checkbox' },
  ],
  describe: (p) => `one row per element of ${str(p.column) || '?'}${p.as ? ` as ${str(p.as)}` : ''}${p.position ? ` with its position in ${str(p.position)}` : ''}${p.outer === true ? ', keeping records with none' : ''}`,
  duckdb(p, c) {
    const x = plan(p, c);
    if (!x) return c.none();
    const V = '__epoxy_v';
    const R = '__epoxy_r';
    const I = '__epoxy_i';
    // cardinality is UBIGINT, which range() does not take.
    const size = x.type.kind === 'array' ? `len(${x.expr})` : `CAST(cardinality(${x.expr}) AS BIGINT)`;
    const items = x.type.kind === 'array' ? x.expr : `map_entries(${x.expr})`;
    const itemType = x.type.kind === 'array' ? frameDuckType(x.type.element) : `STRUCT("key" ${frameDuckType(x.type.key)}, "value" ${frameDuckType(x.type.value)})`;
    // An outer explode turns a NULL or empty array into one NULL element, so the record stays once.
    const list = p.outer ? `CASE WHEN ${size} > 0 THEN ${items} ELSE CAST([NULL] AS ${itemType}[]) END` : items;
    const positions = p.outer ? `CASE WHEN ${size} > 0 THEN range(${size}) ELSE CAST([NULL] AS BIGINT[]) END` : `range(${size})`;
    const inner = `SELECT *, rowid AS ${R}, unnest(${list}) AS ${V}, unnest(${positions}) AS ${I} FROM ${c.from}`;
    const generated = () => x.out.map((o, i) => {
      if (p.position && i === 0) return `CAST(${I} AS INTEGER) AS ${quoteIdent(o.name)}`;
      if (x.type.kind === 'array') return `${V} AS ${quoteIdent(o.name)}`;
      return `${V}.${o === x.out.at(-1) ? '"value"' : '"key"'} AS ${quoteIdent(o.name)}`;
    });
    const select = layout(x, c.input.schema, (f) => quoteIdent(f.name), generated);
    const schema = layout(x, c.input.schema, (f) => f, () => x.out);
    return c.result(`SELECT ${select.join(', ')} FROM (${inner}) ORDER BY ${R}, ${I}`, schema);
  },
  spark(p, s) {
    const x = plan(p, sparkChecker(s));
    if (!x) return { lines: [] };
    const fn = `F.${p.position ? 'pos' : ''}explode${p.outer ? '_outer' : ''}`;
    const gen = `${fn}(${s.col(x.path)}).alias(${x.out.map((o) => s.str(o.name)).join(', ')})`;
    const select = layout(x, s.schema, (f) => s.col(renderPath([f.name])), () => [gen]);
    return { lines: [`${s.id} = ${s.input}.select(${select.join(', ')})`] };
  },
  examples: [
    { title: 'the characters of Les Misérables, one row each', input: 'node_modules/vega-datasets/data/miserables.json', params: { column: 'nodes', as: 'node', position: 'pos', outer: false } },
  ],
  docs: {
    tab: 'One row per element of an array (or key and value of a map), in input order then element order; the other columns repeat. The new column named like the array replaces it in place; otherwise the new columns come last and the array stays. A position column (0-based) is optional. Records whose array is NULL or empty are dropped, or with Include NULLs kept once with NULLs.',
    spark: 'F.explode / posexplode (_outer with Include NULLs) in a select with the other columns.',
    glue: 'The PySpark body (Glue Studio\'s Explode Array Or Map Into Rows is the same explode).',
  },
});
