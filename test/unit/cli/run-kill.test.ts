import 'fake-indexeddb/auto';
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../../src/cli/catalog';
import { runJobCommand } from '../../../src/cli/run';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import type { JobDefinition } from '../../../src/jobs/model';
import { loadBookmark } from '../../../src/jobs/store';
import { listNodeFolder } from '../../../src/sources/node-files';
import { writeFigures } from '../../support/figures';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

const repo = join(import.meta.dirname, '..', '..', '..');

function orders(from: number, n: number, regions: number): string {
  let text = 'id,region,amount\n';
  for (let i = from; i < from + n; i++) text += `${i},r${String(i % regions).padStart(3, '0')},${i % 13}\n`;
  return text;
}

async function nativeCount(location: string): Promise<number> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const folder = fileURLToPath(location).replace(/'/g, "''");
  const rows = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${folder}/**/*.parquet', hive_partitioning=true)`)).getRowObjectsJson();
  return Number(rows[0]!['n']);
}

describe('epoxy run killed (SIGKILL) while it writes a workspace target (issue 16 #2, #4)', () => {
  it('leaves the catalog file as it was (table, bookmark, runs) and the old output whole; the next run removes the half version and appends', async () => {
    const root = mkdtempSync(join(tmpdir(), 'epoxy-kill-'));
    const input = join(root, 'input');
    mkdirSync(input);
    const out = join(root, 'out');
    const catalogFile = join(root, 'catalog.json');
    const jobFile = join(root, 'job.json');
    const job: JobDefinition = {
      version: 1, name: 'orders_load', bookmark: 'job-bookmark-enable', parameters: [],
      nodes: [
        { id: 'orders', kind: 'source', source: { type: 'file', path: input, format: 'csv' } },
        { id: 'out', kind: 'target', inputs: ['orders'], target: { type: 'workspace', path: 'lake/orders', format: 'parquet', partitionBy: ['region'], database: 'lake', table: 'orders' } },
      ],
    };
    writeFileSync(jobFile, JSON.stringify(job));
    writeFileSync(join(input, 'day1.csv'), orders(0, 6000, 150));
    const first = await runJobCommand(engine, { jobFile, inputs: [`orders=${input}`], args: [], out, catalogFile });
    expect(first.result.state).toBe('SUCCEEDED');
    const saved = readFileSync(catalogFile, 'utf8');
    writeFileSync(join(input, 'day2.csv'), orders(6000, 3000, 150));

    // The same command in a child process, its file writes slowed down, killed once part of the new version is on disk.
    const base = join(out, 'lake/orders');
    const child = spawn(process.execPath, ['--import', join(repo, 'test/support/slow-writes.mjs'), join(repo, 'bin/epoxy.mjs'), 'run', jobFile, '--input', `orders=${input}`, '--out', out, '--catalog', catalogFile], { cwd: repo, env: { ...process.env, EPOXY_TEST_WRITE_DELAY_MS: '15' }, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const partial = join(base, '_epoxy_v2');
    const written = () => (existsSync(partial) ? readdirSync(partial, { recursive: true }).filter((p) => String(p).endsWith('.parquet')).length : 0);
    const until = Date.now() + 50_000;
    while (written() < 20) {
      if (Date.now() > until) throw new Error('the child run never started writing its output');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const filesAtKill = written();
    expect(existsSync(join(partial, '_SUCCESS'))).toBe(false);
    expect(filesAtKill).toBeLessThan(150);

    // What the kill left: the catalog file byte for byte, the old output whole, the half version unread.
    expect(readFileSync(catalogFile, 'utf8')).toBe(saved);
    const catalog = await loadCatalogFile(catalogFile);
    const location = (await catalog.getTable('lake', 'orders')).StorageDescriptor!.Location!;
    expect(location).toMatch(/_epoxy_v1$/);
    const runs = await catalog.getJobRuns('orders_load');
    expect(runs.map((r) => r.JobRunState)).toEqual(['SUCCEEDED']);
    expect((await loadBookmark(catalog, 'orders_load')).runId).toBe(runs[0]!.Id);
    catalog.close();
    const rowsAfterKill = await nativeCount(location);
    expect(rowsAfterKill).toBe(6000);
    expect(new Set((await listNodeFolder(base)).map((f) => f.path.split('/')[0]))).toEqual(new Set(['_epoxy_v1']));

    // The next run removes the orphan first, then appends the new file's rows.
    const next = await runJobCommand(engine, { jobFile, inputs: [`orders=${input}`], args: [], out, catalogFile });
    expect(next.result.state).toBe('SUCCEEDED');
    expect(next.result.rowsRead).toBe(3000);
    const after = await loadCatalogFile(catalogFile);
    const newLocation = (await after.getTable('lake', 'orders')).StorageDescriptor!.Location!;
    after.close();
    expect(readdirSync(base)).toEqual(['_epoxy_v3']);
    const rowsAfterRetry = await nativeCount(newLocation);
    expect(rowsAfterRetry).toBe(9000);
    writeFigures('i16-cli-sigkill-mid-write', { partitions: 150, filesOfNewVersionWrittenAtKill: filesAtKill, catalogFileUnchanged: true, rowsAfterKill, rowsAfterNextRun: rowsAfterRetry, foldersAfterNextRun: readdirSync(base) });
  });
});
