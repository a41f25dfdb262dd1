import { quoteIdent } from '../../engine/sql';
import { renderNode } from '../tree';
import { defineTransform } from './def';
import { arr, listText } from './text';

export interface DropDuplicatesParams { paths?: string[] }

/*
 * `SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY k ORDER BY rowid) = 1 ORDER BY rowid` raises
 * `INTERNAL Error: ExpressionExecutor::Execute called with a result vector of type VARCHAR that does not match
 * expression type BIGINT` on native DuckDB 1.5.6 whenever the keys are not every column (and the fatal error
 * invalidates the database). Taking rowid into a column of its own first avoids it in both engines.
 */
/** The column that carries the input's row order; it never reaches the output. */
export const DEDUPE_ORDER_COLUMN = '__epoxy_dedupe_row';

/**
 * Keep the first row of each distinct `keys` (rendered SQL expressions over the input's columns) of the table
 * `from` (a quoted table name: rowid needs a table), in input order. NULL keys are one key, as in GROUP BY.
 */
export function dropDuplicatesSql(from: string, keys: string[]): string {
  const order = `"${DEDUPE_ORDER_COLUMN}"`;
  return `SELECT * EXCLUDE (${order}) FROM (SELECT *, rowid AS ${order} FROM ${from}) QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) = 1 ORDER BY ${order}`;
}


export default defineTransform<'DropDuplicates', DropDuplicatesParams>({
  kind: 'DropDuplicates',
  group: 'Rows',
  help: 'Keep the first record of each set of duplicates.',
  defaults: () => ({ paths: [] }),
  form: [{ key: 'paths', label: 'Duplicates by (none: every field)', widget: 'columns' }],
  describe: (p) => (arr(p.paths).length ? `keep the first record for each ${listText(p.paths)}` : 'keep the first of each set of identical records'),
  duckdb(p, c) {
    const root = c.tree();
    const paths = p.paths ?? [];
    const keys = paths.length
      ? paths.map((x) => c.field(root, x)).filter((f) => f !== null).map((f) => renderNode(f.node))
      : c.input.schema.map((f) => quoteIdent(f.name));
    if (c.failed()) return c.none();
    return c.result(dropDuplicatesSql(c.from, keys), c.input.schema);
  },
  examples: [{ title: 'the first car of each origin and cylinder count', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Origin', 'Cylinders'] } }, { title: 'identical barley records once', input: 'node_modules/vega-datasets/data/barley.json', params: {} }],
  docs: {
    tab: 'Keeps the first record (in input order) of each set of records equal on the fields (all fields when none are given).',
    spark: 'row_number over the keys ordered by the input order (monotonically_increasing_id), keeping the first.',
    glue: 'The PySpark body (Spark\'s dropDuplicates keeps an arbitrary record).',
  },
});
