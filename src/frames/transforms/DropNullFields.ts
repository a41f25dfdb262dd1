import { quoteIdent } from '../../engine/sql';
import { renderPath } from '../paths';
import { defineTransform } from './def';
import { dropPaths } from './DropFields';

export type DropNullFieldsParams = Record<string, never>;

export default defineTransform<'DropNullFields', DropNullFieldsParams>({
  kind: 'DropNullFields',
  group: 'Columns',
  help: 'Remove columns that are null in every record.',
  defaults: () => ({}),
  form: [],
  describe: () => 'drop columns that are null in every record',
  facts: {
    sql: (input) => (input.schema.length ? `SELECT ${input.schema.map((f, i) => `count(${quoteIdent(f.name)}) AS c${i}`).join(', ')} FROM ${quoteIdent(input.relation)}` : null),
    read: (input, row) => ({ nullColumns: input.schema.filter((_, i) => Number(row[i]) === 0).map((f) => f.name) }),
  },
  duckdb(_p, c) {
    const nulls = c.ctx.facts?.nullColumns;
    if (!nulls) { c.error('DropNullFields needs the null-column facts of its input (run factsSql first)'); return c.none(); }
    const r = dropPaths(c, nulls.map((n) => renderPath([n])));
    return r ? c.result(`SELECT ${r.select} FROM ${c.from}`, r.schema) : c.none();
  },
  spark(_p, s) {
    s.helper('_drop_null_fields', [
      'def _drop_null_fields(df):',
      '    """df without its top-level columns that are null in every record (the tab counts them first too)."""',
      '    names = df.columns',
      '    if not names:',
      '        return df',
      '    cols = [F.col("`%s`" % n.replace("`", "``")) for n in names]',
      '    counts = df.agg(*[F.count(c).alias("c%d" % i) for i, c in enumerate(cols)]).first()',
      '    keep = [c for i, c in enumerate(cols) if counts[i] > 0]',
      '    if not keep:',
      '        raise ValueError("DropNullFields: every column is null in every record; dropping every field leaves no columns")',
      '    return df.select(keep)',
    ]);
    return { lines: [`${s.id} = _drop_null_fields(${s.input})`] };
  },
  examples: [{ title: 'weather without empty columns', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: {} }],
  docs: {
    tab: 'Counts the non-null values of every top-level column first, then drops the columns with none.',
    duckdb: 'The columns the tab\'s run dropped are dropped (the export is compiled from the run\'s schemas).',
    spark: 'A helper counts the non-null values of every top-level column (one aggregate), then selects the columns with any.',
    glue: 'The PySpark body (Glue\'s DropNullFields also drops nested fields and empty strings are not null).',
  },
});
