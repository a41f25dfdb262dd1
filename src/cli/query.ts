import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Engine } from '../engine/engine';
import { openFile } from '../frames/open-file';
import { openRecords, opensByName } from '../frames/open-records';
import { tableFileFormat } from '../engine/formats';
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
    if (!tableFileFormat(name) && !opensByName(name)) {
      throw new Error(`${file}: epoxy query opens CSV, TSV, Parquet, JSON/NDJSON, Avro, Excel (.xlsx), Arrow/Feather and .log files by their extension${/\.xml(\.gz)?$/i.test(name) ? '; XML needs its row element: crawl it (epoxy crawl) and read the table in a job' : ''}`);
    }
    // JSON, Avro and logs have no grid view in the Workspace, but a query can read them like Transform does.
    if (!tableFileFormat(name) && opensByName(name)) opened.push(await openRecords(engine, name, { kind: 'path', path: file }));
    else opened.push(...await openFile(engine, name, { kind: 'path', path: file }, info.size));
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
