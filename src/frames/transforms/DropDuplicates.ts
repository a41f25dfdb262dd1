import { quoteIdent } from '../../engine/sql';
import { renderNode } from '../tree';
import { defineTransform } from './def';
import { arr, listText } from './text';

export interface DropDuplicatesParams { paths?: string[] }

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
    return c.result(`SELECT * FROM ${c.from} QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY rowid) = 1 ORDER BY rowid`, c.input.schema);
  },
  examples: [{ title: 'the first car of each origin and cylinder count', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Origin', 'Cylinders'] } }, { title: 'identical barley records once', input: 'node_modules/vega-datasets/data/barley.json', params: {} }],
  docs: {
    tab: 'Keeps the first record (in input order) of each set of records equal on the fields (all fields when none are given).',
    spark: 'row_number over the keys ordered by the input order (monotonically_increasing_id), keeping the first.',
    glue: 'The PySpark body (Spark\'s dropDuplicates keeps an arbitrary record).',
  },
});
