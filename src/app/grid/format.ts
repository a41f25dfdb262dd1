import type { PlainValue } from '../../engine/values';

/** Render a cell as text (never HTML): nulls are marked, nested values shown as compact JSON. */
export function formatCell(value: PlainValue | undefined): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e9) / 1e9);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Whether a DuckDB type is numeric, to right-align its cells. */
export function isNumericType(type: string): boolean {
  return /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|REAL|DECIMAL.*)$/.test(type);
}

/** A short label for a DuckDB type shown under a column name. */
export function shortType(type: string): string {
  const t = type.toUpperCase();
  if (t.startsWith('STRUCT')) return 'struct';
  if (t.endsWith('[]')) return 'list';
  if (t.startsWith('MAP')) return 'map';
  return t.toLowerCase();
}

/** Human-readable byte size. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Thousands separators for counts. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
