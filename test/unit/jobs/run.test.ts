import type { JobDefinition } from '../../../src/jobs/model';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { startJobRun } from '../../../src/jobs/runs';
import { loadBookmark, resetJobBookmark, rewindJobBookmark, saveJob } from '../../../src/jobs/store';
import { ordersFolder, ordersJob } from './fixtures';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });


describe('job runner', () => {
  it('runs a DAG, writes a partitioned Parquet target and reports per-node metrics', async () => {
    const f = ordersFolder();
    const result = await executeJob(ordersJob(f.dir), nodeJobEnv(serviceOf(engine), f.out));
    expect(result.error).toBeUndefined();
    expect(result.state).toBe('SUCCEEDED');
    expect(result.nodes.map((n) => [n.nodeId, n.rows])).toEqual([['orders', 4], ['mapped', 4], ['big', 3], ['flagged', 3], ['out', 3]]);
    expect(result.rowsRead).toBe(4);
    expect(result.rowsWritten).toBe(3);
    // The output is a version folder the catalog would name; its commit marker is written last.
    expect(readdirSync(join(f.out, 'lake/orders_clean'))).toEqual(['_epoxy_v1']);
    expect(readdirSync(join(f.out, 'lake/orders_clean/_epoxy_v1')).sort()).toEqual(['_SUCCESS', 'region=eu', 'region=us']);
    expect(result.schemas['flagged']!.map((c) => c.name)).toEqual(['order_id', 'region', 'amount', 'is_eu']);
  });

  it('substitutes parameters from run arguments', async () => {
    const f = ordersFolder();
    const result = await executeJob(ordersJob(f.dir), nodeJobEnv(serviceOf(engine), f.out), { arguments: { '--min_amount': '8' } });
    expect(result.nodes.find((n) => n.nodeId === 'big')!.rows).toBe(1);
  });

  it('fails at the node and column that does not fit, and drops its tables', async () => {
    const f = ordersFolder();
    const job = ordersJob(f.dir);
    const filter = job.nodes[2]!;
    if (filter.kind !== 'transform' || filter.step.kind !== 'Filter') throw new Error('fixture');
    filter.step.params = { predicate: { combine: 'and', conditions: [{ path: 'amountx', op: '>=', value: 1 }] } };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), f.out));
    expect(result.state).toBe('FAILED');
    expect(result.failedNode).toBe('big');
    expect(result.column).toBe('amountx');
    expect(result.nodes.find((n) => n.nodeId === 'big')!.state).toBe('FAILED');
    expect(engine.query("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__job%'").rows[0]![0]).toBe(0);
  });

  it('says a Workspace table is not open instead of DuckDB\'s "does not exist! Did you mean pg_constraint" (issue 15: scheduled runs after a reload)', async () => {
    const f = ordersFolder();
    const job: JobDefinition = { version: 1, name: 'tab', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'sales', kind: 'source', source: { type: 'table', name: 'sales_closed' } },
      { id: 'out', kind: 'target', inputs: ['sales'], target: { type: 'download', format: 'csv' } },
    ] };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), f.out));
    expect(result.state).toBe('FAILED');
    expect(result.error).toBe('sales: it reads the table sales_closed that was open in the Workspace, and no table sales_closed is open in this tab now (tables opened from files last until the tab closes): open the file again in the Workspace, or make this source a catalog table so it can run at any time');
    engine.query('CREATE OR REPLACE TABLE sales_closed AS SELECT 1 AS n', 0);
    expect((await executeJob(job, nodeJobEnv(serviceOf(engine), f.out))).state).toBe('SUCCEEDED');
  });

  it('stops when aborted', async () => {
    const f = ordersFolder();
    const controller = new AbortController();
    const result = await executeJob(ordersJob(f.dir), nodeJobEnv(serviceOf(engine), f.out), {
      signal: controller.signal,
      onNode: (id, m) => { if (id === 'mapped' && m) controller.abort(new Error('stop')); },
    });
    expect(result.state).toBe('STOPPED');
    expect(result.nodes.map((n) => n.nodeId)).toEqual(['orders', 'mapped']);
  });

  it('with bookmarks, a second run processes only new files; records runs and registers the output table', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-run' });
    const f = ordersFolder();
    await saveJob(catalog, ordersJob(f.dir));
    const env = nodeJobEnv(serviceOf(engine), f.out, { catalog });
    const first = await startJobRun(catalog, 'orders_daily', env);
    expect(first.run.JobRunState).toBe('SUCCEEDED');
    expect(first.result.nodes[0]!.files).toBe(1);
    const table = await catalog.getTable('lake', 'orders_clean');
    expect(table.PartitionKeys).toEqual([{ Name: 'region', Type: 'string' }]);
    expect(table.StorageDescriptor!.Columns!.map((c) => `${c.Name}:${c.Type}`)).toEqual(['order_id:bigint', 'amount:double', 'is_eu:boolean']);
    expect((await catalog.getPartitions('lake', 'orders_clean')).map((p) => p.Values)).toEqual([['eu'], ['us']]);
    f.addDay2();
    const second = await startJobRun(catalog, 'orders_daily', env);
    expect(second.result.nodes[0]!.files).toBe(1);
    expect(second.result.nodes[0]!.skippedFiles).toBe(1);
    expect(second.result.rowsRead).toBe(2);
    expect((await loadBookmark(catalog, 'orders_daily')).runId).toBe(second.run.Id);
    const runs = await catalog.getJobRuns('orders_daily');
    expect(runs.map((r) => r.JobRunState)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(runs[0]!.Epoxy!['rowsRead']).toBeDefined();
    const third = await startJobRun(catalog, 'orders_daily', env);
    expect(third.result.rowsRead).toBe(0);
    expect(third.result.state).toBe('SUCCEEDED');
    // Rewind to the state after the first run: day 2 is read again. Reset: everything is.
    await rewindJobBookmark(catalog, 'orders_daily', first.run.Id);
    expect((await startJobRun(catalog, 'orders_daily', env)).result.rowsRead).toBe(2);
    await resetJobBookmark(catalog, 'orders_daily');
    expect((await startJobRun(catalog, 'orders_daily', env)).result.rowsRead).toBe(6);
  });

  it('retries a failed run as new attempts up to MaxRetries', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-retry' });
    const f = ordersFolder();
    const job = { ...ordersJob(join(f.dir, 'missing')), maxRetries: 2 };
    await saveJob(catalog, job);
    const waits: number[] = [];
    const { run } = await startJobRun(catalog, job.name, nodeJobEnv(serviceOf(engine), f.out, { catalog }), { sleep: async (ms) => { waits.push(ms); }, random: () => 1 });
    expect(run.JobRunState).toBe('FAILED');
    expect(run.Attempt).toBe(2);
    // Exponential backoff between attempts (full jitter pinned to its maximum here).
    expect(waits).toEqual([1000, 2000]);
    expect(run.ErrorMessage).toMatch(/^orders: .*no such file/);
    const runs = await catalog.getJobRuns(job.name);
    expect(runs).toHaveLength(3);
    expect(runs.find((r) => r.Attempt === 1)!.PreviousRunId).toBe(runs.find((r) => r.Attempt === 0)!.Id);
  });

  it('does not retry a failure in the job itself (issue 15: a bad cast ran all 3 attempts in one second)', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-no-retry' });
    const f = ordersFolder();
    const base = ordersJob(f.dir);
    const job = { ...base, maxRetries: 2, nodes: base.nodes.map((n) => (n.kind === 'transform' && n.id === base.nodes.find((x) => x.kind === 'transform')!.id ? { ...n, step: { id: n.step.id, kind: 'Sql' as const, params: { sql: "SELECT CAST('abc' AS INTEGER) AS broken FROM input" } } } : n)) };
    await saveJob(catalog, job);
    const waits: number[] = [];
    const { run, result } = await startJobRun(catalog, job.name, nodeJobEnv(serviceOf(engine), f.out, { catalog }), { sleep: async (ms) => { waits.push(ms); } });
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toMatch(/Could not convert string 'abc'/);
    expect(await catalog.getJobRuns(job.name)).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(result.log.at(-1)!.message).toMatch(/^not retried: the failure is in the job itself/);
    // Recorded on the run, as the scheduler records it: the Jobs and Schedules views read this one field.
    expect(run.Epoxy?.['notRetried']).toBe(result.log.at(-1)!.message);
    expect((await catalog.getJobRuns(job.name))[0]!.Epoxy?.['notRetried']).toBe(result.log.at(-1)!.message);
  });
});

describe('catalog sources', () => {
  it('reads a partitioned catalog table from its location, partition values as string columns', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { pathToFileURL } = await import('node:url');
    const f = ordersFolder();
    const lake = join(f.dir, '..', 'lake');
    for (const region of ['eu', 'us']) {
      mkdirSync(join(lake, `region=${region}`), { recursive: true });
      writeFileSync(join(lake, `region=${region}`, 'part.csv'), `id,amount\n1,${region === 'eu' ? 5 : 7}\n2,1\n`);
    }
    writeFileSync(join(lake, '_SUCCESS'), '');
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-catalog-source' });
    await catalog.commit([
      { op: 'ensureDatabase', database: { Name: 'lake' } },
      { op: 'putTable', databaseName: 'lake', table: { Name: 'sales', StorageDescriptor: { Location: pathToFileURL(lake).href, Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'bigint' }] }, PartitionKeys: [{ Name: 'region', Type: 'string' }], Parameters: { classification: 'csv' } } },
    ]);
    const result = await executeJob({
      version: 1, name: 'from_catalog', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'sales', kind: 'source', source: { type: 'catalog', database: 'lake', table: 'sales' } },
        { id: 'totals', kind: 'transform', inputs: ['sales'], step: { id: 'a', kind: 'Aggregate', params: { groupBy: ['region'], aggregations: [{ fn: 'sum', path: 'amount', as: 'total' }] } } },
      ],
    }, nodeJobEnv(serviceOf(engine), f.out, { catalog }), { keepTables: true, prefix: '__cat_' });
    expect(result.error).toBeUndefined();
    expect(result.nodes[0]).toMatchObject({ rows: 4, files: 2 });
    expect(engine.query('SELECT region, total FROM "__cat_totals" ORDER BY region').rows).toEqual([['eu', 6], ['us', 8]]);
    expect(result.schemas['sales']!.find((c) => c.name === 'region')!.type).toEqual({ kind: 'primitive', name: 'string' });
  });
});

describe('scheduler runner', () => {
  it('runs one attempt for the executor, returns its state and metrics, and moves the bookmark on success', async () => {
    const { schedulerJobRunner } = await import('../../../src/jobs/runs');
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-scheduler' });
    const f = ordersFolder();
    await saveJob(catalog, ordersJob(f.dir));
    const run = schedulerJobRunner(catalog, nodeJobEnv(serviceOf(engine), f.out, { catalog }));
    const outcome = await run({ name: 'orders_daily', runId: 'jr_sched_1', arguments: {} }, new AbortController().signal);
    expect(outcome.state).toBe('SUCCEEDED');
    expect(outcome.metrics!['rowsWritten']).toBe(3);
    expect((await loadBookmark(catalog, 'orders_daily')).runId).toBe('jr_sched_1');
    const stopped = new AbortController();
    stopped.abort(new Error('stopped by the user'));
    expect((await run({ name: 'orders_daily', runId: 'jr_sched_2' }, stopped.signal)).state).toBe('STOPPED');
    const late = new AbortController();
    late.abort(new Error('timed out after 60 s'));
    expect((await run({ name: 'orders_daily', runId: 'jr_sched_3' }, late.signal)).state).toBe('TIMEOUT');
    expect((await loadBookmark(catalog, 'orders_daily')).runId).toBe('jr_sched_1');
  });
});

describe('concurrent runs', () => {
  it('refuses a run beyond MaxConcurrentRuns, and fails runs whose tab died instead of waiting for them forever', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'jobs-concurrency' });
    const f = ordersFolder();
    await saveJob(catalog, ordersJob(f.dir));
    const env = nodeJobEnv(serviceOf(engine), f.out, { catalog });
    const old = new Date(Date.now() - 3_600_000).toISOString();
    await catalog.commit([{ op: 'putJobRun', run: { Id: 'jr_dead', JobName: 'orders_daily', JobRunState: 'RUNNING', StartedOn: old, LastModifiedOn: old } }]);
    const { run } = await startJobRun(catalog, 'orders_daily', env);
    expect(run.JobRunState).toBe('SUCCEEDED');
    expect((await catalog.getJobRuns('orders_daily')).find((r) => r.Id === 'jr_dead')).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'the tab was closed while the run was in progress' });
    const fresh = new Date().toISOString();
    await catalog.commit([{ op: 'putJobRun', run: { Id: 'jr_live', JobName: 'orders_daily', JobRunState: 'RUNNING', StartedOn: fresh, LastModifiedOn: fresh } }]);
    await expect(startJobRun(catalog, 'orders_daily', env)).rejects.toThrow('ConcurrentRunsExceededException: orders_daily already has 1 run in progress (MaxConcurrentRuns 1)');
  });
});

describe('a job with nothing to read', () => {
  it('fails with a message instead of succeeding having done nothing (a scheduler could start it)', async () => {
    const result = await executeJob({ version: 1, name: 'empty', nodes: [], parameters: [], bookmark: 'job-bookmark-disable' }, nodeJobEnv(serviceOf(engine), '/tmp/epoxy-empty-out'));
    expect(result.state).toBe('FAILED');
    expect(result.error).toBe('Job empty has no source: add one before running it');
  });
});

describe('extra outputs as inputs (`<node>:<output>`, Glue Studio\'s SelectFromCollection)', () => {
  it('writes SplitRows\' rest through a node that reads split:rest, and names a missing output', async () => {
    const { mkdtempSync, writeFileSync: write } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join: joinPath } = await import('node:path');
    const { createNodeEngine: make } = await import('../../../src/engine/node');
    const { nodeJobEnv: env } = await import('../../../src/jobs/node-env');
    const { serviceOf: svc } = await import('../../support/service');
    const { executeJob: run } = await import('../../../src/jobs/run');
    const { validateDag: validate } = await import('../../../src/jobs/model');
    const dir = mkdtempSync(joinPath(tmpdir(), 'epoxy-extra-'));
    write(joinPath(dir, 'w.csv'), 'day,weather\n1,rain\n2,sun\n3,rain\n4,fog\n');
    const job = (input: string) => ({
      version: 1 as const, name: 'split', bookmark: 'job-bookmark-disable' as const, parameters: [],
      nodes: [
        { id: 'w', kind: 'source' as const, source: { type: 'file' as const, path: joinPath(dir, 'w.csv') } },
        { id: 'split', kind: 'transform' as const, inputs: ['w'], step: { id: 's', kind: 'SplitRows' as const, params: { predicate: { combine: 'and' as const, conditions: [{ path: 'weather', op: '=' as const, value: 'rain' }] } } } },
        { id: 'dry', kind: 'transform' as const, inputs: [input], step: { id: 'c', kind: 'SelectFields' as const, params: { paths: ['day'] } } },
        { id: 'out', kind: 'target' as const, inputs: ['dry'], target: { type: 'download' as const, name: 'dry', format: 'csv' as const } },
      ],
    });
    expect(validate(job('split:rest')).filter((m) => m.severity === 'error')).toEqual([]);
    expect(validate(job('w:rest')).map((m) => m.message)).toContain('Input w:rest: a source has no extra outputs');
    const engine = await make();
    const ok = await run(job('split:rest'), env(svc(engine), joinPath(dir, 'out')));
    expect(ok.state).toBe('SUCCEEDED');
    expect(ok.rowsWritten).toBe(2);
    const bad = await run(job('split:nope'), env(svc(engine), joinPath(dir, 'out2')));
    expect(bad.state).toBe('FAILED');
    expect(bad.error).toContain('input split:nope: split has no output nope (its extra outputs: rest)');
  });
});
