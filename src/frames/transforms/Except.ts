import { defineTransform } from './def';
import { duckSetOperation, sparkSetOperation } from './Intersect';
import { str } from './text';

export interface ExceptParams { other: string; all?: boolean }

export default defineTransform<'Except', ExceptParams>({
  kind: 'Except',
  group: 'Combine',
  help: 'Keep the records of this input that are not in another (columns matched by name; distinct unless "all").',
  side: 'other',
  defaults: (_schema, others) => ({ other: others[0] ?? '', all: false }),
  form: [
    { key: 'other', label: 'Records not in', widget: 'side' },
    { key: 'all', label: 'Except all (subtract duplicates one by one)', widget: 'checkbox' },
  ],
  describe: (p, inputs) => `keep the ${p.all === true ? '' : 'distinct '}records not in ${inputs[1] ?? (str(p.other) || 'the second input')}`,
  duckdb: (p, c) => duckSetOperation(c, p.other, 'EXCEPT', p.all === true),
  spark: (p, s) => sparkSetOperation(s, p.all === true ? 'exceptAll' : 'subtract'),
  examples: [
    { title: 'New York weather: records not in the Seattle file', input: 'node_modules/vega-datasets/data/weather.csv', other: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { other: '', all: false } },
    { title: 'every weather record minus the Seattle ones, duplicates kept', input: 'node_modules/vega-datasets/data/weather.csv', other: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { other: '', all: true } },
  ],
  docs: {
    tab: 'Keeps the records of the first input that are not in the second (SQL EXCEPT, distinct; with "Except all", EXCEPT ALL: each record of the second input cancels one equal record of the first). Columns are matched by name as in Intersect: the output has the columns both inputs have, in the first input\'s order, at merged types (numbers widen; other disagreeing types are an error); NULLs compare equal. The output order is unspecified.',
    spark: 'DataFrame.subtract (EXCEPT DISTINCT) or exceptAll over both inputs selected to the shared columns, cast to the merged types.',
    glue: 'The PySpark body (Glue Studio has no Except node).',
    differences: 'Spark\'s subtract and exceptAll match columns by position; Epoxy selects the shared columns by name first, dropping (with a warning) columns only one input has.',
  },
});
