/**
 * Source nodes: find the files behind a source (a catalog table's location, a path), keep the ones the
 * bookmark has not processed, and load them into one engine table.
 */
import type { Catalog } from '../catalog/store';
import type { Table } from '../catalog/glue-types';
import type { DataSource } from '../engine/engine';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { frameDuckType } from '../frames/duck-types';
import { parseType } from '../schema/types';
import { catalogKey, sourceNameOf } from '../catalog/names';
import { parsePartitionSegment } from '../crawler/partitions';
import type { FileMark } from './bookmarks';
import { countOf, type JobEngine } from './engine';
import type { SourceFormat, SourceNode } from './model';

/** A file a source reads: its bookmark identity, a name with the extension, and how the engine reaches its bytes. */
export interface ResolvedFile extends FileMark {
  data: DataSource;
}

/** Where the files of a source are, and what is known about them before reading. */
export interface SourcePlan {
  location: string;
  format: SourceFormat | null;
  /** Catalog columns (Hive types), when the source is a catalog table; `source` is the name in the files when it differs. */
  columns: { name: string; type: string; source?: string }[];
  partitionKeys: string[];
  /** The key each partition key has in folder names (`order region=eu`) when the catalog renamed it. */
  partitionFolderKeys?: string[];
  rowTag?: string;
  /** Excel: the sheet a catalog table stands for (its `epoxy.sheet` parameter). */
  sheet?: string;
  /** A log table (a grok classifier's): its files are text lines read with this pattern, whatever their names. */
  grok?: { pattern: string; customPatterns?: string };
}

const EXT: [RegExp, SourceFormat][] = [[/\.csv(\.gz)?$/i, 'csv'], [/\.tsv(\.gz)?$/i, 'tsv'], [/\.(json|ndjson|jsonl)(\.gz)?$/i, 'json'], [/\.parquet$/i, 'parquet'], [/\.avro$/i, 'avro'], [/\.xml(\.gz)?$/i, 'xml'], [/\.xlsx$/i, 'xlsx'], [/\.(arrow|feather|arrows|ipc)$/i, 'arrow']];

/** The format of a file from its name, or null. */
export function formatOfName(name: string): SourceFormat | null {
  return EXT.find(([re]) => re.test(name))?.[1] ?? null;
}

/** Where a source's files are and what the catalog knows about them (an override path replaces the location). */
export async function planSource(node: SourceNode, catalog: Catalog | undefined, override?: string): Promise<SourcePlan> {
  const s = node.source;
  if (s.type === 'catalog') {
    if (!catalog && !override) throw new Error(`Source ${node.id} reads catalog table ${s.database}.${s.table}, but no catalog is open (give --input ${node.id}=PATH)`);
    let table: Table | null = null;
    if (catalog) table = await catalog.getTable(s.database, s.table).catch((err) => { if (override) return null; throw err; });
    const classification = table?.Parameters?.['classification'] ?? table?.StorageDescriptor?.Parameters?.['classification'];
    const format = classification && ['csv', 'json', 'parquet', 'avro', 'xml', 'xlsx', 'arrow'].includes(classification) ? classification as SourceFormat : null;
    return {
      location: override ?? table?.StorageDescriptor?.Location ?? '',
      format,
      columns: (table?.StorageDescriptor?.Columns ?? []).map((c) => ({ name: c.Name, type: c.Type ?? 'string', ...(sourceNameOf(c) !== c.Name ? { source: sourceNameOf(c) } : {}) })),
      partitionKeys: (table?.PartitionKeys ?? []).map((c) => c.Name),
      ...((table?.PartitionKeys ?? []).some((c) => sourceNameOf(c) !== c.Name) ? { partitionFolderKeys: table!.PartitionKeys!.map(sourceNameOf) } : {}),
      ...(table?.Parameters?.['rowTag'] ? { rowTag: table.Parameters['rowTag'] } : {}),
      ...(table?.Parameters?.['epoxy.sheet'] !== undefined ? { sheet: table.Parameters['epoxy.sheet'] } : {}),
      ...(format ? {} : grokOf(table)),
    };
  }
  if (s.type === 'file') return { location: override ?? s.path, format: s.format ?? null, columns: [], partitionKeys: [], ...(s.rowTag ? { rowTag: s.rowTag } : {}) };
  return { location: override ?? '', format: null, columns: [], partitionKeys: [] };
}

/** The grok pattern of a log table: its `grokPattern` parameter (what a crawler writes), else its GrokSerDe's `input.format`. */
function grokOf(table: Table | null): Pick<SourcePlan, 'grok'> {
  const pattern = table?.Parameters?.['grokPattern'] || table?.StorageDescriptor?.SerdeInfo?.Parameters?.['input.format'];
  if (!pattern) return {};
  const customPatterns = table?.Parameters?.['grokCustomPatterns'] || table?.StorageDescriptor?.SerdeInfo?.Parameters?.['input.grokCustomPatterns'];
  return { grok: { pattern, ...(customPatterns ? { customPatterns } : {}) } };
}

/**
 * Hive partition values from a file path relative to the table (`region=eu/day=1/x.csv`), unescaped, by key;
 * `folderKeys` are the keys as folders spell them when the catalog renamed them (same order as `keys`).
 */
export function partitionValuesOf(path: string, keys: string[], folderKeys: string[] = keys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const seg of path.split('/').slice(0, -1)) {
    // Keys are matched as the crawler names them: unescaped and lowercased (`Order%20Region=eu` is "order region").
    const { key, value } = parsePartitionSegment(seg);
    if (key) out[key] = value;
  }
  return Object.fromEntries(keys.map((k, i) => [k, out[catalogKey(folderKeys[i] ?? k)] ?? '']));
}

/** Files of the plan's own format: a folder may hold a _SUCCESS marker or a README next to the data. */
export function dataFiles<F extends FileMark>(files: F[], format: SourceFormat | null, grok = false): F[] {
  // A log's files have any name (`app.log`, `app.log.1`, `server.out.gz`): all but other formats and markers.
  if (grok) return files.filter((f) => formatOfName(f.path) === null && !/^[_.]/.test(f.path.split('/').pop() ?? ''));
  const known = files.filter((f) => formatOfName(f.path) !== null);
  if (!format) return known;
  return known.filter((f) => { const x = formatOfName(f.path); return x === format || (format === 'csv' && x === 'tsv'); });
}

/**
 * Load files into the table `relation`: each file is opened with the existing readers (CSV/TSV lazily through
 * read_csv, JSON/Avro/XML/Parquet streamed as Arrow), partition values from folder names are added as string
 * columns, and the pieces are appended by column name. With no files, an empty table of the catalog's
 * columns (or of the first skipped file's shape) is created, so downstream steps still compile.
 */
export async function loadFiles(engine: JobEngine, relation: string, files: ResolvedFile[], plan: SourcePlan, shapeOf?: ResolvedFile): Promise<number> {
  const rel = quoteIdent(relation);
  await engine.query(`DROP TABLE IF EXISTS ${rel}`, 0);
  if (files.length === 0) {
    if (plan.columns.length) {
      const cols = [...plan.columns.map((c) => `${quoteIdent(c.name)} ${frameDuckType(parseType(c.type))}`), ...plan.partitionKeys.map((k) => `${quoteIdent(k)} VARCHAR`)];
      await engine.query(`CREATE TABLE ${rel} (${cols.join(', ')})`, 0);
      return 0;
    }
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
      else {
        await engine.query(`CREATE OR REPLACE TABLE ${rel} AS SELECT * FROM ${rel} UNION ALL BY NAME ${select}`, 0);
      }
      first = false;
    } finally {
      await piece.close();
    }
  }
  return countOf(engine, relation);
}

/**
 * One file's rows under the catalog's column names: readers name columns as the file does ("Order ID", or a
 * normalised column's original "beak length (mm)"), the catalog as Glue does (lowercased, maybe normalised);
 * DuckDB matches names case-insensitively, so the file's name finds the column and AS gives the catalog's.
 */
async function selectPiece(engine: JobEngine, piece: { table: string }, file: ResolvedFile, plan: SourcePlan): Promise<string> {
  const parts = partitionValuesOf(file.path, plan.partitionKeys, plan.partitionFolderKeys);
  const extra = Object.entries(parts).map(([k, v]) => `, ${quoteLiteral(v)}::VARCHAR AS ${quoteIdent(k)}`).join('');
  if (!plan.columns.length) return `SELECT *${extra} FROM ${quoteIdent(piece.table)}`;
  const catalogNames = new Map(plan.columns.map((c) => [catalogKey(c.source ?? c.name), c.name]));
  const have = (await engine.query(`DESCRIBE ${quoteIdent(piece.table)}`)).rows.map((r) => String(r[0]));
  const list = have.map((n) => {
    const named = catalogNames.get(catalogKey(n));
    return named !== undefined && named !== n ? `${quoteIdent(n)} AS ${quoteIdent(named)}` : quoteIdent(n);
  });
  return `SELECT ${list.join(', ')}${extra} FROM ${quoteIdent(piece.table)}`;
}

async function openOne(engine: JobEngine, file: ResolvedFile, plan: SourcePlan): Promise<{ table: string; close: () => Promise<void> }> {
  const name = file.path.split('/').pop() ?? file.path;
  if (plan.grok) {
    const schema = plan.columns.length ? plan.columns.map((c) => ({ name: c.name, type: parseType(c.type) })) : null;
    const opened = await engine.openRecords(name, file.data, { schema, grokPattern: plan.grok.pattern, ...(plan.grok.customPatterns ? { grokCustomPatterns: plan.grok.customPatterns } : {}) });
    return { table: opened.table, close: async () => { await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(opened.table)}`, 0); } };
  }
  const format = formatOfName(name) ?? plan.format;
  if (format === 'csv' || format === 'tsv') {
    const opened = await engine.open(name, file.data, file.size);
    return { table: opened.table, close: () => engine.close(opened.table) };
  }
  if (!format) throw new Error(`${file.path}: unknown format (expected .csv, .tsv, .json, .parquet, .avro, .xml, .xlsx or .arrow)`);
  // Record readers look fields up by the name in the file; selectPiece renames them to the catalog's.
  const schema = plan.columns.length ? plan.columns.map((c) => ({ name: c.source ?? c.name, type: parseType(c.type) })) : null;
  const ownSchema = format === 'parquet' || format === 'arrow';
  const opened = await engine.openRecords(name, file.data, { schema: ownSchema ? null : schema, ...(plan.rowTag ? { rowTag: plan.rowTag } : {}), ...(plan.sheet !== undefined ? { sheet: plan.sheet } : {}) });
  return { table: opened.table, close: async () => { await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(opened.table)}`, 0); } };
}
