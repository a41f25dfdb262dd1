import { defineTransform } from './def';
import { str } from './text';

export interface LimitParams { count: number }

export default defineTransform<'Limit', LimitParams>({
  kind: 'Limit',
  group: 'Rows',
  help: 'Keep the first N records, in input order.',
  defaults: () => ({ count: 10 }),
  form: [{ key: 'count', label: 'Number of records', widget: 'number', min: 0, step: 1 }],
  describe: (p) => `keep the first ${str(p.count) || '?'} records`,
  duckdb(p, c) {
    const n = p.count;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) { c.error(`the number of records must be a whole number of 0 or more, not ${JSON.stringify(n ?? null)}`); return c.none(); }
    // rowid is the input order: every step's output is a table written in order.
    return c.result(`SELECT * FROM ${c.from} ORDER BY rowid LIMIT ${n}`, c.input.schema);
  },
  spark: (p, s) => ({ lines: [`${s.id} = ${s.input}.limit(${p.count})`] }),
  examples: [
    { title: 'the first 25 airports', input: 'node_modules/vega-datasets/data/airports.csv', params: { count: 25 } },
    { title: 'the first 3 cars', input: 'node_modules/vega-datasets/data/cars.json', params: { count: 3 } },
  ],
  docs: {
    tab: 'Keeps the first N records of the input, in input order (N = 0 keeps none; N larger than the input keeps all).',
    spark: 'DataFrame.limit(N), which keeps the first N records in the order the frame holds them.',
    glue: 'The PySpark body (Glue Studio\'s Limit node: "Number of records").',
    differences: 'After a step whose output order is unspecified (Intersect, Except, Join, Aggregate without an OrderBy), the engines may keep different N records; put an OrderBy before the Limit to pick them.',
  },
});
