/**
 * Reading a table's files into one engine table: what the catalog says about reading (classification, SerDe
 * parameters, partition keys) as a ReadPlan, which files are data, and loading them with the frames readers.
 */
import type { Table } from '../catalog/glue-types';
import type { CsvDialect, DataSource } from '../engine/engine';
import { findRecords, parseJsonPath } from '../classifiers/json-scan';
import { sourceChunks, textChunks } from '../frames/readers/chunks';
import { gunzipChunks } from '../frames/readers/json';
import { errorMessage } from '../util/errors';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { frameDuckType } from '../frames/duck-types';
import { parseType } from '../schema/types';
import { catalogKey, sourceNameOf } from '../catalog/names';
import { parsePartitionSegment } from '../crawler/partitions';
import { countRows, type QueryEngine } from './engine';
import type { FileMark, ResolvedFile } from './locations';

/** The file formats a table or a job source reads. */
export type ReadFormat = 'csv' | 'tsv' | 'json' | 'parquet' | 'avro' | 'xml' | 'xlsx' | 'arrow' | 'orc';

/** Where a table's files are, and what is known about them before reading. */
export interface ReadPlan {
  location: string;
  format: ReadFormat | null;
  /** Catalog columns (Hive types), when the source is a catalog table; `source` is the name in the files when it differs. */
  columns: { name: string; type: string; source?: string }[];
  partitionKeys: string[];
  /** Hive types of the partition keys (same order); absent: string. */
  partitionTypes?: string[];
  /** The key each partition key has in folder names (`order region=eu`) when the catalog renamed it. */
  partitionFolderKeys?: string[];
  rowTag?: string;
  /** JSON: the path of the records (`$[*]`, `$.records[*]`) a JSON classifier gave. */
  jsonPath?: string;
  /** CSV: how its lines split (the SerDe parameters), instead of DuckDB's sniffer. */
  csv?: CsvDialect;
  /** Excel: the sheet a catalog table stands for (its `epoxy.sheet` parameter). */
  sheet?: string;
  /** A log table (a grok classifier's): its files are text lines read with this pattern, whatever their names. */
  grok?: { pattern: string; customPatterns?: string };
}

const EXT: [RegExp, ReadFormat][] = [[/\.csv(\.gz)?$/i, 'csv'], [/\.tsv(\.gz)?$/i, 'tsv'], [/\.(json|ndjson|jsonl)(\.gz)?$/i, 'json'], [/\.parquet$/i, 'parquet'], [/\.avro$/i, 'avro'], [/\.xml(\.gz)?$/i, 'xml'], [/\.xlsx$/i, 'xlsx'], [/\.(arrow|feather|arrows|ipc)$/i, 'arrow'], [/\.orc$/i, 'orc']];

/** The format of a file from its name, or null. */
export function formatOfName(name: string): ReadFormat | null {
  return EXT.find(([re]) => re.test(name))?.[1] ?? null;
}

const CLASSIFIED: ReadFormat[] = ['csv', 'json', 'parquet', 'avro', 'xml', 'xlsx', 'arrow', 'orc'];

/** A table's classification: the table's parameter, else its storage descriptor's. */
export function classificationOf(table: Table): string | undefined {
  return table.Parameters?.['classification'] ?? table.StorageDescriptor?.Parameters?.['classification'];
}

/**
 * Everything the catalog says about reading a table: classification, CSV SerDe (field.delim / separatorChar,
 * quoteChar, escapeChar, skip.header.line.count, serialization.null.format), JSON path, XML rowTag, Excel sheet,
 * grok pattern, columns and typed partition keys. `location` replaces the table's own when given.
 */
export function planTable(table: Table | null, location?: string): ReadPlan {
  const classification = table ? classificationOf(table) : undefined;
  const format = classification && (CLASSIFIED as string[]).includes(classification) ? classification as ReadFormat : null;
  const params = { ...table?.StorageDescriptor?.Parameters, ...table?.Parameters };
  const serde = table?.StorageDescriptor?.SerdeInfo?.Parameters ?? {};
  const keys = table?.PartitionKeys ?? [];
  return {
    location: location ?? table?.StorageDescriptor?.Location ?? '',
    format,
    columns: (table?.StorageDescriptor?.Columns ?? []).map((c) => ({ name: c.Name, type: c.Type ?? 'string', ...(sourceNameOf(c) !== c.Name ? { source: sourceNameOf(c) } : {}) })),
    partitionKeys: keys.map((c) => c.Name),
    ...(keys.length ? { partitionTypes: keys.map((c) => c.Type || 'string') } : {}),
    ...(keys.some((c) => sourceNameOf(c) !== c.Name) ? { partitionFolderKeys: keys.map(sourceNameOf) } : {}),
    ...(params['rowTag'] || serde['rowTag'] ? { rowTag: params['rowTag'] || serde['rowTag'] } : {}),
    ...(params['jsonPath'] ? { jsonPath: params['jsonPath'] } : {}),
    ...(params['epoxy.sheet'] !== undefined ? { sheet: params['epoxy.sheet'] } : {}),
    ...(format === 'csv' ? { csv: csvDialectOf(params, serde) } : {}),
    ...(format ? {} : grokOf(table)),
  };
}

/**
 * The CSV dialect a table's SerDe gives. OpenCSVSerde: separatorChar, quoteChar, escapeChar (no NULL text: an
 * empty field is an empty string). LazySimpleSerDe: field.delim, no quoting, serialization.null.format (`\N`).
 * skip.header.line.count 1 is a header row read by name; more lines are skipped and columns read by position.
 */
export function csvDialectOf(params: Record<string, string>, serde: Record<string, string>): CsvDialect {
  const openCsv = serde['separatorChar'] !== undefined || serde['quoteChar'] !== undefined;
  const delimiter = (openCsv ? serde['separatorChar'] : serde['field.delim']) ?? params['delimiter'] ?? ',';
  const skipText = params['skip.header.line.count'] ?? serde['skip.header.line.count'] ?? '0';
  const skip = Math.max(0, Math.trunc(Number(skipText)) || 0);
  // Hive's count is an INT; an imported catalog's 1e30 would reach DuckDB as a cast error naming INT64.
  if (skip > 2 ** 31 - 1) throw new Error(`the table's skip.header.line.count is ${skipText}: a header line count is at most 2147483647 (edit the table's parameters in the Data Catalog)`);
  // A table that names no SerDe and no header count (written by hand, not crawled) has its header sniffed.
  const said = Object.keys(serde).length > 0 || params['skip.header.line.count'] !== undefined;
  const d: CsvDialect = { delimiter, ...(said ? { header: skip === 1 } : {}), ...(skip > 1 ? { skip } : {}), allVarchar: true };
  if (openCsv) {
    d.quote = serde['quoteChar'] ?? '"';
    d.escape = serde['escapeChar'] ?? serde['quoteChar'] ?? '"';
    d.nullstr = serde['serialization.null.format'] ?? '';
  } else if (said) {
    // LazySimpleSerDe keeps quotes as data; DuckDB has no "no quote", so a character a file never holds stands in.
    d.quote = '\u0001';
    d.escape = serde['escape.delim'] ?? '\u0001';
    d.nullstr = serde['serialization.null.format'] ?? '\\N';
  }
  return d;
}

/** The grok pattern of a log table: its `grokPattern` parameter (what a crawler writes), else its GrokSerDe's `input.format`. */
function grokOf(table: Table | null): Pick<ReadPlan, 'grok'> {
  const pattern = table?.Parameters?.['grokPattern'] || table?.StorageDescriptor?.SerdeInfo?.Parameters?.['input.format'];
  if (!pattern) return {};
  const customPatterns = table?.Parameters?.['grokCustomPatterns'] || table?.StorageDescriptor?.SerdeInfo?.Parameters?.['input.grokCustomPatterns'];
  return { grok: { pattern, ...(customPatterns ? { customPatterns } : {}) } };
}

/**
 * Hive partition values from a file path relative to the table (`region=eu/day=1/x.csv`), unescaped, by key;
 * `folderKeys` are the keys as folders spell them when the catalog renamed them (same order as `keys`).
 * A key no `k=v` folder names takes the value at its level (`2024/05/x.csv`: partition_0, partition_1).
 */
export function partitionValuesOf(path: string, keys: string[], folderKeys: string[] = keys): Record<string, string> {
  const named: Record<string, string> = {};
  const levels = path.split('/').slice(0, -1).map(parsePartitionSegment);
  // Keys are matched as the crawler names them: unescaped and lowercased (`Order%20Region=eu` is "order region").
  for (const { key, value } of levels) if (key) named[key] = value;
  // Otherwise the level's value, as the crawler reads it (a `state=TX` level keyed partition_0 because `state` is a column).
  return Object.fromEntries(keys.map((k, i) => [k, named[catalogKey(folderKeys[i] ?? k)] ?? levels[i]?.value ?? '']));
}

/**
 * A ReadPlan for a folder no catalog describes (a folder dropped in the Workspace): the most common data format
 * in it, and as partition keys the leading folder levels that are `k=v` with one k in every data file.
 */
export function folderPlan(location: string, files: { path: string }[]): ReadPlan {
  const data = files.filter((f) => formatOfName(f.path) !== null && !/^[_.]/.test(f.path.split('/').pop() ?? ''));
  const counts = new Map<ReadFormat, number>();
  for (const f of data) { const x = formatOfName(f.path)!; counts.set(x, (counts.get(x) ?? 0) + 1); }
  const format = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const levels = data.map((f) => f.path.split('/').slice(0, -1).map(parsePartitionSegment));
  const keys: string[] = [];
  for (let i = 0; levels.length && levels.every((l) => l[i]?.key && l[i]!.key === levels[0]![i]!.key); i++) keys.push(levels[0]![i]!.key!);
  return { location, format, columns: [], partitionKeys: keys };
}

/** Files of the plan's own format: a folder may hold a _SUCCESS marker or a README next to the data. */
export function dataFiles<F extends FileMark>(files: F[], format: ReadFormat | null, grok = false): F[] {
  // A log's files have any name (`app.log`, `app.log.1`, `server.out.gz`): all but other formats and markers.
  if (grok) return files.filter((f) => formatOfName(f.path) === null && !/^[_.]/.test(f.path.split('/').pop() ?? ''));
  const known = files.filter((f) => formatOfName(f.path) !== null);
  if (!format) return known;
  return known.filter((f) => { const x = formatOfName(f.path); return x === format || (format === 'csv' && x === 'tsv'); });
}

/** How much loadFiles reads. */
export interface LoadOptions {
  /** Stop after the file that brings the rows to at least this many (a preview's sample); `onFile` says which were read. */
  stopAfterRows?: number;
  /** Called with each file once its rows are in. */
  onFile?: (file: ResolvedFile) => void;
}

/** Where loadFiles writes: a table name, optionally in a schema (created when missing). */
export interface LoadTarget { name: string; schema?: string }

const refOf = (t: LoadTarget) => (t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` : quoteIdent(t.name));

const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** A partition value as its key's typed SQL value (`'2024'::INTEGER`); Hive's default partition is NULL. */
function partitionValueSql(value: string, hiveType: string | undefined): string {
  const duck = frameDuckType(parseType(hiveType || 'string'));
  if (value === HIVE_NULL) return `NULL::${duck}`;
  return duck === 'VARCHAR' ? `${quoteLiteral(value)}::VARCHAR` : `TRY_CAST(${quoteLiteral(value)} AS ${duck})`;
}

/**
 * Load files into the table `relation` (a name, or a LoadTarget in a schema): each file is opened with the
 * existing readers (CSV/TSV lazily through read_csv with the plan's dialect, JSON/Avro/XML/Parquet streamed as
 * Arrow), partition values from folder names are added as columns of the keys' Hive types. With catalog
 * columns the table has exactly those columns, in that order, of the catalog's types (a value that does not
 * convert is NULL, as Athena reads it); without them, the files' columns merged by name. With no files, an
 * empty table of the catalog's columns (or of the first skipped file's shape) is created, so downstream steps
 * still compile. Returns the row count.
 */
export async function loadFiles(engine: QueryEngine, relation: string | LoadTarget, files: ResolvedFile[], plan: ReadPlan, shapeOf?: ResolvedFile, opts: LoadOptions = {}): Promise<number> {
  const target = typeof relation === 'string' ? { name: relation } : relation;
  const rel = refOf(target);
  if (target.schema) await engine.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`, 0);
  await engine.query(`DROP TABLE IF EXISTS ${rel}`, 0);
  const keyType = (k: string) => frameDuckType(parseType(plan.partitionTypes?.[plan.partitionKeys.indexOf(k)] || 'string'));
  if (plan.columns.length) {
    const cols = [...plan.columns.map((c) => `${quoteIdent(c.name)} ${frameDuckType(parseType(c.type))}`), ...plan.partitionKeys.map((k) => `${quoteIdent(k)} ${keyType(k)}`)];
    await engine.query(`CREATE TABLE ${rel} (${cols.join(', ')})`, 0);
    for (const file of files) {
      const piece = await openOne(engine, file, plan);
      try {
        await engine.query(`INSERT INTO ${rel} BY NAME ${await selectPiece(engine, piece, file, plan)}`, 0);
      } finally {
        await piece.close();
      }
      opts.onFile?.(file);
      if (opts.stopAfterRows !== undefined && (await countRows(engine, rel, true)) >= opts.stopAfterRows) break;
    }
    return files.length ? countRows(engine, rel, true) : 0;
  }
  if (files.length === 0) {
    if (!shapeOf) throw new Error(`no input files at ${plan.location || 'the source'}`);
    const piece = await openOne(engine, shapeOf, plan);
    try {
      await engine.query(`CREATE TABLE ${rel} AS ${await selectPiece(engine, piece, shapeOf, plan)} LIMIT 0`, 0);
    } finally {
      await piece.close();
    }
    return 0;
  }
  let first = true;
  for (const file of files) {
    const piece = await openOne(engine, file, plan);
    try {
      const select = await selectPiece(engine, piece, file, plan);
      // UNION BY NAME merges files whose columns differ in order or presence (schema evolution across files).
      if (first) await engine.query(`CREATE TABLE ${rel} AS ${select}`, 0);
      else await engine.query(`CREATE OR REPLACE TABLE ${rel} AS SELECT * FROM ${rel} UNION ALL BY NAME ${select}`, 0);
      first = false;
    } finally {
      await piece.close();
    }
    opts.onFile?.(file);
    if (opts.stopAfterRows !== undefined && (await countRows(engine, rel, true)) >= opts.stopAfterRows) break;
  }
  return countRows(engine, rel, true);
}

/**
 * One file's rows under the catalog's column names and types: readers name columns as the file does ("Order
 * ID", or a normalised column's original "beak length (mm)"), the catalog as Glue does (lowercased, maybe
 * normalised); DuckDB matches names case-insensitively, so the file's name finds the column and AS gives the
 * catalog's. A header-less CSV (column0, column1 ...) is matched by position, as Hive reads it. Columns the
 * catalog does not have are left out.
 */
async function selectPiece(engine: QueryEngine, piece: { table: string }, file: ResolvedFile, plan: ReadPlan): Promise<string> {
  const parts = partitionValuesOf(file.path, plan.partitionKeys, plan.partitionFolderKeys);
  const extra = Object.entries(parts).map(([k, v]) => `, ${partitionValueSql(v, plan.partitionTypes?.[plan.partitionKeys.indexOf(k)])} AS ${quoteIdent(k)}`).join('');
  if (!plan.columns.length) return `SELECT *${extra} FROM ${quoteIdent(piece.table)}`;
  const have = (await engine.query(`DESCRIBE ${quoteIdent(piece.table)}`)).rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  const byName = new Map(have.map((h) => [catalogKey(h.name), h]));
  // Sniffed as header-less, DuckDB names columns column0, column1 ...: those are read by position too.
  const positional = !!plan.csv && (plan.csv.header === false || (have.every((h) => /^column\d+$/.test(h.name)) && !plan.columns.some((c) => byName.has(catalogKey(c.source ?? c.name)))));
  const list: string[] = [];
  plan.columns.forEach((c, i) => {
    const found = positional ? have[i] : byName.get(catalogKey(c.source ?? c.name)) ?? byName.get(catalogKey(c.name));
    if (!found) return;
    const duck = frameDuckType(parseType(c.type));
    const value = found.type === duck ? quoteIdent(found.name) : `TRY_CAST(${quoteIdent(found.name)} AS ${duck})`;
    list.push(`${value} AS ${quoteIdent(c.name)}`);
  });
  // A file without any of the catalog's columns still gives its rows (all NULL), not a syntax error.
  if (!list.length) list.push(`NULL AS ${quoteIdent(plan.columns[0]!.name)}`);
  return `SELECT ${list.join(', ')}${extra} FROM ${quoteIdent(piece.table)}`;
}

async function openOne(engine: QueryEngine, file: ResolvedFile, plan: ReadPlan): Promise<{ table: string; close: () => Promise<void> }> {
  const name = file.path.split('/').pop() ?? file.path;
  if (plan.grok) {
    const schema = plan.columns.length ? plan.columns.map((c) => ({ name: c.name, type: parseType(c.type) })) : null;
    const opened = await engine.openRecords(name, file.data, { schema, grokPattern: plan.grok.pattern, ...(plan.grok.customPatterns ? { grokCustomPatterns: plan.grok.customPatterns } : {}) });
    return { table: opened.table, close: async () => { await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(opened.table)}`, 0); } };
  }
  const format = formatOfName(name) ?? plan.format;
  if (format === 'csv' || format === 'tsv') {
    const dialect = plan.csv ? { ...plan.csv, ...(format === 'tsv' && !plan.csv.delimiter ? { delimiter: '\t' } : {}) } : undefined;
    const opened = await engine.open(name, file.data, file.size, dialect);
    return { table: opened.table, close: () => engine.close(opened.table) };
  }
  if (!format) throw new Error(`${file.path}: unknown format (expected .csv, .tsv, .json, .parquet, .avro, .orc, .xml, .xlsx or .arrow)`);
  // A JSON path into each document (`$.records[*]`): its records are cut out as JSON Lines, numbers kept exact.
  const data = format === 'json' && plan.jsonPath && !/^\$(\[\*\])?$/.test(plan.jsonPath.trim()) ? await recordsAt(file, plan.jsonPath) : file.data;
  // Record readers look fields up by the name in the file; selectPiece renames them to the catalog's.
  const schema = plan.columns.length ? plan.columns.map((c) => ({ name: c.source ?? c.name, type: parseType(c.type) })) : null;
  // ORC, like Parquet and Arrow, types its own columns; selectPiece then casts them to the catalog's.
  const ownSchema = format === 'parquet' || format === 'arrow' || format === 'orc';
  const opened = await engine.openRecords(data === file.data ? name : name.replace(/\.gz(ip)?$/i, ''), data, { schema: ownSchema ? null : schema, ...(plan.rowTag ? { rowTag: plan.rowTag } : {}), ...(plan.sheet !== undefined ? { sheet: plan.sheet } : {}) });
  // Parquet opens as a lazy view (engine/parquet-table.ts), which the engine closes with its internal tables.
  if (opened.format === 'parquet') return { table: opened.table, close: () => engine.close(opened.table) };
  return { table: opened.table, close: async () => { await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(opened.table)}`, 0); } };
}

/** The records a JSON path selects in every document of a file, as JSON Lines bytes. */
async function recordsAt(file: ResolvedFile, jsonPath: string): Promise<DataSource> {
  let steps;
  try {
    steps = parseJsonPath(jsonPath);
  } catch (err) {
    throw new Error(`${file.path}: the table's JSON path ${jsonPath} cannot be used (${errorMessage(err)})`);
  }
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(file.data);
  if (/\.gz(ip)?$/i.test(file.path)) bytes = gunzipChunks(bytes);
  let text = '';
  for await (const chunk of textChunks(bytes)) text += chunk;
  const found = findRecords(text, steps);
  if (found.error) throw new Error(`${file.path}: not JSON (${found.error})`);
  const lines: string[] = [];
  for (let i = 0; i < found.spans.length; i += 2) lines.push(text.slice(found.spans[i], found.spans[i + 1]).replace(/\r?\n/g, ' '));
  return { kind: 'buffer', bytes: new TextEncoder().encode(lines.join('\n') + '\n') };
}
