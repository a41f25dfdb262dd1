import { defineTransform } from './def';
import { defaultPredicate, describePredicate, duckFilter, sparkPredicate, type Predicate } from './predicate';

export interface FilterParams { predicate: Predicate }

export default defineTransform<'Filter', FilterParams>({
  kind: 'Filter',
  group: 'Rows',
  help: 'Keep the records a predicate accepts.',
  defaults: (schema) => ({ predicate: defaultPredicate(schema) }),
  form: [{ key: 'predicate', label: 'Keep records matching', widget: 'predicate' }],
  describe: (p) => `keep records where ${describePredicate(p.predicate)}`,
  duckdb(p, c) {
    const f = duckFilter(c, p.predicate, false);
    return f ? c.result(f.sql, c.input.schema) : c.none();
  },
  spark: (p, s) => ({ lines: [`${s.id} = ${s.input}.where(${sparkPredicate(s, p.predicate)})`] }),
  examples: [{ title: 'American cars after 1975', input: 'node_modules/vega-datasets/data/cars.json', params: { predicate: { combine: 'and', conditions: [{ path: 'Origin', op: '=', value: 'USA' }, { path: 'Year', op: '>', value: '1975-01-01' }] } } }, { title: 'airports in three states', input: 'node_modules/vega-datasets/data/airports.csv', params: { predicate: { combine: 'and', conditions: [{ path: 'state', op: 'in', value: 'CA,NY,TX' }] } } }, { title: 'weather containing a digit', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { predicate: { combine: 'or', conditions: [{ path: 'wind', op: 'starts_with', value: '4' }, { path: 'weather', op: 'contains', value: 'sun' }] } } }],
  docs: {
    tab: 'Keeps the records the predicate is true for (NULL counts as false). Form-built literals are cast to the column\'s type; `in` takes a list or comma-separated text.',
    spark: 'DataFrame.where with the same typed literals, paths found at any depth as the tab finds them; a SQL predicate is translated to Spark SQL or refused.',
    glue: 'The PySpark body (Glue\'s Filter.apply takes a Python function, which the tab cannot check).',
    differences: 'A comparison of a struct, array, map or numeric choice column (which the tab makes on DuckDB\'s text of the value) is refused. contains/starts_with on doubles read Spark\'s text of the number (1.0E-5 where DuckDB writes 1e-05).',
  },
});
