/**
 * File formats of opened tables: the engine opens csv/tsv/parquet itself; the others come through frames'
 * readers (frames/open-file).
 */
export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'xlsx' | 'arrow' | 'json' | 'avro' | 'xml' | 'log' | 'orc';

/**
 * Guess the format from a file name. Content-based classification is the crawler's job;
 * the engine only needs to know how to open what the user dropped.
 */
export function formatFromName(fileName: string): DataFormat | null {
  const lower = fileName.toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (lower.endsWith('.parquet') || lower.endsWith('.parq') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.psv')) return 'csv';
  return null;
}

/**
 * The format of a file the Workspace opens as tables, by name: what `formatFromName` opens, plus Excel
 * workbooks and Arrow IPC / Feather files (read by frames' readers, see frames/open-file).
 */
export function tableFileFormat(fileName: string): DataFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (/\.(arrow|feather|arrows|ipc)$/.test(lower)) return 'arrow';
  return formatFromName(fileName);
}

/** Whether the name says the bytes are gzip-compressed. */
export function isGzipName(fileName: string): boolean {
  return /\.(gz|gzip)$/i.test(fileName);
}
