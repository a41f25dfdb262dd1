import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Engine } from '../engine/engine';
import { openFile, openFileFormat } from '../frames/open-file';
import { quoteIdent } from '../engine/sql';
import { renderTable } from './table';

/** Options of `epoxy query`. */
export interface QueryOptions {
  files: string[];
  sql?: string;
  json: boolean;
  limit: number;
}

/**
 * Open each file as a table named after it and run the SQL (default: the first rows of the first file).
 * Returns the text to print.
 */
export async function runQueryCommand(engine: Engine, options: QueryOptions): Promise<string> {
  if (options.files.length === 0) throw new Error('epoxy query needs at least one FILE');
  const opened: { table: string }[] = [];
  for (const file of options.files) {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new Error(`${file}: no such file`);
    const name = basename(file);
    // Every format the crawler reads, as the Workspace opens it (XML with its row element inferred).
    if (!openFileFormat(name)) throw new Error(`${file}: epoxy query opens CSV, TSV, Parquet, JSON/NDJSON, Avro, ORC, XML, Excel (.xlsx), Arrow/Feather and .log files (gzipped too) by their extension`);
    opened.push(...await openFile(engine, name, { kind: 'path', path: file }, info.size));
  }
  const sql = options.sql ?? `SELECT * FROM ${quoteIdent(opened[0]!.table)} LIMIT ${options.limit}`;
  const result = engine.query(sql, options.limit);
  if (options.json) {
    const records = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
    return JSON.stringify(records, null, 2);
  }
  const tables = opened.map((t) => t.table).join(', ');
  const footer = `${result.totalRows} row${result.totalRows === 1 ? '' : 's'}${result.truncated ? ` (first ${result.rows.length} shown)` : ''} · tables: ${tables}`;
  return `${renderTable(result)}\n${footer}`;
}
