/**
 * A job as an AWS Glue job script (Glue 5.0: Spark 3.5, Python 3.11). awsglue sits at the edges only: catalog
 * and S3 sources through create_dynamic_frame, S3 sinks through write_dynamic_frame, every source and sink with
 * its node id as transformation_ctx (job bookmarks), job arguments through getResolvedOptions. Between the edges
 * runs the transform body of the plain PySpark export (export-spark.ts) — the same text, so what Epoxy's Spark
 * tests run is what Glue runs. A kind may replace its body in this script only (`glue` in its TransformDef).
 */
import type { StructField } from '../schema/types';
import type { BookmarkOption } from './bookmarks';
import type { ExportSource } from './export-duckdb';
import {
  defaultTranslator, frameVar, pyStr, pyValue, sourceFormatOf, sparkBodyText, sparkSaveMode, sparkSchemaDdl, sparkTransformBody, sparkWriteLines,
  SparkExportError, SPARK_FORMAT, type SqlTranslator,
} from './export-spark';
import { topoOrder, type JobDefinition, type JobNode, type TargetNode } from './model';
import { glueScriptArguments } from './script-args';
import { writeModeOf } from './targets';

/** The Glue version the script is written for (create-job's GlueVersion says the same). */
export const GLUE_VERSION = '5.0';

/** What the Glue script export needs besides the job. */
export interface GlueScriptOptions {
  /** Output schemas of the nodes (a run's or preview's): sources are conformed to them, transforms compile against them. */
  schemas: Record<string, StructField[]>;
  /** Per source node (exportSourcesOf): the format of its files. Without it, a file source's own format or name. */
  sources?: Record<string, ExportSource>;
  /** DuckDB SQL → Spark SQL for Sql steps and SQL expressions (default: the plain export's, src/jobs/spark-sql.ts). */
  translate?: SqlTranslator;
}

type SourceNode = Extract<JobNode, { kind: 'source' }>;

/** Glue's reader format and format_options for a source's files (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-format.html). */
function glueReader(node: SourceNode, format: string): { format: string; options: string[] } {
  switch (format) {
    case 'csv': case 'tsv': {
      const sep = format === 'tsv' ? '\t' : (node.source.type === 'file' && node.source.delimiter) || ',';
      // multiLine: a quoted field may hold a newline (the tab's CSV reader allows it).
      return { format: 'csv', options: ['"withHeader": True', `"separator": ${pyStr(sep)}`, '"quoteChar": "\\""', '"multiLine": True'] };
    }
    case 'json': return { format: 'json', options: [] };
    case 'xml': return { format: 'xml', options: [`"rowTag": ${pyStr(node.source.type === 'file' && node.source.rowTag ? node.source.rowTag : 'row')}`] };
    case 'parquet': case 'orc': case 'avro': return { format, options: [] };
    default:
      throw new SparkExportError(node.id, `Glue cannot read ${format === 'xlsx' ? 'an Excel workbook' : format === 'arrow' ? 'an Arrow IPC file' : `${format} files`}: convert the data to Parquet (an Epoxy job with a Parquet target) and read that`);
  }
}

function sourceLines(node: SourceNode, s: ExportSource | undefined, schema: StructField[] | undefined, uses: Set<string>): string[] {
  const v = frameVar(node.id);
  const ctx = pyStr(node.id);
  const ddl = pyStr(schema?.length ? sparkSchemaDdl(schema) : '');
  const src = node.source;
  if (src.type === 'catalog') {
    // The catalog's own reader (its SerDe, partitions and grok patterns): the bookmark tracks the table's files.
    // A column the catalog renamed (Athena-safe names) may come under its name in the files: matched by either.
    const renamed = (s?.columns ?? []).filter((c) => c.source && c.source !== c.name);
    const names = renamed.length ? `, names={${renamed.map((c) => `${pyStr(c.name)}: ${pyStr(c.source!)}`).join(', ')}}` : '';
    return [
      `# ${node.id}: the catalog table ${src.database}.${src.table}`,
      `${v} = _conform(glueContext.create_dynamic_frame.from_catalog(database=${pyValue(src.database)}, table_name=${pyValue(src.table)}, transformation_ctx=${ctx}), ${ddl}, ${ctx}${names})`,
    ];
  }
  if (s?.grok) throw new SparkExportError(node.id, 'a log file (grok pattern) has no Glue reader outside the catalog: crawl it into a catalog table and read that, or export the job as DuckDB SQL');
  const format = sourceFormatOf(node, s);
  const reader = glueReader(node, format);
  const arg = `args[${pyStr(`input_${node.id}`)}]`;
  const keys = s?.partitionKeys ?? [];
  // Glue's S3 reader adds no key=value folder columns: it names each record's file, the columns come from that.
  const options = [...reader.options, ...(keys.length ? ['"attachFilename": "_epoxy_file"'] : [])];
  let formatOptions = `{${options.join(', ')}}`;
  if (reader.format === 'json') {
    uses.add('json');
    formatOptions = options.length ? `{**_json_options(${arg}), ${options.join(', ')}}` : `_json_options(${arg})`;
  }
  const what = src.type === 'table' ? `the open table ${src.name} (upload it to S3 as Parquet and give that path as --input_${node.id})` : `the files at ${src.path}`;
  return [
    `# ${node.id}: ${what} (${format})`,
    `${v} = _conform(glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": [${arg}], "recurse": True}, format=${pyStr(reader.format)}, format_options=${formatOptions}, transformation_ctx=${ctx}), ${ddl}, ${ctx}${keys.length ? `, [${keys.map(pyStr).join(', ')}]` : ''})`,
  ];
}

// Glue's sink formats: glueparquet is Glue's Parquet writer (it computes the schema as it writes).
const GLUE_FORMAT = { parquet: 'glueparquet', csv: 'csv', ndjson: 'json' } as const;

function targetLines(node: TargetNode, bookmark: BookmarkOption, uses: Set<string>): string[] {
  const t = node.target;
  const x = frameVar(node.inputs[0]!);
  const rel = t.type === 'workspace' ? t.path : t.type === 's3' ? '' : (t.name || node.id);
  // An S3 target keeps its s3:// location (a Glue job writes with its role, no presigned URLs).
  const path = t.type === 's3' ? pyValue(`${t.location.replace(/\/+$/, '')}/`) : `args["output_base"] + ${pyValue(`/${rel}/`)}`;
  const head = `# ${node.id}: ${t.type} target, ${t.format}`;
  if (t.type === 'workspace') {
    if (!t.table) return [head, ...sparkWriteLines(node, bookmark, path)];
    uses.add('table');
    const save = sparkSaveMode(node, bookmark);
    return [head, ...save.lines, `_write_table(${x}, ${pyValue(t.database || 'default')}, ${pyValue(t.table)}, ${path}, ${pyStr(SPARK_FORMAT[t.format])}, ${save.options}, ${save.keys}, ${pyStr(save.mode)})`];
  }
  const mode = writeModeOf(t, bookmark);
  if (mode === 'overwrite-partitions' && t.partitionBy?.length) {
    // Glue's sinks only add files: replacing just the partitions a run writes is Spark's writer's job.
    return [head, '# Glue\'s sinks cannot replace single partitions: written with Spark\'s writer (no bookmark state for this sink).', ...sparkWriteLines(node, bookmark, path)];
  }
  const keys = `[${(t.partitionBy ?? []).map(pyValue).join(', ')}]`;
  const formatOptions = t.format === 'parquet' ? `{"compression": ${pyStr(t.compression ?? 'snappy')}}` : t.format === 'csv' ? '{"writeHeader": True}' : '{}';
  const lines = [head];
  if (mode === 'append') lines.push('# append: the files of earlier runs are kept');
  else lines.push('# overwrite: the previous output is deleted first (Glue\'s sinks only add files)', `glueContext.purge_s3_path(${path}, {"retentionPeriod": 0}, transformation_ctx=${pyStr(`${node.id}_purge`)})`);
  lines.push(`glueContext.write_dynamic_frame.from_options(frame=DynamicFrame.fromDF(${x}, glueContext, ${pyStr(node.id)}), connection_type="s3", format=${pyStr(GLUE_FORMAT[t.format])}, connection_options={"path": ${path}, "partitionKeys": ${keys}}, format_options=${formatOptions}, transformation_ctx=${pyStr(node.id)})`);
  return lines;
}

/** Edge helpers: a DynamicFrame as the DataFrame the plain script reads (names, types, no choice types). */
const CONFORM = [
  'def _conform(dyf, ddl, ctx, keys=(), names=None):',
  '    """A DynamicFrame as the DataFrame the tab read: choice types resolved as the plain script reads them',
  '    (as text, then cast), key=value folder columns from each record\'s file, the tab\'s names and types',
  '    (names: a column\'s name in the files when the catalog renamed it)."""',
  '    names = names or {}',
  '    df = dyf.resolveChoice(choice="cast:string", transformation_ctx=ctx + "_choice").toDF()',
  '    for key in keys:',
  String.raw`        df = df.withColumn(key, F.regexp_extract(F.col("_epoxy_file"), "/\\Q" + key + "\\E=([^/]*)/", 1))`,
  '    if not ddl:',
  '        return df.drop("_epoxy_file")',
  '    have = {f.name.lower(): f for f in df.schema.fields}',
  '    cols = []',
  '    for f in spark.createDataFrame([], ddl).schema.fields:',
  '        h = have.get(f.name.lower()) or have.get(names.get(f.name, "").lower())',
  '        cols.append((_shape(F.col("`%s`" % h.name.replace("`", "``")), h.dataType, f.dataType) if h else F.lit(None).cast(f.dataType)).alias(f.name))',
  '    return df.select(cols)',
  '',
  '',
  'def _shape(col, have, want):',
  '    """A column of type have as type want: struct fields by name (missing ones NULL), anything else cast."""',
  '    if isinstance(want, T.StructType) and isinstance(have, T.StructType):',
  '        fields = {f.name.lower(): f for f in have.fields}',
  '        parts = [(_shape(col.getField(fields[f.name.lower()].name), fields[f.name.lower()].dataType, f.dataType) if f.name.lower() in fields else F.lit(None).cast(f.dataType)).alias(f.name) for f in want.fields]',
  '        return F.when(col.isNotNull(), F.struct(*parts))',
  '    if isinstance(want, T.ArrayType) and isinstance(have, T.ArrayType):',
  '        return F.transform(col, lambda x: _shape(x, have.elementType, want.elementType))',
  '    return col.cast(want)',
];

const JSON_OPTIONS = [
  'def _json_options(path):',
  '    """Glue\'s JSON options for the files at path: a file holding one array is read element by element."""',
  '    first = spark.read.option("recursiveFileLookup", "true").text(path).limit(1).collect()',
  '    if first and first[0][0].lstrip().startswith("["):',
  '        return {"jsonPath": "$[*]", "multiLine": True}',
  '    return {"multiLine": False}',
];

const WRITE_TABLE = [
  'def _write_table(df, database, table, path, fmt, options, keys, mode):',
  '    """Write to a Data Catalog table stored at path with a Spark save mode; the first run creates the table."""',
  '    name = "`%s`.`%s`" % (database, table)',
  '    if spark.catalog.tableExists(table, database):',
  '        # insertInto matches columns by position: the partition columns go last, as the table has them.',
  '        df.select(*([c for c in df.columns if c not in keys] + keys)).write.insertInto(name, overwrite=(mode == "overwrite"))',
  '    else:',
  '        df.write.mode(mode).format(fmt).options(**options).partitionBy(*keys).option("path", path).saveAsTable(name)',
];

/**
 * The AWS Glue job script of a job (Glue 5.0). Throws SparkExportError naming the node when a node cannot be
 * expressed with the same result: a kind without a Spark compile, a schema not measured yet, a format Glue lacks.
 */
export function exportGlueScript(def: JobDefinition, o: GlueScriptOptions): string {
  // The plain export's translator by default, so both scripts print the same body.
  const translate = o.translate ?? defaultTranslator;
  const uses = new Set<string>();
  const sources: string[] = [];
  for (const node of topoOrder(def)) if (node.kind === 'source') sources.push('', ...sourceLines(node, o.sources?.[node.id], o.schemas[node.id], uses));
  const body = sparkBodyText(sparkTransformBody(def, o.schemas, translate, true));
  const targets: string[] = [];
  for (const node of topoOrder(def)) if (node.kind === 'target') targets.push('', ...targetLines(node, def.bookmark, uses));
  // The script reads exactly the arguments create-job's DefaultArguments are filled from (script-args.ts).
  const argNames = ['JOB_NAME', ...glueScriptArguments(def).map((a) => a.name)];
  const helpers = [...CONFORM, ...(uses.has('json') ? ['', '', ...JSON_OPTIONS] : []), ...(uses.has('table') ? ['', '', ...WRITE_TABLE] : [])];
  return [
    `# AWS Glue job ${def.name}, exported from Epoxy. For AWS Glue ${GLUE_VERSION} (Spark 3.5, Python 3.11).`,
    ...(def.description ? [`# ${def.description.replace(/\s+/g, ' ')}`] : []),
    '# awsglue reads the sources and writes the S3 sinks; the transforms between the two "transforms" lines are',
    '# the plain PySpark export\'s, line for line (the code Epoxy\'s Spark tests run).',
    `# Job arguments: ${argNames.slice(1).map((a) => `--${a}`).join(' ') || '(none)'}`,
    ...def.parameters.map((p) => `#   --${p.name} defaults to ${JSON.stringify(p.default)} in Epoxy (set it in the job's DefaultArguments)`),
    `# Job bookmarks: --job-bookmark-option ${def.bookmark}; every source and sink passes its node id as transformation_ctx.`,
    'import sys',
    '',
    'from awsglue.context import GlueContext',
    'from awsglue.dynamicframe import DynamicFrame',
    'from awsglue.job import Job',
    'from awsglue.utils import getResolvedOptions',
    'from pyspark.context import SparkContext',
    'from pyspark.sql import Window',
    'from pyspark.sql import functions as F',
    'from pyspark.sql import types as T',
    '',
    `args = getResolvedOptions(sys.argv, [${argNames.map(pyStr).join(', ')}])`,
    'sc = SparkContext.getOrCreate()',
    'glueContext = GlueContext(sc)',
    'spark = glueContext.spark_session',
    'job = Job(glueContext)',
    'job.init(args["JOB_NAME"], args)',
    '',
    '',
    ...helpers,
    ...body.helpers,
    '',
    ...sources,
    ...body.block,
    ...targets,
    '',
    'job.commit()',
    '',
  ].join('\n');
}
