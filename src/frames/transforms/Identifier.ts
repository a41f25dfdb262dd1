import { quoteIdent } from '../../engine/sql';
import { t } from '../../schema/types';
import { defineTransform } from './def';
import { str } from './text';

export interface IdentifierParams {
  /** The new column (Glue: "Column name", default `id`); an existing column of that name is replaced in place. */
  column: string;
  /** The first record's number: 0 or 1 (default 0; the form's select writes it as text). */
  start?: number | string;
}

/** A column name not taken yet: `id`, else `row_id`, else `id_2`, `id_3`… */
function freeName(taken: Set<string>): string {
  for (const n of ['id', 'row_id']) if (!taken.has(n)) return n;
  let i = 2;
  while (taken.has(`id_${i}`)) i++;
  return `id_${i}`;
}

export default defineTransform<'Identifier', IdentifierParams>({
  kind: 'Identifier',
  group: 'Columns',
  help: 'Add a column numbering the records in input order (0, 1, 2… or from 1).',
  defaults: (schema) => ({ column: freeName(new Set(schema.map((f) => f.name))), start: 0 }),
  form: [
    { key: 'column', label: 'Column name', widget: 'text', short: true },
    { key: 'start', label: 'First number', widget: 'select', options: ['0', '1'] },
  ],
  describe: (p) => `number the records in input order in ${str(p.column) || '?'}, from ${p.start === 1 || str(p.start) === '1' ? 1 : 0}`,
  duckdb(p, c) {
    if (!p.column) { c.error('the new column needs a name'); return c.none(); }
    const start = Number(p.start ?? 0);
    if (start !== 0 && start !== 1) { c.error(`the first number is 0 or 1, not ${str(p.start)}`); return c.none(); }
    // The input is a table the run made in input order, so its rowid is the record's position.
    const expr = `CAST(rowid + ${start} AS BIGINT)`;
    const exists = c.input.schema.some((f) => f.name === p.column);
    const select = exists ? `* REPLACE (${expr} AS ${quoteIdent(p.column)})` : `*, ${expr} AS ${quoteIdent(p.column)}`;
    const schema = exists ? c.input.schema.map((f) => (f.name === p.column ? { name: f.name, type: t.bigint } : f)) : [...c.input.schema, { name: p.column, type: t.bigint }];
    return c.result(`SELECT ${select} FROM ${c.from} ORDER BY rowid`, schema);
  },
  spark(p, s) {
    const start = Number(p.start ?? 0);
    // Consecutive numbers need one ordered window: monotonically_increasing_id follows the input's partitions
    // in order, so row_number over it is the record's position.
    return { lines: [`${s.id} = ${s.input}.withColumn(${s.str(p.column)}, (F.row_number().over(Window.orderBy(F.monotonically_increasing_id())) - ${1 - start}).cast("bigint"))`] };
  },
  examples: [{ title: 'numbered cars', input: 'node_modules/vega-datasets/data/cars.json', params: { column: 'car_id', start: 1 } }],
  docs: {
    tab: 'A bigint column numbering the records in input order from 0 (or 1), added last (a column of that name is replaced in place).',
    spark: 'row_number() over the input order (monotonically_increasing_id taken on the input), minus one when counting from 0: one window over the whole frame, so one partition does the numbering.',
    glue: 'The PySpark body. Glue Studio\'s Identifier option "unique" (the job timestamp in the id, a decimal) is not offered: ids are positions, the same on every run of the same input.',
    differences: 'Over a folder of several files Spark may read the files in another order than the tab (it packs the largest first), so the same records can get other numbers; over one file the numbers are the same.',
  },
});
