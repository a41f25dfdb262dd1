/**
 * A job as an AWS Glue PySpark script on the awsglue APIs (GlueContext, DynamicFrame transforms, sinks),
 * for whoever outgrows the tab. Every node passes its id as transformation_ctx, so Glue job bookmarks track
 * the same sources Epoxy's do. Job parameters become job arguments read with getResolvedOptions.
 */
import type { Condition, Predicate, Step } from '../frames/steps';
import { parsePath } from '../frames/paths';
import { renderCatalogType, type StructField } from '../schema/types';
import type { BookmarkOption } from './bookmarks';
import { topoOrder, type JobDefinition, type JobNode, type TargetNode, type WriteMode } from './model';
import { writeModeOf } from './targets';

/** A Python string literal (JSON's escapes are valid Python). */
function str(s: string): string {
  return JSON.stringify(s);
}

const PARAM = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A Python expression for a string that may hold `${param}`: literals joined with args["param"]. */
function pyValue(s: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(PARAM)) {
    if (m.index! > last) parts.push(str(s.slice(last, m.index)));
    parts.push(`args[${str(m[1]!)}]`);
    last = m.index! + m[0].length;
  }
  if (last < s.length || parts.length === 0) parts.push(str(s.slice(last)));
  return parts.join(' + ');
}

const list = (xs: string[]) => `[${xs.map(pyValue).join(', ')}]`;
const hasParam = (s: string) => new RegExp(PARAM.source).test(s);

function pyLiteral(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  return pyValue(v);
}

/** A Python test on a record for one condition (Filter.apply's f). */
function pyCondition(c: Condition): string {
  // A path whose names hold a dot (`name.common`) goes as a tuple of names: a dotted string would be read as nesting.
  const parts = parsePath(c.path);
  const get = parts.some((x) => x.includes('.')) ? `_get(row, (${parts.map(str).join(', ')},))` : `_get(row, ${str(c.path)})`;
  const value = (v: Condition['value']) => {
    if (typeof v === 'string' && hasParam(v)) return `_like(${pyValue(v)}, ${get})`;
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return `_like(${str(v)}, ${get})`;
    return pyLiteral((v ?? '') as string | number | boolean);
  };
  switch (c.op) {
    case 'is_null': return `${get} is None`;
    case 'not_null': return `${get} is not None`;
    case 'contains': return `(${get} is not None and ${value(c.value)} in str(${get}))`;
    case 'starts_with': return `(${get} is not None and str(${get}).startswith(${value(c.value)}))`;
    case 'in': return `${get} in [${(Array.isArray(c.value) ? c.value : [c.value ?? '']).map((v) => (typeof v === 'string' ? pyValue(v) : String(v))).join(', ')}]`;
    case '=': return `${get} == ${value(c.value)}`;
    default: return `(${get} is not None and ${get} ${c.op} ${value(c.value)})`;
  }
}

/** A predicate as a Python lambda, or (free SQL) null: the caller filters the DataFrame with Spark SQL. */
function pyPredicate(p: Predicate): string | null {
  if ('sql' in p) return null;
  if (!p.conditions.length) return 'lambda row: True';
  return `lambda row: ${p.conditions.map(pyCondition).join(p.combine === 'or' ? ' or ' : ' and ')}`;
}

const bq = (name: string) => '`' + name.replace(/`/g, '``') + '`';
const sqlPath = (path: string) => parsePath(path).map(bq).join('.');

interface Emit {
  lines: string[];
  /** Node output schemas (from a run), for ApplyMapping's source types. */
  schemas: Record<string, StructField[]>;
  uses: Set<'sql' | 'ml' | 'tempdir' | 'get' | 'functions' | 'table'>;
}

function transformLines(id: string, step: Step, inputs: string[], e: Emit): void {
  const [x, y] = inputs;
  const ctx = `transformation_ctx=${str(id)}`;
  const fromDF = (df: string) => `${id} = DynamicFrame.fromDF(${df}, glueContext, ${str(id)})`;
  switch (step.kind) {
    case 'ApplyMapping': {
      const known = (path: string) => { const f = e.schemas[x!]?.find((c) => c.name === path); return f ? renderCatalogType(f.type) : null; };
      const maps = step.params.mappings.map((m) => `(${str(m.source)}, ${str(m.sourceType ?? known(m.source) ?? 'string')}, ${str(m.target)}, ${str(m.targetType)})`);
      e.lines.push(`${id} = ApplyMapping.apply(frame=${x}, mappings=[`, ...maps.map((m) => `    ${m},`), `], ${ctx})`);
      return;
    }
    case 'ResolveChoice': {
      const p = step.params;
      if (p.specs?.length) e.lines.push(`${id} = ResolveChoice.apply(frame=${x}, specs=[${p.specs.map((s) => `(${str(s.path)}, ${str(s.action)})`).join(', ')}], ${ctx})`);
      else e.lines.push(`${id} = ResolveChoice.apply(frame=${x}, choice=${str(p.choice ?? 'make_cols')}, ${ctx})`);
      return;
    }
    case 'SelectFields': e.lines.push(`${id} = SelectFields.apply(frame=${x}, paths=${list(step.params.paths)}, ${ctx})`); return;
    case 'DropFields': e.lines.push(`${id} = DropFields.apply(frame=${x}, paths=${list(step.params.paths)}, ${ctx})`); return;
    case 'RenameField': e.lines.push(`${id} = RenameField.apply(frame=${x}, old_name=${pyValue(step.params.from)}, new_name=${pyValue(step.params.to)}, ${ctx})`); return;
    case 'Filter':
    case 'SplitRows': {
      // SplitRows' main output is the matching records: the same filter.
      const f = pyPredicate(step.params.predicate);
      if (f) { e.uses.add('get'); e.lines.push(`${id} = Filter.apply(frame=${x}, f=${f}, ${ctx})`); }
      else e.lines.push(fromDF(`${x}.toDF().where(${pyValue((step.params.predicate as { sql: string }).sql)})`));
      return;
    }
    case 'Derived': {
      e.uses.add('functions');
      const expr = `F.expr(${pyValue(step.params.sql)})${step.params.type ? `.cast(${str(step.params.type)})` : ''}`;
      e.lines.push(fromDF(`${x}.toDF().withColumn(${pyValue(step.params.name)}, ${expr})`));
      return;
    }
    case 'FillMissingValues': {
      e.uses.add('ml');
      const out = step.params.output ?? `${step.params.path}_filled`;
      e.lines.push(`${id} = FillMissingValues.apply(frame=${x}, missing_values_column=${pyValue(step.params.path)}, output_column=${pyValue(out)}, ${ctx})`);
      return;
    }
    case 'DropNullFields': e.lines.push(`${id} = DropNullFields.apply(frame=${x}, ${ctx})`); return;
    case 'DropDuplicates': e.lines.push(fromDF(`${x}.toDF().dropDuplicates(${step.params.paths?.length ? list(step.params.paths) : ''})`)); return;
    case 'Aggregate': {
      e.uses.add('sql');
      const fn = (a: { fn: string; path?: string }) => {
        const col = a.path ? sqlPath(a.path) : '*';
        return a.fn === 'count_distinct' ? `count(DISTINCT ${col})` : `${a.fn}(${a.fn === 'count' && !a.path ? '*' : col})`;
      };
      const cols = [...step.params.groupBy.map(sqlPath), ...step.params.aggregations.map((a) => `${fn(a)} AS ${bq(a.as ?? `${a.fn}_${(a.path ?? 'all').replace(/\W+/g, '_')}`)}`)];
      const group = step.params.groupBy.length ? ` GROUP BY ${step.params.groupBy.map(sqlPath).join(', ')}` : '';
      e.lines.push(`${id} = spark_sql({"input": ${x}}, ${str(`SELECT ${cols.join(', ')} FROM input${group}`)}, ${str(id)})`);
      return;
    }
    case 'Join': {
      const p = step.params;
      if ((p.how ?? 'inner') === 'inner') {
        e.lines.push(`${id} = Join.apply(frame1=${x}, frame2=${y}, keys1=${list(p.leftKeys)}, keys2=${list(p.rightKeys)}, ${ctx})`);
      } else {
        const on = p.leftKeys.map((k, i) => `(_l[${pyValue(k)}] == _r[${pyValue(p.rightKeys[i]!)}])`).join(' & ');
        e.lines.push(`_l, _r = ${x}.toDF(), ${y}.toDF()`, fromDF(`_l.join(_r, ${on}, ${str(p.how === 'full' ? 'full' : p.how!)})`));
      }
      return;
    }
    case 'Union': e.lines.push(fromDF(`${x}.toDF().unionByName(${y}.toDF(), allowMissingColumns=True)`)); return;
    case 'Unnest': e.lines.push(`${id} = ${x}.unnest(${ctx})`); return;
    case 'Relationalize': {
      e.uses.add('tempdir');
      const root = step.params.rootName ?? 'root';
      e.lines.push(`${id} = Relationalize.apply(frame=${x}, staging_path=args["TempDir"], name=${pyValue(root)}, ${ctx}).select(${pyValue(root)})`);
      return;
    }
    case 'Unbox': e.lines.push(`${id} = Unbox.apply(frame=${x}, path=${pyValue(step.params.path)}, format=${str(step.params.format)}, ${ctx})`); return;
    case 'SplitFields': e.lines.push(`${id} = SplitFields.apply(frame=${x}, paths=${list(step.params.paths)}, name1=${str(id)}, name2=${str(`${id}_rest`)}, ${ctx}).select(${str(id)})`); return;
    case 'Spigot': {
      e.uses.add('tempdir');
      const opts = [step.params.topk !== undefined ? `"topk": ${step.params.topk}` : '', step.params.prob !== undefined ? `"prob": ${step.params.prob}` : ''].filter(Boolean).join(', ');
      e.lines.push(`${id} = Spigot.apply(frame=${x}, path=args["TempDir"] + ${str(`/spigot/${id}`)}, options={${opts}}, ${ctx})`);
      return;
    }
    case 'Sql': e.uses.add('sql'); e.lines.push(`${id} = spark_sql({"input": ${x}}, ${pyValue(step.params.sql)}, ${str(id)})`); return;
  }
}

const GLUE_FORMAT = { parquet: 'glueparquet', csv: 'csv', ndjson: 'json' } as const;
const SPARK_FORMAT = { parquet: 'parquet', csv: 'csv', ndjson: 'json' } as const;

const MODE_NOTE: Record<WriteMode, string> = {
  overwrite: 'overwrite: the previous output is replaced',
  append: 'append: the files of earlier runs are kept',
  'overwrite-partitions': 'dynamic partition overwrite: only the partitions this run writes are replaced',
};

function targetLines(node: TargetNode, e: Emit, bookmark: BookmarkOption): void {
  const t = node.target;
  const x = node.inputs[0]!;
  const rel = t.type === 'workspace' ? t.path : t.type === 's3' ? '' : (t.name || node.id);
  // An S3 target keeps its s3:// location in Glue (where a Glue job writes with its role, no presigned URLs).
  const path = t.type === 's3' ? pyValue(`${t.location.replace(/\/+$/, '')}/`) : `args["output_base"] + ${pyValue(`/${rel}/`)}`;
  const keys = list(t.partitionBy ?? []);
  const formatOptions = t.format === 'parquet' ? `{"compression": ${str(t.compression ?? 'snappy')}}` : t.format === 'csv' ? '{"writeHeader": True}' : '{}';
  if (t.type === 'workspace') {
    // Spark's save modes, as the tab runs them: Glue's own sinks only ever append.
    const mode = writeModeOf(t, bookmark);
    const dynamic = mode === 'overwrite-partitions' && (t.partitionBy?.length ?? 0) > 0;
    const options = t.format === 'parquet' ? `{"compression": ${str(t.compression ?? 'snappy')}}` : t.format === 'csv' ? '{"header": "true"}' : '{}';
    e.lines.push(`# ${MODE_NOTE[dynamic || mode !== 'overwrite-partitions' ? mode : 'overwrite']}${t.mode ? '' : mode === 'append' ? ' (the default: the job bookmark is enabled)' : ' (the default)'}`);
    if (mode !== 'append') e.lines.push(`spark.conf.set("spark.sql.sources.partitionOverwriteMode", ${str(dynamic ? 'dynamic' : 'static')})`);
    const sparkMode = mode === 'append' ? 'append' : 'overwrite';
    if (t.table) {
      e.uses.add('table');
      e.lines.push(`_write_table(${x}.toDF(), ${pyValue(t.database || 'default')}, ${pyValue(t.table)}, ${path}, ${str(SPARK_FORMAT[t.format])}, ${options}, ${keys}, ${str(sparkMode)})`);
    } else {
      e.lines.push(`${x}.toDF().write.mode(${str(sparkMode)}).format(${str(SPARK_FORMAT[t.format])}).options(**${options}).partitionBy(*${keys}).save(${path})`);
    }
    return;
  }
  e.lines.push(`${node.id} = glueContext.write_dynamic_frame.from_options(frame=${x}, connection_type="s3", format=${str(GLUE_FORMAT[t.format])}, connection_options={"path": ${path}, "partitionKeys": ${keys}}, format_options=${formatOptions}, transformation_ctx=${str(node.id)})`);
}

function sourceLines(node: Extract<JobNode, { kind: 'source' }>, e: Emit, inputArgs: string[]): void {
  const s = node.source;
  const ctx = `transformation_ctx=${str(node.id)}`;
  if (s.type === 'catalog') {
    e.lines.push(`${node.id} = glueContext.create_dynamic_frame.from_catalog(database=${pyValue(s.database)}, table_name=${pyValue(s.table)}, ${ctx})`);
    return;
  }
  // Files and open tables are local to the tab: on Glue they are S3 paths given as a job argument.
  const arg = `input_${node.id}`;
  inputArgs.push(arg);
  const format = s.type === 'file' ? (s.format ?? 'csv') : 'parquet';
  const glueFormat = format === 'tsv' ? 'csv' : format;
  if (s.type === 'table') e.lines.push(`# ${node.id} read the table ${s.name} open in the browser: upload it to S3 as Parquet and pass that path as --${arg}.`);
  if (format === 'xlsx' || format === 'arrow') {
    // Glue reads neither: the script says so where the read would be, instead of naming a format Glue lacks.
    e.lines.push(`# ${node.id} reads ${format === 'xlsx' ? 'an Excel workbook' : 'an Arrow IPC file'}, which Glue cannot read: convert it to Parquet (an Epoxy job with a Parquet target) and pass that path as --${arg}.`);
    e.lines.push(`${node.id} = glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": [args[${str(arg)}]], "recurse": True}, format="parquet", format_options={}, ${ctx})`);
    return;
  }
  const formatOptions = format === 'csv' ? '{"withHeader": True, "separator": ","}'
    : format === 'tsv' ? '{"withHeader": True, "separator": "\\t"}'
    : format === 'xml' && s.type === 'file' && s.rowTag ? `{"rowTag": ${str(s.rowTag)}}`
    : format === 'json' ? '{"multiline": False}' : '{}';
  e.lines.push(`${node.id} = glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": [args[${str(arg)}]], "recurse": True}, format=${str(glueFormat)}, format_options=${formatOptions}, ${ctx})`);
}

/**
 * The AWS Glue PySpark script of a job (Glue 4.0, Python 3). `schemas` (a run's node schemas) fill in the
 * source types of ApplyMapping; without them a mapping's source type is its own or string.
 */
export function exportPySpark(def: JobDefinition, schemas: Record<string, StructField[]> = {}): string {
  const e: Emit = { lines: [], uses: new Set(), schemas };
  const inputArgs: string[] = [];
  for (const node of topoOrder(def)) {
    e.lines.push('', `# ${node.id}: ${node.kind === 'source' ? `source (${node.source.type})` : node.kind === 'transform' ? node.step.kind : `${node.target.type} target, ${node.target.format}`}${node.label ? ` - ${node.label.replace(/\s+/g, ' ')}` : ''}`);
    if (node.kind === 'source') sourceLines(node, e, inputArgs);
    else if (node.kind === 'transform') transformLines(node.id, node.step, node.inputs, e);
    else targetLines(node, e, def.bookmark);
  }
  const hasTargets = def.nodes.some((n) => n.kind === 'target');
  const argNames = ['JOB_NAME', ...inputArgs, ...(hasTargets ? ['output_base'] : []), ...(e.uses.has('tempdir') ? ['TempDir'] : []), ...def.parameters.map((p) => p.name)];
  const head = [
    `# AWS Glue job ${def.name}, exported from Epoxy.`,
    ...(def.description ? [`# ${def.description.replace(/\s+/g, ' ')}`] : []),
    `# Job arguments: ${argNames.slice(1).map((a) => `--${a}`).join(' ') || '(none)'}`,
    ...def.parameters.map((p) => `#   --${p.name} defaults to ${JSON.stringify(p.default)} in Epoxy (set it in the job's DefaultArguments)`),
    `# Job bookmarks: --job-bookmark-option ${def.bookmark}; every node's id is its transformation_ctx.`,
    'import sys',
    '',
    'from awsglue.context import GlueContext',
    'from awsglue.dynamicframe import DynamicFrame',
    'from awsglue.job import Job',
    'from awsglue.transforms import *',
    'from awsglue.utils import getResolvedOptions',
    ...(e.uses.has('ml') ? ['from awsglueml.transforms import FillMissingValues'] : []),
    'from pyspark.context import SparkContext',
    ...(e.uses.has('functions') ? ['from pyspark.sql import functions as F'] : []),
    '',
    `args = getResolvedOptions(sys.argv, [${argNames.map(str).join(', ')}])`,
    'sc = SparkContext()',
    'glueContext = GlueContext(sc)',
    'spark = glueContext.spark_session',
    'job = Job(glueContext)',
    'job.init(args["JOB_NAME"], args)',
  ];
  const helpers: string[] = [];
  if (e.uses.has('get')) {
    helpers.push(
      '', '',
      'def _get(row, path):',
      '    """A field of a record by its dotted path or tuple of names (None when a level is missing)."""',
      '    value = row',
      '    for part in (path.split(".") if isinstance(path, str) else path):',
      '        try:',
      '            value = value[part]',
      '        except (KeyError, TypeError):',
      '            return None',
      '    return value',
      '', '',
      'def _like(text, example):',
      '    """A value written as text, read as the type of the field it is compared with."""',
      '    if isinstance(example, bool):',
      '        return text.lower() == "true"',
      '    if isinstance(example, int):',
      '        return int(float(text))',
      '    if isinstance(example, float):',
      '        return float(text)',
      '    return text',
    );
  }
  if (e.uses.has('table')) {
    helpers.push(
      '', '',
      'def _write_table(df, database, table, path, fmt, options, keys, mode):',
      '    """Write to a Data Catalog table stored at path with a Spark save mode; the first run creates the table."""',
      '    name = "`%s`.`%s`" % (database, table)',
      '    if spark.catalog.tableExists(table, database):',
      '        # insertInto matches columns by position: the partition columns go last, as the table has them.',
      '        df.select(*([c for c in df.columns if c not in keys] + keys)).write.insertInto(name, overwrite=(mode == "overwrite"))',
      '    else:',
      '        df.write.mode(mode).format(fmt).options(**options).partitionBy(*keys).option("path", path).saveAsTable(name)',
    );
  }
  if (e.uses.has('sql')) {
    helpers.push(
      '', '',
      'def spark_sql(frames, query, ctx):',
      '    """Run Spark SQL over DynamicFrames registered under their aliases (Glue Studio\'s SQL transform)."""',
      '    for alias, frame in frames.items():',
      '        frame.toDF().createOrReplaceTempView(alias)',
      '    return DynamicFrame.fromDF(spark.sql(query), glueContext, ctx)',
    );
  }
  return [...head, ...helpers, ...(helpers.length ? [''] : []), ...e.lines, '', 'job.commit()', ''].join('\n');
}
