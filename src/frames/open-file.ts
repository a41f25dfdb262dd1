import type { DataSource, Engine, OpenedTable } from '../engine/engine';
import { tableFileFormat, type DataFormat } from '../engine/formats';
import { openRecords, openTables, recordFormat } from './open-records';
import { sourceChunks, textChunks } from './readers/chunks';
import { gunzipChunks } from './readers/json';
import { detectRowTag } from '../classifiers/xml';
import { classifyCsv } from '../classifiers/csv';
import type { CsvDialect } from '../engine/engine';
import { errorMessage } from '../util/errors';

/** Text logs the way open-records recognises them by name (`app.log`, `app.log.1`, `server.out.gz`). */
const LOG_FILE = /\.(?:log|out|err)(?:\.\d+)?(?:\.gz)?$/i;
const ORC_FILE = /\.orc(\.(gz|gzip))?$/i;

/**
 * An opened table and, for formats read record by record, how many records could not be read; a folder
 * opened as one table (service/open-folder) also says how many files it holds and its partition keys.
 */
export type OpenedFileTable = OpenedTable & { errorCount?: number; files?: number; partitionKeys?: string[] };

/** The format `openFile` reads a file as, by its name, or null when Epoxy reads no such file. */
export function openFileFormat(fileName: string): DataFormat | null {
  if (ORC_FILE.test(fileName)) return 'orc';
  const table = tableFileFormat(fileName);
  // `.txt` is CSV to the engine; a `.log` (or `.out`, `.err`) is a text log, never a one-column CSV.
  if (LOG_FILE.test(fileName)) return 'log';
  if (table) return table;
  const record = recordFormat(fileName);
  return record === 'parquet' ? 'parquet' : record;
}

/**
 * Open a file as the tables it holds, for the Workspace grid and `epoxy query`: CSV/TSV/Parquet (gzipped too)
 * through the engine's `open` (CSV lazily), an Excel workbook as one table per sheet, and JSON/NDJSON, Avro,
 * XML (its row element inferred as the crawler's XML classifier does), ORC, Arrow and text logs through the
 * frames readers.
 */
export async function openFile(engine: Engine, fileName: string, source: DataSource, size = 0): Promise<OpenedFileTable[]> {
  const format = openFileFormat(fileName);
  const wrap = (err: unknown) => {
    const message = errorMessage(err);
    return new Error(message.startsWith('Cannot open') ? message : `Cannot open ${fileName}: ${message}`);
  };
  if (format === null) throw new Error(`Cannot open ${fileName}: unknown format (Epoxy reads CSV, TSV, JSON/NDJSON, Parquet, Avro, ORC, XML, Excel (.xlsx), Arrow/Feather and .log files, gzipped too)`);
  if (format === 'csv' || format === 'tsv' || format === 'parquet') {
    const wide = format === 'parquet' ? null : await wideCsvDialect(fileName, source, size);
    return [await engine.open(fileName, source, size, format, wide ?? undefined)];
  }
  try {
    if (format === 'xlsx') return (await openTables(engine, fileName, source)).map((r) => engine.adopt(r.table, fileName, format, r.sheet));
    const rowTag = format === 'xml' ? await xmlRowTag(fileName, source) : undefined;
    const read = await openRecords(engine, fileName, source, rowTag ? { rowTag } : {});
    const opened = engine.adopt(read.table, fileName, format);
    return [read.errorCount ? { ...opened, errorCount: read.errorCount } : opened];
  } catch (err) {
    throw wrap(err);
  }
}

const ROW_TAG_SAMPLE = 1 << 20;

/** The XML row element, found in the first MiB the way the crawler's XML classifier finds it. */
export async function xmlRowTag(fileName: string, source: DataSource): Promise<string> {
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (/\.(gz|gzip)$/i.test(fileName)) bytes = gunzipChunks(bytes);
  let text = '';
  for await (const chunk of textChunks(bytes)) {
    text += chunk;
    if (text.length >= ROW_TAG_SAMPLE) break;
  }
  const tag = detectRowTag(text);
  if (!tag) throw new Error(`Cannot open ${fileName}: no XML elements in its first MiB`);
  return tag;
}

/** From this many columns on, a CSV opens with the dialect found here and its sniffed types pinned (see wideCsvDialect). */
export const WIDE_CSV_COLUMNS = 500;
const WIDE_SAMPLE = 1 << 20;

/**
 * The dialect of a CSV/TSV with at least WIDE_CSV_COLUMNS columns (delimiter, quote, header, as the crawler's
 * CSV classifier finds them in the first MiB), with `pin` set; null for a narrower file, a gzipped one or a URL.
 * DuckDB's sniffer spends seconds finding the dialect of a 5,000-column file (issue 21: 6.8 s of a 7.5 s
 * sniff natively), and the engine's view would sniff again on every query; given the dialect, it only types.
 */
export async function wideCsvDialect(fileName: string, source: DataSource, size: number): Promise<CsvDialect | null> {
  if (source.kind === 'url' || /\.(gz|gzip)$/i.test(fileName)) return null;
  const parts: Uint8Array[] = [];
  let length = 0, complete = true;
  for await (const chunk of sourceChunks(source)) {
    parts.push(chunk);
    length += chunk.length;
    // Narrow files stop here: the first line of the first chunk has too few delimiters to be wide.
    if (parts.length === 1 && !couldBeWide(chunk)) return null;
    if (length >= WIDE_SAMPLE) { complete = length >= size && size > 0; break; }
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { bytes.set(p, at); at += p.length; }
  const found = classifyCsv({ name: fileName, bytes, totalSize: size || length, complete });
  if (!found || found.schema.length < WIDE_CSV_COLUMNS) return null;
  const quote = found.properties.quoteChar ?? '"';
  return { delimiter: found.properties.delimiter, header: found.properties['skip.header.line.count'] === '1', quote, escape: found.properties.escapeChar ?? quote, pin: true };
}

/** Whether the first line (as far as this chunk holds it) has enough of some delimiter for WIDE_CSV_COLUMNS fields. */
function couldBeWide(chunk: Uint8Array): boolean {
  const counts = new Map<number, number>();
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i]!;
    if (c === 10) break;
    if (c === 44 || c === 9 || c === 124 || c === 59 || c === 1) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values()) + 1 >= WIDE_CSV_COLUMNS;
}
