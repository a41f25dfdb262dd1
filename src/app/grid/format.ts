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

/** Text widths a type needs at least, in characters (a timestamp is never cut to "2001-01-…"). */
function typeChars(type: string): number {
  const t = type.toUpperCase();
  if (t.startsWith('TIMESTAMP')) return 19;
  if (t === 'DATE') return 10;
  if (t === 'TIME') return 8;
  if (t === 'UUID') return 36;
  return 0;
}

/**
 * Pixel widths of the grid's columns from their names, types and the rows already known (the first page):
 * wide enough for what is there, between 96 and 420 px. Pure, so it is tested without a DOM.
 */
export function columnWidths(columns: { name: string; type: string }[], rows: readonly (readonly PlainValue[])[], charPx = 8): number[] {
  return columns.map((c, i) => {
    let chars = Math.max(c.name.length, shortType(c.type).length, typeChars(c.type));
    for (const row of rows.slice(0, 200)) chars = Math.max(chars, Math.min(60, formatCell(row[i]).length));
    return Math.min(420, Math.max(96, Math.ceil(chars * charPx) + 24));
  });
}
