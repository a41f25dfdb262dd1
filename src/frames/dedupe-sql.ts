/**
 * DropDuplicates' SQL, in a form both DuckDB-WASM 1.4 (the tab) and native DuckDB 1.5 (an exported script) run.
 *
 * `SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY k ORDER BY rowid) = 1 ORDER BY rowid` raises
 * `INTERNAL Error: ExpressionExecutor::Execute called with a result vector of type VARCHAR that does not match
 * expression type BIGINT` on native DuckDB 1.5.6 whenever the keys are not every column (and a fatal error
 * invalidates the database). Taking rowid into a column of its own first avoids it; the rows kept and their
 * order are the same: the first row of each key, in input order.
 */

/** The column that carries the input's row order; it never reaches the output. */
export const DEDUPE_ORDER_COLUMN = '__epoxy_dedupe_row';

/**
 * Keep the first row of each distinct `keys` (rendered SQL expressions over the input's columns) of the table
 * `from` (a quoted table name: rowid needs a table), in input order. NULL keys are one key, as in GROUP BY.
 */
export function dropDuplicatesSql(from: string, keys: string[]): string {
  const order = `"${DEDUPE_ORDER_COLUMN}"`;
  return `SELECT * EXCLUDE (${order}) FROM (SELECT *, rowid AS ${order} FROM ${from}) QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) = 1 ORDER BY ${order}`;
}
