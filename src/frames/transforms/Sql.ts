import { defineTransform } from './def';

export interface SqlParams { sql: string }

export default defineTransform<'Sql', SqlParams>({
  kind: 'Sql',
  group: 'SQL',
  help: 'Any DuckDB SELECT over the step input, named `input`.',
  defaults: () => ({ sql: 'SELECT *\nFROM input' }),
  form: [{ key: 'sql', label: 'SQL over input', widget: 'sql', kind: 'query' }],
  describe: () => 'the SQL query below, over its input named input',
  duckdb(p, c) {
    const body = (p.sql ?? '').trim().replace(/;\s*$/, '');
    if (!body) { c.error('the SQL is empty'); return c.none(); }
    // A query with its own WITH clause gets `input` as its first CTE.
    const own = /^with\s+(recursive\s+)?/i.exec(body);
    const input = `"input" AS (SELECT * FROM ${c.from})`;
    return c.result(own ? `WITH ${own[1] ?? ''}${input}, ${body.slice(own[0].length)}` : `WITH ${input} ${body}`, null);
  },
  spark: (p, s) => ({ lines: [`${s.input}.createOrReplaceTempView("input")`, `${s.id} = spark.sql(${s.value(s.sql(p.sql, 'query'))})`] }),
  examples: [{ title: 'mean horsepower by origin', input: 'node_modules/vega-datasets/data/cars.json', params: { sql: 'SELECT Origin, avg(Horsepower) AS hp, count(*) AS n FROM input GROUP BY Origin' } }],
  docs: {
    tab: 'One read-only DuckDB SELECT over the step input, named `input` (checked by the SQL guard).',
    spark: 'spark.sql over a temporary view `input`; the query is translated to Spark SQL or refused naming the construct.',
    glue: 'The PySpark body (Glue Studio\'s SQL transform does the same).',
  },
});
