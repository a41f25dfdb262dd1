import type { QueryResult } from '../../engine/values';
import type { EngineWorkerApi } from '../../service/protocol';

export type ExportFormat = 'csv' | 'parquet' | 'ndjson' | 'xlsx';

export const EXPORT_FORMATS: { format: ExportFormat; label: string; ext: string; type: string }[] = [
  { format: 'csv', label: 'CSV', ext: '.csv', type: 'text/csv' },
  { format: 'parquet', label: 'Parquet', ext: '.parquet', type: 'application/vnd.apache.parquet' },
  { format: 'ndjson', label: 'NDJSON', ext: '.ndjson', type: 'application/x-ndjson' },
  { format: 'xlsx', label: 'Excel (xlsx)', ext: '.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
];

/** A sheet holds at most 1,048,576 rows, the header being one. */
export const XLSX_MAX_ROWS = 1_048_575;

/** A file name for a download: the query's first table or `result`, and the time, so downloads never clash. */
export function exportName(sql: string, format: ExportFormat, now = new Date()): string {
  const table = /\bfrom\s+(?:"([^"]+)"|([A-Za-z_][\w.]*))/i.exec(sql);
  const base = (table?.[1] ?? table?.[2] ?? 'result').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '') || 'result';
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${base}-${stamp}${EXPORT_FORMATS.find((f) => f.format === format)!.ext}`;
}

/** Cells of a result as a sheet: a header row, numbers and booleans kept, nested values as JSON text. */
export function xlsxSheet(result: QueryResult): (string | number | boolean | null)[][] {
  const rows: (string | number | boolean | null)[][] = [result.columns.map((c) => c.name)];
  for (const row of result.rows) {
    rows.push(row.map((v) => (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v))));
  }
  return rows;
}

type ExportEngine = Pick<EngineWorkerApi, 'toParquet' | 'writeOutput' | 'query'>;

/**
 * The bytes of the rows of `sql` (the whole result in its grid view) in a format: Parquet, CSV and NDJSON by
 * the engine's writers, xlsx in the page from rows the engine returns (refused past a sheet's row limit).
 */
export async function exportBytes(engine: ExportEngine, sql: string, format: ExportFormat, writeXlsx: (rows: (string | number | boolean | null)[][]) => Promise<Uint8Array>): Promise<Uint8Array> {
  switch (format) {
    case 'parquet': return engine.toParquet(sql);
    case 'csv': case 'ndjson': {
      const [file] = await engine.writeOutput(sql, { format });
      if (!file) throw new Error('the engine wrote no file');
      return file.bytes;
    }
    case 'xlsx': {
      const result = await engine.query(sql, XLSX_MAX_ROWS);
      if (result.truncated) throw new Error(`An Excel sheet holds at most ${XLSX_MAX_ROWS.toLocaleString('en-US')} rows and this result has ${result.totalRows.toLocaleString('en-US')}: filter it, or download CSV or Parquet.`);
      return writeXlsx(xlsxSheet(result));
    }
  }
}
