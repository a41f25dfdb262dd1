import { quoteIdent } from '../../engine/sql';
import { isNumeric, renderType } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { defineTransform, type Thresholds } from './def';
import { str } from './text';
import { py, refuse, sparkTypeOf, typeOf } from './spark-kit';

export interface DerivedParams extends Thresholds { name: string; sql: string; type?: string }

function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : '"' + name.replace(/"/g, '""') + '"';
}

export default defineTransform<'Derived', DerivedParams>({
  kind: 'Derived',
  group: 'SQL',
  help: 'Add a column computed by a DuckDB SQL expression.',
  canFail: true,
  defaults: (schema) => ({ name: 'new_column', sql: sqlName(schema.find((f) => isNumeric(f.type))?.name ?? schema[0]?.name ?? 'column'), type: 'string' }),
  form: [
    { key: 'name', label: 'New column name', widget: 'text' },
    { key: 'sql', label: 'SQL expression', widget: 'sql', kind: 'expression' },
    { key: 'type', label: 'Type', widget: 'text', placeholder: '(any)', optional: true, short: true },
  ],
  describe: (p) => `add column ${str(p.name)}${p.type ? ` (${str(p.type)})` : ''} computed by the SQL expression below`,
  duckdb(p, c) {
    if (!p.name) { c.error('the new column needs a name'); return c.none(); }
    if (!p.sql?.trim()) { c.error('the expression is empty', p.name); return c.none(); }
    const type = p.type ? c.type(p.type, p.name) : null;
    if (p.type && !type) return c.none();
    const value = `(${p.sql})`;
    const expr = type ? `TRY_CAST(${value} AS ${frameDuckType(type)})` : value;
    const exists = c.input.schema.some((f) => f.name === p.name);
    const select = exists ? `* REPLACE (${expr} AS ${quoteIdent(p.name)})` : `*, ${expr} AS ${quoteIdent(p.name)}`;
    if (!type) return c.result(`SELECT ${select} FROM ${c.from}`, null);
    const schema = exists ? c.input.schema.map((f) => (f.name === p.name ? { name: f.name, type } : f)) : [...c.input.schema, { name: p.name, type }];
    return c.checked(select, schema, [{ column: p.name, value, result: expr, reason: `cannot cast to ${renderType(type)}` }]);
  },
  spark(p, s) {
    if (!p.name) refuse('the new column needs a name');
    if (!p.sql?.trim()) refuse('the expression is empty');
    const value = `F.expr(${s.value(s.sql(p.sql, 'expression'))})`;
    if (!p.type) return { lines: [`${s.id} = ${s.input}.withColumn(${s.value(p.name)}, ${value})`] };
    const type = sparkTypeOf(typeOf(p.type, p.name));
    // The expression's own type is only known when Spark plans it: the helper picks DuckDB's rounding then.
    s.helper('_duck_cast', [
      'def _duck_cast(df, value, ddl):',
      '    """value cast to ddl as DuckDB\'s TRY_CAST does: to an integer rounded (doubles half to even, decimals',
      '    and text half away from zero), NULL when out of range; other casts as Spark\'s."""',
      '    target = T._parse_datatype_string(ddl)',
      '    src = df.select(value).schema.fields[0].dataType',
      '    bounds = [(T.ByteType, 127), (T.ShortType, 32767), (T.IntegerType, 2147483647), (T.LongType, 9223372036854775807)]',
      '    hi = next((b for k, b in bounds if isinstance(target, k)), None)',
      '    if hi is None or src == target:',
      '        return value.cast(target)',
      '    if isinstance(src, (T.FloatType, T.DoubleType)):',
      '        r = F.bround(value)',
      '    elif isinstance(src, T.DecimalType):',
      '        r = F.round(value)',
      '    elif isinstance(src, T.StringType):',
      '        r = F.round(value.cast("decimal(38,9)"))',
      '    elif any(isinstance(src, k) for k, _ in bounds):',
      '        r = value',
      '    else:',
      '        return value.cast(target)',
      '    return F.when((r >= F.lit(-hi - 1).cast("decimal(20,0)")) & (r <= F.lit(hi).cast("decimal(20,0)")), r.cast(target))',
    ]);
    // As the tab: a value that does not convert to the type makes its record an error record (left out).
    return {
      lines: [
        `${s.id}__value = ${value}`,
        `${s.id}__cast = _duck_cast(${s.input}, ${s.id}__value, ${py(type)})`,
        `${s.id} = ${s.input}.where(~(${s.id}__value.isNotNull() & ${s.id}__cast.isNull())).withColumn(${s.value(p.name)}, ${s.id}__cast)`,
      ],
    };
  },
  examples: [{ title: 'power to weight', input: 'node_modules/vega-datasets/data/cars.json', params: { name: 'hp_per_ton', sql: 'Horsepower / (Weight_in_lbs / 2000.0)', type: 'double' } }],
  docs: {
    tab: 'Adds (or replaces) a column computed by a DuckDB SQL expression; with a type, values that do not cast are error records.',
    spark: 'withColumn(F.expr(...)), the expression translated to Spark SQL or refused naming the construct; with a type, the value is cast as DuckDB\'s TRY_CAST rounds to integers and records whose value does not cast are error records (left out), as in the tab.',
    glue: 'The PySpark body.',
    differences: 'Spark writes no error-record frame (the records are only left out).',
  },
});
