import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { isNumeric, mergeTypes, renderType, sameType, t, type GlueType, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { defineTransform } from './def';
import type { DuckCompiler } from './kit';
import { sparkChecker } from './spark-check';
import { listText, str } from './text';

export interface UnpivotParams {
  /** Top-level columns whose values become rows (Glue: "Unpivot columns"). */
  columns: string[];
  /** The column naming the unpivoted column of each row (Glue: "Unpivot names column", default `name`). */
  namesColumn?: string;
  /** The column holding its value (Glue: "Unpivot values column", default `value`). */
  valuesColumn?: string;
}

/**
 * The one type the unpivoted values share: their type when they agree, numbers widened (int → bigint → double,
 * decimals as the crawler merges them), date with timestamp as timestamp, anything else as text.
 */
export function unpivotType(types: GlueType[]): GlueType {
  const first = types[0] ?? t.string;
  if (types.every((x) => sameType(x, first))) return first;
  if (types.every(isNumeric)) return types.reduce((a, b) => mergeTypes(a, b));
  const names = new Set(types.map((x) => (x.kind === 'primitive' ? x.name : x.kind)));
  if ([...names].every((n) => n === 'date' || n === 'timestamp')) return t.timestamp;
  return t.string;
}

interface Plan { keep: StructField[]; cols: StructField[]; names: string; values: string; type: GlueType }

function plan(p: UnpivotParams, c: DuckCompiler): Plan | null {
  const names = p.namesColumn || 'name';
  const values = p.valuesColumn || 'value';
  const cols: StructField[] = [];
  if (!p.columns?.length) { c.error('choose at least one column to unpivot'); return null; }
  for (const path of p.columns) {
    const parts = c.path(path);
    if (!parts) continue;
    const f = parts.length === 1 ? c.input.schema.find((x) => x.name === parts[0]) : undefined;
    if (!f) { c.error(parts.length > 1 ? `${path} is not a top-level column` : `no column ${path} in the input`, path); continue; }
    if (cols.includes(f)) { c.error(`${path} is listed twice`, path); continue; }
    cols.push(f);
  }
  if (names === values) c.error(`the names and values columns are both called ${names}`);
  const keep = c.input.schema.filter((f) => !cols.includes(f));
  for (const n of [names, values]) if (keep.some((f) => f.name === n)) c.error(`the input keeps a column ${n} already; name the ${n === names ? 'names' : 'values'} column otherwise`, n);
  if (c.failed()) return null;
  const type = unpivotType(cols.map((f) => f.type));
  if (sameType(type, t.string) && cols.some((f) => !sameType(f.type, t.string))) {
    c.warn(`the values (${cols.map((f) => renderType(f.type)).join(', ')}) are kept as text`);
  }
  return { keep, cols, names, values, type };
}

const sparkType = (type: GlueType) => (type.kind === 'varchar' || type.kind === 'char' ? 'string' : renderType(type));

export default defineTransform<'Unpivot', UnpivotParams>({
  kind: 'Unpivot',
  group: 'Rows',
  help: 'Unpivot columns into rows: each chosen column becomes a (name, value) row; the other columns are kept.',
  defaults: (schema) => {
    const numbers = schema.filter((f) => isNumeric(f.type)).map((f) => renderPath([f.name]));
    return { columns: numbers.length ? numbers : [renderPath([schema.at(-1)?.name ?? 'column'])], namesColumn: 'name', valuesColumn: 'value' };
  },
  form: [
    { key: 'columns', label: 'Columns to unpivot', widget: 'columns', top: true },
    { key: 'namesColumn', label: 'Names column', widget: 'text', placeholder: 'name', optional: true, short: true },
    { key: 'valuesColumn', label: 'Values column', widget: 'text', placeholder: 'value', optional: true, short: true },
  ],
  describe: (p) => `unpivot ${listText(p.columns)} into rows of ${str(p.namesColumn) || 'name'} and ${str(p.valuesColumn) || 'value'}`,
  duckdb(p, c) {
    const x = plan(p, c);
    if (!x) return c.none();
    const U = '__epoxy_u';
    const R = '__epoxy_r';
    const I = '__epoxy_i';
    const T = frameDuckType(x.type);
    const entries = x.cols.map((f) => `struct_pack(n := ${quoteLiteral(f.name)}, v := CAST(${quoteIdent(f.name)} AS ${T}))`);
    // One list per record, unnested with its positions: rows stay in input order, then in column order.
    const inner = `SELECT *, rowid AS ${R}, unnest([${entries.join(', ')}]) AS ${U}, unnest(range(${x.cols.length})) AS ${I} FROM ${c.from}`;
    const select = [...x.keep.map((f) => quoteIdent(f.name)), `${U}.n AS ${quoteIdent(x.names)}`, `${U}.v AS ${quoteIdent(x.values)}`];
    const schema = [...x.keep, { name: x.names, type: t.string }, { name: x.values, type: x.type }];
    return c.result(`SELECT ${select.join(', ')} FROM (${inner}) ORDER BY ${R}, ${I}`, schema);
  },
  spark(p, s) {
    const x = plan(p, sparkChecker(s));
    if (!x) return { lines: [] };
    const T = s.str(sparkType(x.type));
    const entries = x.cols.map((f) => `F.struct(F.lit(${s.str(f.name)}).alias("n"), ${s.col(renderPath([f.name]))}.cast(${T}).alias("v"))`);
    const keep = x.keep.map((f) => s.col(renderPath([f.name])));
    return {
      lines: [
        `${s.id} = ${s.input}.select(${[...keep, `F.explode(F.array(${entries.join(', ')})).alias("__epoxy_u")`].join(', ')})`,
        `${s.id} = ${s.id}.select(${[...x.keep.map((f) => s.col(renderPath([f.name]))), `F.col("__epoxy_u.n").alias(${s.str(x.names)})`, `F.col("__epoxy_u.v").alias(${s.str(x.values)})`].join(', ')})`,
      ],
    };
  },
  examples: [{ title: 'seattle weather measures as rows', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { columns: ['precipitation', 'temp_max', 'temp_min', 'wind'], namesColumn: 'measure', valuesColumn: 'amount' } }],
  docs: {
    tab: 'Each record becomes one row per chosen column (in input order, then column order): the other columns, the column\'s name, its value (NULLs kept). The values share one type: theirs when they agree, numbers widened (int → bigint → double), date and timestamp as timestamp, anything else cast to text (a warning says so).',
    spark: 'explode of an array of (name, value) structs, values cast to the same type; not DataFrame.unpivot (Spark 3.4+, not on Glue 4.0).',
    glue: 'The PySpark body (Glue Studio\'s Unpivot Columns Into Rows takes the same three settings).',
    differences: 'Values cast to text are spelled by each engine (a double such as 1e20 prints differently).',
  },
});
