import type { BoundedResult, Engine } from '../engine/engine';
import { PAGE_CELLS, pageRows } from '../engine/paging';
import { mayWrite, tokenize } from '../engine/sql-tokens';

/** Rows a user result carries at most, however narrow (the SQL box's limit before it had a cell budget). */
export const RESULT_ROWS = 10_000;

/**
 * Values a user result carries to the page at most. Each is converted from Arrow in the worker, cloned to the
 * page and formatted there: a `SELECT *` of a 5,000-column table carried 10,000 rows x 5,000 columns (issue 21).
 * The grid pages the rest from the kept result (BoundedResult.relation).
 */
export const RESULT_CELLS = PAGE_CELLS;

/**
 * Rows to send for a result `width` columns wide, with `maxRows` the caller's own limit: as many as fit
 * RESULT_CELLS, in whole grid pages (pageRows(width)), since the grid's row cache takes its seed as whole pages
 * (a partial last page would stay short: rows past it never drawn); never fewer than one grid page, nor more
 * than `maxRows`.
 */
export function resultRows(width: number, maxRows = RESULT_ROWS): number {
  const limit = Math.max(0, Math.floor(maxRows));
  const page = pageRows(width);
  if (limit <= page) return limit;
  const fit = Math.floor(RESULT_CELLS / Math.max(1, width));
  return Math.max(page, Math.floor(Math.min(limit, fit) / page) * page);
}

/**
 * The user's SQL with a cell budget instead of a row limit: run it keeping the whole result and sending no row,
 * then read the first resultRows(width) rows from the kept relation, now that the width is known. A result the
 * engine could not keep (rare: out of memory copying it) is run again with that many rows when it only reads;
 * SQL that may write is never run twice, and then only the row count is known.
 */
export function userQueryWithin(engine: Engine, sql: string, maxRows = RESULT_ROWS): BoundedResult {
  const started = performance.now();
  const head = engine.userQuery(sql, 0);
  const rows = resultRows(head.columns.length, maxRows);
  const elapsed = () => performance.now() - started;
  if (head.totalRows === 0 || rows === 0) return { ...head, truncated: head.totalRows > 0, elapsedMs: elapsed() };
  if (head.relation) {
    const page = engine.page(head.relation, 0, rows);
    return { ...head, rows: page.rows, truncated: head.totalRows > page.rows.length, elapsedMs: elapsed() };
  }
  if (mayWrite(tokenize(sql).tokens)) return { ...head, truncated: true, elapsedMs: elapsed() };
  return { ...engine.userQuery(sql, rows), elapsedMs: elapsed() };
}
