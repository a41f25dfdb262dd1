/** Rows a page (and a preview) holds at most; narrower tables get this many. */
export const PAGE_ROWS = 200;

/**
 * How many values one page carries at most. Every value is converted from Arrow, structured-cloned to the
 * page and formatted there: 200 rows of a 5,000-column file are a million of them (issue 21: seconds each way).
 */
export const PAGE_CELLS = 200_000;

/**
 * Rows per page of a relation `columnCount` wide: PAGE_ROWS for up to PAGE_CELLS / PAGE_ROWS columns (1,000),
 * fewer beyond, never less than one. The engine's previews and the grid's row cache use the same figure,
 * so a preview is exactly the grid's first page.
 */
export function pageRows(columnCount: number): number {
  return Math.max(1, Math.min(PAGE_ROWS, Math.floor(PAGE_CELLS / Math.max(1, columnCount))));
}
