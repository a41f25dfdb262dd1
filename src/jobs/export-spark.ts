/**
 * A job as a plain PySpark script (runs on any Spark 3.5: EMR, Databricks, `spark-submit` on a laptop): sources
 * read with the schema the tab read (explicit columns and types), every transform through its kind's Spark
 * compile (src/frames/transforms/<Kind>.ts), targets written with Spark's save modes. The AWS Glue script
 * (export-pyspark.ts) shares the transform body this file builds, so what runs here is what Glue runs.
 */
import { parsePath } from '../frames/paths';
import { transformOf } from '../frames/transforms';
import type { SparkCtx } from '../frames/transforms/def';
import { sparkTypeOf } from '../frames/transforms/spark-kit';
import type { StructField } from '../schema/types';
import type { BookmarkOption } from './bookmarks';
import { formatOfName } from './sources';
import { topoOrder, type JobDefinition, type JobNode, type TargetNode, type WriteMode } from './model';
import { writeModeOf } from './targets';
import { compileTransform } from './compile';
import { StepError } from '../frames/compile';
import type { ExportSource } from './export-duckdb';
import { toSparkSql } from './spark-sql';
import { frameDuckType } from '../frames/duck-types';

/** A job (or one of its nodes) that cannot be written for Spark without computing something else; says which and why. */
export class SparkExportError extends Error {
  constructor(readonly nodeId: string, message: string) {
    super(`${nodeId}: ${message}`);
    this.name = 'SparkExportError';
  }
}

/** A Python string literal (JSON's escapes are valid Python). */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

const PARAM = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A Python expression for a string that may hold `${param}`: literals joined with args["param"]. */
export function pyValue(s: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(PARAM)) {
    if (m.index! > last) parts.push(pyStr(s.slice(last, m.index)));
    parts.push(`args[${pyStr(m[1]!)}]`);
    last = m.index! + m[0].length;
  }
  if (last < s.length || parts.length === 0) parts.push(pyStr(s.slice(last)));
  return parts.join(' + ');
}

/** A Spark SQL identifier in backquotes. */
export function sparkIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** The Spark DDL type of a Glue type (choice and null as the catalog type, timestamps as TIMESTAMP_NTZ): one home, in spark-kit. */
export const sparkType = sparkTypeOf;

/** A schema as a Spark DDL string (`` `a` bigint, `b c` string ``), for spark.read.schema. */
export function sparkSchemaDdl(schema: StructField[]): string {
  return schema.map((f) => `${sparkIdent(f.name)} ${sparkType(f.type)}`).join(', ');
}

/**
 * The Python variable holding a node's DataFrame. Both scripts name frames alike (the body is shared), so the
 * names either script's edges define (imports, `job`, `glueContext`, `_helpers`) are avoided in both.
 */
export function frameVar(id: string): string {
  // An extra output `split:rest` is the variable a kind's Spark compile assigns for it: `split__rest`.
  const i = id.indexOf(':');
  if (i > 0) return `${frameVar(id.slice(0, i))}__${id.slice(i + 1).replace(/[^A-Za-z0-9_]/g, '_')}`;
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(id) && !PY_KEYWORDS.has(id) ? id : `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  // The plain script's edges.
  'F', 'T', 'Window', 'spark', 'args', 'sys', 'argparse', 'parser', 'SparkSession',
  // The Glue script's edges (export-pyspark.ts).
  'sc', 'job', 'glueContext', 'GlueContext', 'DynamicFrame', 'Job', 'getResolvedOptions', 'SparkContext',
]);

/** A Column for a Glue path of `schema`: nested fields by name, a flattened `a.b` column when no nested one exists. */
function sparkCol(schema: StructField[], path: string): string {
  let parts: string[];
  try { parts = parsePath(path); } catch { parts = [path]; }
  let fields: StructField[] | null = schema;
  let nested = true;
  for (const p of parts) {
    const f: StructField | undefined = fields?.find((x) => x.name === p);
    if (!f) { nested = false; break; }
    fields = f.type.kind === 'struct' ? f.type.fields : null;
  }
  const names = nested || parts.length === 1 ? parts : [parts.join('.')];
  return `F.col(${pyStr(names.map(sparkIdent).join('.'))})`;
}

/**
 * How the body turns DuckDB SQL the user wrote (over columns of `schema`) into Spark SQL; throws naming what it
 * refuses. The default is src/jobs/spark-sql.ts.
 */
export type SqlTranslator = (sql: string, kind: 'query' | 'expression', where: string, schema: StructField[]) => string;

/** The translator of src/jobs/spark-sql.ts, told the input's column types (some constructs depend on them). */
export const defaultTranslator: SqlTranslator = (sql, kind, where, schema) =>
  toSparkSql(sql, kind, where, { columns: schema.map((f) => ({ name: f.name, type: frameDuckType(f.type) })) }).sql;

/** The transform body shared by the PySpark and the Glue scripts: one block per transform node. */
export interface SparkBody {
  lines: string[];
  /** Python helpers the lines call, by name (defined once at the top of the script). */
  helpers: Map<string, string[]>;
}

/**
 * The transform nodes of a job as PySpark lines over DataFrames named by `frameVar(node id)`. Each kind's Spark
 * compile writes its own lines; a kind without one (or one that cannot express the step) makes the export fail
 * with a SparkExportError naming the node, never a script that computes something else.
 */
export function sparkTransformBody(def: JobDefinition, schemas: Record<string, StructField[]>, translate: SqlTranslator, glue = false): SparkBody {
  const helpers = new Map<string, string[]>();
  const lines: string[] = [];
  const defaults = Object.fromEntries(def.parameters.map((p) => [p.name, p.default]));
  for (const node of topoOrder(def)) {
    if (node.kind !== 'transform') continue;
    const kind = transformOf(node.step.kind);
    if (!kind) throw new SparkExportError(node.id, `unknown step kind ${node.step.kind}`);
    const compile = (glue && kind.glue) || kind.spark;
    if (!compile) throw new SparkExportError(node.id, `${node.step.kind} has no Spark compile yet: export the job as DuckDB SQL instead`);
    const schema = schemas[node.inputs[0]!];
    if (!schema) throw new SparkExportError(node.id, `the schema of ${node.inputs[0]} is not known yet; run or preview the job once, then export`);
    const otherSchema = node.inputs[1] ? schemas[node.inputs[1]] : undefined;
    // The tab's compile checks every param first (a count is a whole number, a path exists…): a step it refuses —
    // say from a hand-made link, `{"count": "1); import os #"}` — never reaches the Python text.
    try {
      compileTransform(node, node.inputs.map((id) => ({ relation: id, schema: schemas[id] ?? [] })), defaults, { nullColumns: [] });
    } catch (err) {
      // The step's own messages (`nope: no field nope in the input`), under the node's name once.
      const said = err instanceof StepError ? err.messages.filter((m) => m.severity === 'error').map((m) => (m.column ? `${m.column}: ${m.message}` : m.message)).join('; ') : null;
      throw new SparkExportError(node.id, said || (err instanceof Error ? err.message : String(err)));
    }
    const ctx: SparkCtx = {
      id: frameVar(node.id),
      input: frameVar(node.inputs[0]!),
      ...(node.inputs[1] ? { other: frameVar(node.inputs[1]) } : {}),
      schema,
      ...(otherSchema ? { otherSchema } : {}),
      str: pyStr,
      value: pyValue,
      col: (path) => sparkCol(schema, path),
      sql: (text, k) => translate(text, k, node.id, schema),
      helper: (name, code) => { helpers.set(name, code); },
    };
    let out;
    try {
      out = compile(node.step.params as never, ctx);
    } catch (err) {
      if (err instanceof SparkExportError) throw err;
      throw new SparkExportError(node.id, err instanceof Error ? err.message : String(err));
    }
    lines.push('', `# ${node.id}: ${node.step.kind}${node.label ? ` - ${node.label.replace(/\s+/g, ' ')}` : ''}`, ...out.lines);
  }
  return { lines, helpers };
}

/** The lines around the transform body in both scripts: what lies between them is the same text in each. */
export const BODY_BEGIN = '# ---- transforms: the same code in the PySpark and the AWS Glue export ----';
export const BODY_END = '# ---- end of transforms ----';

/**
 * The body as both scripts print it: the helpers it calls (defined near the top) and its block of lines
 * between BODY_BEGIN and BODY_END. One function so the two scripts cannot drift apart.
 */
export function sparkBodyText(body: SparkBody): { helpers: string[]; block: string[] } {
  return {
    helpers: [...body.helpers.values()].flatMap((code) => ['', '', ...code]),
    block: ['', BODY_BEGIN, ...body.lines, '', BODY_END],
  };
}

/** Spark's writer format of a target format. */
export const SPARK_FORMAT = { parquet: 'parquet', csv: 'csv', ndjson: 'json' } as const;

const MODE_NOTE: Record<WriteMode, string> = {
  overwrite: 'overwrite: the previous output is replaced',
  append: 'append: the files of earlier runs are kept',
  'overwrite-partitions': 'dynamic partition overwrite: only the partitions this run writes are replaced',
};

/** How Spark's writer saves a target: the comment and conf lines before the write, its save mode and options. */
export function sparkSaveMode(node: TargetNode, bookmark: BookmarkOption): { lines: string[]; mode: 'append' | 'overwrite'; options: string; keys: string } {
  const t = node.target;
  const keys = `[${(t.partitionBy ?? []).map(pyValue).join(', ')}]`;
  const options = t.format === 'parquet' ? `{"compression": ${pyStr(t.compression ?? 'snappy')}}` : t.format === 'csv' ? '{"header": "true"}' : '{}';
  const mode = writeModeOf(t, bookmark);
  const dynamic = mode === 'overwrite-partitions' && (t.partitionBy?.length ?? 0) > 0;
  const lines = [`# ${MODE_NOTE[dynamic || mode !== 'overwrite-partitions' ? mode : 'overwrite']}`];
  if (mode !== 'append') lines.push(`spark.conf.set("spark.sql.sources.partitionOverwriteMode", ${pyStr(dynamic ? 'dynamic' : 'static')})`);
  return { lines, mode: mode === 'append' ? 'append' : 'overwrite', options, keys };
}

/** The lines writing one target with Spark's DataFrameWriter (shared by both scripts for workspace targets). */
export function sparkWriteLines(node: TargetNode, bookmark: BookmarkOption, path: string): string[] {
  const { lines, mode, options, keys } = sparkSaveMode(node, bookmark);
  lines.push(`${frameVar(node.inputs[0]!)}.write.mode(${pyStr(mode)}).format(${pyStr(SPARK_FORMAT[node.target.format])}).options(**${options}).partitionBy(*${keys}).save(${path})`);
  return lines;
}

/** The format a source's files have, from the plan or (a file source with none) the file's name. */
export function sourceFormatOf(node: Extract<JobNode, { kind: 'source' }>, s: ExportSource | undefined): string {
  if (s?.format) return s.format;
  if (node.source.type === 'file') return node.source.format ?? formatOfName(node.source.path) ?? 'csv';
  return 'parquet';
}

/** A path Spark reads from a location the export knows: file:// URLs as paths, browser-only ones as a placeholder. */
function sparkPath(location: string): string {
  if (location.startsWith('file://')) return decodeURIComponent(location.slice('file://'.length));
  if (/^(dropped|opfs):\/\//.test(location)) return '';
  return location;
}

function sourceLines(node: Extract<JobNode, { kind: 'source' }>, s: ExportSource | undefined, schema: StructField[] | undefined, args: { name: string; default: string }[]): string[] {
  const v = frameVar(node.id);
  const arg = `input_${node.id}`;
  const format = sourceFormatOf(node, s);
  const location = s?.location ?? (node.source.type === 'file' ? node.source.path : '');
  args.push({ name: arg, default: sparkPath(location) });
  const path = `args[${pyStr(arg)}]`;
  const ddl = schema?.length ? `.schema(${pyStr(sparkSchemaDdl(schema))})` : '';
  const lines = [`# ${node.id}: ${node.source.type === 'catalog' ? `the catalog table ${node.source.database}.${node.source.table}` : node.source.type === 'table' ? `the open table ${node.source.name} (give its data as --${arg})` : `the files at ${location}`} (${format})`];
  switch (format) {
    case 'csv': case 'tsv': {
      const sep = format === 'tsv' ? '\\t' : (node.source.type === 'file' && node.source.delimiter) || ',';
      lines.push(`${v} = _load(spark.read${ddl}.options(header=True, sep=${pyStr(sep)}, multiLine=True, escape='"', mode="PERMISSIVE"), ${path}, ${pyStr(format)}, "csv")`);
      break;
    }
    case 'json':
      // A file holding one JSON array is read whole (multiLine); JSON Lines line by line.
      lines.push(`${v} = _load(spark.read${ddl}.options(multiLine=_json_is_array(${path}), mode="PERMISSIVE"), ${path}, "json", "json")`);
      break;
    case 'parquet': case 'orc':
      lines.push(`${v} = _conform(_load(spark.read, ${path}, ${pyStr(format)}, ${pyStr(format)}), ${pyStr(schema ? sparkSchemaDdl(schema) : '')})`);
      break;
    case 'avro':
      lines.push(`# Avro needs the spark-avro package: spark-submit --packages org.apache.spark:spark-avro_2.12:3.5.4`);
      lines.push(`${v} = _conform(_load(spark.read, ${path}, "avro", "avro"), ${pyStr(schema ? sparkSchemaDdl(schema) : '')})`);
      break;
    case 'xml': {
      const rowTag = node.source.type === 'file' && node.source.rowTag ? node.source.rowTag : 'row';
      lines.push(`# XML needs the spark-xml package: spark-submit --packages com.databricks:spark-xml_2.12:0.18.0`);
      lines.push(`${v} = _load(spark.read${ddl}.options(rowTag=${pyStr(rowTag)}), ${path}, "xml", "xml")`);
      break;
    }
    default:
      throw new SparkExportError(node.id, `Spark cannot read ${format === 'xlsx' ? 'an Excel workbook' : format === 'arrow' ? 'an Arrow IPC file' : `${format} files`}: convert the data to Parquet (an Epoxy job with a Parquet target) and read that`);
  }
  if (s?.grok) throw new SparkExportError(node.id, 'a log table (grok pattern) has no Spark reader: export the job as DuckDB SQL, or convert the logs to Parquet first');
  return lines;
}

/** Helpers every script defines (reading files and folders, the JSON layout, conforming types). */
const READ_HELPERS = [
  'def _load(reader, path, ext, fmt):',
  '    """A file as is; a folder with every .ext file under it (key=value folders become partition columns)."""',
  '    name = path.rstrip("/").rsplit("/", 1)[-1]',
  '    if "." in name and "=" not in name:',
  '        return reader.format(fmt).load(path)',
  '    reader = reader.option("pathGlobFilter", "*." + ext + "*")',
  '    if "=" not in " ".join(_listing(path)):',
  '        reader = reader.option("recursiveFileLookup", "true")',
  '    return reader.format(fmt).load(path)',
  '',
  '',
  'def _listing(path):',
  '    """The names directly under a folder (on any Hadoop file system: local, s3, hdfs)."""',
  '    jvm = spark.sparkContext._jvm',
  '    p = jvm.org.apache.hadoop.fs.Path(path)',
  '    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())',
  '    return [s.getPath().getName() for s in fs.listStatus(p)] if fs.exists(p) else []',
  '',
  '',
  'def _json_is_array(path):',
  '    """Whether the JSON files hold one array of records (read whole) rather than one record per line."""',
  '    first = spark.read.option("recursiveFileLookup", "true").text(path).limit(1).collect()',
  '    return bool(first) and first[0][0].lstrip().startswith("[")',
  '',
  '',
  'def _conform(df, ddl):',
  '    """The columns under the names and types the tab read them with (formats that carry their own types)."""',
  '    if not ddl:',
  '        return df',
  '    wanted = spark.createDataFrame([], ddl).schema',
  '    return df.select([F.col("`%s`" % f.name.replace("`", "``")).cast(f.dataType).alias(f.name) for f in wanted.fields])',
];

/** What the PySpark export needs besides the job. */
export interface SparkExportOptions {
  /** Per source node (exportSourcesOf): where its files are and their format. */
  sources: Record<string, ExportSource>;
  /** Output schemas of the nodes (a run's `schemas`): sources are read with them and transforms compile against them. */
  schemas: Record<string, StructField[]>;
  /** DuckDB SQL → Spark SQL for Sql steps and SQL expressions (default: src/jobs/spark-sql.ts). */
  translate?: SqlTranslator;
}

/**
 * The plain PySpark script of a job: `spark-submit job.py --input_<source> PATH … --output_base DIR`. Throws
 * SparkExportError when a node cannot be expressed in Spark with the same result.
 */
export function exportSpark(def: JobDefinition, o: SparkExportOptions): string {
  const translate = o.translate ?? defaultTranslator;
  const args: { name: string; default: string }[] = [];
  const sources: string[] = [];
  for (const node of topoOrder(def)) if (node.kind === 'source') sources.push('', ...sourceLines(node, o.sources[node.id], o.schemas[node.id], args));
  const body = sparkTransformBody(def, o.schemas, translate);
  const targets: string[] = [];
  for (const node of topoOrder(def)) {
    if (node.kind !== 'target') continue;
    const t = node.target;
    const rel = t.type === 'workspace' ? t.path : t.type === 's3' ? '' : (t.name || node.id);
    const path = t.type === 's3' ? pyValue(`${t.location.replace(/\/+$/, '')}/`) : `args["output_base"] + ${pyValue(`/${rel}/`)}`;
    targets.push('', `# ${node.id}: ${t.type} target, ${t.format}`, ...sparkWriteLines(node, def.bookmark, path));
  }
  const hasTargets = def.nodes.some((n) => n.kind === 'target');
  const parser = [
    'parser = argparse.ArgumentParser(description=' + pyStr(`${def.name}, exported from Epoxy`) + ')',
    ...args.map((a) => `parser.add_argument(${pyStr(`--${a.name}`)}, default=${pyStr(a.default)}${a.default ? '' : ', required=True'})`),
    ...(hasTargets ? ['parser.add_argument("--output_base", default="out")'] : []),
    ...def.parameters.map((p) => `parser.add_argument(${pyStr(`--${p.name}`)}, default=${pyStr(p.default)})`),
    'args = vars(parser.parse_args())',
  ];
  const text = sparkBodyText(body);
  return [
    `# PySpark job ${def.name}, exported from Epoxy. Spark 3.5 (AWS Glue 5.0's line); runs on any Spark:`,
    `#   spark-submit ${def.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.py ${[...args.map((a) => `--${a.name} PATH`), ...(hasTargets ? ['--output_base DIR'] : [])].join(' ')}`,
    ...(def.description ? [`# ${def.description.replace(/\s+/g, ' ')}`] : []),
    'import argparse',
    '',
    'from pyspark.sql import SparkSession, Window',
    'from pyspark.sql import functions as F',
    'from pyspark.sql import types as T',
    '',
    ...parser,
    `spark = SparkSession.builder.appName(${pyStr(def.name)}).getOrCreate()`,
    '',
    '',
    ...READ_HELPERS,
    ...text.helpers,
    ...sources,
    ...text.block,
    ...targets,
    '',
  ].join('\n');
}
