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
