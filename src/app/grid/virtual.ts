/** The rows a virtualized list must render for a scroll position, with overscan above and below. */
export interface VisibleRange {
  start: number;
  end: number;
  offsetPx: number;
  totalPx: number;
}

/** Compute which rows are visible. Pure, so it is tested without a DOM. */
export function visibleRange(scrollTop: number, viewportPx: number, rowPx: number, rowCount: number, overscan = 10): VisibleRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowPx);
  const visible = Math.ceil(viewportPx / rowPx) + 1;
  const start = Math.max(0, Math.min(first - overscan, rowCount));
  const end = Math.max(start, Math.min(rowCount, first + visible + overscan));
  return { start, end, offsetPx: start * rowPx, totalPx: rowCount * rowPx };
}

/** Page indexes needed to cover rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}
