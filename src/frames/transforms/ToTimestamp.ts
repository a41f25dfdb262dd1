import { quoteLiteral } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderRoot } from '../tree';
import { isNumeric, t, type GlueType } from '../../schema/types';
import { defineTransform, type Thresholds } from './def';
import { isText, outputPath, sourceColumn, sparkOutputName, typeAt, typeIs, setOutput } from './column-out';
import { duckIsoTimestamp, parsePattern, sparkIsoTimestamp, sparkMicrosTimestamp } from './datetime-pattern';
import { literal, str } from './text';

export type TimestampFormat = 'iso' | 'seconds' | 'milliseconds' | 'microseconds' | 'pattern';
export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['iso', 'seconds', 'milliseconds', 'microseconds', 'pattern'];

export interface ToTimestampParams extends Thresholds {
  /** The column to convert (Glue: Column to convert). */
  path: string;
  /** How its values read (Glue: Time format): ISO text, epoch numbers, or a Spark datetime pattern. */
  format: TimestampFormat;
  /** A Spark datetime pattern (`yyyy-MM-dd HH:mm`) when format is `pattern`. */
  pattern?: string;
  /** The timestamp column to write (Glue: Column name); empty replaces the column. */
  target?: string;
}

/** Epoch units: microseconds per unit, and the range of years 0001-9999 in that unit. */
const UNITS = {
  seconds: { micros: 1_000_000, lo: -62135596800n, hi: 253402300799n },
  milliseconds: { micros: 1_000, lo: -62135596800000n, hi: 253402300799999n },
  microseconds: { micros: 1, lo: -62135596800000000n, hi: 253402300799999999n },
} as const;

const integral = (type: GlueType) => type.kind === 'primitive' && ['tinyint', 'smallint', 'int', 'bigint'].includes(type.name);
const dateLike = (type: GlueType) => type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp');

export default defineTransform<'ToTimestamp', ToTimestampParams>({
  kind: 'ToTimestamp',
  group: 'Text & dates',
  help: 'Convert ISO text, epoch numbers or text in a pattern to a timestamp column.',
  canFail: true,
  defaults: (schema) => {
    const text = schema.find((f) => isText(f.type));
    const num = schema.find((f) => isNumeric(f.type));
    return text || !num ? { path: renderPath([text?.name ?? schema[0]?.name ?? 'column']), format: 'iso' } : { path: renderPath([num.name]), format: 'seconds' };
  },
  form: [
    { key: 'path', label: 'Column to convert', widget: 'column' },
    { key: 'format', label: 'Time format', widget: 'select', options: TIMESTAMP_FORMATS },
    { key: 'pattern', label: 'Pattern (Spark letters, e.g. yyyy-MM-dd HH:mm)', widget: 'text', mono: true, when: (p) => p['format'] === 'pattern' },
    { key: 'target', label: 'Column name', widget: 'text', placeholder: '(replace the column)', optional: true },
  ],
  describe: (p) => `${str(p.path)} as a timestamp from ${p.format === 'pattern' ? `text like ${literal(p.pattern)}` : p.format === 'iso' ? 'ISO text' : `epoch ${str(p.format)}`}${p.target ? ` into ${str(p.target)}` : ''}`,
  duckdb(p, c) {
    const root = c.tree();
    const src = sourceColumn(c, root, p.path);
    if (!src) return c.none();
    const to = outputPath(c, src, p.path, p.target);
    if (!to) return c.none();
    const v = src.expr;
    let expr: string;
    let reason: string;
    if (p.format === 'iso') {
      if (dateLike(src.type)) expr = `CAST(${v} AS TIMESTAMP)`;
      else if (isText(src.type)) expr = duckIsoTimestamp(v);
      else { c.error(`iso reads text (or a date); ${typeIs(p.path, src.type)}: choose seconds, milliseconds or microseconds for numbers`, p.path); return c.none(); }
      reason = 'not an ISO 8601 timestamp (yyyy-MM-dd[THH:mm[:ss[.ffffff][zone]]])';
    } else if (p.format === 'pattern') {
      if (!isText(src.type)) { c.error(`a pattern reads text; ${typeIs(p.path, src.type)}`, p.path); return c.none(); }
      let parsed;
      try { parsed = parsePattern(p.pattern ?? ''); } catch (err) { c.error((err as Error).message, p.path); return c.none(); }
      expr = `(CASE WHEN regexp_full_match(${v}, ${quoteLiteral(parsed.regex)}) THEN try_strptime(${v}, ${quoteLiteral(parsed.duck)}) END)`;
      reason = `does not read as ${p.pattern}`;
    } else if (p.format in UNITS) {
      if (!isNumeric(src.type)) { c.error(`epoch ${p.format} are numbers; ${typeIs(p.path, src.type)}`, p.path); return c.none(); }
      const u = UNITS[p.format];
      // Truncated toward zero, as Spark's cast of a double to long.
      const micros = integral(src.type) ? `CAST(${v} AS BIGINT) * ${u.micros}` : `CAST(trunc(CAST(${v} AS DOUBLE) * ${u.micros}) AS BIGINT)`;
      expr = `(CASE WHEN ${v} BETWEEN ${u.lo} AND ${u.hi} THEN make_timestamp(${micros}) END)`;
      reason = `epoch ${p.format} outside the years 0001-9999`;
    } else {
      c.error(`unknown time format ${String(p.format)} (${TIMESTAMP_FORMATS.join(', ')})`, p.path);
      return c.none();
    }
    setOutput(root, to, { expr, type: t.timestamp });
    const { select, schema } = renderRoot(root);
    return c.checked(select, schema, [{ column: p.path, value: v, result: expr, reason }]);
  },
  spark(p, s) {
    const col = s.col(p.path);
    const type = typeAt(s.schema, p.path);
    let expr: string;
    // TIMESTAMP_NTZ, the type the Spark export gives the tab's timestamps (no time zone), built without the
    // session time zone.
    if (p.format === 'iso') expr = type && dateLike(type) ? `${col}.cast("timestamp_ntz")` : sparkIsoTimestamp(s, col);
    else if (p.format === 'pattern') {
      if ((p.pattern ?? '').includes('${')) throw new Error('a pattern taken from a job parameter cannot be checked for Spark; write the pattern itself');
      const parsed = parsePattern(p.pattern ?? '');
      expr = `F.when(${col}.rlike(${s.str(parsed.regex)}), F.to_timestamp_ntz(${col}, F.lit(${s.str(p.pattern!)})))`;
    } else if (p.format in UNITS) {
      const u = UNITS[p.format as keyof typeof UNITS];
      const micros = type && integral(type) ? `${col}.cast("long") * ${u.micros}` : `(${col}.cast("double") * ${u.micros}.0).cast("long")`;
      expr = `F.when(${col}.between(${u.lo}, ${u.hi}), ${sparkMicrosTimestamp(s, micros)})`;
    } else throw new Error(`unknown time format ${String(p.format)}`);
    // Values that do not convert leave the frame, as in the tab (where they are the step's error records).
    return { lines: [`${s.id} = ${s.input}.where(${col}.isNull() | ${expr}.isNotNull()).withColumn(${sparkOutputName(s, p.path, p.target)}, ${expr})`] };
  },
  examples: [
    { title: 'car years (ISO text) as timestamps', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Year', format: 'iso', target: 'year_ts' } },
    { title: 'stock dates like "Jan 1 2000" read with a pattern, in place', input: 'node_modules/vega-datasets/data/stocks.csv', params: { path: 'date', format: 'pattern', pattern: 'MMM d yyyy' } },
    { title: 'flight times like "2001/01/14 21:55"', input: 'node_modules/vega-datasets/data/flights-2k.json', params: { path: 'date', format: 'pattern', pattern: 'yyyy/MM/dd HH:mm', target: 'departure' } },
  ],
  docs: {
    tab: 'Converts a column to a timestamp (UTC wall clock): ISO 8601 text (yyyy-MM-dd[THH:mm[:ss[.ffffff][Z|±hh[:mm]]]], an offset converted to UTC) or a date; epoch seconds, milliseconds or microseconds (fractions truncated); or text in a Spark datetime pattern (translated to DuckDB strptime; letters that read differently are refused, named). Values that do not convert are error records (Glue\'s thresholds apply).',
    spark: 'TIMESTAMP_NTZ values, built without the session time zone: a cast (ISO, the offset subtracted), epoch microseconds taken apart into make_timestamp_ntz, or F.to_timestamp_ntz(col, pattern); each only on text of the shape the tab reads (the same regex). Records that do not convert are dropped (Spark has no error records: alone, it would give NULL, or throw SparkUpgradeException for text its legacy parser reads).',
    glue: 'The PySpark body (Glue Studio\'s To Timestamp also has autodetect, which is not offered: say the format).',
    differences: 'Spark keeps no error records (the tab\'s error frame has them).',
  },
});
