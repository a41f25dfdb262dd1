import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { checkJob } from '../../../src/jobs/compile';
import type { ExportSource } from '../../../src/jobs/export-duckdb';
import { exportGlueScript } from '../../../src/jobs/export-pyspark';
import { BODY_BEGIN, BODY_END, exportSpark } from '../../../src/jobs/export-spark';
import type { JobDefinition, TargetSpec, WriteMode } from '../../../src/jobs/model';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { executeJob } from '../../../src/jobs/run';
import { glueScriptArguments } from '../../../src/jobs/script-args';
import { t, type StructField } from '../../../src/schema/types';
import { serviceOf } from '../../support/service';
import { ordersFolder } from './fixtures';

const GOLDEN = join(__dirname, '../../fixtures/jobs');

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

/** Read orders, keep amounts >= min_amount, flag EU, write Parquet by region into a catalog table. */
function ordersJob(path: string): JobDefinition {
  return {
    version: 1, name: 'orders_daily', description: 'Clean orders and write them by region', parameters: [{ name: 'min_amount', default: '2' }], bookmark: 'job-bookmark-enable',
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path, format: 'csv' } },
      { id: 'big', kind: 'transform', inputs: ['orders'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: '${min_amount}' }] } } } },
      { id: 'flagged', kind: 'transform', inputs: ['big'], step: { id: 'd', kind: 'Derived', params: { name: 'is_eu', sql: "region = 'eu'", type: 'boolean' } } },
      { id: 'out', kind: 'target', inputs: ['flagged'], target: { type: 'workspace', path: 'lake/orders_clean', format: 'parquet', compression: 'zstd', partitionBy: ['region'], database: 'lake', table: 'orders_clean' } },
    ],
  };
}

const CUSTOMERS: StructField[] = [{ name: 'id', type: t.bigint }, { name: 'name', type: t.string }, { name: 'address', type: t.struct([['country', t.string], ['city', t.string]]) }];
const EVENTS: StructField[] = [{ name: 'event_id', type: t.bigint }, { name: 'customer_id', type: t.bigint }, { name: 'price', type: t.choice([t.bigint, t.double]) }, { name: 'vip', type: t.boolean }, { name: 'day', type: t.string }];

/** Every edge: a catalog source, a JSON folder partitioned by day, S3 and download sinks in each mode, a workspace target. */
function edgesJob(): JobDefinition {
  const s3 = (location: string, mode?: WriteMode): TargetSpec => ({ type: 's3', location, putUrls: '', format: 'parquet', partitionBy: ['day'], ...(mode ? { mode } : {}) });
  return {
    version: 1, name: 'glue_edges', bookmark: 'job-bookmark-enable', parameters: [{ name: 'country', default: 'NO' }],
    nodes: [
      { id: 'customers', kind: 'source', source: { type: 'catalog', database: 'crm', table: 'customers' } },
      { id: 'events', kind: 'source', source: { type: 'file', path: 'dropped://events', format: 'json' } },
      { id: 'local', kind: 'transform', inputs: ['customers'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'or', conditions: [{ path: 'address.country', op: '=', value: '${country}' }, { path: 'name', op: 'starts_with', value: 'A' }] } } } },
      { id: 'picked', kind: 'transform', inputs: ['events'], step: { id: 's', kind: 'SelectFields', params: { paths: ['event_id', 'price', 'day'] } } },
      { id: 'ranked', kind: 'transform', inputs: ['picked'], step: { id: 'q', kind: 'Sql', params: { sql: 'SELECT *, rank() OVER (ORDER BY price DESC) AS position FROM input' } } },
      { id: 'report', kind: 'target', inputs: ['local'], target: { type: 'download', name: 'report', format: 'csv' } },
      { id: 'appended', kind: 'target', inputs: ['ranked'], target: s3('s3://acme/${country}/ranked') },
      { id: 'replaced', kind: 'target', inputs: ['ranked'], target: s3('s3://acme/replaced/', 'overwrite') },
      { id: 'by_day', kind: 'target', inputs: ['ranked'], target: s3('s3://acme/by_day', 'overwrite-partitions') },
      { id: 'lake', kind: 'target', inputs: ['picked'], target: { type: 'workspace', path: 'lake/events', format: 'ndjson' } },
    ],
  };
}
const EDGE_SOURCES: Record<string, ExportSource> = { events: { location: 'dropped://events', format: 'json', partitionKeys: ['day'] } };

/** Schemas as the editor knows them: the sources' measured ones, the rest inferred by the job check. */
function schemasOf(def: JobDefinition, known: Record<string, StructField[]>): Record<string, StructField[]> {
  return Object.fromEntries(Object.entries(checkJob(def, known).schemas).filter((e): e is [string, StructField[]] => e[1] !== null));
}

function python3(): string {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) if (existsSync(p)) return p;
  throw new Error('python3 is needed to check the exported scripts compile (apt-get install python3); it was not found in /usr/bin or /usr/local/bin');
}

function pyCompile(name: string, script: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'epoxy-py-')), name);
  writeFileSync(file, script);
  execFileSync(python3(), ['-m', 'py_compile', file], { stdio: 'pipe' });
}

/** The lines between the body markers (inclusive). */
function bodyBlock(script: string): string {
  const start = script.indexOf(BODY_BEGIN);
  const end = script.indexOf(BODY_END);
  if (start < 0 || end < start) throw new Error('no transform body markers in the script');
  return script.slice(start, end + BODY_END.length);
}

/** Schemas of a real run of ordersJob (the tab's CSV reader typed the columns). */
async function measuredOrders(): Promise<Record<string, StructField[]>> {
  const f = ordersFolder();
  const result = await executeJob(ordersJob(f.dir), nodeJobEnv(serviceOf(engine), f.out));
  expect(result.state).toBe('SUCCEEDED');
  return result.schemas;
}

describe('AWS Glue script export', () => {
  it('matches the golden orders_daily.py (a run\'s schemas) and compiles with python3', async () => {
    const schemas = await measuredOrders();
    const script = exportGlueScript(ordersJob('/data/orders'), { schemas, sources: { orders: { location: '/data/orders', format: 'csv' } } });
    if (process.env['UPDATE_GOLDEN']) writeFileSync(join(GOLDEN, 'orders_daily.py'), script);
    expect(script).toBe(readFileSync(join(GOLDEN, 'orders_daily.py'), 'utf8'));
    pyCompile('orders_daily.py', script);
  });

  it('matches the golden glue_edges.py and compiles with python3', () => {
    const def = edgesJob();
    const script = exportGlueScript(def, { schemas: schemasOf(def, { customers: CUSTOMERS, events: EVENTS }), sources: EDGE_SOURCES });
    if (process.env['UPDATE_GOLDEN']) writeFileSync(join(GOLDEN, 'glue_edges.py'), script);
    expect(script).toBe(readFileSync(join(GOLDEN, 'glue_edges.py'), 'utf8'));
    pyCompile('glue_edges.py', script);
  });

  it('runs the plain PySpark script\'s transform body byte for byte (what the Spark tests run is what Glue runs)', async () => {
    const cases: [JobDefinition, Record<string, StructField[]>, Record<string, ExportSource>][] = [
      [ordersJob('/data/orders'), await measuredOrders(), { orders: { location: '/data/orders', format: 'csv' } }],
      [edgesJob(), schemasOf(edgesJob(), { customers: CUSTOMERS, events: EVENTS }), EDGE_SOURCES],
    ];
    for (const [def, schemas, sources] of cases) {
      const spark = exportSpark(def, { schemas, sources });
      const glue = exportGlueScript(def, { schemas, sources });
      const block = bodyBlock(spark);
      expect(block.split('\n').length).toBeGreaterThan(4);
      expect(glue).toContain(block);
      expect(bodyBlock(glue)).toBe(block);
      pyCompile(`${def.name}_spark.py`, spark);
    }
  });

  it('reads sources through awsglue with bookmarks, conformed to the tab\'s schema; JSON arrays element by element (issue 20: JSON was read with multiline False)', () => {
    const def = edgesJob();
    const script = exportGlueScript(def, { schemas: schemasOf(def, { customers: CUSTOMERS, events: EVENTS }), sources: EDGE_SOURCES });
    expect(script).toContain('customers = _conform(glueContext.create_dynamic_frame.from_catalog(database="crm", table_name="customers", transformation_ctx="customers"), "`id` bigint, `name` string, `address` struct<`country`:string,`city`:string>", "customers")');
    // The choice column is read as the plain script reads it (the catalog type), the day folders become a column.
    expect(script).toContain('events = _conform(glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": [args["input_events"]], "recurse": True}, format="json", format_options={**_json_options(args["input_events"]), "attachFilename": "_epoxy_file"}, transformation_ctx="events"), "`event_id` bigint, `customer_id` bigint, `price` double, `vip` boolean, `day` string", "events", ["day"])');
    expect(script).toContain('        return {"jsonPath": "$[*]", "multiLine": True}');
    expect(script).toContain('dyf.resolveChoice(choice="cast:string", transformation_ctx=ctx + "_choice").toDF()');
    // Bookmarks: every source and sink has its node id as transformation_ctx.
    for (const id of ['customers', 'events', 'appended', 'replaced', 'report']) expect(script).toContain(`transformation_ctx="${id}")`);
  });

  it('reads CSV with a header, its separator and quotes; refuses formats Glue lacks, naming the node', () => {
    const job = (format: 'csv' | 'tsv' | 'xlsx' | 'xml'): JobDefinition => ({ version: 1, name: 'one', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'src', kind: 'source', source: { type: 'file', path: `/data/x.${format}`, format, ...(format === 'xml' ? { rowTag: 'item' } : {}) } },
      { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'download', name: 'out', format: 'csv' } },
    ] });
    expect(exportGlueScript(job('csv'), { schemas: {} })).toContain('format="csv", format_options={"withHeader": True, "separator": ",", "quoteChar": "\\"", "multiLine": True}, transformation_ctx="src"), "", "src")');
    expect(exportGlueScript(job('tsv'), { schemas: {} })).toContain('"separator": "\\t"');
    expect(exportGlueScript(job('xml'), { schemas: {} })).toContain('format="xml", format_options={"rowTag": "item"}');
    expect(() => exportGlueScript(job('xlsx'), { schemas: {} })).toThrow('src: Glue cannot read an Excel workbook: convert the data to Parquet (an Epoxy job with a Parquet target) and read that');
  });

  it('refuses a step it cannot compile the same, naming the node, instead of a script computing something else', () => {
    const def: JobDefinition = { version: 1, name: 'x', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'src', kind: 'source', source: { type: 'catalog', database: 'crm', table: 'customers' } },
      { id: 'keep', kind: 'transform', inputs: ['src'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'id', op: '>', value: '3' }] } } } },
    ] };
    expect(() => exportGlueScript(def, { schemas: {} })).toThrow('keep: the schema of src is not known yet; run or preview the job once, then export');
  });

  it('writes S3 sinks in the tab\'s modes: append adds, overwrite purges first, partition overwrite goes through Spark\'s writer', () => {
    const def = edgesJob();
    const script = exportGlueScript(def, { schemas: schemasOf(def, { customers: CUSTOMERS, events: EVENTS }), sources: EDGE_SOURCES });
    const sink = (id: string, path: string, keys: string, format = 'glueparquet', options = '{"compression": "snappy"}', x = 'ranked') =>
      `glueContext.write_dynamic_frame.from_options(frame=DynamicFrame.fromDF(${x}, glueContext, "${id}"), connection_type="s3", format="${format}", connection_options={"path": ${path}, "partitionKeys": ${keys}}, format_options=${options}, transformation_ctx="${id}")`;
    expect(script).toContain(`# append: the files of earlier runs are kept\n${sink('appended', '"s3://acme/" + args["country"] + "/ranked/"', '["day"]')}`);
    expect(script).toContain(`glueContext.purge_s3_path("s3://acme/replaced/", {"retentionPeriod": 0}, transformation_ctx="replaced_purge")\n${sink('replaced', '"s3://acme/replaced/"', '["day"]')}`);
    expect(script).toContain('spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")\nranked.write.mode("overwrite").format("parquet").options(**{"compression": "snappy"}).partitionBy(*["day"]).save("s3://acme/by_day/")');
    expect(script).toContain(sink('report', 'args["output_base"] + "/report/"', '[]', 'csv', '{"writeHeader": True}', 'local'));
    expect(script).toContain('picked.write.mode("append").format("json").options(**{}).partitionBy(*[]).save(args["output_base"] + "/lake/events/")');
  });

  it('writes workspace targets with Spark save modes and registers catalog tables (issue 16 #3)', async () => {
    const job = (mode: WriteMode | undefined, bookmark: JobDefinition['bookmark'], table?: string): JobDefinition => ({
      version: 1, name: 'modes', bookmark, parameters: [],
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'catalog', database: 'lake', table: 'raw' } },
        { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'workspace', path: 'lake/orders', format: 'parquet', partitionBy: ['region'], ...(table ? { database: 'lake', table } : {}), ...(mode ? { mode } : {}) } },
      ],
    });
    const appended = exportGlueScript(job(undefined, 'job-bookmark-enable'), { schemas: {} });
    expect(appended).toContain('# append: the files of earlier runs are kept\nsrc.write.mode("append").format("parquet").options(**{"compression": "snappy"}).partitionBy(*["region"]).save(args["output_base"] + "/lake/orders/")');
    expect(appended).not.toContain('partitionOverwriteMode');
    const replaced = exportGlueScript(job(undefined, 'job-bookmark-disable'), { schemas: {} });
    expect(replaced).toContain('spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static")\nsrc.write.mode("overwrite")');
    const dynamic = exportGlueScript(job('overwrite-partitions', 'job-bookmark-enable', 'orders'), { schemas: {} });
    expect(dynamic).toContain('spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")\n_write_table(src, "lake", "orders", args["output_base"] + "/lake/orders/", "parquet", {"compression": "snappy"}, ["region"], "overwrite")');
    expect(dynamic).toContain('.write.insertInto(name, overwrite=(mode == "overwrite"))');
    for (const [name, script] of [['appended.py', appended], ['replaced.py', replaced], ['dynamic.py', dynamic]] as const) pyCompile(name, script);
  });

  it('reads exactly the arguments create-job is given: inputs, output_base, parameters (no TempDir: no step stages there now)', () => {
    const def = edgesJob();
    const script = exportGlueScript(def, { schemas: schemasOf(def, { customers: CUSTOMERS, events: EVENTS }), sources: EDGE_SOURCES });
    expect(script).toContain('args = getResolvedOptions(sys.argv, ["JOB_NAME", "input_events", "output_base", "country"])');
    expect(glueScriptArguments(def).map((a) => a.name)).toEqual(['input_events', 'output_base', 'country']);
    // Only S3 targets: they write to their own locations, so no --output_base.
    const s3Only: JobDefinition = { ...def, nodes: def.nodes.filter((n) => n.kind !== 'target' || n.target.type === 's3') };
    expect(glueScriptArguments(s3Only).map((a) => a.name)).toEqual(['input_events', 'country']);
    expect(script).toContain('# AWS Glue job glue_edges, exported from Epoxy. For AWS Glue 5.0 (Spark 3.5, Python 3.11).');
  });

  it('sinks a step\'s extra output (<node>:<output>) from the variable the body assigned', () => {
    const def: JobDefinition = { version: 1, name: 'split', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'src', kind: 'source', source: { type: 'catalog', database: 'crm', table: 'customers' } },
      { id: 'split', kind: 'transform', inputs: ['src'], step: { id: 's', kind: 'SplitRows', params: { predicate: { combine: 'and', conditions: [{ path: 'id', op: '>', value: '3' }] } } } },
      { id: 'rest_out', kind: 'target', inputs: ['split:rest'], target: { type: 's3', location: 's3://acme/rest', putUrls: '', format: 'csv', mode: 'append' } },
    ] };
    const script = exportGlueScript(def, { schemas: { src: CUSTOMERS } });
    expect(script).toMatch(/\nsplit__rest = src\.where\(/);
    expect(script).toContain('frame=DynamicFrame.fromDF(split__rest, glueContext, "rest_out")');
    pyCompile('split.py', script);
  });

  it('names frames so neither script\'s edges are overwritten: a node called job or _conform', () => {
    const def: JobDefinition = { version: 1, name: 'clash', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'job', kind: 'source', source: { type: 'catalog', database: 'crm', table: 'customers' } },
      { id: '_conform', kind: 'transform', inputs: ['job'], step: { id: 's', kind: 'SelectFields', params: { paths: ['id'] } } },
      { id: 'out', kind: 'target', inputs: ['_conform'], target: { type: 'download', name: 'out', format: 'csv' } },
    ] };
    const script = exportGlueScript(def, { schemas: { job: CUSTOMERS } });
    expect(script).toContain('n_job = _conform(glueContext.create_dynamic_frame.from_catalog(');
    expect(script).toMatch(/\nn__conform = n_job\.select\(/);
    expect(script).toContain('n__conform, glueContext, "out")');
    expect(script).toContain('job.commit()');
  });
});
