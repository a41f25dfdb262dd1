import { quoteIdent } from '../engine/sql';
import { isNumeric, renderType, type GlueType, type StructField } from '../schema/types';
import type { FrameEngine } from './run';

/** How a column is profiled: numbers and dates get a mean/histogram, text gets lengths of nothing. */
export type ProfileKind = 'numeric' | 'temporal' | 'text' | 'nested';

/** One bar of a histogram: values in [lo, hi) (the last bar includes hi). */
export interface HistogramBin { lo: number; hi: number; count: number }

/** A DataBrew-like profile of one column. */
export interface ColumnProfile {
  column: string;
  type: string;
  kind: ProfileKind;
  rows: number;
  nulls: number;
  /** Share of null values, 0..100. */
  nullPct: number;
  distinct: number;
  min: string | null;
  max: string | null;
  mean: number | null;
  top: { value: string; count: number }[];
  /** Equal-width bins over numbers, or over dates/timestamps as epoch seconds; null for other kinds. */
  histogram: HistogramBin[] | null;
}

/** Which profile a type gets. */
export function profileKind(type: GlueType): ProfileKind {
  if (isNumeric(type)) return 'numeric';
  if (type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp')) return 'temporal';
  if (type.kind === 'primitive' || type.kind === 'varchar' || type.kind === 'char' || type.kind === 'null') return 'text';
  return 'nested';
}

/** The column as an expression that min/max/distinct accept (nested and choice values compare as text). */
function comparable(field: StructField): string {
  const col = quoteIdent(field.name);
  return profileKind(field.type) === 'nested' ? `CAST(${col} AS VARCHAR)` : col;
}

/** SQL for row count, nulls, distinct, min, max and mean of one column. */
export function profileStatsSql(relation: string, field: StructField): string {
  const x = comparable(field);
  const kind = profileKind(field.type);
  const mean = kind === 'numeric' ? `avg(CAST(${x} AS DOUBLE))` : 'NULL::DOUBLE';
  const minMax = kind === 'nested' ? 'NULL::VARCHAR, NULL::VARCHAR' : `CAST(min(${x}) AS VARCHAR), CAST(max(${x}) AS VARCHAR)`;
  return `SELECT count(*) AS rows, count(${x}) AS nonnull, count(DISTINCT ${x}) AS distinct_values, ${minMax}, ${mean} FROM ${quoteIdent(relation)}`;
}

/**
 * SQL for the k most frequent non-null values, ties broken by value in the column's own order (9 before 10,
 * dates by date), so the answer is stable and reads naturally; nested values tie-break as text.
 */
export function profileTopSql(relation: string, field: StructField, k = 10): string {
  const x = comparable(field);
  return `SELECT CAST(${x} AS VARCHAR) AS value, count(*) AS n FROM ${quoteIdent(relation)} WHERE ${quoteIdent(field.name)} IS NOT NULL GROUP BY ${x} ORDER BY n DESC, ${x} LIMIT ${Math.max(1, Math.trunc(k))}`;
}

/** SQL for an equal-width histogram (rows: bin, count, lo, hi), or null when the column has none. */
export function profileHistogramSql(relation: string, field: StructField, bins = 20): string | null {
  const kind = profileKind(field.type);
  if (kind !== 'numeric' && kind !== 'temporal') return null;
  const col = quoteIdent(field.name);
  const x = kind === 'numeric' ? `CAST(${col} AS DOUBLE)` : `CAST(epoch(${col}) AS DOUBLE)`;
  const n = Math.max(1, Math.trunc(bins));
  return `WITH v AS (SELECT ${x} AS x FROM ${quoteIdent(relation)} WHERE ${col} IS NOT NULL AND isfinite(${x})), ` +
    `b AS (SELECT min(x) AS lo, max(x) AS hi FROM v) ` +
    `SELECT coalesce(least(CAST(floor((x - lo) / nullif(hi - lo, 0) * ${n}) AS INTEGER), ${n - 1}), 0) AS bin, count(*) AS n, any_value(lo) AS lo, any_value(hi) AS hi ` +
    `FROM v, b GROUP BY 1 ORDER BY 1`;
}

/** Turn the rows of `profileHistogramSql` into bins, filling empty ones with zero. */
export function readHistogram(rows: unknown[][], bins = 20): HistogramBin[] {
  if (!rows.length) return [];
  const lo = Number(rows[0]![2]);
  const hi = Number(rows[0]![3]);
  if (lo === hi) return [{ lo, hi, count: rows.reduce((s, r) => s + Number(r[1]), 0) }];
  const width = (hi - lo) / bins;
  const out = Array.from({ length: bins }, (_, i) => ({ lo: lo + i * width, hi: i === bins - 1 ? hi : lo + (i + 1) * width, count: 0 }));
  for (const r of rows) out[Number(r[0])]!.count += Number(r[1]);
  return out;
}

/**
 * Profile one column of a relation (a preview sample or the full data) with three small DuckDB queries.
 * The UI calls it column by column, so profiles fill in incrementally.
 */
export function profileColumn(engine: FrameEngine, relation: string, field: StructField, opts: { top?: number; bins?: number } = {}): ColumnProfile {
  const bins = opts.bins ?? 20;
  const [rows, nonnull, distinct, min, max, mean] = engine.query(profileStatsSql(relation, field), 1).rows[0]!;
  const total = Number(rows);
  const nulls = total - Number(nonnull);
  const top = engine.query(profileTopSql(relation, field, opts.top ?? 10)).rows.map((r) => ({ value: String(r[0]), count: Number(r[1]) }));
  const hist = profileHistogramSql(relation, field, bins);
  return {
    column: field.name,
    type: renderType(field.type),
    kind: profileKind(field.type),
    rows: total,
    nulls,
    nullPct: total ? (nulls / total) * 100 : 0,
    distinct: Number(distinct),
    min: min === null ? null : String(min),
    max: max === null ? null : String(max),
    mean: mean === null ? null : Number(mean),
    top,
    histogram: hist ? readHistogram(engine.query(hist).rows, bins) : null,
  };
}
