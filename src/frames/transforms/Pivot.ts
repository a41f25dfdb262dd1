import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { isNumeric, renderType, t, type GlueType, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode } from '../tree';
import { AGG_FNS, sumType, type AggFn } from './Aggregate';
import { defineTransform, type SparkCtx } from './def';
import { sparkChecker } from './spark-check';
import type { DuckCompiler } from './kit';
import { arr, listText, obj, str } from './text';

/** One value of the pivot column that becomes a column (text, cast to the pivot column's type). */
export interface PivotValue { value: string }
export interface PivotParams {
  /** The column whose values become columns (Glue: "Columns to convert"). */
  pivotColumn: string;
  /** The values that become columns, in this order. Explicit, as Spark's pivot(col, values): the output schema never depends on the data. */
  values: (PivotValue | string)[];
  /** Glue: "Aggregation". */
  aggFunction: AggFn;
  /** Glue: "Aggregation column"; unset counts rows. */
  aggColumn?: string;
  /** Top-level columns a row stands for; none: every other top-level column (Glue's way). */
  groupBy?: string[];
}

/** The values as text, whatever a link holds (strings or { value }). */
export function pivotValues(values: unknown): string[] {
  return arr(values).map((v) => (v && typeof v === 'object' ? str(obj(v)['value']) : str(v)));
}

function firstOf(schema: StructField[], test: (type: GlueType) => boolean): string | undefined {
  const f = schema.find((x) => test(x.type));
  return f ? renderPath([f.name]) : undefined;
}

const isText = (type: GlueType) => type.kind === 'varchar' || type.kind === 'char' || (type.kind === 'primitive' && ['string', 'boolean', 'date'].includes(type.name));

/** Whether `text` reads as a value of `type` (the tab casts it; a typo would otherwise fail the whole run). */
function literalFits(text: string, type: GlueType): boolean {
  if (type.kind === 'decimal') return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text.trim());
  if (type.kind !== 'primitive') return true;
  switch (type.name) {
    case 'tinyint': case 'smallint': case 'int': case 'bigint': return /^[+-]?\d+$/.test(text.trim());
    case 'double': case 'float': return text.trim() !== '' && !Number.isNaN(Number(text));
    case 'boolean': return /^(true|false)$/i.test(text.trim());
    case 'date': return /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
    default: return true;
  }
}

/** The pivot column's type as a literal's target: nested and choice values compare as text. */
function literalType(type: GlueType): GlueType {
  return type.kind === 'primitive' || type.kind === 'decimal' || type.kind === 'varchar' || type.kind === 'char' ? type : t.string;
}

interface Plan {
  groups: { name: string; path: string; expr: string; type: GlueType }[];
  pivot: { path: string; expr: string; type: GlueType };
  agg: { path: string; expr: string; type: GlueType } | null;
  values: string[];
  outType: GlueType;
}

function plan(p: PivotParams, c: DuckCompiler): Plan | null {
  const root = c.tree();
  const pivot = c.field(root, p.pivotColumn);
  const agg = p.aggColumn ? c.field(root, p.aggColumn) : null;
  if (!pivot || (p.aggColumn && !agg)) return null;
  const fn = p.aggFunction;
  if (!AGG_FNS.includes(fn)) { c.error(`unknown aggregation ${str(fn)} (one of ${AGG_FNS.join(', ')})`); return null; }
  if (!agg && fn !== 'count') { c.error(`${fn} needs an aggregation column`); return null; }
  const aggType = agg ? typeOfNode(agg.node) : t.bigint;
  if ((fn === 'sum' || fn === 'avg') && !isNumeric(aggType)) { c.error(`${fn} needs a numeric column; ${p.aggColumn} is ${renderType(aggType)}`, p.aggColumn); return null; }
  const pivotType = typeOfNode(pivot.node);
  const values = pivotValues(p.values);
  if (!values.length) c.warn(`list the values of ${p.pivotColumn} that become columns`, p.pivotColumn);
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) c.error(`the value ${quoteLiteral(v)} is listed twice`, p.pivotColumn);
    seen.add(v);
    if (!literalFits(v, literalType(pivotType))) c.error(`${quoteLiteral(v)} is not a ${renderType(pivotType)} value of ${p.pivotColumn}`, p.pivotColumn);
  }
  const used = new Set([pivot.parts[0], ...(agg ? [agg.parts[0]] : [])]);
  const groupPaths = p.groupBy?.length ? p.groupBy : c.input.schema.filter((f) => !used.has(f.name)).map((f) => renderPath([f.name]));
  const groups: Plan['groups'] = [];
  for (const g of groupPaths) {
    const f = c.field(root, g);
    if (!f) continue;
    groups.push({ name: f.parts.join('.'), path: g, expr: renderNode(f.node), type: typeOfNode(f.node) });
  }
  for (const v of values) if (groups.some((g) => g.name === v)) c.error(`the value ${quoteLiteral(v)} would name a column the group by already has`, p.pivotColumn);
  if (c.failed()) return null;
  const outType = fn === 'count' || fn === 'count_distinct' ? t.bigint : fn === 'avg' ? t.double : fn === 'sum' ? sumType(aggType) : aggType;
  return {
    groups, values, outType,
    pivot: { path: p.pivotColumn, expr: renderNode(pivot.node), type: pivotType },
    agg: agg ? { path: p.aggColumn!, expr: renderNode(agg.node), type: aggType } : null,
  };
}

function duckCell(fn: AggFn, x: Plan, value: string): string {
  const lt = literalType(x.pivot.type);
  const left = lt === x.pivot.type ? x.pivot.expr : `CAST(${x.pivot.expr} AS VARCHAR)`;
  const filter = ` FILTER (WHERE ${left} = CAST(${quoteLiteral(value)} AS ${frameDuckType(lt)}))`;
  const a = x.agg?.expr;
  switch (fn) {
    case 'count': return a ? `count(${a})${filter}` : `count(*)${filter}`;
    case 'count_distinct': return `count(DISTINCT ${a})${filter}`;
    case 'sum': return `CAST(sum(${a})${filter} AS ${frameDuckType(x.outType)})`;
    default: return `${fn}(${a})${filter}`;
  }
}

function sparkType(type: GlueType): string {
  return type.kind === 'varchar' || type.kind === 'char' ? 'string' : renderType(type);
}

function sparkCell(fn: AggFn, x: Plan, value: string, s: SparkCtx): string {
  const lt = literalType(x.pivot.type);
  const pivot = s.col(x.pivot.path);
  const cond = `(${lt === x.pivot.type ? pivot : `${pivot}.cast("string")`} == F.lit(${s.str(value)}).cast(${s.str(sparkType(lt))}))`;
  const a = x.agg ? `F.when(${cond}, ${s.col(x.agg.path)})` : `F.when(${cond}, F.lit(1))`;
  switch (fn) {
    case 'count': return `F.count(${a})`;
    case 'count_distinct': return `F.countDistinct(${a})`;
    case 'sum': return `F.sum(${a}).cast(${s.str(sparkType(x.outType))})`;
    case 'avg': return `F.avg(${a})`;
    default: return `F.${fn}(${a})`;
  }
}

export default defineTransform<'Pivot', PivotParams>({
  kind: 'Pivot',
  group: 'Rows',
  help: 'Pivot rows into columns: one column per listed value of a column, holding an aggregate.',
  defaults: (schema) => {
    const pivotColumn = firstOf(schema, isText) ?? renderPath([schema[0]?.name ?? 'column']);
    const aggColumn = firstOf(schema, isNumeric);
    return { pivotColumn, values: [], aggFunction: aggColumn ? 'sum' : 'count', ...(aggColumn ? { aggColumn } : {}), groupBy: [] };
  },
  form: [
    { key: 'pivotColumn', label: 'Column to convert', widget: 'column' },
    { key: 'values', label: 'Values that become columns', widget: 'list', addLabel: 'Add value', newItem: () => ({ value: '' }), item: [{ key: 'value', label: 'value', widget: 'text', short: true }] },
    { key: 'aggFunction', label: 'Aggregation', widget: 'select', options: AGG_FNS },
    { key: 'aggColumn', label: 'Aggregation column', widget: 'column', optional: '(rows)' },
    { key: 'groupBy', label: 'Group by (none: every other column)', widget: 'columns', top: true },
  ],
  describe(p) {
    const by = arr(p.groupBy).map(str);
    const fn = str(p.aggFunction) || 'count';
    return `${fn}(${p.aggColumn === undefined ? '*' : str(p.aggColumn)}) for each of ${listText(pivotValues(p.values))} of ${str(p.pivotColumn) || '?'} as columns, by ${by.length ? by.join(', ') : 'every other column'}`;
  },
  duckdb(p, c) {
    const x = plan(p, c);
    if (!x) return c.none();
    const cols = [
      ...x.groups.map((g) => `${g.expr} AS ${quoteIdent(g.name)}`),
      ...x.values.map((v) => `${duckCell(p.aggFunction, x, v)} AS ${quoteIdent(v)}`),
    ];
    const schema: StructField[] = [...x.groups.map((g) => ({ name: g.name, type: g.type })), ...x.values.map((v) => ({ name: v, type: x.outType }))];
    if (!cols.length) { c.error('nothing to group by and no values to pivot'); return c.none(); }
    const group = x.groups.length ? ` GROUP BY ${x.groups.map((g) => g.expr).join(', ')} ORDER BY ${x.groups.map((_, i) => `${i + 1} ASC NULLS LAST`).join(', ')}` : '';
    return c.result(`SELECT ${cols.join(', ')} FROM ${c.from}${group}`, schema);
  },
  spark(p, s) {
    const x = plan(p, sparkChecker(s));
    if (!x) return { lines: [] };
    const cells = x.values.map((v) => `${sparkCell(p.aggFunction, x, v, s)}.alias(${s.str(v)})`);
    const groups = x.groups.map((g) => `${s.col(g.path)}.alias(${s.str(g.name)})`);
    const agg = cells.length ? cells.join(', ') : 'F.count(F.lit(1)).alias("__epoxy_n")';
    const lines = [`${s.id} = ${s.input}.groupBy(${groups.join(', ')}).agg(${agg})`];
    if (!cells.length) lines.push(`${s.id} = ${s.id}.drop("__epoxy_n")`);
    if (groups.length) lines.push(`${s.id} = ${s.id}.orderBy(${x.groups.map((g) => `F.col(${s.str('`' + g.name.replace(/`/g, '``') + '`')}).asc_nulls_last()`).join(', ')})`);
    return { lines };
  },
  examples: [{ title: 'barley yields by year', input: 'node_modules/vega-datasets/data/barley.json', params: { pivotColumn: 'year', values: [{ value: '1931' }, { value: '1932' }], aggFunction: 'sum', aggColumn: 'yield', groupBy: ['variety', 'site'] } }],
  docs: {
    tab: 'One row per group (the group-by columns, or every other top-level column), ordered by them; one column per listed value of the pivot column, named by the value, holding the aggregate (count, count_distinct, sum, avg, min, max) of the records with that value. The values are listed in the step (the text is cast to the pivot column\'s type), so the output schema never depends on the data; values not listed are left out.',
    spark: 'groupBy().agg() with one conditional aggregate per value (F.when(pivot == value, column)), the same names and types; not DataFrame.pivot, whose missing cells differ.',
    glue: 'The PySpark body (Glue Studio\'s Pivot Rows Into Columns groups by every other column and takes the values from the data).',
    differences: 'A count of a value no record of a group holds is 0 here and in the exports, where Spark\'s own pivot gives NULL. Glue converts several columns at once; here one.',
  },
});

