import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJobCommand } from '../../../src/cli/run';
import { loadCatalogFile } from '../../../src/cli/catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { ordersFolder, ordersJob } from '../jobs/fixtures';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

describe('epoxy run', () => {
  it('runs a job file with --input and --arg, writing targets under --out', async () => {
    const f = ordersFolder();
    const jobFile = join(f.out, '..', 'job.json');
    writeFileSync(jobFile, JSON.stringify(ordersJob('dropped://lake/orders')));
    const lines: string[] = [];
    const { result, text } = await runJobCommand(engine, { jobFile, inputs: [`orders=${f.dir}`], args: ['min_amount=5'], out: f.out, onLog: (l) => lines.push(l) });
    expect(result.state).toBe('SUCCEEDED');
    expect(result.rowsWritten).toBe(2);
    expect(text).toMatch(/^SUCCEEDED in \d+ ms · 4 rows read · 2 rows written/);
    expect(text).toContain('big');
    expect(readdirSync(join(f.out, 'lake/orders_clean'))).toEqual(['_epoxy_v1']);
    expect(readdirSync(join(f.out, 'lake/orders_clean/_epoxy_v1')).sort()).toEqual(['_SUCCESS', 'region=eu']);
    expect(lines.some((l) => l.startsWith('[orders] read 4 rows'))).toBe(true);
  });

  it('writes the job as DuckDB SQL and PySpark after the run, reading the --input paths', async () => {
    const f = ordersFolder();
    const jobFile = join(f.out, '..', 'job.json');
    // Without the ApplyMapping: the Spark export refuses a kind it cannot compile yet, and this test is about the flags.
    const job = ordersJob('dropped://lake/orders');
    job.nodes = job.nodes.filter((n) => n.id !== 'mapped').map((n) => (n.id === 'big' ? { ...n, inputs: ['orders'] } : n)) as typeof job.nodes;
    writeFileSync(jobFile, JSON.stringify(job));
    const sql = join(f.out, '..', 'job.sql');
    const spark = join(f.out, '..', 'job.py');
    const { result, text } = await runJobCommand(engine, { jobFile, inputs: [`orders=${f.dir}`], args: ['min_amount=5'], out: f.out, exports: { sql, spark } });
    expect(result.state).toBe('SUCCEEDED');
    expect(text).toContain(`wrote ${sql}`);
    const script = readFileSync(sql, 'utf8');
    expect(script).toContain(`read_csv('${f.dir}/**/*.csv'`);
    expect(script).toContain('CREATE OR REPLACE TABLE "big" AS');
    expect(text).toContain(`wrote ${spark}`);
    expect(readFileSync(spark, 'utf8')).toContain('parser.add_argument("--input_orders"');
    execFileSync(process.env['EPOXY_PYTHON'] ?? 'python3', ['-m', 'py_compile', spark], { stdio: 'pipe' });
  });

  it('keeps bookmarks, runs and the output table in a catalog file', async () => {
    const f = ordersFolder();
    const jobFile = join(f.out, '..', 'job.json');
    const catalogFile = join(f.out, '..', 'catalog.json');
    writeFileSync(jobFile, JSON.stringify(ordersJob(f.dir)));
    // The job file's own path is read only when given as --input (issue 14: the CLI reads only what it is handed).
    await runJobCommand(engine, { jobFile, inputs: [`orders=${f.dir}`], args: [], out: f.out, catalogFile });
    f.addDay2();
    const { result } = await runJobCommand(engine, { jobFile, inputs: [`orders=${f.dir}`], args: [], out: f.out, catalogFile });
    expect(result.nodes[0]).toMatchObject({ files: 1, skippedFiles: 1, rows: 2 });
    expect(existsSync(catalogFile)).toBe(true);
    const catalog = await loadCatalogFile(catalogFile);
    expect((await catalog.getJobRuns('orders_daily')).length).toBe(2);
    expect((await catalog.getTable('lake', 'orders_clean')).StorageDescriptor!.Location).toMatch(/^file:\/\/.*\/lake\/orders_clean\/_epoxy_v2$/);
  });

  it('names the sources when --input points at a node that is not one', async () => {
    const f = ordersFolder();
    const jobFile = join(f.out, '..', 'job.json');
    writeFileSync(jobFile, JSON.stringify(ordersJob(f.dir)));
    await expect(runJobCommand(engine, { jobFile, inputs: ['big=/x'], args: [], out: f.out })).rejects.toThrow('the job has no source node big (sources: orders)');
  });

  it('asks for --input when a source reads a table that was open in the browser tab', async () => {
    const f = ordersFolder();
    const jobFile = join(f.out, '..', 'job.json');
    const def = ordersJob(f.dir);
    def.nodes = def.nodes.map((n) => (n.kind === 'source' ? { ...n, source: { type: 'table' as const, name: 'sales' } } : n));
    writeFileSync(jobFile, JSON.stringify(def));
    await expect(runJobCommand(engine, { jobFile, inputs: [], args: [], out: f.out })).rejects.toThrow('source node orders reads the table sales that was open in the browser tab; give it a file or folder: --input orders=PATH');
  });
});
