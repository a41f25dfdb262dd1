import { renderType } from '../../schema/types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode } from '../tree';
import { defineTransform } from './def';
import { arr, obj, str } from './text';

export interface SortKey { path: string; direction?: 'asc' | 'desc'; nulls?: 'first' | 'last' }
export interface OrderByParams { sort: SortKey[] }

/**
 * Where NULLs go when a key does not say: Spark's defaults (first when ascending, last when descending), which
 * Glue runs. DuckDB's default is last both ways, so the tab always spells the placement out.
 */
export function nullsOf(k: { direction?: unknown; nulls?: unknown }): 'first' | 'last' {
  if (k.nulls === 'first' || k.nulls === 'last') return k.nulls;
  return k.direction === 'desc' ? 'last' : 'first';
}

export default defineTransform<'OrderBy', OrderByParams>({
  kind: 'OrderBy',
  group: 'Rows',
  help: 'Sort the records by one or more columns, each ascending or descending, NULLs first or last.',
  defaults: (schema) => ({ sort: [{ path: renderPath([schema[0]?.name ?? 'column']), direction: 'asc', nulls: 'first' }] }),
  form: [{
    key: 'sort', label: 'Sort by', widget: 'list', addLabel: 'Add sort key', newItem: (schema) => ({ path: renderPath([schema[0]?.name ?? 'column']), direction: 'asc', nulls: 'first' }),
    item: [
      { key: 'path', label: 'column', widget: 'column' },
      { key: 'direction', label: 'order', widget: 'select', options: ['asc', 'desc'] },
      { key: 'nulls', label: 'nulls', widget: 'select', options: ['first', 'last'] },
    ],
  }],
  describe(p) {
    const keys = arr(p.sort).map((k) => { const x = obj(k); return `${str(x['path'])} ${x['direction'] === 'desc' ? 'desc' : 'asc'} nulls ${nullsOf(x)}`; });
    return keys.length ? `sort by ${keys.join(', ')}` : 'sort by nothing';
  },
  duckdb(p, c) {
    const root = c.tree();
    if (!p.sort?.length) { c.error('add at least one sort key'); return c.none(); }
    const keys: string[] = [];
    for (const k of p.sort) {
      const f = c.field(root, k?.path);
      if (!f) continue;
      const type = typeOfNode(f.node);
      // Nested values and choices order differently in DuckDB and Spark (Spark cannot sort maps at all).
      if (!['primitive', 'decimal', 'varchar', 'char'].includes(type.kind)) { c.error(`cannot sort by ${k.path}: it is ${renderType(type)}; sort by a field inside it${type.kind === 'choice' ? ' or resolve the choice first' : ''}`, k.path); continue; }
      if (k.direction !== undefined && k.direction !== 'asc' && k.direction !== 'desc') { c.error(`the order of ${k.path} must be asc or desc, not ${String(k.direction)}`, k.path); continue; }
      keys.push(`${renderNode(f.node)} ${k.direction === 'desc' ? 'DESC' : 'ASC'} NULLS ${nullsOf(k).toUpperCase()}`);
    }
    if (c.failed()) return c.none();
    // Ties keep the input order (a stable sort), so the output is the same on every run.
    return c.result(`SELECT * FROM ${c.from} ORDER BY ${keys.join(', ')}, rowid`, c.input.schema);
  },
  spark: (p, s) => ({
    lines: [`${s.id} = ${s.input}.orderBy(${p.sort.map((k) => `${s.col(k.path)}.${k.direction === 'desc' ? 'desc' : 'asc'}_nulls_${nullsOf(k)}()`).join(', ')})`],
  }),
  examples: [
    { title: 'cars by horsepower, strongest first, then by name', input: 'node_modules/vega-datasets/data/cars.json', params: { sort: [{ path: 'Horsepower', direction: 'desc', nulls: 'last' }, { path: 'Name', direction: 'asc', nulls: 'first' }] } },
    { title: 'airports by state and city', input: 'node_modules/vega-datasets/data/airports.csv', params: { sort: [{ path: 'state', direction: 'asc', nulls: 'first' }, { path: 'city', direction: 'asc', nulls: 'last' }] } },
  ],
  docs: {
    tab: 'Sorts by the keys in turn, each ascending or descending with NULLs first or last (unset: first when ascending, last when descending, as in Spark); ties keep the input order. Keys are primitive fields (nested fields by path); structs, arrays, maps and choices are refused.',
    duckdb: 'ORDER BY with NULLS FIRST/LAST always written out (DuckDB\'s own default is NULLS LAST both ways) and rowid as the last key.',
    spark: 'DataFrame.orderBy with asc_nulls_first/desc_nulls_last… on each key.',
    glue: 'The PySpark body.',
    differences: 'Spark\'s sort is not stable: records equal on every key may come out in another order than the tab\'s.',
  },
});
