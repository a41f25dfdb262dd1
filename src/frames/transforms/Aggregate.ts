import { quoteIdent } from '../../engine/sql';
import { isNumeric, renderType, t, type GlueType, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode } from '../tree';
import { defineTransform } from './def';
import { pathLabel } from './kit';
import { arr, obj, str } from './text';
import { fieldAt, py, refuse, sparkNode, sparkTree, sparkTypeOf } from './spark-kit';

export type AggFn = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
export interface Aggregation { fn: AggFn; path?: string; as?: string }
export interface AggregateParams { groupBy: string[]; aggregations: Aggregation[] }

export const AGG_FNS: readonly AggFn[] = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'];

/** The output name of an aggregation: its `as`, else `fn_path` (or `count`). */
export function aggregationName(a: Aggregation): string {
  return a.as || (a.path ? `${a.fn}_${pathLabel(a.path)}` : a.fn);
}

/** The type Spark (and so the tab) gives a sum: integers sum to bigint, decimals widen to 38 digits. */
export function sumType(type: GlueType): GlueType {
  return type.kind === 'decimal' ? t.decimal(38, type.scale) : type.kind === 'primitive' && (type.name === 'double' || type.name === 'float') ? t.double : t.bigint;
}

function categorical(schema: StructField[]): string {
  return renderPath([schema.find((f) => f.type.kind === 'primitive' && ['string', 'boolean', 'date'].includes(f.type.name))?.name ?? schema[0]?.name ?? 'column']);
}

export default defineTransform<'Aggregate', AggregateParams>({
  kind: 'Aggregate',
  group: 'Rows',
  help: 'Group and aggregate.',
  // Group by something categorical by default, not a unique id.
  defaults: (schema) => ({ groupBy: [categorical(schema)], aggregations: [{ fn: 'count' }] }),
  form: [
    { key: 'groupBy', label: 'Group by', widget: 'columns', top: true },
    {
      key: 'aggregations', label: 'Aggregations', widget: 'list', addLabel: 'Add aggregation', newItem: () => ({ fn: 'count' }),
      item: [
        { key: 'fn', label: 'function', widget: 'select', options: AGG_FNS },
        { key: 'path', label: 'column', widget: 'column', optional: '(rows)' },
        { key: 'as', label: 'name', widget: 'text', short: true, optional: true },
      ],
    },
  ],
  describe(p) {
    const aggs = arr(p.aggregations).map((a) => { const x = obj(a); const fn = str(x['fn']); const of = x['path'] === undefined ? '*' : str(x['path']); return `${fn === 'count_distinct' ? `count(distinct ${of})` : `${fn}(${of})`}${x['as'] ? ` as ${str(x['as'])}` : ''}`; });
    const by = arr(p.groupBy).map(str);
    return `${by.length ? `group by ${by.join(', ')}; ` : ''}${aggs.join(', ') || 'no aggregations'}`;
  },
  duckdb(p, c) {
    const root = c.tree();
    const cols: string[] = [];
    const groups: string[] = [];
    const schema: StructField[] = [];
    for (const g of p.groupBy ?? []) {
      const f = c.field(root, g);
      if (!f) continue;
      const expr = renderNode(f.node);
      // The output column is named by the path's names, never by its backquotes.
      const name = f.parts.join('.');
      groups.push(expr);
      cols.push(`${expr} AS ${quoteIdent(name)}`);
      schema.push({ name, type: typeOfNode(f.node) });
    }
    if (!p.aggregations?.length) c.error('add at least one aggregation');
    for (const a of p.aggregations ?? []) {
      const name = aggregationName(a);
      if (!a.path) {
        if (a.fn !== 'count') { c.error(`${a.fn} needs a column`); continue; }
        cols.push(`count(*) AS ${quoteIdent(name)}`);
        schema.push({ name, type: t.bigint });
        continue;
      }
      const f = c.field(root, a.path);
      if (!f) continue;
      const type = typeOfNode(f.node);
      const expr = renderNode(f.node);
      if ((a.fn === 'sum' || a.fn === 'avg') && !isNumeric(type)) { c.error(`${a.fn} needs a numeric column; ${a.path} is ${renderType(type)}`, a.path); continue; }
      let sql: string;
      let outType: GlueType;
      switch (a.fn) {
        case 'count': sql = `count(${expr})`; outType = t.bigint; break;
        case 'count_distinct': sql = `count(DISTINCT ${expr})`; outType = t.bigint; break;
        case 'avg': sql = `avg(${expr})`; outType = t.double; break;
        // Spark sums integers as bigint; DuckDB would widen to HUGEINT.
        case 'sum': outType = sumType(type); sql = `CAST(sum(${expr}) AS ${frameDuckType(outType)})`; break;
        case 'min': case 'max': sql = `${a.fn}(${expr})`; outType = type; break;
        default: c.error(`unknown aggregation ${String(a.fn)}`, a.path); continue;
      }
      cols.push(`${sql} AS ${quoteIdent(name)}`);
      schema.push({ name, type: outType });
    }
    if (c.failed()) return c.none();
    const group = groups.length ? ` GROUP BY ${groups.join(', ')} ORDER BY ${groups.map((_, i) => String(i + 1)).join(', ')}` : '';
    return c.result(`SELECT ${cols.join(', ')} FROM ${c.from}${group}`, schema);
  },
  spark(p, s) {
    const root = sparkTree(s.schema);
    const groups: string[] = [];
    const names: string[] = [];
    for (const g of p.groupBy ?? []) {
      const f = fieldAt(root, g);
      const name = f.parts.join('.');
      groups.push(`${sparkNode(f.node)}.alias(${py(name)})`);
      names.push(name);
    }
    if (!p.aggregations?.length) refuse('add at least one aggregation');
    const aggs = p.aggregations.map((a) => {
      const name = aggregationName(a);
      if (!a.path) {
        if (a.fn !== 'count') refuse(`${a.fn} needs a column`);
        return `F.count(F.lit(1)).alias(${py(name)})`;
      }
      const f = fieldAt(root, a.path);
      const type = typeOfNode(f.node);
      const x = sparkNode(f.node);
      if ((a.fn === 'sum' || a.fn === 'avg') && !isNumeric(type)) refuse(`${a.fn} needs a numeric column; ${a.path} is ${renderType(type)}`);
      // Spark holds a choice column as text (or its widest number): comparing or deduplicating that is not the tab's.
      if (type.kind === 'choice' && a.fn !== 'count') refuse(`${a.fn} of the choice column ${a.path}: resolve its type first (ResolveChoice)`);
      switch (a.fn) {
        case 'count': return `F.count(${x}).alias(${py(name)})`;
        case 'count_distinct': return `F.countDistinct(${x}).alias(${py(name)})`;
        case 'avg': return `F.avg(${x}.cast("double")).alias(${py(name)})`;
        case 'sum': return `F.sum(${x}).cast(${py(sparkTypeOf(sumType(type)))}).alias(${py(name)})`;
        case 'min': return `F.min(${x}).alias(${py(name)})`;
        case 'max': return `F.max(${x}).alias(${py(name)})`;
        default: return refuse(`unknown aggregation ${String(a.fn)}`);
      }
    });
    const order = names.map((n) => `F.col(${py('`' + n.replace(/`/g, '``') + '`')}).asc_nulls_last()`);
    return { lines: [groups.length ? `${s.id} = ${s.input}.groupBy(${groups.join(', ')}).agg(${aggs.join(', ')}).orderBy(${order.join(', ')})` : `${s.id} = ${s.input}.agg(${aggs.join(', ')})`] };
  },
  examples: [{ title: 'cars by origin', input: 'node_modules/vega-datasets/data/cars.json', params: { groupBy: ['Origin'], aggregations: [{ fn: 'count' }, { fn: 'avg', path: 'Horsepower' }, { fn: 'sum', path: 'Cylinders' }, { fn: 'max', path: 'Name' }, { fn: 'count_distinct', path: 'Year' }] } }],
  docs: {
    tab: 'Groups by the columns (ordered by them) and computes count, count_distinct, sum, avg, min, max; sums of integers are bigint as in Spark.',
    spark: 'groupBy().agg() ordered by the groups (NULLs last), with the same output names and types: count(*) bigint, sums of integers bigint, of doubles double, of decimals decimal(38,s), avg double.',
    glue: 'The PySpark body.',
    differences: 'min, max and count_distinct of a choice column are refused in Spark (the values are text there). avg of doubles may differ in the last digit (summation order).',
  },
});
