import { tableFileFormat } from '../../engine/formats';

/** Formats a crawler or Transform reads that the Workspace grid does not open (yet). */
const ELSEWHERE = /\.(json|ndjson|jsonl|avro|xml|orc|log|txt)(\.gz)?$/i;

/**
 * Why the Workspace cannot open a file, or null when it can: data it reads elsewhere points there, anything
 * else (an image, a spreadsheet binary) is told plainly that it is not data Epoxy reads.
 */
export function workspaceOpenProblem(path: string): string | null {
  if (tableFileFormat(path)) return null;
  if (ELSEWHERE.test(path)) return 'the data grid opens .csv, .tsv, .parquet, .xlsx and .arrow/.feather; open JSON, NDJSON, Avro, XML or a .log in Transform, or crawl the folder (any format, gzip too) in Crawlers';
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return `${ext ? `a .${ext} file` : 'a file without an extension'} is not data Epoxy reads: it reads CSV, TSV, JSON/NDJSON, Parquet, Avro, XML, ORC, Excel (.xlsx), Arrow/Feather and log files (gzipped too)`;
}
