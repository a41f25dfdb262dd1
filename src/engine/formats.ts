/** File formats the engine can open directly as a table. */
export type DataFormat = 'csv' | 'tsv' | 'parquet';

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

/** Whether the name says the bytes are gzip-compressed. */
export function isGzipName(fileName: string): boolean {
  return /\.(gz|gzip)$/i.test(fileName);
}
