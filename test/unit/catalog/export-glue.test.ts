import { describe, expect, it } from 'vitest';
import {
  bundleFromSnapshot, glueExport, glueSchedule, PLACEHOLDER, ROLE_PLACEHOLDER, s3LocationOf, type Catalog, type ExportFile, type GlueExportOptions,
} from '../../../src/catalog';
import { exportGlueScript } from '../../../src/jobs/export-pyspark';
import type { JobDefinition } from '../../../src/jobs/model';
import { glueJobFacts, glueScriptArguments } from '../../../src/jobs/script-args';
import { toGlueJob } from '../../../src/jobs/store';
import { nextFireTimes, parseSchedule } from '../../../src/scheduler/cron';
import { triggerFromInput, type TriggerInput } from '../../../src/scheduler/trigger-input';
import { s3Connection, parsePastedUrls } from '../../../src/sources/s3-connection';
import { glueProblems, validateGlueRequests } from '../../support/botocore';
import { fillSales } from './fixtures';
import { freshCatalog } from './helpers';

const OPTIONS: GlueExportOptions = { role: 'arn:aws:iam::123456789012:role/GlueETL', scriptLocation: 's3://acme-glue-assets/scripts/', jobFacts: glueJobFacts };

/** A job reading a dropped CSV, a table open in the tab, an S3 object by presigned URL and a catalog table. */
function salesJob(): JobDefinition {
  return {
    version: 1, name: 'sales daily', description: 'Daily sales', bookmark: 'job-bookmark-enable', maxRetries: 2, timeout: 60, maxConcurrentRuns: 1,
    parameters: [{ name: 'day', default: '2026-01-01' }, { name: 'region', default: 'EU' }],
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: 'dropped://orders/orders.csv', format: 'csv' } },
      { id: 'opened', kind: 'source', source: { type: 'table', name: 'customers' } },
      { id: 'remote', kind: 'source', source: { type: 'file', path: `https://acme-lake.s3.eu-west-1.amazonaws.com/raw/events.json?X-Amz-Date=20261201T000000Z&X-Amz-Expires=3600&X-Amz-Signature=${'cd'.repeat(32)}`, format: 'json' } },
      { id: 'products', kind: 'source', source: { type: 'catalog', database: 'sales', table: 'orders' } },
      { id: 'flat', kind: 'transform', inputs: ['remote'], step: { id: 'r', kind: 'Relationalize', params: { rootName: 'root' } } },
      { id: 'joined', kind: 'transform', inputs: ['orders', 'opened'], step: { id: 'j', kind: 'Join', params: { right: '', leftKeys: ['customer_id'], rightKeys: ['id'], how: 'inner' } } },
      { id: 'out', kind: 'target', inputs: ['joined'], target: { type: 'workspace', path: 'marts/sales', format: 'parquet', database: 'marts', table: 'sales' } },
      { id: 'events_out', kind: 'target', inputs: ['flat'], target: { type: 'download', name: 'events', format: 'csv' } },
      { id: 'products_out', kind: 'target', inputs: ['products'], target: { type: 'download', name: 'products', format: 'csv' } },
    ],
  };
}

const trigger = (input: Partial<TriggerInput> & Pick<TriggerInput, 'name' | 'type' | 'actions'>) => {
  const made = triggerFromInput({ workflow: '', schedule: '', logical: 'AND', conditions: [], missedPolicy: 'run-once', enabled: true, ...input });
  if (!made.ok) throw new Error(made.problem.message);
  return made.trigger;
};

/** Every kind of object the catalog keeps, as the app and the CLI write them. */
async function fullCatalog(): Promise<Catalog> {
  const { catalog } = await freshCatalog();
  await fillSales(catalog);
  await catalog.put('connection', { Name: 'warehouse', ConnectionType: 'JDBC', ConnectionProperties: { JDBC_CONNECTION_URL: 'jdbc:postgresql://db/wh', USERNAME: 'etl', PASSWORD: 'hunter2' } });
  const url = `https://acme-lake.s3.amazonaws.com/raw/a.csv?X-Amz-Date=20261201T000000Z&X-Amz-Expires=3600&X-Amz-Signature=${'ab'.repeat(32)}`;
  await catalog.put('connection', s3Connection('lake_urls', parsePastedUrls(url).urls));
  await catalog.put('classifier', { CsvClassifier: { Name: 'pipes', Delimiter: '|', ContainsHeader: 'PRESENT' }, order: 1 });
  await catalog.put('classifier', { GrokClassifier: { Name: 'applog', Classification: 'applog', GrokPattern: '%{TIMESTAMP_ISO8601:ts} %{GREEDYDATA:msg}' }, order: 2 });
  await catalog.put('classifier', { XMLClassifier: { Name: 'rows', Classification: 'xml', RowTag: 'row' }, order: 3 });
  await catalog.put('classifier', { JsonClassifier: { Name: 'items', JsonPath: '$.items[*]' }, order: 4 });
  // As the Crawlers view saves a dropped folder, with its Epoxy-only settings.
  await catalog.put('crawler', {
    Name: 'local_orders', DatabaseName: 'sales', TablePrefix: 'raw_', Classifiers: ['pipes'],
    Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://orders', Exclusions: ['**/_tmp/**'] }] },
    SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' },
    RecrawlPolicy: { RecrawlBehavior: 'CRAWL_EVERYTHING' },
    Configuration: JSON.stringify({ Version: 1.0, Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' }, CrawlerOutput: { Tables: { TableThreshold: 5 } } }),
    Epoxy: { fullScan: true, normalizeNames: false, keepDecimals: false },
  });
  // As a crawl of pasted presigned URLs records it: the s3:// prefix of the objects.
  await catalog.put('crawler', {
    Name: 'lake_events', DatabaseName: 'sales', Schedule: 'rate(15 minutes)',
    Targets: { EpoxyTargets: [{ Kind: 's3-presigned', Path: 's3://acme-lake/raw/events' }] },
    SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
    RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
    Epoxy: { fullScan: false },
  });
  await catalog.put('job', toGlueJob(salesJob()));
  // A job imported from Glue without an Epoxy DAG keeps its own script.
  await catalog.put('job', { Name: 'legacy/shell', Role: 'arn:aws:iam::123456789012:role/Legacy', Command: { Name: 'pythonshell', ScriptLocation: 's3://legacy/scripts/shell.py', PythonVersion: '3.9' }, GlueVersion: '3.0', DefaultArguments: { '--mode': 'full' } });
  await catalog.put('trigger', trigger({ name: 'nightly', type: 'SCHEDULED', workflow: 'sales_flow', schedule: 'cron(0 2 * * ? *)', actions: [{ kind: 'crawler', name: 'lake_events' }] }));
  await catalog.put('trigger', trigger({ name: 'after_crawl', type: 'CONDITIONAL', workflow: 'sales_flow', conditions: [{ target: { kind: 'crawler', name: 'lake_events' }, state: 'SUCCEEDED' }], actions: [{ kind: 'job', name: 'sales daily' }] }));
  await catalog.put('trigger', trigger({ name: 'by_hand', type: 'ON_DEMAND', workflow: 'adhoc', actions: [{ kind: 'job', name: 'legacy/shell' }] }));
  await catalog.put('trigger', trigger({ name: 'paused', type: 'SCHEDULED', schedule: 'rate(2 hours)', actions: [{ kind: 'crawler', name: 'local_orders' }], enabled: false, missedPolicy: 'skip' }));
  return catalog;
}

const requestsOf = (files: ExportFile[]) => files.map((f) => ({ name: f.path, operation: f.operation, params: f.json }));
const fileOf = (files: ExportFile[], path: string) => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).join(', ')}`);
  // Requests are plain JSON: the tests read nested fields without declaring each shape.
  return f.json as Record<string, any>;
};

describe('Glue API requests (create-job, create-crawler, create-workflow, create-trigger)', () => {
  it('every request the export writes passes botocore\'s Glue model (issue 20: CreateJob and CreateCrawler were invalid: no Role, Targets.EpoxyTargets)', async () => {
    const catalog = await fullCatalog();
    const { files } = glueExport(bundleFromSnapshot(await catalog.snapshot()), OPTIONS);
    expect(files.map((f) => `${f.operation} ${f.path}`)).toEqual([
      'CreateDatabase databases/sales.json',
      'CreateTable tables/sales/events.json',
      'CreateTable tables/sales/orders.json',
      'BatchCreatePartition partitions/sales/orders.json',
      'CreateConnection connections/warehouse.json',
      'CreateClassifier classifiers/applog.json',
      'CreateClassifier classifiers/items.json',
      'CreateClassifier classifiers/pipes.json',
      'CreateClassifier classifiers/rows.json',
      'CreateCrawler crawlers/lake_events.json',
      'CreateCrawler crawlers/local_orders.json',
      'CreateJob jobs/legacy_shell.json',
      'CreateJob jobs/sales daily.json',
      'CreateWorkflow workflows/adhoc.json',
      'CreateWorkflow workflows/sales_flow.json',
      'CreateTrigger triggers/after_crawl.json',
      'CreateTrigger triggers/by_hand.json',
      'CreateTrigger triggers/nightly.json',
      'CreateTrigger triggers/paused.json',
    ]);
    expect(glueProblems(requestsOf(files))).toEqual([]);
    // Nothing Epoxy-only travels, and no secret.
    const text = JSON.stringify(files);
    for (const word of ['Epoxy', 'EpoxyTargets', 'epoxy://', 'missedPolicy', 'hunter2', 'cdcdcdcd', 'ababab']) expect(text).not.toContain(word);
  });

  it('CreateJob runs the Glue 5.0 script from --script-location with every argument the script reads (issue 20: ScriptLocation was epoxy://, --input_/--output_base/--TempDir missing)', async () => {
    const catalog = await fullCatalog();
    const { files, notes } = glueExport(bundleFromSnapshot(await catalog.snapshot()), { ...OPTIONS, outputBase: 's3://acme-marts/out/' });
    const job = fileOf(files, 'jobs/sales daily.json');
    expect(job).toEqual({
      Name: 'sales daily',
      Description: 'Daily sales',
      Role: 'arn:aws:iam::123456789012:role/GlueETL',
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      Command: { Name: 'glueetl', ScriptLocation: 's3://acme-glue-assets/scripts/sales daily.py', PythonVersion: '3' },
      DefaultArguments: {
        '--job-bookmark-option': 'job-bookmark-enable',
        '--job-language': 'python',
        '--day': '2026-01-01',
        '--region': 'EU',
        '--input_orders': `s3://${PLACEHOLDER}/orders.csv`,
        '--input_opened': `s3://${PLACEHOLDER}/customers/`,
        '--input_remote': 's3://acme-lake/raw/events.json',
        '--output_base': 's3://acme-marts/out',
        '--TempDir': 's3://acme-glue-assets/temporary/',
        '--enable-glue-datacatalog': 'true',
      },
      MaxRetries: 2,
      Timeout: 60,
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
    });
    // The script's own list of arguments (getResolvedOptions) is covered, JOB_NAME aside (Glue passes it).
    // (The sources and targets only: the script's body needs measured schemas, its arguments do not.)
    const edges = salesJob();
    edges.nodes = edges.nodes.filter((n) => n.kind !== 'transform').map((n) => (n.kind === 'target' ? { ...n, inputs: [n.id === 'events_out' ? 'remote' : n.id === 'out' ? 'orders' : n.inputs[0]!] } : n));
    const script = exportGlueScript(edges, { schemas: {} });
    const resolved = /getResolvedOptions\(sys\.argv, \[(.*)\]\)/.exec(script)![1]!.split(', ').map((s) => JSON.parse(s) as string);
    expect(resolved.filter((a) => a !== 'JOB_NAME').sort()).toEqual(glueScriptArguments(salesJob()).map((a) => a.name).sort());
    for (const a of resolved.filter((x) => x !== 'JOB_NAME')) expect(job.DefaultArguments).toHaveProperty([`--${a}`]);
    // The two local sources are placeholders, each said with what the tab read.
    expect(notes.filter((n) => n.file === 'jobs/sales daily.json').map((n) => n.message)).toEqual([
      `DefaultArguments["--input_orders"] is s3://${PLACEHOLDER}/orders.csv: set it to the S3 path of dropped://orders/orders.csv, which the tab reads locally: upload it`,
      `DefaultArguments["--input_opened"] is s3://${PLACEHOLDER}/customers/: set it to the S3 folder of the table customers, which is open in the browser: upload it as Parquet`,
    ]);
    // A Glue job imported without a DAG keeps its command, version and arguments.
    expect(fileOf(files, 'jobs/legacy_shell.json')).toEqual({
      Name: 'legacy/shell', Role: 'arn:aws:iam::123456789012:role/Legacy',
      Command: { Name: 'pythonshell', ScriptLocation: 's3://legacy/scripts/shell.py', PythonVersion: '3.9' }, DefaultArguments: { '--mode': 'full' }, GlueVersion: '3.0',
    });
  });

  it('an argument the stored job already sets (an edit through Glue JSON) is kept, not overwritten', async () => {
    const { catalog } = await freshCatalog();
    const job = toGlueJob(salesJob());
    job.DefaultArguments = { ...job.DefaultArguments, '--input_orders': 's3://mine/orders/', '--TempDir': 's3://mine/tmp/' };
    await catalog.put('job', job);
    const { files, notes } = glueExport(bundleFromSnapshot(await catalog.snapshot()), OPTIONS);
    const args = fileOf(files, 'jobs/sales daily.json').DefaultArguments;
    expect([args['--input_orders'], args['--TempDir'], args['--output_base']]).toEqual(['s3://mine/orders/', 's3://mine/tmp/', `s3://${PLACEHOLDER}/output`]);
    expect(notes.map((n) => n.message)).toContain(`DefaultArguments["--output_base"] is s3://${PLACEHOLDER}/output: set it to the S3 folder its targets write under (--output-base)`);
  });

  it('CreateCrawler: S3Targets from the crawler\'s locations, a named placeholder for a dropped folder, Glue\'s cron and policies', async () => {
    const catalog = await fullCatalog();
    const { files, notes } = glueExport(bundleFromSnapshot(await catalog.snapshot()), OPTIONS);
    expect(fileOf(files, 'crawlers/lake_events.json')).toEqual({
      Name: 'lake_events', Role: OPTIONS.role, DatabaseName: 'sales',
      Targets: { S3Targets: [{ Path: 's3://acme-lake/raw/events' }] },
      Schedule: 'cron(0/15 * * * ? *)',
      SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
    });
    const local = fileOf(files, 'crawlers/local_orders.json');
    expect(local['Targets']).toEqual({ S3Targets: [{ Path: `s3://${PLACEHOLDER}/orders/`, Exclusions: ['**/_tmp/**'] }] });
    expect(local['SchemaChangePolicy']).toEqual({ UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' });
    expect(JSON.parse(local['Configuration'])).toEqual({ Version: 1.0, Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' }, CrawlerOutput: { Tables: { TableThreshold: 5 } } });
    expect(notes.filter((n) => n.file.startsWith('crawlers/')).map((n) => `${n.file}: ${n.message}`)).toEqual([
      'crawlers/lake_events.json: SchemaChangePolicy is LOG/LOG (was UPDATE_IN_DATABASE/LOG): Glue allows only LOG when crawling new folders only',
      `crawlers/local_orders.json: Targets.S3Targets Path is s3://${PLACEHOLDER}/orders/: the crawler read dropped://orders locally; upload them to S3 and give that folder`,
    ]);
  });

  it('a CreateWorkflow per workflow a trigger names; enabled scheduled and conditional triggers start on creation (issue 20: no CreateWorkflow, StartOnCreation unset)', async () => {
    const catalog = await fullCatalog();
    const { files, notes } = glueExport(bundleFromSnapshot(await catalog.snapshot()), OPTIONS);
    expect(fileOf(files, 'workflows/sales_flow.json')).toEqual({ Name: 'sales_flow' });
    expect(fileOf(files, 'workflows/adhoc.json')).toEqual({ Name: 'adhoc' });
    expect(fileOf(files, 'triggers/nightly.json')).toEqual({
      Name: 'nightly', WorkflowName: 'sales_flow', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ CrawlerName: 'lake_events' }], StartOnCreation: true,
    });
    expect(fileOf(files, 'triggers/after_crawl.json')).toEqual({
      Name: 'after_crawl', WorkflowName: 'sales_flow', Type: 'CONDITIONAL',
      Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'lake_events', CrawlState: 'SUCCEEDED' }] },
      Actions: [{ JobName: 'sales daily' }], StartOnCreation: true,
    });
    // Glue refuses StartOnCreation on an on-demand trigger; a trigger switched off in Epoxy is created deactivated.
    expect(fileOf(files, 'triggers/by_hand.json')).toEqual({ Name: 'by_hand', WorkflowName: 'adhoc', Type: 'ON_DEMAND', Actions: [{ JobName: 'legacy/shell' }] });
    expect(fileOf(files, 'triggers/paused.json')).toEqual({ Name: 'paused', Type: 'SCHEDULED', Schedule: 'cron(0 0/2 * * ? *)', Actions: [{ CrawlerName: 'local_orders' }] });
    expect(notes.filter((n) => n.file.startsWith('triggers/') || n.file.startsWith('workflows/'))).toEqual([]);
  });

  it('without a role or script location the requests still validate, with the placeholders named', async () => {
    const catalog = await fullCatalog();
    const { files, notes } = glueExport(bundleFromSnapshot(await catalog.snapshot()), { jobFacts: glueJobFacts });
    expect(glueProblems(requestsOf(files))).toEqual([]);
    expect(fileOf(files, 'jobs/sales daily.json')['Role']).toBe(ROLE_PLACEHOLDER);
    expect(fileOf(files, 'jobs/sales daily.json')['Command'].ScriptLocation).toBe(`s3://${PLACEHOLDER}/scripts/sales daily.py`);
    expect(notes.map((n) => `${n.file}: ${n.message}`)).toEqual(expect.arrayContaining([
      `jobs/sales daily.json: Role is ${ROLE_PLACEHOLDER}: give the IAM role the job runs as (--role)`,
      'jobs/sales daily.json: Command.ScriptLocation is a placeholder: give the S3 folder the scripts are uploaded to (--script-location)',
      'jobs/sales daily.json: DefaultArguments["--TempDir"] is a placeholder: give --temp-dir or --script-location',
      `crawlers/local_orders.json: Role is ${ROLE_PLACEHOLDER}: give the IAM role the crawler runs as (--role)`,
      'connections/lake_urls.json: connection lake_urls (presigned S3 URLs) is not exported: Glue reads S3 with the job\'s role',
    ]));
  });
});

describe('botocore validator', () => {
  it('reports what AWS refuses: a CreateJob without Role, an unknown target key, a value outside an enum', () => {
    const { botocore, results } = validateGlueRequests([
      { name: 'no-role', operation: 'CreateJob', params: { Name: 'j', Command: { Name: 'glueetl', ScriptLocation: 's3://b/j.py' } } },
      { name: 'epoxy-targets', operation: 'CreateCrawler', params: { Name: 'c', Role: 'r', Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://x' }] } } },
      { name: 'bad-enum', operation: 'CreateTrigger', params: { Name: 't', Type: 'WEEKLY', Actions: [{ JobName: 'j' }] } },
      { name: 'typo-operation', operation: 'CreateJobs', params: {} },
      { name: 'fine', operation: 'CreateWorkflow', params: { Name: 'w' } },
    ]);
    expect(botocore).toMatch(/^1\.\d+\.\d+$/);
    expect(results).toEqual([
      { name: 'no-role', errors: ['Missing required parameter in input: "Role"'] },
      { name: 'epoxy-targets', errors: [expect.stringMatching(/^Unknown parameter in Targets: "EpoxyTargets", must be one of: S3Targets, JdbcTargets/)] },
      { name: 'bad-enum', errors: [expect.stringMatching(/^CreateTrigger\.Type: 'WEEKLY' is not one of SCHEDULED, CONDITIONAL, ON_DEMAND/)] },
      { name: 'typo-operation', errors: ["unknown Glue operation 'CreateJobs'"] },
      { name: 'fine', errors: [] },
    ]);
  });
});

describe('Glue schedules', () => {
  it('rate() becomes the cron that fires at the same times; one with no exact cron says so', () => {
    const from = new Date(Date.UTC(2026, 11, 1, 7, 23));
    for (const rate of ['rate(1 minute)', 'rate(15 minutes)', 'rate(60 minutes)', 'rate(1 hour)', 'rate(6 hours)', 'rate(1 day)', 'rate(24 hours)']) {
      const { schedule, note } = glueSchedule(rate);
      expect(note, rate).toBeUndefined();
      expect(nextFireTimes(parseSchedule(schedule), from, 30), `${rate} -> ${schedule}`).toEqual(nextFireTimes(parseSchedule(rate), from, 30));
    }
    expect(glueSchedule(' cron(15 12 ? * MON-FRI *) ')).toEqual({ schedule: 'cron(15 12 ? * MON-FRI *)' });
    expect(glueSchedule('rate(45 minutes)')).toEqual({ schedule: 'cron(0/45 * * * ? *)', note: 'rate(45 minutes) has no exact cron form (Glue has no rate()): exported as cron(0/45 * * * ? *), which restarts its count every hour' });
    expect(glueSchedule('rate(3 days)').schedule).toBe('cron(0 0 1/3 * ? *)');
  });

  it('names the s3:// location of S3 HTTPS URLs and nothing else', () => {
    expect(s3LocationOf('https://acme.s3.eu-west-1.amazonaws.com/raw/a%20b.csv?X-Amz-Signature=1')).toBe('s3://acme/raw/a b.csv');
    expect(s3LocationOf('https://s3.amazonaws.com/acme/raw/a.csv')).toBe('s3://acme/raw/a.csv');
    expect(s3LocationOf('s3://acme/raw/')).toBe('s3://acme/raw/');
    expect(s3LocationOf('https://raw.githubusercontent.com/vega/vega-datasets/main/data/cars.json')).toBeNull();
    expect(s3LocationOf('dropped://orders')).toBeNull();
  });
});
