import { prng } from './data';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];

/**
 * A wide CSV, deterministic for a given shape: `columns` columns × `rows` rows, the column kinds cycling
 * through integer, decimal, text and date (c0 integer, c1 decimal, c2 text, c3 date, …), header `c0,c1,…`.
 * Integer cells are `row * columns + column`, so a test can compute any cell it checks.
 */
export function wideCsv(columns: number, rows: number): string {
  const rand = prng(columns * 1_000_003 + rows);
  const lines: string[] = [Array.from({ length: columns }, (_, c) => `c${c}`).join(',')];
  const day = Date.UTC(2024, 0, 1);
  for (let r = 0; r < rows; r++) {
    const cells = new Array<string>(columns);
    for (let c = 0; c < columns; c++) {
      switch (c % 4) {
        case 0: cells[c] = String(r * columns + c); break;
        case 1: cells[c] = (rand() * 1000).toFixed(2); break;
        case 2: cells[c] = WORDS[Math.floor(rand() * WORDS.length)]!; break;
        default: cells[c] = new Date(day + Math.floor(rand() * 365) * 86_400_000).toISOString().slice(0, 10);
      }
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
