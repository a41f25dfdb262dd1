import { defineTransform } from './def';
import { defaultPredicate, describePredicate, duckFilter, sparkPredicate, type Predicate } from './predicate';

export interface SplitRowsParams { predicate: Predicate }

export default defineTransform<'SplitRows', SplitRowsParams>({
  kind: 'SplitRows',
  group: 'Rows',
  help: 'Split into records matching a predicate (this frame) and the rest (a second output).',
  defaults: (schema) => ({ predicate: defaultPredicate(schema) }),
  form: [{ key: 'predicate', label: 'Records matching', widget: 'predicate' }],
  describe: (p) => `records where ${describePredicate(p.predicate)} here, the others to a second output`,
  duckdb(p, c) {
    const main = duckFilter(c, p.predicate, false);
    const rest = duckFilter(c, p.predicate, true);
    return main && rest ? c.result(main.sql, c.input.schema, [{ name: 'rest', sql: rest.sql, schema: c.input.schema }]) : c.none();
  },
  spark(p, s) {
    const cond = sparkPredicate(s, p.predicate);
    return { lines: [`${s.id} = ${s.input}.where(${cond})`, `${s.id}__rest = ${s.input}.where(~F.coalesce(${cond}, F.lit(False)))`], extras: ['rest'] };
  },
  examples: [{ title: 'rainy days apart', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { predicate: { combine: 'and', conditions: [{ path: 'weather', op: '=', value: 'rain' }] } } }],
  docs: {
    tab: 'The matching records are the output; the others (NULL included) are the second output `rest`.',
    spark: 'Two DataFrame.where calls with Filter\'s predicate, the second negated with NULL as not matching (the extra `${id}__rest`).',
    glue: 'The PySpark body (Glue\'s SplitRows takes comparison dictionaries only).',
  },
});
