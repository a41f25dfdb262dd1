import { quoteIdent } from '../../engine/sql';
import { renderNode } from '../tree';
import { defineTransform } from './def';
import { arr, listText } from './text';
import { typeOfNode } from '../tree';
import { fieldAt, refuse, sparkNode, sparkTree } from './spark-kit';

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
  spark(p, s) {
    const root = sparkTree(s.schema);
    const paths = p.paths ?? [];
    const keys = paths.length ? paths.map((x) => fieldAt(root, x).node) : root.kind === 'struct' ? root.fields.map(([, n]) => n) : [];
    for (const k of keys) if (typeOfNode(k).kind === 'map') refuse('Spark cannot compare map columns: give the fields that make records duplicates');
    return {
      lines: [
        // The first record in input order: positions taken on the input, before anything reorders it.
        `${s.id}__w = Window.partitionBy(${keys.map(sparkNode).join(', ')}).orderBy(F.col("__epoxy_pos"))`,
        `${s.id} = ${s.input}.withColumn("__epoxy_pos", F.monotonically_increasing_id()).withColumn("__epoxy_rn", F.row_number().over(${s.id}__w)).where(F.col("__epoxy_rn") == 1).orderBy("__epoxy_pos").drop("__epoxy_pos", "__epoxy_rn")`,
      ],
    };
  },
  examples: [{ title: 'the first car of each origin and cylinder count', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Origin', 'Cylinders'] } }, { title: 'identical barley records once', input: 'node_modules/vega-datasets/data/barley.json', params: {} }],
  docs: {
    tab: 'Keeps the first record (in input order) of each set of records equal on the fields (all fields when none are given).',
    spark: 'row_number over the keys ordered by the input order (monotonically_increasing_id taken on the input), keeping the first; the output in input order.',
    glue: 'The PySpark body (Spark\'s dropDuplicates keeps an arbitrary record).',
    differences: 'Input order is the order of the Spark frame the step reads: after a shuffle (a Join or an Aggregate before it) Spark\'s order is not the tab\'s, so which duplicate is first can differ. Map-typed keys are refused (Spark cannot compare maps). A source of several files is read in Spark\'s order (it packs the larger files first), not the tab\'s file order.',
  },
});
