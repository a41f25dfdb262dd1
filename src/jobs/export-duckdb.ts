/**
 * A job as one DuckDB SQL script for native DuckDB (`duckdb < job.sql`): sources read with read_csv /
 * read_parquet / read_json, every transform compiled by the same compiler the tab runs, targets written
 * with COPY. Native DuckDB has Parquet and JSON built in, so the script needs nothing else.
 * Sources are read with the columns and types the tab's run measured (the `schemas`), and targets are written as
 * the tab writes them, so the outputs match row for row (test/support/duck-parity.ts checks it).
 */
import type { CsvDialect } from '../engine/engine';
import { quoteIdent, quoteLiteral } from '../engine/sql';
import { choiceTag, frameDuckType } from '../frames/duck-types';
import type { GlueType, StructField } from '../schema/types';
import { compileTransform } from './compile';
import { transformOf } from '../frames/transforms';
import { resolveArguments, substitute, topoOrder, type JobDefinition, type TargetNode } from './model';
import { formatOfName, type ReadFormat } from '../query/read';
import type { BookmarkOption } from './bookmarks';
import { bookmarkOption } from './run';
import { writableSelect, writeModeOf } from './targets';
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
  /** A catalog CSV table's dialect (its SerDe): read as the tab reads it, every field as text, then cast. */
  csv?: CsvDialect;
}

export interface DuckDbExportOptions {
  /** Per source node (from planSource, or a path given by the user). */
  sources: Record<string, ExportSource>;
  /** Schemas of the nodes' outputs (a run's `schemas`): transforms compile against them. */
  schemas: Record<string, StructField[]>;
  arguments?: Record<string, string>;
  /** Folder targets write into (default `out`). */
  outDir?: string;
  /**
   * The files a run read per source node (a run's `processed`): a folder source that names no format is read
   * in theirs, as the tab reads each file by its name (without them: CSV).
   */
  processed?: Record<string, { path: string }[]>;
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

/** Whether a type holds a choice (a UNION) at any depth: such a column is read as JSON and converted. */
function hasChoice(type: GlueType): boolean {
  switch (type.kind) {
    case 'choice': return true;
    case 'struct': return type.fields.some((f) => hasChoice(f.type));
    case 'array': return hasChoice(type.element);
    case 'map': return hasChoice(type.key) || hasChoice(type.value);
    default: return false;
  }
}

const isText = (t: GlueType) => (t.kind === 'primitive' && t.name === 'string') || t.kind === 'varchar' || t.kind === 'char' || t.kind === 'null';
const isInteger = (t: GlueType) => t.kind === 'primitive' && ['bigint', 'int', 'smallint', 'tinyint'].includes(t.name);
const isNumber = (t: GlueType) => isInteger(t) || t.kind === 'decimal' || (t.kind === 'primitive' && ['double', 'float'].includes(t.name));

/** A JSON Pointer to one member (`/a~1b` for `a/b`): any member name, no path syntax to escape. */
const pointer = (name: string) => quoteLiteral('/' + name.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * The SQL value of type `type` from a JSON value `x`, as the tab's record reader makes it: a choice takes the
 * option the tab's reader picks for the JSON value's kind (an integral number prefers an integer option, then
 * any number; a string a text, date or timestamp option; an object a struct or map; an array an array).
 */
function fromJson(x: string, type: GlueType, depth = 0): string {
  if (!hasChoice(type)) return isText(type) ? `json_extract_string(${x}, '$')` : `TRY_CAST(${x} AS ${frameDuckType(type)})`;
  if (type.kind === 'struct') {
    const fields = type.fields.map((f) => `${quoteIdent(f.name)} := ${fromJson(`json_extract(${x}, ${pointer(f.name)})`, f.type, depth + 1)}`);
    return `CASE WHEN json_type(${x}) = 'OBJECT' THEN struct_pack(${fields.join(', ')}) END`;
  }
  if (type.kind === 'array') {
    const e = `e${depth}`;
    return `CASE WHEN json_type(${x}) = 'ARRAY' THEN list_transform(CAST(${x} AS JSON[]), ${e} -> ${fromJson(e, type.element, depth + 1)}) END`;
  }
  if (type.kind !== 'choice') return `TRY_CAST(${x} AS ${frameDuckType(type)})`;
  const union = frameDuckType(type);
  const o = type.options;
  const textual = (t: GlueType) => isText(t) || (t.kind === 'primitive' && (t.name === 'date' || t.name === 'timestamp'));
  const picks: [string, GlueType | undefined][] = [
    [`json_type(${x}) IN ('BIGINT', 'UBIGINT') OR (json_type(${x}) = 'DOUBLE' AND CAST(${x} AS DOUBLE) = trunc(CAST(${x} AS DOUBLE)))`, o.find(isInteger) ?? o.find((t) => isNumber(t) && !isInteger(t)) ?? o.find(isNumber)],
    [`json_type(${x}) = 'DOUBLE'`, o.find((t) => isNumber(t) && !isInteger(t)) ?? o.find(isNumber)],
    [`json_type(${x}) = 'VARCHAR'`, o.find(textual)],
    [`json_type(${x}) = 'BOOLEAN'`, o.find((t) => t.kind === 'primitive' && t.name === 'boolean')],
    [`json_type(${x}) = 'ARRAY'`, o.find((t) => t.kind === 'array')],
    [`json_type(${x}) = 'OBJECT'`, o.find((t) => t.kind === 'struct' || t.kind === 'map')],
  ];
  const whens = picks.filter((p): p is [string, GlueType] => !!p[1]).map(([when, option]) => {
    const value = option.kind === 'primitive' && (option.name === 'date' || option.name === 'timestamp') ? `TRY_CAST(json_extract_string(${x}, '$') AS ${frameDuckType(option)})` : fromJson(x, option, depth + 1);
    return `WHEN ${when} THEN CAST(union_value(${quoteIdent(choiceTag(option))} := ${value}) AS ${union})`;
  });
  return whens.length ? `CASE ${whens.join(' ')} END` : `NULL::${union}`;
}

/** read_csv options of a catalog table's dialect (engine.ts's csvDialectOptions, without pulling the engine in). */
function dialectOptions(d: CsvDialect): string[] {
  const out: string[] = [];
  if (d.delimiter !== undefined) out.push(`delim=${quoteLiteral(d.delimiter)}`);
  if (d.header !== undefined) out.push(`header=${d.header ? 'true' : 'false'}`);
  if (d.quote !== undefined) out.push(`quote=${quoteLiteral(d.quote)}`);
  if (d.escape !== undefined) out.push(`escape=${quoteLiteral(d.escape)}`);
  if (d.skip) out.push(`skip=${Math.max(0, Math.trunc(d.skip))}`);
  if (d.nullstr !== undefined) out.push(`nullstr=${quoteLiteral(d.nullstr)}`);
  if (d.allVarchar) out.push('all_varchar=true');
  return out;
}

/**
 * The columns a source gives, of the types the tab read (`schema`, the run's): the reader is told the types
 * (read_csv's types, read_json's columns), so native DuckDB's sniffer cannot type a date-like string DATE
 * where the tab kept a string; a choice column is read as JSON and made the tab's UNION; other readers are cast.
 */
const SELF_TYPED = new Set<ReadFormat>(['parquet', 'orc', 'arrow', 'avro']);

function typedRead(s: ExportSource, format: ReadFormat, schema: StructField[]): { select: string; options: string[] } {
  const keys = s.partitionKeys ?? [];
  const sourceName = (name: string) => s.columns?.find((c) => c.name === name)?.source ?? name;
  const cast = s.columns?.length ? 'TRY_CAST' : 'CAST';
  const readerTypes: string[] = [];
  const select = schema.map((f) => {
    const k = keys.indexOf(f.name);
    const duck = frameDuckType(f.type);
    if (k >= 0) {
      // Partition values are read as text (hive_types_autocast=false) and typed as the tab types them.
      const folder = quoteIdent(s.partitionFolderKeys?.[k] ?? f.name);
      return `${duck === 'VARCHAR' ? folder : `TRY_CAST(${folder} AS ${duck})`} AS ${quoteIdent(f.name)}`;
    }
    const src = sourceName(f.name);
    const ref = quoteIdent(src);
    // A catalog's names are lowercased (Glue's crawler): only DuckDB's case-insensitive names find `Species` in
    // the files, so a catalog JSON table is read by name and cast, not read with an explicit column list.
    if (format === 'json' && !s.columns?.length) {
      readerTypes.push(`${quoteLiteral(src)}: ${quoteLiteral(hasChoice(f.type) ? 'JSON' : duck)}`);
      return `${hasChoice(f.type) ? fromJson(ref, f.type) : ref} AS ${quoteIdent(f.name)}`;
    }
    if ((format === 'csv' || format === 'tsv') && !s.csv) {
      readerTypes.push(`${quoteLiteral(src)}: ${quoteLiteral(duck)}`);
      return `${ref} AS ${quoteIdent(f.name)}`;
    }
    // Parquet, ORC, Arrow and Avro type their own columns, and the tab keeps those types (UINTEGER, TIMESTAMP WITH
    // TIME ZONE) unless a catalog gives others: the run's schema is Glue's, which has no spelling for them.
    if (SELF_TYPED.has(format) && !s.columns?.length) return `${ref} AS ${quoteIdent(f.name)}`;
    return `${cast}(${ref} AS ${duck}) AS ${quoteIdent(f.name)}`;
  });
  const options: string[] = [];
  if (format === 'json' && readerTypes.length) options.push(`columns={${readerTypes.join(', ')}}`);
  if ((format === 'csv' || format === 'tsv') && readerTypes.length) options.push(`types={${readerTypes.join(', ')}}`);
  return { select: select.length ? select.join(', ') : '*', options };
}

function readSource(id: string, s: ExportSource, inputDir: string, schema?: StructField[]): { sql: string; note?: string } {
  const { path, note } = nativePath(s.location, id, inputDir);
  if (s.grok) {
    const isLogFile = !s.location.endsWith('/') && /\.[A-Za-z0-9]+$/.test(path.split('/').pop() ?? '');
    return { sql: readLogSql(isLogFile ? path : `${path.replace(/\/+$/, '')}/**/*`, s.grok), ...(note ? { note } : {}) };
  }
  const last = path.split('/').pop() ?? '';
  // The tab reads a file by its name's format when the source names none (a .json file is JSON, not CSV).
  const format = s.format ?? formatOfName(last) ?? 'csv';
  const isFile = /\.[A-Za-z0-9]+(\.gz)?$/.test(last);
  const ext = { csv: 'csv', tsv: 'tsv', json: 'json', parquet: 'parquet', avro: 'avro', xml: 'xml', xlsx: 'xlsx', arrow: 'arrow', orc: 'orc' }[format];
  const glob = isFile ? path : `${path.replace(/\/+$/, '')}/**/*.${ext}`;
  const typed = schema?.length ? typedRead(s, format, schema) : null;
  const columns = typed ? typed.select : selectList(s);
  const opts: string[] = [];
  if (!isFile) opts.push('union_by_name=true');
  if (format === 'tsv' && !s.csv?.delimiter) opts.push(`delim='\\t'`);
  if ((format === 'csv' || format === 'tsv') && s.csv) opts.push(...dialectOptions(s.csv));
  if (format === 'json') opts.push(`format='auto'`);
  // A catalog JSON table is read by name (see typedRead): formats no text matches keep DuckDB's sniffer from typing
  // a date-like string DATE or TIMESTAMP where the tab reads the catalog's type from the text.
  if (format === 'json' && typed && s.columns?.length) opts.push(`dateformat='epoxy: no dates'`, `timestampformat='epoxy: no timestamps'`);
  // Partition values stay strings, as the tab reads them (and as Glue's crawler types them); a file source's
  // folders give no columns in the tab, so none natively either.
  opts.push(...(s.partitionKeys?.length ? ['hive_partitioning=true', 'hive_types_autocast=false'] : isFile || format === 'xlsx' || format === 'arrow' || format === 'orc' || format === 'avro' || format === 'xml' ? [] : ['hive_partitioning=false']));
  if (typed) opts.push(...typed.options);
  const withNote = (sql: string) => ({ sql, ...(note ? { note } : {}) });
  if (format === 'xlsx') return withNote(`SELECT ${columns} FROM read_xlsx(${[quoteLiteral(glob), ...(s.sheet !== undefined ? [`sheet=${quoteLiteral(s.sheet)}`] : [])].join(', ')}) /* needs the excel extension: INSTALL excel; LOAD excel */`);
  if (format === 'arrow') return withNote(`SELECT ${columns} FROM read_arrow(${quoteLiteral(glob)}) /* needs the arrow community extension: INSTALL arrow FROM community */`);
  // A block comment: a line comment here swallowed the semicolon that ends the statement.
  if (format === 'orc') return withNote(`SELECT ${columns} FROM read_orc(${quoteLiteral(glob)}) /* DuckDB has no ORC reader: convert the files to Parquet */`);
  if (format === 'avro' || format === 'xml') return withNote(`SELECT ${columns} FROM ${READERS[format]}(${quoteLiteral(glob)}) /* needs the ${format} community extension */`);
  return withNote(`SELECT ${columns} FROM ${READERS[format]}(${[quoteLiteral(glob), ...opts].join(', ')})`);
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

/**
 * A value of `type` as the tab's NDJSON writer writes it: a choice (UNION) is its member's value, where
 * DuckDB's JSON writer would write an object of every member. Returns `expr` itself when there is no choice.
 */
function jsonOf(expr: string, type: GlueType, depth = 0): string {
  if (!hasChoice(type)) return expr;
  if (type.kind === 'choice') return `CASE union_tag(${expr}) ${type.options.map((o) => `WHEN ${quoteLiteral(choiceTag(o))} THEN to_json(${jsonOf(`union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`, o, depth + 1)})`).join(' ')} END`;
  if (type.kind === 'struct') return `to_json(struct_pack(${type.fields.map((f) => `${quoteIdent(f.name)} := ${jsonOf(`struct_extract(${expr}, ${quoteLiteral(f.name)})`, f.type, depth + 1)}`).join(', ')}))`;
  if (type.kind === 'array') return `to_json(list_transform(${expr}, j${depth} -> ${jsonOf(`j${depth}`, type.element, depth + 1)}))`;
  return expr;
}

function copyTarget(node: TargetNode, outDir: string, bookmark: BookmarkOption, schema?: StructField[]): string {
  const t = node.target;
  const folder = targetPath(node, outDir);
  const keys = t.partitionBy ?? [];
  // DuckDB 1.5's JSON writer refuses PARTITION_BY: a partitioned NDJSON target writes each row's JSON text
  // (to_json, which escapes tabs and newlines) through the CSV writer, unquoted, one column, no header.
  const jsonLines = t.format === 'ndjson' && keys.length > 0;
  const options: string[] = [];
  if (t.format === 'parquet') options.push('FORMAT parquet', `COMPRESSION ${t.compression ?? 'snappy'}`);
  else if (t.format === 'csv') options.push('FORMAT csv', 'HEADER true');
  else if (jsonLines) options.push('FORMAT csv', 'HEADER false', "QUOTE ''", "ESCAPE ''", "DELIMITER '\\t'", "FILE_EXTENSION 'json'");
  else options.push('FORMAT json');
  const input = quoteIdent(node.inputs[0]!);
  const choices = t.format === 'ndjson' ? (schema ?? []).filter((f) => hasChoice(f.type)) : [];
  const from = t.format === 'ndjson' ? `SELECT *${choices.length ? ` REPLACE (${choices.map((f) => `${jsonOf(quoteIdent(f.name), f.type)} AS ${quoteIdent(f.name)}`).join(', ')})` : ''} FROM ${input}` : writableSelect(input, schema ?? []);
  const partitionBy = `PARTITION_BY (${keys.map(quoteIdent).join(', ')})`;
  const copy = (query: string, extra: string[], to = folder): string => {
    if (!jsonLines) return `COPY (${query}) TO ${quoteLiteral(to)} (${[...options, ...extra].join(', ')});`;
    const rows = quoteIdent(`${node.id}__rows`);
    const k = keys.map(quoteIdent).join(', ');
    return [
      `CREATE OR REPLACE TEMP TABLE ${rows} AS ${query};`,
      `COPY (SELECT to_json(a)::VARCHAR AS "json", b.* FROM (SELECT * EXCLUDE (${k}) FROM ${rows}) AS a POSITIONAL JOIN (SELECT ${k} FROM ${rows}) AS b) TO ${quoteLiteral(to)} (${[...options, ...extra].join(', ')});`,
    ].join('\n');
  };
  if (t.type === 'workspace') {
    // A workspace target is a folder of files, written with the target's mode (COPY's APPEND writes
    // uniquely named files, so earlier runs' files are never replaced).
    const mode = writeModeOf(t, bookmark);
    const layout = keys.length ? partitionBy : 'PER_THREAD_OUTPUT true';
    if (mode === 'append') return copy(from, [layout, 'APPEND true']);
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
        copy(`SELECT * FROM ${kept} UNION ALL BY NAME ${from}`, [layout, 'OVERWRITE true']),
      ].join('\n');
    }
    return copy(from, [layout, 'OVERWRITE true']);
  }
  if (keys.length) return copy(from, [partitionBy, 'OVERWRITE_OR_IGNORE true']);
  const ext = { parquet: '.parquet', csv: '.csv', ndjson: '.json' }[t.format];
  return copy(from, [], folder + ext);
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
  const readRefs = new Set(def.nodes.flatMap((n) => (n.kind === 'source' ? [] : n.inputs)).filter((r) => r.includes(':')));
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
      const seen = s.format ? null : o.processed?.[node.id]?.map((f) => formatOfName(f.path)).find((f) => f !== null) ?? null;
      const read = readSource(node.id, { ...s, location: substitute(s.location, args), ...(seen ? { format: seen } : {}) }, inputDir, o.schemas[node.id]);
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
      // An extra output a later node reads (`split:rest`) is a table of that name.
      for (const x of compiled.extras) if (readRefs.has(`${node.id}:${x.name}`)) body.push(`CREATE OR REPLACE TABLE ${quoteIdent(`${node.id}:${x.name}`)} AS ${x.sql};`);
    } else {
      body.push(`-- ${node.id}: ${node.target.type} target${node.target.type === 'workspace' ? ` (${writeModeOf(node.target, bookmark)})` : ''}`);
      // Measured on DuckDB 1.5.6: COPY ... PARTITION_BY percent-encodes keys and values (all but A-Z a-z 0-9 _ . ~ -),
      // as the tab writes them for ASCII; it also encodes non-ASCII bytes, which the tab (like Spark) writes raw.
      if (node.target.partitionBy?.length) body.push(`-- Partition folders are percent-encoded as the tab writes them (a b is a%20b); DuckDB also encodes non-ASCII (é is %C3%A9), which Spark and Hive decode byte by byte, and its own hive_partitioning reads an encoded key back encoded`);
      body.push(copyTarget(substitute(node, args), outDir, bookmark, o.schemas[node.inputs[0]!]));
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
    sources[n.id] = { location: plan?.location ?? '', format: plan?.format ?? null, partitionKeys: plan?.partitionKeys ?? [], columns: plan?.columns ?? [], ...(plan?.partitionFolderKeys ? { partitionFolderKeys: plan.partitionFolderKeys } : {}), ...(plan?.grok ? { grok: plan.grok } : {}), ...(plan?.sheet !== undefined ? { sheet: plan.sheet } : {}), ...(plan?.csv ? { csv: plan.csv } : {}) };
  }
  return sources;
}
