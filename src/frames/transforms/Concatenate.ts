import { quoteLiteral } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderRoot } from '../tree';
import { renderType, t } from '../../schema/types';
import { defineTransform } from './def';
import { sourceColumn, typeAt, setOutput } from './column-out';
import { arr, listText, literal, str } from './text';

export interface ConcatenateParams {
  /** The new string column (Glue: Concatenated column). */
  target: string;
  /** The columns to join, in order (Glue: Columns). */
  columns: string[];
  /** Text between the values (Glue: Spacer); default none. */
  spacer?: string;
  /** Text for a NULL value (Glue: Null value); default empty, as Glue. */
  nullValue?: string;
}

/**
 * A double as Spark's cast to string prints it (Java's Double.toString): digits from 0.001 up to 10 million,
 * otherwise d.dddE±n (1.0E7, 1.0E-4); NaN and Infinity spelled out. DuckDB prints the same shortest digits, so
 * only the layout is rebuilt from its text.
 */
export function javaDoubleText(x: string): string {
  const s = `CAST(abs(${x}) AS VARCHAR)`;
  const sign = `CASE WHEN ${x} < 0 THEN '-' ELSE '' END`;
  const int = `split_part(${s}, '.', 1)`;
  const frac = `split_part(${s}, '.', 2)`;
  // Decimal text: digits without the point, and the exponent of the first one.
  const digits = `CASE WHEN ${int} <> '0' THEN rtrim(${int} || ${frac}, '0') ELSE rtrim(ltrim(${frac}, '0'), '0') END`;
  const exp = `CASE WHEN ${int} <> '0' THEN length(${int}) - 1 ELSE length(ltrim(${frac}, '0')) - length(${frac}) - 1 END`;
  const fromDecimal = `substr(${digits}, 1, 1) || '.' || coalesce(nullif(substr(${digits}, 2), ''), '0') || 'E' || CAST(${exp} AS VARCHAR)`;
  const mantissa = `split_part(${s}, 'e', 1)`;
  const fromScientific = `${mantissa} || CASE WHEN contains(${mantissa}, '.') THEN '' ELSE '.0' END || 'E' || CAST(CAST(split_part(${s}, 'e', 2) AS INTEGER) AS VARCHAR)`;
  return `(CASE WHEN ${x} IS NULL THEN NULL WHEN isnan(${x}) THEN 'NaN' WHEN isinf(${x}) THEN ${sign} || 'Infinity' `
    + `WHEN ${x} = 0 OR (abs(${x}) >= 0.001 AND abs(${x}) < 10000000) THEN CAST(${x} AS VARCHAR) `
    + `ELSE ${sign} || CASE WHEN contains(${s}, 'e') THEN ${fromScientific} ELSE ${fromDecimal} END END)`;
}

export default defineTransform<'Concatenate', ConcatenateParams>({
  kind: 'Concatenate',
  group: 'Text & dates',
  help: 'Join several columns into a new string column, with a spacer between them.',
  defaults: (schema) => ({ target: 'concatenated', columns: schema.slice(0, 2).map((f) => renderPath([f.name])), spacer: '-' }),
  form: [
    { key: 'target', label: 'Concatenated column', widget: 'text' },
    { key: 'columns', label: 'Columns (in the order ticked)', widget: 'columns' },
    { key: 'spacer', label: 'Spacer', widget: 'text', short: true, optional: true, placeholder: '(none)' },
    { key: 'nullValue', label: 'Null value', widget: 'text', short: true, optional: true, placeholder: '(empty)' },
  ],
  describe: (p) => `${str(p.target)} = ${listText(p.columns)} joined by ${literal(p.spacer ?? '')}${p.nullValue ? `, NULL as ${literal(p.nullValue)}` : ''}`,
  duckdb(p, c) {
    if (!p.target) c.error('the concatenated column needs a name');
    if (!arr(p.columns).length) c.error('tick at least one column to concatenate');
    const root = c.tree();
    const parts: string[] = [];
    for (const path of arr(p.columns).map(str)) {
      const src = sourceColumn(c, root, path);
      if (!src) continue;
      const k = src.type.kind;
      if (k === 'struct' || k === 'array' || k === 'map' || k === 'choice') { c.error(`only plain values concatenate; ${path} is ${renderType(src.type)}`, path); continue; }
      if (k === 'primitive' && src.type.name === 'binary') { c.error(`${path} is binary: cast it to text first`, path); continue; }
      // A NULL part is the Null value text (Glue's default: empty), the spacers around it kept.
      const text = k === 'primitive' && (src.type.name === 'double' || src.type.name === 'float') ? javaDoubleText(src.expr) : `CAST(${src.expr} AS VARCHAR)`;
      parts.push(`coalesce(${text}, ${quoteLiteral(p.nullValue ?? '')})`);
    }
    if (c.failed()) return c.none();
    setOutput(root, [p.target], { expr: `concat_ws(${quoteLiteral(p.spacer ?? '')}, ${parts.join(', ')})`, type: t.string });
    const { select, schema } = renderRoot(root);
    return c.result(`SELECT ${select} FROM ${c.from}`, schema);
  },
  spark(p, s) {
    const parts = arr(p.columns).map(str).map((path) => {
      const type = typeAt(s.schema, path);
      // Spark's cast renders a boolean as true/false and a date as yyyy-MM-dd, like DuckDB's.
      const text = type && type.kind === 'primitive' && type.name === 'string' ? s.col(path) : `${s.col(path)}.cast("string")`;
      return `F.coalesce(${text}, F.lit(${s.value(p.nullValue ?? '')}))`;
    });
    return { lines: [`${s.id} = ${s.input}.withColumn(${s.value(p.target)}, F.concat_ws(${s.value(p.spacer ?? '')}, ${parts.join(', ')}))`] };
  },
  examples: [
    { title: 'airport places as city, state', input: 'node_modules/vega-datasets/data/airports.csv', params: { target: 'place', columns: ['city', 'state', 'country'], spacer: ', ' } },
    { title: 'car labels with origin, horsepower and miles per gallon (a double), missing values as n/a', input: 'node_modules/vega-datasets/data/cars.json', params: { target: 'label', columns: ['Origin', 'Horsepower', 'Miles_per_Gallon'], spacer: '/', nullValue: 'n/a' } },
  ],
  docs: {
    tab: 'Adds (or replaces) a string column joining the columns\' values as text (as Spark casts them to string: doubles like 1.0E7) with the spacer between them; a NULL value is the Null value text (empty unless set, the spacers kept: `a--b`), as Glue Studio documents.',
    spark: 'F.concat_ws(spacer, coalesce(col.cast("string"), null value)...) in withColumn.',
    glue: 'The PySpark body.',
    differences: 'Doubles print as Spark prints them (1.0E7, 1.0E-4) in every engine; Java 17 prints a few rare doubles (subnormals such as 4.9E-324) with other digits. Glue Studio also treats the text "NULL"/"NA" as null; here only real NULLs are.',
  },
});
