import { renderPath } from '../paths';
import { defineTransform } from './def';
import { dropPaths } from './DropFields';
import { selectPaths } from './SelectFields';
import { listText } from './text';
import { extraVar } from './def';
import { sparkDropPaths } from './DropFields';
import { sparkSelectPaths } from './SelectFields';

export interface SplitFieldsParams { paths: string[] }

export default defineTransform<'SplitFields', SplitFieldsParams>({
  kind: 'SplitFields',
  group: 'Columns',
  help: 'Split into the given fields (this frame) and the rest (a second output).',
  defaults: (schema) => ({ paths: [renderPath([schema[0]?.name ?? 'column'])] }),
  form: [{ key: 'paths', label: 'Fields to keep', widget: 'columns' }],
  describe: (p) => `${listText(p.paths)} here, the other columns to a second output`,
  duckdb(p, c) {
    const main = selectPaths(c, p.paths);
    const rest = main && dropPaths(c, p.paths);
    return main && rest ? c.result(`SELECT ${main.select} FROM ${c.from}`, main.schema, [{ name: 'rest', sql: `SELECT ${rest.select} FROM ${c.from}`, schema: rest.schema }]) : c.none();
  },
  spark: (p, s) => ({
    lines: [`${s.id} = ${s.input}.select(${sparkSelectPaths(s.schema, p.paths).join(', ')})`, `${extraVar(s.id, 'rest')} = ${s.input}.select(${sparkDropPaths(s.schema, p.paths).join(', ')})`],
    extras: ['rest'],
  }),
  examples: [{ title: 'car names apart from the rest', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Name', 'Year'] } }],
  docs: {
    tab: 'The given fields are the output; the other fields are the second output `rest`.',
    spark: 'Two selects of the same DataFrame, built as the tab\'s (nested picks keep their struct); the second is the extra `${id}__rest`.',
    glue: 'The PySpark body.',
  },
});
