import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogFile, runCatalogExport, runCatalogImport, saveCatalogFile } from '../../../src/cli/catalog';
import type { JobDefinition } from '../../../src/jobs/model';
import { toGlueJob } from '../../../src/jobs/store';
import { glueProblems } from '../../support/botocore';
import { FIXTURES, fixture } from '../catalog/fixtures';

const root = join(import.meta.dirname, '../../..');
const fresh = () => mkdtempSync(join(tmpdir(), 'epoxy-catalog-cli-'));

describe('epoxy catalog (functions)', () => {
  it('imports get-tables and batch-create-partition JSON into a new catalog file, then exports Glue files and DDL', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    const out = await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json'), join(FIXTURES, 'sales.orders.batch-create-partition.json')] });
    expect(out).toContain('1 database(s) created, 2 table(s) created');
    expect(JSON.parse(readFileSync(file, 'utf8')).Format).toBe('epoxy-glue-catalog');

    await runCatalogExport({ catalogFile: file, format: 'glue', out: join(dir, 'glue') });
    expect(readFileSync(join(dir, 'glue/tables/sales/orders.json'), 'utf8')).toBe(fixture('sales.orders.create-table.json'));
    expect(readFileSync(join(dir, 'glue/partitions/sales/orders.json'), 'utf8')).toBe(fixture('sales.orders.batch-create-partition.json'));
    const ddl = await runCatalogExport({ catalogFile: file, format: 'ddl', database: 'sales' });
    expect(ddl).toContain(fixture('sales.events.ddl.sql').trimEnd());
    expect(ddl).toContain(fixture('sales.orders.ddl.sql').trimEnd());
  });

  it('a second import updates tables, keeping versions in the file; the file round-trips unchanged', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json')] });
    const changed = JSON.parse(fixture('sales.events.create-table.json'));
    changed.TableInput.Description = 'Clickstream events';
    writeFileSync(join(dir, 'events.json'), JSON.stringify(changed));
    expect(await runCatalogImport({ catalogFile: file, inputs: [join(dir, 'events.json')] })).toContain('0 table(s) created, 1 updated, 0 unchanged');
    expect(await runCatalogImport({ catalogFile: file, inputs: [join(dir, 'events.json')] })).toContain('0 updated, 1 unchanged');
    const text = readFileSync(file, 'utf8');
    const versions = JSON.parse(text).History.TableVersions.find((v: { TableName: string }) => v.TableName === 'events').TableVersions;
    expect(versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(['1', '0']);
    expect(await runCatalogExport({ catalogFile: file, format: 'bundle' })).toBe(text.trimEnd());
  });

  it('refuses a bad document without touching the catalog file', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'sales.create-database.json')] });
    const before = readFileSync(file, 'utf8');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ TableInput: { Name: 'x', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'array<' }] } }, DatabaseName: 'sales' }));
    await expect(runCatalogImport({ catalogFile: file, inputs: [join(dir, 'bad.json')] })).rejects.toThrow(/column "a" has an invalid type/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await expect(runCatalogExport({ catalogFile: join(dir, 'none.json'), format: 'bundle' })).rejects.toThrow(/does not exist/);
  });
});

/** A catalog file with tables, a crawler of a local folder, a job reading a local CSV and a scheduled trigger. */
async function etlCatalogFile(dir: string): Promise<string> {
  const file = join(dir, 'etl.json');
  await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json')] });
  const catalog = await loadCatalogFile(file);
  const job: JobDefinition = {
    version: 1, name: 'daily', bookmark: 'job-bookmark-disable', parameters: [{ name: 'day', default: 'today' }],
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: '/home/me/data/orders.csv', format: 'csv' } },
      { id: 'out', kind: 'target', inputs: ['orders'], target: { type: 'workspace', path: 'daily', format: 'parquet' } },
    ],
  };
  await catalog.put('job', toGlueJob(job));
  await catalog.put('crawler', { Name: 'files', DatabaseName: 'sales', Targets: { EpoxyTargets: [{ Kind: 'path', Path: 'file:///home/me/data/' }] } });
  await catalog.put('trigger', { Name: 'morning', Type: 'SCHEDULED', Schedule: 'cron(0 6 * * ? *)', WorkflowName: 'daily_flow', Actions: [{ JobName: 'daily' }], Epoxy: { enabled: true } });
  await saveCatalogFile(catalog, file);
  catalog.close();
  return file;
}

// The folder a file is in names its aws glue command (README of the export): an independent reading of the layout.
const OPERATION: Record<string, string> = {
  databases: 'CreateDatabase', tables: 'CreateTable', partitions: 'BatchCreatePartition', connections: 'CreateConnection', classifiers: 'CreateClassifier',
  crawlers: 'CreateCrawler', jobs: 'CreateJob', workflows: 'CreateWorkflow', triggers: 'CreateTrigger',
};

describe('epoxy catalog export --format glue', () => {
  it('stops and names the flag when a job or crawler needs a role or the scripts an S3 folder', async () => {
    const dir = fresh();
    const file = await etlCatalogFile(dir);
    const out = join(dir, 'glue');
    await expect(runCatalogExport({ catalogFile: file, format: 'glue', out })).rejects.toThrow('--format glue needs --role ROLE_ARN: the IAM role Glue runs job daily, crawler files as (e.g. --role arn:aws:iam::123456789012:role/GlueETL)');
    await expect(runCatalogExport({ catalogFile: file, format: 'glue', out, role: 'arn:aws:iam::123456789012:role/GlueETL' })).rejects.toThrow('--format glue needs --script-location s3://BUCKET/PREFIX/');
    await expect(runCatalogExport({ catalogFile: file, format: 'glue', out, role: 'GlueETL', scriptLocation: '/tmp/scripts' })).rejects.toThrow('--script-location must be an S3 folder such as s3://my-bucket/prefix/, got "/tmp/scripts"');
    expect(existsSync(out)).toBe(false);
  });

  it('writes request files botocore accepts and each job\'s Glue script where ScriptLocation points', async () => {
    const dir = fresh();
    const file = await etlCatalogFile(dir);
    const out = join(dir, 'glue');
    const summary = await runCatalogExport({ catalogFile: file, format: 'glue', out, role: 'arn:aws:iam::123456789012:role/GlueETL', scriptLocation: 's3://acme-assets/scripts/', outputBase: 's3://acme-marts/' });
    const paths = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(out.length + 1)).sort();
    expect(paths).toEqual(['crawlers/files.json', 'databases/sales.json', 'jobs/daily.json', 'scripts/daily.py', 'tables/sales/events.json', 'tables/sales/orders.json', 'triggers/morning.json', 'workflows/daily_flow.json']);
    const requests = paths.filter((p) => p.endsWith('.json')).map((p) => ({ name: p, operation: OPERATION[p.split('/')[0]!]!, params: JSON.parse(readFileSync(join(out, p), 'utf8')) }));
    expect(glueProblems(requests)).toEqual([]);
    const job = JSON.parse(readFileSync(join(out, 'jobs/daily.json'), 'utf8'));
    expect(job.Command.ScriptLocation).toBe('s3://acme-assets/scripts/daily.py');
    expect(job.DefaultArguments).toMatchObject({ '--input_orders': 's3://REPLACE_ME/orders.csv', '--output_base': 's3://acme-marts', '--day': 'today', '--TempDir': 's3://acme-assets/temporary/' });
    expect(readFileSync(join(out, 'scripts/daily.py'), 'utf8')).toContain('getResolvedOptions(sys.argv, ["JOB_NAME", "input_orders", "output_base", "day"])');
    expect(JSON.parse(readFileSync(join(out, 'triggers/morning.json'), 'utf8')).StartOnCreation).toBe(true);
    expect(summary).toContain(`Upload the scripts first: aws s3 cp ${join(out, 'scripts')}/ s3://acme-assets/scripts/ --recursive`);
    expect(summary).toContain('  jobs/: create-job\n  workflows/: create-workflow\n  triggers/: create-trigger');
    expect(summary).toContain('jobs/daily.json: DefaultArguments["--input_orders"] is s3://REPLACE_ME/orders.csv: set it to the S3 path of /home/me/data/orders.csv, which the tab reads locally: upload it');
    expect(summary).toContain('crawlers/files.json: Targets.S3Targets Path is s3://REPLACE_ME/data/');
  });
});

describe('epoxy catalog export --format glue: job scripts', () => {
  const write = async (dir: string, job: JobDefinition): Promise<string> => {
    const file = join(dir, 'c.json');
    await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json')] });
    const catalog = await loadCatalogFile(file);
    await catalog.put('job', toGlueJob(job));
    await saveCatalogFile(catalog, file);
    catalog.close();
    return file;
  };
  const options = { format: 'glue' as const, role: 'GlueETL', scriptLocation: 's3://acme-assets/scripts/' };

  it('compiles the steps of a job over a catalog table against the table\'s columns', async () => {
    const dir = fresh();
    const file = await write(dir, { version: 1, name: 'big_orders', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'orders', kind: 'source', source: { type: 'catalog', database: 'sales', table: 'orders' } },
      { id: 'big', kind: 'transform', inputs: ['orders'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>', value: '100' }] } } } },
      { id: 'out', kind: 'target', inputs: ['big'], target: { type: 'download', name: 'big', format: 'csv' } },
    ] });
    await runCatalogExport({ catalogFile: file, out: join(dir, 'glue'), ...options });
    const script = readFileSync(join(dir, 'glue/scripts/big_orders.py'), 'utf8');
    expect(script).toContain('"`order_id` bigint, `customer` string, `amount` decimal(10,2), `ordered_at` timestamp_ntz, `year` string, `month` string", "orders")');
    expect(script).toContain('big = orders.where(');
  });

  it('stops naming the job and node when a step reads a file whose schema only a run knows', async () => {
    const dir = fresh();
    const file = await write(dir, { version: 1, name: 'local', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: '/home/me/orders.csv', format: 'csv' } },
      { id: 'big', kind: 'transform', inputs: ['orders'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>', value: '100' }] } } } },
    ] });
    const out = join(dir, 'glue');
    await expect(runCatalogExport({ catalogFile: file, out, ...options })).rejects.toThrow('job local: its Glue script cannot be exported (big: the schema of orders is not known yet; run or preview the job once, then export); nothing was written. The catalog export knows the schemas of catalog tables only: run the job with epoxy run JOB.json --export-glue FILE, or preview it in Epoxy and download its script from the job\'s Export panel');
    expect(existsSync(out)).toBe(false);
  });
});

describe('epoxy catalog (the real command)', () => {
  it('runs import and export through bin/epoxy.mjs', () => {
    const dir = fresh();
    const file = join(dir, 'c.json');
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/epoxy.mjs'), 'catalog', ...args], { encoding: 'utf8', cwd: root });
    const imported = run('import', '--catalog', file, join(FIXTURES, 'get-tables.sales.json'));
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(existsSync(file)).toBe(true);
    const ddl = run('export', '--catalog', file, '--format', 'ddl');
    expect(ddl.status).toBe(0);
    expect(ddl.stdout).toContain('CREATE EXTERNAL TABLE `sales`.`orders`');
    const bad = run('export', '--catalog', file, '--format', 'xml');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--format must be bundle, glue or ddl');
    const misplaced = run('export', '--catalog', file, '--format', 'ddl', '--role', 'GlueETL');
    expect([misplaced.status, misplaced.stderr.trim()]).toEqual([1, 'epoxy catalog: --role applies to --format glue only']);
  });
});
