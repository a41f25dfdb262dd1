import { quoteIdent } from '../../engine/sql';
import type { PlainValue, ResultColumn } from '../../engine/values';
import { isNumericType } from '../grid/format';

export type ChartKind = 'bar' | 'line' | 'histogram' | 'scatter';
export type ChartAggregate = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** What the chart panel asks for: a kind and the result's columns on each axis. */
export interface ChartSpec {
  kind: ChartKind;
  /** Category (bar), ordered axis (line), the measured column (histogram), x (scatter). */
  x: string;
  /** The measure (bar, line: aggregated; scatter: y). Unused by a histogram and by `count`. */
  y: string | null;
  aggregate: ChartAggregate;
}

/** Bars shown at most (the largest), points of a line, points of a scatter (a sample), bins of a histogram. */
export const CHART_LIMITS = { bars: 50, line: 2000, scatter: 5000, bins: 30 };

export const isNumeric = (c: ResultColumn) => isNumericType(c.type.toUpperCase());

/**
 * A first chart that makes sense for any result: rows counted by its first text column (a sum of the first
 * number column is often a sum of ids), else a histogram of its first number column.
 */
export function defaultChart(columns: ResultColumn[]): ChartSpec | null {
  if (!columns.length) return null;
  const num = columns.find(isNumeric);
  const cat = columns.find((c) => !isNumeric(c));
  if (cat) return { kind: 'bar', x: cat.name, y: num?.name ?? null, aggregate: 'count' };
  if (num) return { kind: 'histogram', x: num.name, y: null, aggregate: 'count' };
  return { kind: 'bar', x: columns[0]!.name, y: null, aggregate: 'count' };
}

/** Why a spec can't be drawn from these columns, in words, or null when it can. */
export function chartProblem(spec: ChartSpec, columns: ResultColumn[]): string | null {
  const col = (name: string | null) => columns.find((c) => c.name === name);
  const x = col(spec.x);
  if (!x) return 'Pick a column for the x axis.';
  if (spec.kind === 'histogram') return isNumeric(x) ? null : `A histogram counts numbers: ${x.name} is ${x.type}.`;
  if (spec.kind === 'scatter') {
    const y = col(spec.y);
    if (!isNumeric(x) || !y || !isNumeric(y)) return 'A scatter plots two number columns against each other.';
    return null;
  }
  if (spec.aggregate !== 'count') {
    const y = col(spec.y);
    if (!y) return 'Pick the column to measure, or count rows.';
    if (!isNumeric(y) && spec.aggregate !== 'min' && spec.aggregate !== 'max') return `${spec.aggregate} needs numbers: ${y.name} is ${y.type}.`;
  }
  return null;
}

function measure(spec: ChartSpec): string {
  return spec.aggregate === 'count' || !spec.y ? 'count(*)' : `${spec.aggregate}(${quoteIdent(spec.y)})`;
}

/**
 * The SQL that computes a chart's points over `source` (the result in its grid view), in the engine: a chart
 * never pulls every row into the page. Columns come back as (label, value) — or (x, y) for a scatter, and
 * (bin start, bin end, count) for a histogram.
 */
export function chartSql(spec: ChartSpec, source: string): string {
  const x = quoteIdent(spec.x);
  switch (spec.kind) {
    case 'bar':
      return `SELECT CAST(${x} AS VARCHAR) AS label, ${measure(spec)} AS value FROM (${source}) GROUP BY 1 ORDER BY 2 DESC NULLS LAST LIMIT ${CHART_LIMITS.bars}`;
    case 'line':
      return `SELECT ${x} AS label, ${measure(spec)} AS value FROM (${source}) WHERE ${x} IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT ${CHART_LIMITS.line}`;
    case 'scatter':
      return `SELECT CAST(${x} AS DOUBLE) AS x, CAST(${quoteIdent(spec.y ?? spec.x)} AS DOUBLE) AS y FROM (${source}) WHERE ${x} IS NOT NULL AND ${quoteIdent(spec.y ?? spec.x)} IS NOT NULL USING SAMPLE reservoir(${CHART_LIMITS.scatter} ROWS) REPEATABLE (7)`;
    case 'histogram': {
      const n = CHART_LIMITS.bins;
      return `WITH v AS (SELECT CAST(${x} AS DOUBLE) AS v FROM (${source}) WHERE ${x} IS NOT NULL), b AS (SELECT min(v) AS lo, max(v) AS hi FROM v) ` +
        `SELECT lo + i * w AS bin_start, lo + (i + 1) * w AS bin_end, count(*) AS n FROM (` +
        `SELECT lo, CASE WHEN hi = lo THEN 1 ELSE (hi - lo) / ${n} END AS w, LEAST(${n - 1}, CAST(floor((v - lo) / CASE WHEN hi = lo THEN 1 ELSE (hi - lo) / ${n} END) AS INTEGER)) AS i FROM v, b` +
        `) GROUP BY lo, w, i ORDER BY i`;
    }
  }
}

/** A label for a value on an axis (text, never markup). */
export function axisLabel(value: PlainValue | undefined): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Math.round(value * 1000) / 1000);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
