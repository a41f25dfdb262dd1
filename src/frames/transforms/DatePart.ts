import { quoteLiteral } from '../../engine/sql';
import { renderType, t, type GlueType, type StructField } from '../../schema/types';
import { renderPath } from '../paths';
import { pathLabel } from './kit';
import { intoText, isText, rewriteTo, sparkTo, typeAtPath } from './brew';
import { defineTransform } from './def';
import { str } from './text';

export type DatePartName = 'year' | 'quarter' | 'month' | 'day' | 'weekday' | 'day_of_year' | 'week_of_year' | 'hour' | 'minute' | 'second';
export interface DatePartParams { path: string; part: DatePartName; output?: string }

export const DATE_PARTS: readonly DatePartName[] = ['year', 'quarter', 'month', 'day', 'weekday', 'day_of_year', 'week_of_year', 'hour', 'minute', 'second'];
const TIME_PARTS: readonly DatePartName[] = ['hour', 'minute', 'second'];

/** ISO text the tab reads as a timestamp: `2012-01-31`, `2012-01-31 08:30`, `2012-01-31T08:30:15.25` (no zone). */
export const ISO_TEXT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?$';

const DUCK: Record<DatePartName, string> = {
  year: 'year', quarter: 'quarter', month: 'month', day: 'day', weekday: 'isodow', day_of_year: 'dayofyear',
  week_of_year: 'weekofyear', hour: 'hour', minute: 'minute', second: 'second',
};
const SPARK: Record<DatePartName, (c: string) => string> = {
  year: (c) => `F.year(${c})`, quarter: (c) => `F.quarter(${c})`, month: (c) => `F.month(${c})`, day: (c) => `F.dayofmonth(${c})`,
  // Spark's dayofweek is 1 = Sunday; the tab's weekday is ISO: 1 = Monday … 7 = Sunday.
  weekday: (c) => `((F.dayofweek(${c}) + 5) % 7 + 1)`,
  day_of_year: (c) => `F.dayofyear(${c})`, week_of_year: (c) => `F.weekofyear(${c})`,
  hour: (c) => `F.hour(${c})`, minute: (c) => `F.minute(${c})`, second: (c) => `F.second(${c})`,
};

const kindOf = (type: GlueType): 'date' | 'timestamp' | 'text' | null =>
  type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp') ? type.name : isText(type) ? 'text' : null;

function firstDate(schema: StructField[]): string {
  const f = schema.find((x) => x.type.kind === 'primitive' && (x.type.name === 'date' || x.type.name === 'timestamp'))
    ?? schema.find((x) => isText(x.type) && /date|time|day/i.test(x.name)) ?? schema.find((x) => isText(x.type)) ?? schema[0];
  return renderPath([f?.name ?? 'date']);
}

export default defineTransform<'DatePart', DatePartParams>({
  kind: 'DatePart',
  group: 'Text & dates',
  help: 'Extract the year, month, day, weekday, week, hour… of a date, timestamp or ISO date text into an int column (DataBrew YEAR, MONTH, WEEK_DAY…).',
  defaults: (schema) => ({ path: firstDate(schema), part: 'year', output: `${pathLabel(firstDate(schema))}_year` }),
  form: [
    { key: 'path', label: 'Date, timestamp or ISO text column', widget: 'column' },
    { key: 'part', label: 'Part', widget: 'select', options: DATE_PARTS },
    { key: 'output', label: 'Output column', widget: 'text', optional: true, placeholder: '(in place)' },
  ],
  describe: (p) => `${str(p.part).replace(/_/g, ' ')} of ${str(p.path)} ${intoText(p.output)}`,
  duckdb(p, c) {
    if (!DATE_PARTS.includes(p.part)) { c.error(`unknown part ${str(p.part)} (${DATE_PARTS.join(', ')})`, str(p.path)); return c.none(); }
    return rewriteTo(c, p.path, p.output, (expr, type, path) => {
      const kind = kindOf(type);
      if (!kind) { c.error(`DatePart reads a date, a timestamp or ISO date text; ${path} is ${renderType(type)}`, path); return null; }
      if (kind === 'date' && TIME_PARTS.includes(p.part)) { c.error(`${path} is a date: it has no ${p.part}`, path); return null; }
      // Text that is not ISO (or not a real date, such as 2012-02-30) gives NULL, in every engine.
      const value = kind === 'text' ? `(CASE WHEN regexp_full_match(${expr}, ${quoteLiteral(ISO_TEXT)}) THEN TRY_CAST(${expr} AS TIMESTAMP) END)` : expr;
      return { expr: `CAST(${DUCK[p.part]}(${value}) AS INTEGER)`, type: t.int };
    });
  },
  spark(p, s) {
    const type = typeAtPath(s.schema, p.path);
    const text = type ? isText(type) : false;
    return { lines: sparkTo(s, p.path, p.output, (col) => SPARK[p.part](text ? `F.when(${col}.rlike(${s.str(ISO_TEXT)}), ${col}.cast("timestamp"))` : col)) };
  },
  examples: [
    { title: 'seattle weekdays (1 = Monday)', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { path: 'date', part: 'weekday', output: 'weekday' } },
    { title: 'seattle weeks of the year', input: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { path: 'date', part: 'week_of_year', output: 'week' } },
    { title: 'car model years', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Year', part: 'year', output: 'model_year' } },
  ],
  docs: {
    tab: 'Adds an int column with one part of a date, a timestamp, or ISO text (`yyyy-mm-dd`, optionally ` hh:mm[:ss[.ffffff]]` or with `T`, no zone; other text gives NULL): year, quarter, month, day, weekday (ISO: 1 = Monday … 7 = Sunday), day_of_year, week_of_year (ISO 8601 weeks: week 1 holds the year\'s first Thursday, so 1 January may be in week 52 or 53), hour, minute, second (whole seconds). A date has no hour, minute or second (an error).',
    spark: 'F.year, F.quarter, F.month, F.dayofmonth, F.dayofyear, F.weekofyear, F.hour, F.minute, F.second; weekday as (dayofweek + 5) % 7 + 1 (Spark counts 1 = Sunday); ISO text cast to timestamp only where it matches the same pattern.',
    glue: 'The PySpark body.',
    differences: 'Spark parses timestamp text and extracts hours in its session time zone, so wall-clock parts agree, except for a time that does not exist in that zone (a daylight-saving gap, such as 02:30 on a spring-forward night): run Spark with spark.sql.session.timeZone=UTC to rule that out.',
  },
});
