/** The rows a virtualized list must render for a scroll position, with overscan above and below. */
export interface VisibleRange {
  start: number;
  end: number;
  /** Where row `start` is drawn, from the top of the scroll body. */
  offsetPx: number;
  /** Height of the scroll body (capped: see MAX_SCROLL_PX). */
  totalPx: number;
}

/**
 * The tallest scroll body the grid makes. Browsers cap an element's height (chromium at ~33.5M px, Firefox
 * at ~17.9M): at 28 px a row, a 3M-row table would stop at row 1,198,383. Past this height the scroll
 * position is scaled to the rows, so the last row of any table is reached.
 */
export const MAX_SCROLL_PX = 15_000_000;

/**
 * Compute which rows are visible, for a body viewport of `viewportPx` (the grid's height minus its header).
 * Pure, so it is tested without a DOM. While the rows fit in MAX_SCROLL_PX a pixel is a pixel; beyond, the
 * scroll range maps linearly onto the rows' range, so the top of the scroll shows row 1 and its end the last row.
 */
export function visibleRange(scrollTop: number, viewportPx: number, rowPx: number, rowCount: number, overscan = 10, maxPx = MAX_SCROLL_PX): VisibleRange {
  const fullPx = rowCount * rowPx;
  const totalPx = Math.min(fullPx, maxPx);
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalPx - viewportPx)));
  // The position in the unscaled rows: equal to `top` while nothing is scaled.
  const scrollRange = totalPx - viewportPx;
  const rowsTop = fullPx === totalPx || scrollRange <= 0 ? top : (top / scrollRange) * (fullPx - viewportPx);
  const first = Math.floor(rowsTop / rowPx);
  const visible = Math.ceil(viewportPx / rowPx) + 1;
  const start = Math.max(0, Math.min(first - overscan, rowCount));
  const end = Math.max(start, Math.min(rowCount, first + visible + overscan));
  // Row `start` sits (rowsTop - start*rowPx) above the viewport's top edge, which is at `top` in the body.
  return { start, end, offsetPx: top - (rowsTop - start * rowPx), totalPx };
}

/** The scrollTop that puts row `index` (0-based) at the top of the viewport: the inverse of visibleRange. */
export function scrollTopForRow(index: number, viewportPx: number, rowPx: number, rowCount: number, maxPx = MAX_SCROLL_PX): number {
  const fullPx = rowCount * rowPx;
  const totalPx = Math.min(fullPx, maxPx);
  const rowsTop = Math.max(0, Math.min(index * rowPx, fullPx - viewportPx));
  if (fullPx === totalPx || fullPx - viewportPx <= 0) return rowsTop;
  return (rowsTop / (fullPx - viewportPx)) * (totalPx - viewportPx);
}

/** Page indexes needed to cover rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** Width in px of the row-number column: enough for the largest number, grouped (10,000,000). */
export function rowNumberWidth(rowCount: number, charPx = 8): number {
  return Math.max(48, rowCount.toLocaleString('en-US').length * charPx + 22);
}

/**
 * How far to move the scrollbar for a wheel movement of `deltaPx`, so that it moves as many rows as it would
 * unscaled (beyond MAX_SCROLL_PX a pixel of scrollbar is many rows: a wheel notch would skip dozens).
 */
export function wheelScrollPx(deltaPx: number, viewportPx: number, rowPx: number, rowCount: number, maxPx = MAX_SCROLL_PX): number {
  const fullPx = rowCount * rowPx;
  const totalPx = Math.min(fullPx, maxPx);
  if (fullPx === totalPx || fullPx - viewportPx <= 0) return deltaPx;
  return (deltaPx * (totalPx - viewportPx)) / (fullPx - viewportPx);
}

/** The columns a horizontally virtualized grid renders, and the blank widths that stand for the others. */
export interface VisibleColumns {
  /** First rendered column (0-based) and one past the last. */
  start: number;
  end: number;
  /** Width of the columns left of `start`, and right of `end`, drawn as one blank cell each. */
  leftPx: number;
  rightPx: number;
}

/** Left edges of columns of these widths, plus the total width at the end (length n + 1). */
export function columnOffsets(widths: readonly number[]): Float64Array {
  const out = new Float64Array(widths.length + 1);
  for (let i = 0; i < widths.length; i++) out[i + 1] = out[i]! + widths[i]!;
  return out;
}

/**
 * Which columns a grid scrolled `scrollLeft` px to the right must render in a viewport `viewportPx` wide,
 * with `overscan` columns either side. `offsets` come from columnOffsets, measured from the first data column
 * (a sticky row-number column is left out of them: it hides part of the viewport, so the range is generous).
 * A 5,000-column file renders a screenful of cells instead of 5,000 per row (issue 21). Pure: tested without a DOM.
 */
export function visibleColumns(scrollLeft: number, viewportPx: number, offsets: Float64Array, overscan = 3): VisibleColumns {
  const n = offsets.length - 1;
  if (n <= 0) return { start: 0, end: 0, leftPx: 0, rightPx: 0 };
  const total = offsets[n]!;
  const lo = Math.max(0, Math.min(scrollLeft, total));
  const hi = Math.max(lo, Math.min(total, scrollLeft + Math.max(0, viewportPx)));
  // The column holding `lo`: the last whose left edge is <= lo.
  let a = 0, b = n - 1;
  while (a < b) { const m = (a + b + 1) >> 1; if (offsets[m]! <= lo) a = m; else b = m - 1; }
  const first = a;
  // One past the column holding `hi`: the first whose left edge is >= hi.
  a = first; b = n;
  while (a < b) { const m = (a + b) >> 1; if (offsets[m]! >= hi) b = m; else a = m + 1; }
  const last = Math.max(first + 1, a);
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, last + overscan);
  return { start, end, leftPx: offsets[start]!, rightPx: total - offsets[end]! };
}
