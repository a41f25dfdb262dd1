import { quoteIdent, quoteLiteral } from '../../engine/sql';
import type { StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';

/** How a CSV file is read: explicit options (what a classifier found), never DuckDB's sniffer guessing. */
export interface CsvOptions {
  delimiter: string;
  header: boolean;
  quote?: string;
  escape?: string;
  /** Column names and types; when given, values that do not parse become NULL instead of failing the read. */
  columns?: StructField[];
  /** Rows to skip before the header (Glue's skip.header.line.count beyond the header). */
  skip?: number;
}

/**
 * The read_csv call for a registered file with explicit options. DuckDB reads CSV natively (no extension),
 * so CSV frames stay lazy views over the file until a step materializes them.
 */
export function readCsvSql(path: string, opts: CsvOptions): string {
  const args = [
    quoteLiteral(path),
    `delim=${quoteLiteral(opts.delimiter)}`,
    `header=${opts.header ? 'true' : 'false'}`,
    `quote=${quoteLiteral(opts.quote ?? '"')}`,
    `escape=${quoteLiteral(opts.escape ?? '"')}`,
  ];
  if (opts.skip) args.push(`skip=${Math.max(0, Math.trunc(opts.skip))}`);
  if (opts.columns?.length) {
    args.push(`columns={${opts.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(frameDuckType(c.type))}`).join(', ')}}`, 'auto_detect=false', 'ignore_errors=false', 'null_padding=true');
  }
  return `SELECT * FROM read_csv(${args.join(', ')})`;
}

/** Create a view named `name` over a CSV file. */
export function csvViewSql(name: string, path: string, opts: CsvOptions): string {
  return `CREATE OR REPLACE VIEW ${quoteIdent(name)} AS ${readCsvSql(path, opts)}`;
}
