import { openFileFormat } from '../../frames/open-file';

/**
 * Why the Workspace cannot open a file, or null when it can: it opens every format the crawler reads
 * (frames/open-file); anything else (an image, a binary) is told plainly that it is not data Epoxy reads.
 */
export function workspaceOpenProblem(path: string): string | null {
  if (openFileFormat(path)) return null;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return `${ext ? `a .${ext} file` : 'a file without an extension'} is not data Epoxy reads: it reads CSV, TSV, JSON/NDJSON, Parquet, Avro, XML, ORC, Excel (.xlsx), Arrow/Feather and log files (gzipped too)`;
}
