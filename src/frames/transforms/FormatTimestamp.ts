import { quoteLiteral } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderRoot } from '../tree';
import { t, type GlueType } from '../../schema/types';
import { defineTransform, type Thresholds } from './def';
import { isText, outputPath, sourceColumn, sparkOutputName, typeAt, typeIs, setOutput } from './column-out';
import { duckIsoTimestamp, formatPattern, sparkIsoTimestamp } from './datetime-pattern';
import { literal, str } from './text';

export interface FormatTimestampParams extends Thresholds {
  /** The timestamp or date column (Glue: Column); ISO text is read as a timestamp first. */
  path: string;
  /** A Spark datetime pattern (Glue: Timestamp format), e.g. `yyyy-MM-dd HH:mm`. */
  pattern: string;
  /** The string column to write (Glue: new column name); empty replaces the column. */
  target?: string;
}

const dateLike = (type: GlueType) => type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp');

export default defineTransform<'FormatTimestamp', FormatTimestampParams>({
  kind: 'FormatTimestamp',
  group: 'Text & dates',
  help: 'Format a timestamp or date column as text with a Spark datetime pattern.',
  // Formatting ISO text needs no conversion step first; records whose text is not ISO are error records.
  canFail: true,
  defaults: (schema) => {
    const col = schema.find((f) => dateLike(f.type)) ?? schema.find((f) => isText(f.type)) ?? schema[0];
    return { path: renderPath([col?.name ?? 'column']), pattern: 'yyyy-MM-dd', target: `${col?.name ?? 'column'}_text` };
  },
  form: [
    { key: 'path', label: 'Column', widget: 'column' },
    { key: 'pattern', label: 'Timestamp format (Spark letters, e.g. dd/MM/yyyy HH:mm)', widget: 'text', mono: true },
    { key: 'target', label: 'New column name', widget: 'text', placeholder: '(replace the column)', optional: true },
  ],
  describe: (p) => `${str(p.path)} formatted as ${literal(p.pattern)}${p.target ? ` into ${str(p.target)}` : ''}`,
  duckdb(p, c) {
    const root = c.tree();
    const src = sourceColumn(c, root, p.path);
    if (!src) return c.none();
    let format: string;
    try { format = formatPattern(p.pattern); } catch (err) { c.error((err as Error).message, p.path); return c.none(); }
    const to = outputPath(c, src, p.path, p.target);
    if (!to) return c.none();
    const text = isText(src.type);
    if (!text && !dateLike(src.type)) { c.error(`FormatTimestamp formats a timestamp or date; ${typeIs(p.path, src.type)} (convert it with ToTimestamp first)`, p.path); return c.none(); }
    const value = text ? duckIsoTimestamp(src.expr) : src.expr;
    const expr = `strftime(${value}, ${quoteLiteral(format)})`;
    setOutput(root, to, { expr, type: t.string });
    const { select, schema } = renderRoot(root);
    if (!text) return c.result(`SELECT ${select} FROM ${c.from}`, schema);
    return c.checked(select, schema, [{ column: p.path, value: src.expr, result: expr, reason: 'not an ISO 8601 timestamp (yyyy-MM-dd[THH:mm[:ss[.ffffff][zone]]])' }]);
  },
  spark(p, s) {
    formatPattern(p.pattern);
    const col = s.col(p.path);
    const type = typeAt(s.schema, p.path);
    const name = sparkOutputName(s, p.path, p.target);
    if (type && dateLike(type)) return { lines: [`${s.id} = ${s.input}.withColumn(${name}, F.date_format(${col}, ${s.value(p.pattern)}))`] };
    const ts = sparkIsoTimestamp(s, col);
    return { lines: [`${s.id} = ${s.input}.where(${col}.isNull() | ${ts}.isNotNull()).withColumn(${name}, F.date_format(${ts}, ${s.value(p.pattern)}))`] };
  },
  examples: [
    { title: 'weather dates as day/month/year', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { path: 'date', pattern: 'dd/MM/yyyy', target: 'day' } },
    { title: 'weather dates as month names and week days, in place', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { path: 'date', pattern: "EEE d MMMM yyyy 'at' HH:mm" } },
  ],
  docs: {
    tab: 'Formats a timestamp or date column (or ISO text, read as ToTimestamp iso does; other text is an error record) as a string with a Spark datetime pattern translated to DuckDB strftime (yyyy yy M MM MMM MMMM d dd D DDD E EEEE a h hh H HH m mm s ss SSS SSSSSS, \'quoted text\'); other letters (zones, weeks, quarters, eras) are refused, named.',
    spark: 'F.date_format(col, pattern) in withColumn.',
    glue: 'The PySpark body (Glue Studio\'s Format Timestamp also takes Python %-codes; here the pattern is Spark\'s).',
    differences: 'Month and day names are English in both. Timestamps have no time zone (TIMESTAMP_NTZ in Spark), so the session time zone does not change the text.',
  },
});
