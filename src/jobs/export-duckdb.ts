/**
 * A job as one DuckDB SQL script for native DuckDB (`duckdb < job.sql`): sources read with read_csv /
 * read_parquet / read_json, every transform compiled by the same compiler the tab runs, targets written
 * with COPY. Native DuckDB has Parquet and JSON built in, so the script needs nothing else.
 */
import { quoteIdent, quoteLiteral } from '../engine/sql';
import type { StructField } from '../schema/types';
import { compileTransform } from './compile';
import { transformOf } from '../frames/transforms';
import { resolveArguments, substitute, topoOrder, type JobDefinition, type TargetNode } from './model';
import type { ReadFormat } from '../query/read';
import type { BookmarkOption } from './bookmarks';
import { bookmarkOption } from './run';
import { writeModeOf } from './targets';
import { readLogSql } from './export-log';
import { planSource } from './sources';
import type { Catalog } from '../catalog/store';

/** What the export knows about a source: where its files are (local path or location) and their format. */
export interface ExportSource {
  location: string;
  format: ReadFormat | null;
  partitionKeys?: string[];
  /** Excel: the sheet the source reads. */
  sheet?: string;
  /** The partition keys as folder names spell them, when the catalog renamed them (same order). */
  partitionFolderKeys?: string[];
  /** A catalog table's columns (`source`: the name in the files when the catalog renamed it). */
  columns?: { name: string; source?: string }[];
  /** A log table's grok pattern (planSource's `grok`): its files are read as text lines. */
  grok?: { pattern: string; customPatterns?: string };
}

export interface DuckDbExportOptions {
  /** Per source node (from planSource, or a path given by the user). */
  sources: Record<string, ExportSource>;
  /** Schemas of the nodes' outputs (a run's `schemas`): transforms compile against them. */
  schemas: Record<string, StructField[]>;
  arguments?: Record<string, string>;
  /** Folder targets write into (default `out`). */
  outDir?: string;
  /** Folder where files of browser-only sources (open tabs, dropped files, the workspace) are expected (default `input`). */
  inputDir?: string;
}

const READERS: Record<ReadFormat, string> = { csv: 'read_csv', tsv: 'read_csv', json: 'read_json', parquet: 'read_parquet', avro: 'read_avro', xml: 'read_xml', xlsx: 'read_xlsx', arrow: 'read_arrow', orc: 'read_orc' };

/** A location as a path native DuckDB can read; browser-only locations become a placeholder to edit. */
function nativePath(location: string, nodeId: string, inputDir: string): { path: string; note?: string } {
  if (location.startsWith('file://')) return { path: decodeURIComponent(location.slice('file://'.length)) };
  if (/^(dropped|opfs):\/\//.test(location)) return { path: `${inputDir}/${nodeId}`, note: `was ${location} in the browser: copy the files there or edit the path` };
  return { path: location };
}

function readSource(id: string, s: ExportSource, inputDir: string): { sql: string; note?: string } {
  const { path, note } = nativePath(s.location, id, inputDir);
  if (s.grok) {
    const isLogFile = !s.location.endsWith('/') && /\.[A-Za-z0-9]+$/.test(path.split('/').pop() ?? '');
    return { sql: readLogSql(isLogFile ? path : `${path.replace(/\/+$/, '')}/**/*`, s.grok), ...(note ? { note } : {}) };
  }
  const format = s.format ?? 'csv';
  const isFile = /\.[A-Za-z0-9]+(\.gz)?$/.test(path.split('/').pop() ?? '');
  const ext = { csv: 'csv', tsv: 'tsv', json: 'json', parquet: 'parquet', avro: 'avro', xml: 'xml', xlsx: 'xlsx', arrow: 'arrow', orc: 'orc' }[format];
  const glob = isFile ? path : `${path.replace(/\/+$/, '')}/**/*.${ext}`;
  const opts: string[] = [];
  if (!isFile) opts.push('union_by_name=true');
  if (format === 'tsv') opts.push(`delim='\\t'`);
  if (format === 'json') opts.push(`format='auto'`);
  // Partition values stay strings, as the tab reads them (and as Glue's crawler types them).
  if (s.partitionKeys?.length) opts.push('hive_partitioning=true', 'hive_types_autocast=false');
  if (format === 'xlsx') return { sql: `SELECT ${selectList(s)} FROM read_xlsx(${[quoteLiteral(glob), ...(s.sheet !== undefined ? [`sheet=${quoteLiteral(s.sheet)}`] : [])].join(', ')}) /* needs the excel extension: INSTALL excel; LOAD excel */`, ...(note ? { note } : {}) };
  if (format === 'arrow') return { sql: `SELECT ${selectList(s)} FROM read_arrow(${quoteLiteral(glob)}) /* needs the arrow community extension: INSTALL arrow FROM community */`, ...(note ? { note } : {}) };
  // A block comment: a line comment here swallowed the semicolon that ends the statement.
  if (format === 'orc') return { sql: `SELECT * FROM read_orc(${quoteLiteral(glob)}) /* DuckDB has no ORC reader: convert the files to Parquet */`, ...(note ? { note } : {}) };
  if (format === 'avro' || format === 'xml') return { sql: `SELECT * FROM ${READERS[format]}(${quoteLiteral(glob)}) /* needs the ${format} community extension */`, ...(note ? { note } : {}) };
  return { sql: `SELECT ${selectList(s)} FROM ${READERS[format]}(${[quoteLiteral(glob), ...opts].join(', ')})`, ...(note ? { note } : {}) };
}

/**
 * A catalog source's columns under the catalog's names, as the tab reads them: DuckDB finds `"order id"` in a
 * file whose header says `Order ID` (names match case-insensitively) and AS gives the catalog's spelling, so
 * the script's tables and outputs have the tab's column names. Other sources keep the files' names.
 */
function selectList(s: ExportSource): string {
  if (!s.columns?.length) return '*';
  const keys = s.partitionKeys ?? [];
  // Always aliased: an unaliased reference would keep the file's spelling (`Order ID`) as the column name.
  const pick = (name: string, source: string) => `${quoteIdent(source)} AS ${quoteIdent(name)}`;
  return [...s.columns.map((c) => pick(c.name, c.source ?? c.name)), ...keys.map((k, i) => pick(k, s.partitionFolderKeys?.[i] ?? k))].join(', ');
}

function targetPath(node: TargetNode, outDir: string): string {
  const t = node.target;
  if (t.type === 's3') return t.location.replace(/\/+$/, '');
  return `${outDir.replace(/\/+$/, '')}/${t.type === 'workspace' ? t.path : (t.name || node.id)}`;
}

/** Folders that must exist before the script runs (DuckDB's COPY creates only the last level). */
export function exportFolders(def: JobDefinition, outDir = 'out', args?: Record<string, string>): string[] {
  const resolved = resolveArguments(def, args);
  const dirs = def.nodes.filter((n): n is TargetNode => n.kind === 'target').map((n) => {
    // A partitioned COPY creates its folder, a plain one its file: either way the parent must exist.
    return targetPath(substitute(n, resolved), outDir).split('/').slice(0, -1).join('/');
  }).filter(Boolean);
  return [...new Set(dirs)];
}

const EXT = { parquet: 'parquet', csv: 'csv', ndjson: 'json' } as const;

/** How native DuckDB reads back what a target wrote (dynamic partition overwrite keeps the other partitions' rows). */
function readBack(t: TargetNode['target'], folder: string): string {
  const glob = quoteLiteral(`${folder}/**/*.${EXT[t.format]}`);
  const hive = 'hive_partitioning=true, hive_types_autocast=false, union_by_name=true';
  if (t.format === 'parquet') return `read_parquet(${glob}, ${hive})`;
  if (t.format === 'csv') return `read_csv(${glob}, header=true, ${hive})`;
  return `read_json(${glob}, format='newline_delimited', ${hive})`;
}

function copyTarget(node: TargetNode, outDir: string, bookmark: BookmarkOption): string {
  const t = node.target;
  const folder = targetPath(node, outDir);
  const options: string[] = [];
  if (t.format === 'parquet') options.push('FORMAT parquet', `COMPRESSION ${t.compression ?? 'snappy'}`);
  else if (t.format === 'csv') options.push('FORMAT csv', 'HEADER true');
  else options.push('FORMAT json');
  const input = quoteIdent(node.inputs[0]!);
  const from = `SELECT * FROM ${input}`;
  const keys = t.partitionBy ?? [];
  if (t.type === 'workspace') {
    // A workspace target is a folder of files, written with the target's mode (COPY's APPEND writes
    // uniquely named files, so earlier runs' files are never replaced).
    const mode = writeModeOf(t, bookmark);
    if (keys.length) options.push(`PARTITION_BY (${keys.map(quoteIdent).join(', ')})`);
    else options.push('PER_THREAD_OUTPUT true');
    if (mode === 'append') return `COPY (${from}) TO ${quoteLiteral(folder)} (${[...options, 'APPEND true'].join(', ')});`;
    if (mode === 'overwrite-partitions' && keys.length) {
      // COPY can only replace a whole folder: the rows of the partitions this run does not write are read
      // back first, then everything is written again (what Spark's dynamic partition overwrite leaves).
      const kept = quoteIdent(`${node.id}__kept`);
      const variable = `epoxy_kept_${node.id}`;
      const match = keys.map((k) => `CAST(w.${quoteIdent(k)} AS VARCHAR) IS NOT DISTINCT FROM k.${quoteIdent(k)}`).join(' AND ');
      const keep = `SELECT k.* FROM ${readBack(t, folder)} AS k WHERE NOT EXISTS (SELECT 1 FROM ${input} AS w WHERE ${match})`;
      return [
        `-- ${node.id}: overwrites only the partitions it writes (${keys.join(', ')}); the others' rows are kept`,
        `SET VARIABLE ${variable} = CASE WHEN (SELECT count(*) FROM glob(${quoteLiteral(`${folder}/**/*.${EXT[t.format]}`)})) > 0 THEN ${quoteLiteral(keep)} ELSE ${quoteLiteral(`${from} LIMIT 0`)} END;`,
        `CREATE OR REPLACE TABLE ${kept} AS SELECT * FROM query(getvariable(${quoteLiteral(variable)}));`,
        `COPY (SELECT * FROM ${kept} UNION ALL BY NAME ${from}) TO ${quoteLiteral(folder)} (${[...options, 'OVERWRITE true'].join(', ')});`,
      ].join('\n');
    }
    return `COPY (${from}) TO ${quoteLiteral(folder)} (${[...options, 'OVERWRITE true'].join(', ')});`;
  }
  if (keys.length) {
    options.push(`PARTITION_BY (${keys.map(quoteIdent).join(', ')})`, 'OVERWRITE_OR_IGNORE true');
    return `COPY (${from}) TO ${quoteLiteral(folder)} (${options.join(', ')});`;
  }
  const ext = { parquet: '.parquet', csv: '.csv', ndjson: '.json' }[t.format];
  return `COPY (${from}) TO ${quoteLiteral(folder + ext)} (${options.join(', ')});`;
}

/**
 * The DuckDB SQL script of a job. Tables are named after the nodes; job parameters are substituted with the
 * given arguments (defaults otherwise) and listed at the top. Throws when a transform's input schema is not
 * known (run or preview the job once first).
 */
export function exportDuckDbSql(def: JobDefinition, o: DuckDbExportOptions): string {
  const args = resolveArguments(def, o.arguments);
  const outDir = o.outDir ?? 'out';
  const inputDir = (o.inputDir ?? 'input').replace(/\/+$/, '');
  const head = [
    `-- Epoxy job ${def.name}, exported for native DuckDB: duckdb < ${def.name}.sql`,
    ...(def.description ? [`-- ${def.description.replace(/\s+/g, ' ')}`] : []),
    ...def.parameters.map((p) => `-- parameter ${p.name} = ${JSON.stringify(args[p.name])}${p.default !== args[p.name] ? ` (default ${JSON.stringify(p.default)})` : ''}`),
    `-- Targets write under ${outDir}/ (partitioned targets as Hive folders). Create the folders first:`,
    `-- mkdir -p ${exportFolders(def, outDir, o.arguments).map((d) => `'${d.replace(/'/g, "'\\''")}'`).join(' ')}`,
  ];
  const body: string[] = [];
  const bookmark = bookmarkOption(def, o.arguments);
  for (const node of topoOrder(def)) {
    if (node.kind === 'source') {
      if (node.source.type === 'table') {
        // Read the file in place rather than asking for a view of the table's name: a node is often named like
        // its table (Save as job), and a view of that name makes the node's CREATE OR REPLACE TABLE fail natively.
        const name = substitute(node.source.name, args);
        const file = `${inputDir}/${name.replace(/[\\/]/g, '_')}.csv`;
        body.push(`-- ${node.id}: the open table ${name} of the browser session; put its data at ${file} (or edit the path: any file DuckDB reads, e.g. .parquet)`, `CREATE OR REPLACE TABLE ${quoteIdent(node.id)} AS SELECT * FROM ${quoteLiteral(file)};`);
        continue;
      }
      const s = o.sources[node.id];
      if (!s) throw new Error(`${node.id}: where the source's files are is not known`);
      const read = readSource(node.id, { ...s, location: substitute(s.location, args) }, inputDir);
      if (read.note) body.push(`-- ${node.id}: ${read.note}`);
      body.push(`CREATE OR REPLACE TABLE ${quoteIdent(node.id)} AS ${read.sql};`);
    } else if (node.kind === 'transform') {
      const inputs = node.inputs.map((id) => {
        const schema = o.schemas[id];
        if (!schema) throw new Error(`${node.id}: the schema of ${id} is not known yet; run or preview the job once, then export`);
        return { relation: id, schema };
      });
      const facts = transformOf(node.step.kind)?.facts && o.schemas[node.id]
        ? { nullColumns: inputs[0]!.schema.map((f) => f.name).filter((n) => !o.schemas[node.id]!.some((f) => f.name === n)) }
        : undefined;
      const compiled = compileTransform(node, inputs, args, facts);
      body.push(`-- ${node.id}: ${node.step.kind}${node.label ? ` (${node.label.replace(/\s+/g, ' ')})` : ''}`);
      body.push(`CREATE OR REPLACE TABLE ${quoteIdent(node.id)} AS ${compiled.sql};`);
      if (compiled.errorSql) body.push(`CREATE OR REPLACE TABLE ${quoteIdent(`${node.id}_errors`)} AS ${compiled.errorSql};`);
    } else {
      body.push(`-- ${node.id}: ${node.target.type} target${node.target.type === 'workspace' ? ` (${writeModeOf(node.target, bookmark)})` : ''}`);
      // Measured on DuckDB 1.5.6: COPY ... PARTITION_BY percent-encodes the key as well as the value, and its own
      // hive_partitioning reads the key back encoded; Hive, Spark and Athena decode both.
      const encoded = (node.target.partitionBy ?? []).filter((k) => /[^A-Za-z0-9_.-]/.test(k));
      if (encoded.length) body.push(`-- DuckDB writes the folders of ${encoded.map((k) => JSON.stringify(k)).join(', ')} percent-encoded (${encodeURIComponent(encoded[0]!)}=...), where the tab writes ${encoded[0]!.replace(/[\r\n]/g, ' ')}=...: Hive, Spark and Athena read both as the same key`);
      body.push(copyTarget(substitute(node, args), outDir, bookmark));
    }
  }
  return [...head, '', ...body, ''].join('\n');
}

/**
 * What the export needs to know of each source node, planned as a run would read it (a catalog table's
 * location, format and columns). A source that cannot be planned (a table no longer in the catalog) exports
 * with an empty location to fill in, rather than failing the whole script.
 */
export async function exportSourcesOf(def: JobDefinition, catalog?: Catalog): Promise<Record<string, ExportSource>> {
  const sources: Record<string, ExportSource> = {};
  for (const n of def.nodes) {
    if (n.kind !== 'source') continue;
    const plan = await planSource(n, catalog).catch(() => null);
    sources[n.id] = { location: plan?.location ?? '', format: plan?.format ?? null, partitionKeys: plan?.partitionKeys ?? [], columns: plan?.columns ?? [], ...(plan?.partitionFolderKeys ? { partitionFolderKeys: plan.partitionFolderKeys } : {}), ...(plan?.grok ? { grok: plan.grok } : {}), ...(plan?.sheet !== undefined ? { sheet: plan.sheet } : {}) };
  }
  return sources;
}
