import type { QueryResult } from '../engine/values';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/[\r\n\t]/g, ' ');
}

/** Render a result as a boxed text table like DuckDB's shell, numbers right-aligned. */
export function renderTable(result: QueryResult, maxWidth = 40): string {
  const clip = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s);
  const header = result.columns.map((c) => clip(c.name));
  const types = result.columns.map((c) => clip(c.type.toLowerCase()));
  const body = result.rows.map((row) => row.map((v) => clip(cellText(v))));
  const widths = result.columns.map((_, i) => Math.max(header[i]!.length, types[i]!.length, ...body.map((r) => r[i]!.length), 1));
  const numeric = result.columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|REAL/.test(c.type));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: string[], alignRight: boolean[] = []) =>
    '│' + cells.map((c, i) => ' ' + (alignRight[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)) + ' ').join('│') + '│';
  return [
    line('┌', '┬', '┐'),
    row(header),
    row(types),
    line('├', '┼', '┤'),
    ...body.map((r) => row(r, numeric)),
    line('└', '┴', '┘'),
  ].join('\n');
}
