import type { DataSource, Engine } from '../engine/engine';
import { tableNameFromFile, uniqueName } from '../engine/sql';
import type { StructField } from '../schema/types';
import { sourceChunks, textChunks } from './readers/chunks';
import { gunzipChunks, inferRecordsSchema, readJsonInto, type JsonReadResult } from './readers/json';
import { JsonRecordSplitter } from './readers/split-json';
import { parseJsonExact } from '../classifiers/json-exact';
import { FLOAT } from '../classifiers/infer-json';
import { readAvroInto } from './readers/avro';
import { readOrcInto } from './readers/orc';
import { parseXmlRow, readXmlInto, XmlRowSplitter } from './readers/xml';
import { readArrowInto } from './readers/arrow';
import { openWorkbook, pickSheet, readSheetInto } from './readers/xlsx';
import { logPattern, readLogInto } from './readers/log';
import { classifyLog, classifyTextLog } from '../classifiers/log';
import { schemaFromDuckDB } from './duck-types';
import { errorMessage } from '../util/errors';

/** What `openRecords` reads, and how. */
export interface OpenRecordsOptions {
  /** The Glue schema (from the catalog); JSON infers a minimal one and Avro and ORC read their own when absent. */
  schema?: StructField[] | null;
  /** XML only: the element that holds one record. */
  rowTag?: string;
  /** Excel only: the sheet to read (default: the first sheet with data). */
  sheet?: string;
  /** A log (a table a grok classifier made): its grok pattern; the file is then read as text lines, whatever its name. */
  grokPattern?: string;
  /** Custom grok patterns (`NAME regex` lines) the pattern uses. */
  grokCustomPatterns?: string;
}

/** A file opened as a frame input table. */
export type OpenedRecords = JsonReadResult & { schema: StructField[]; format: 'json' | 'avro' | 'xml' | 'parquet' | 'log' | 'xlsx' | 'arrow' | 'orc'; sheet?: string };

/** The record format of a file name, or null. */
export function recordFormat(fileName: string): OpenedRecords['format'] | null {
  const name = fileName.toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (/\.(json|ndjson|jsonl)$/.test(name)) return 'json';
  if (name.endsWith('.avro')) return 'avro';
  if (name.endsWith('.orc')) return 'orc';
  if (name.endsWith('.xml')) return 'xml';
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (/\.(arrow|feather|arrows|ipc)$/.test(name)) return 'arrow';
  return null;
}

function freeName(engine: Engine, fileName: string): string {
  const taken = new Set(engine.query('SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()').rows.map((r) => String(r[0])));
  return uniqueName(tableNameFromFile(fileName), taken);
}

/**
 * Open a JSON/NDJSON, Avro, ORC, XML or Parquet file, or a text log with its grok pattern, as a table, streaming
 * it into DuckDB as Arrow batches (Parquet row group by row group, ORC stripe by stripe).
 * XML needs a rowTag (as Glue's XML classifier does); without a schema its values are read as text.
 */
export async function openRecords(engine: Engine, fileName: string, source: DataSource, opts: OpenRecordsOptions = {}): Promise<OpenedRecords> {
  const gzip = /\.gz(ip)?$/i.test(fileName);
  if (!opts.grokPattern && LOG_FILE.test(fileName)) opts = { ...opts, ...(await logFormatOf(fileName, source, gzip)) };
  const format = opts.grokPattern ? 'log' : recordFormat(fileName);
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (gzip) bytes = gunzipChunks(bytes);
  switch (format) {
    case 'log': {
      let pattern;
      try {
        pattern = logPattern(opts.grokPattern!, opts.grokCustomPatterns);
      } catch (err) {
        throw new Error(`Cannot open ${fileName}: its grok pattern does not compile (${errorMessage(err)})`);
      }
      const schema = opts.schema?.length ? opts.schema : pattern.grok.fields.map((f) => ({ name: f.name, type: f.type }));
      return { ...(await readLogInto(engine, freeName(engine, fileName), textChunks(bytes), pattern, schema)), schema, format };
    }
    case 'json': return { ...(await openJson(engine, fileName, source, opts.schema ?? null)), format };
    case 'avro': return { ...(await readAvroInto(engine, freeName(engine, fileName), bytes, opts.schema ?? null)), format };
    case 'orc': {
      // ORC is read from its tail by range, which a gzip stream cannot give: a gzipped one is inflated in memory.
      const data = gzip ? { kind: 'buffer' as const, bytes: await collect(bytes) } : source;
      try {
        return { ...(await readOrcInto(engine, freeName(engine, fileName), data, opts.schema ?? null)), format };
      } catch (err) {
        // Catalog tables read many files: the message names the one that failed.
        throw new Error(`Cannot open ${fileName}: ${errorMessage(err)}`);
      }
    }
    case 'xml': {
      if (!opts.rowTag) throw new Error(`Cannot open ${fileName}: XML needs a rowTag (the element holding one record)`);
      const schema = opts.schema?.length ? opts.schema : inferRecordsSchema(await sampleXmlRows(source, gzip, opts.rowTag));
      if (!schema.length) throw new Error(`Cannot open ${fileName}: no <${opts.rowTag}> elements with fields in its first MiB`);
      return { ...(await readXmlInto(engine, freeName(engine, fileName), textChunks(bytes), opts.rowTag, schema)), schema, format };
    }
    case 'parquet': {
      // A view each statement reads only its columns and row groups of (engine/parquet-table.ts on DuckDB-WASM).
      const table = freeName(engine, fileName);
      let rel;
      try {
        rel = await engine.openParquet(table, fileName, source);
      } catch (err) {
        throw new Error(`Cannot open ${fileName}: ${errorMessage(err)}`);
      }
      return { table, rows: rel.rowCount, errors: [], errorCount: 0, schema: schemaFromDuckDB(engine.describe(table)), format };
    }
    case 'xlsx': {
      const sheet = pickSheet(await openWorkbook(source), opts.sheet, fileName);
      const read = await readSheetInto(engine, freeName(engine, fileName), sheet, opts.schema ?? null);
      return { table: read.table, rows: read.rows, errors: read.errors, errorCount: read.errorCount, schema: read.schema, format, sheet: read.sheet };
    }
    case 'arrow': {
      const read = await readArrowInto(engine, freeName(engine, fileName), source);
      return { table: read.table, rows: read.rows, errors: [], errorCount: 0, schema: schemaFromDuckDB(engine.describe(read.table)), format };
    }
    default: throw new Error(`Cannot open ${fileName}: not a JSON, NDJSON, Avro, ORC, XML, Parquet, Excel (.xlsx) or Arrow file`);
  }
}

/**
 * Every table a file holds: one per non-empty sheet of a workbook (named `<file>_<sheet>`, as the crawler
 * names them), one for any other file openRecords reads. Errors name the file.
 */
export async function openTables(engine: Engine, fileName: string, source: DataSource): Promise<OpenedRecords[]> {
  if (recordFormat(fileName) !== 'xlsx') return [await openRecords(engine, fileName, source)];
  const sheets = (await openWorkbook(source)).filter((s) => s.rows.length > 0);
  if (!sheets.length) throw new Error(`Cannot open ${fileName}: the workbook has no sheet with data`);
  const out: OpenedRecords[] = [];
  for (const sheet of sheets) {
    const name = freeName(engine, `${tableNameFromFile(fileName)}_${tableNameFromFile(`${sheet.name}.sheet`).replace(/^t_/, '')}`);
    const read = await readSheetInto(engine, name, sheet);
    out.push({ table: read.table, rows: read.rows, errors: read.errors, errorCount: read.errorCount, schema: read.schema, format: 'xlsx', sheet: read.sheet });
  }
  return out;
}

const SAMPLE_BYTES = 1 << 20;

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) { parts.push(c); size += c.length; }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Names of text logs (`app.log`, `app.log.1`, `server.out.gz`) a caller may open without a grok pattern. */
const LOG_FILE = /\.(?:log|out|err)(?:\.\d+)?(?:\.gz)?$/i;

/** Whether `openRecords` opens a file by its name alone: JSON/NDJSON, Avro, ORC, Parquet, Excel, Arrow and text logs (XML needs a rowTag). */
export function opensByName(fileName: string): boolean {
  const format = recordFormat(fileName);
  return LOG_FILE.test(fileName) || (format !== null && format !== 'xml');
}

/** The grok pattern of a log file, found by classifying its first MiB with the log classifiers; a clear error if it has no text lines. */
async function logFormatOf(fileName: string, source: DataSource, gzip: boolean): Promise<Pick<OpenRecordsOptions, 'grokPattern' | 'grokCustomPatterns'>> {
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (gzip) bytes = gunzipChunks(bytes);
  const parts: Uint8Array[] = [];
  let size = 0, complete = true;
  for await (const chunk of bytes) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= SAMPLE_BYTES) { complete = false; break; }
  }
  const sample = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { sample.set(part, at); at += part.length; }
  // Only the log classifiers: the name says log, and the engine worker need not carry the binary formats' code.
  const s = { name: fileName, bytes: sample, totalSize: size, complete };
  const found = classifyLog(s) ?? classifyTextLog(s);
  if (!found) throw new Error(`Cannot open ${fileName}: no text lines to read (empty or binary)`);
  const grokPattern = found.properties['grokPattern']!;
  const custom = found.properties['grokCustomPatterns'];
  return { grokPattern, ...(custom ? { grokCustomPatterns: custom } : {}) };
}

/**
 * Open a JSON/NDJSON file as a frame input table named after the file. Without a schema, the first MiB
 * of records is sampled for a minimal inference (Glue samples JSON the same way; the classifiers module
 * will supply real schemas through the catalog).
 */
export async function openJson(engine: Engine, fileName: string, source: DataSource, schema: StructField[] | null): Promise<JsonReadResult & { schema: StructField[] }> {
  const gzip = /\.gz(ip)?$/i.test(fileName);
  if (!schema) {
    const sample = await sampleRecords(source, gzip);
    schema = inferRecordsSchema(sample);
    if (!schema.length) throw new Error(`Cannot open ${fileName}: no JSON records (objects or values) in its first MiB`);
  }
  const table = freeName(engine, fileName);
  const result = await readJsonInto(engine, table, source, schema, { gzip });
  return { ...result, schema };
}

/** The first MiB of XML rows as records (every value is text: XML has no types without a schema). */
async function sampleXmlRows(source: DataSource, gzip: boolean, rowTag: string): Promise<unknown[]> {
  const splitter = new XmlRowSplitter(rowTag);
  const records: unknown[] = [];
  let seen = 0;
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (gzip) bytes = gunzipChunks(bytes);
  for await (const text of textChunks(bytes)) {
    for (const row of splitter.push(text)) records.push(parseXmlRow(row, rowTag));
    seen += text.length;
    if (seen >= SAMPLE_BYTES) break;
  }
  return records;
}

/** Records for inference only: a number written with a fraction (`10.0`) is the FLOAT marker, so it types double. */
async function sampleRecords(source: DataSource, gzip: boolean): Promise<unknown[]> {
  const splitter = new JsonRecordSplitter();
  const records: unknown[] = [];
  let seen = 0;
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (gzip) bytes = gunzipChunks(bytes);
  for await (const text of textChunks(bytes)) {
    for (const r of splitter.push(text)) {
      try { records.push(parseJsonExact(r, { fraction: FLOAT })); } catch { /* invalid records are reported by the full read */ }
    }
    seen += text.length;
    if (seen >= SAMPLE_BYTES) return records;
  }
  for (const r of splitter.end()) {
    try { records.push(parseJsonExact(r, { fraction: FLOAT })); } catch { /* reported by the full read */ }
  }
  return records;
}
