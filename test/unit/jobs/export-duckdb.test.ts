import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { exportDuckDbSql, exportFolders } from '../../../src/jobs/export-duckdb';
import { jobFromSteps } from '../../../src/jobs/from-steps';
import { t } from '../../../src/schema/types';
import type { JobDefinition, WriteMode } from '../../../src/jobs/model';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { ordersFolder, ordersJob } from './fixtures';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

/** Rows of a query on native DuckDB as JSON text, sorted, so two outputs compare row for row. */
async function nativeRows(sql: string): Promise<string[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson().map((r) => JSON.stringify(r)).sort();
}

async function runNative(script: string): Promise<void> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(script);
}

describe('DuckDB SQL export', () => {
  it('reproduces the job on native DuckDB: same rows as the in-browser engine wrote', async () => {
    const f = ordersFolder();
    f.addDay2();
    const job = ordersJob(f.dir);
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), join(f.out, 'wasm')));
    expect(result.state).toBe('SUCCEEDED');
    const script = exportDuckDbSql(job, { sources: { orders: { location: f.dir, format: 'csv' } }, schemas: result.schemas, outDir: join(f.out, 'native') });
    expect(script).toContain('CREATE OR REPLACE TABLE "big" AS');
    for (const d of exportFolders(job, join(f.out, 'native'))) mkdirSync(d, { recursive: true });
    await runNative(script);
    const cols = 'order_id, amount, is_eu, region';
    const wasm = await nativeRows(`SELECT ${cols} FROM read_parquet('${join(f.out, 'wasm/lake/orders_clean')}/**/*.parquet', hive_partitioning=true)`);
    const native = await nativeRows(`SELECT ${cols} FROM read_parquet('${join(f.out, 'native/lake/orders_clean')}/**/*.parquet', hive_partitioning=true)`);
    expect(wasm).toHaveLength(5);
    expect(native).toEqual(wasm);
  });

  it('joins, aggregates and writes CSV with the same result natively', async () => {
    const f = ordersFolder();
    const regions = join(f.dir, '..', 'regions.csv');
    writeFileSync(regions, 'code,name\neu,Europe\nus,United States\napac,Asia Pacific\n');
    const job: JobDefinition = {
      version: 1, name: 'by_region', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'orders', kind: 'source', source: { type: 'file', path: f.dir, format: 'csv' } },
        { id: 'regions', kind: 'source', source: { type: 'file', path: regions } },
        { id: 'joined', kind: 'transform', inputs: ['orders', 'regions'], step: { id: 'j', kind: 'Join', params: { right: '', leftKeys: ['region'], rightKeys: ['code'], how: 'left' } } },
        { id: 'totals', kind: 'transform', inputs: ['joined'], step: { id: 'a', kind: 'Aggregate', params: { groupBy: ['name'], aggregations: [{ fn: 'sum', path: 'amount', as: 'total' }, { fn: 'count', as: 'n' }] } } },
        { id: 'report', kind: 'target', inputs: ['totals'], target: { type: 'download', name: 'report', format: 'csv' } },
      ],
    };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), join(f.out, 'wasm')));
    expect(result.error).toBeUndefined();
    const script = exportDuckDbSql(job, { sources: { orders: { location: f.dir, format: 'csv' }, regions: { location: regions, format: 'csv' } }, schemas: result.schemas, outDir: join(f.out, 'native') });
    for (const d of exportFolders(job, join(f.out, 'native'))) mkdirSync(d, { recursive: true });
    await runNative(script);
    const wasm = await nativeRows(`SELECT * FROM read_csv('${join(f.out, 'wasm/report/part-00000.csv')}')`);
    const native = await nativeRows(`SELECT * FROM read_csv('${join(f.out, 'native/report.csv')}')`);
    expect(wasm).toHaveLength(3);
    expect(native).toEqual(wasm);
  });

  it('reads a browser-tab table from a file natively, even when the node is named like the table (issue 15: a VIEW hint broke CREATE OR REPLACE TABLE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-export-tab-'));
    writeFileSync(join(dir, 'sales.csv'), 'region,amount\neu,5\nus,7\neu,3\n');
    // Save as job names the source node after its table: the case that failed natively.
    const def = jobFromSteps('tab_job', 'sales', [{ id: 'totals', kind: 'Aggregate', params: { groupBy: ['region'], aggregations: [{ fn: 'sum', path: 'amount', as: 'total' }] } }]);
    def.nodes = def.nodes.map((n) => (n.kind === 'target' ? { ...n, target: { type: 'download', format: 'csv', name: 'out' } } : n));
    expect(def.nodes[0]!.id).toBe('sales');
    const schemas = { sales: [{ name: 'region', type: t.string }, { name: 'amount', type: t.bigint }] };
    const sql = exportDuckDbSql(def, { sources: {}, schemas, inputDir: dir, outDir: dir });
    expect(sql).toContain(`put its data at ${dir}/sales.csv`);
    expect(sql).not.toContain('CREATE VIEW');
    await runNative(sql);
    expect(await nativeRows(`SELECT * FROM read_csv('${join(dir, 'out.csv')}') ORDER BY region`)).toEqual(['{"region":"eu","total":"8"}', '{"region":"us","total":"7"}']);
  });

  it('keeps a description or label with a carriage return inside its comment (issue 17 review: "\\r" ended the -- comment, so a shared job ran SQL of its own natively)', async () => {
    const f = ordersFolder();
    const base = ordersJob(f.dir);
    const result = await executeJob(base, nodeJobEnv(serviceOf(engine), join(f.out, 'wasm')));
    const evil = "x\rCREATE TABLE pwned AS SELECT 1;\u2028CREATE TABLE pwned2 AS SELECT 2;";
    const job: JobDefinition = { ...base, description: evil, nodes: base.nodes.map((n) => (n.kind === 'transform' ? { ...n, label: evil } : n)) };
    const script = exportDuckDbSql(job, { sources: { orders: { location: f.dir, format: 'csv' } }, schemas: result.schemas, outDir: join(f.out, 'native') });
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    for (const d of exportFolders(job, join(f.out, 'native'))) mkdirSync(d, { recursive: true });
    await conn.run(script);
    expect((await conn.runAndReadAll("SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name LIKE 'pwned%'")).getRowObjectsJson()).toEqual([{ n: 0 }]);
  });

  it('says which schema is missing when the job has not run', () => {
    expect(() => exportDuckDbSql(ordersJob('/x'), { sources: { orders: { location: '/x', format: 'csv' } }, schemas: {} })).toThrow('mapped: the schema of orders is not known yet');
  });
});

describe('write modes in the DuckDB SQL export (issue 16 #3)', () => {
  /** A job over a folder of CSVs writing Parquet partitioned by region in the given mode. */
  function modeJob(input: string, mode: WriteMode): JobDefinition {
    return {
      version: 1, name: `mode_${mode.replace('-', '_')}`, bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'orders', kind: 'source', source: { type: 'file', path: input, format: 'csv' } },
        { id: 'out', kind: 'target', inputs: ['orders'], target: { type: 'workspace', path: 'lake/orders', format: 'parquet', partitionBy: ['region'], mode } },
      ],
    };
  }

  const runs = [
    'id,region,amount\n1,eu,10\n2,us,20\n3,apac,30\n4,eu,40\n',
    'id,region,amount\n5,eu,50\n6,latam,60\n',
  ];
  const expected: Record<WriteMode, number[]> = { overwrite: [5, 6], append: [1, 2, 3, 4, 5, 6], 'overwrite-partitions': [2, 3, 5, 6] };

  for (const mode of ['overwrite', 'append', 'overwrite-partitions'] as WriteMode[]) {
    it(`${mode}: two runs of the script on native DuckDB leave the rows two runs leave in the tab`, async () => {
      const root = mkdtempSync(join(tmpdir(), `epoxy-export-${mode}-`));
      const wasmOut = join(root, 'wasm');
      const nativeOut = join(root, 'native');
      const scripts: string[] = [];
      for (const [i, csv] of runs.entries()) {
        const input = join(root, `in${i}`);
        mkdirSync(input);
        writeFileSync(join(input, 'orders.csv'), csv);
        const job = modeJob(input, mode);
        const result = await executeJob(job, nodeJobEnv(serviceOf(engine), wasmOut));
        expect(result.error).toBeUndefined();
        const script = exportDuckDbSql(job, { sources: { orders: { location: input, format: 'csv' } }, schemas: result.schemas, outDir: nativeOut });
        scripts.push(script);
        for (const d of exportFolders(job, nativeOut)) mkdirSync(d, { recursive: true });
        await runNative(script);
      }
      const ids = async (folder: string) => (await nativeRows(`SELECT id FROM read_parquet('${folder}/**/*.parquet', hive_partitioning=true) ORDER BY id`)).map((r) => Number(JSON.parse(r).id)).sort((a, b) => a - b);
      const wasm = await ids(join(wasmOut, 'lake/orders'));
      expect(wasm).toEqual(expected[mode]);
      expect(await ids(join(nativeOut, 'lake/orders'))).toEqual(wasm);
      const copy = scripts[1]!.split('\n').filter((l) => l.startsWith('COPY')).at(-1)!;
      if (mode === 'append') expect(copy).toContain('APPEND true');
      else expect(copy).toContain('OVERWRITE true');
      if (mode === 'overwrite-partitions') expect(scripts[1]).toContain('UNION ALL BY NAME SELECT * FROM "orders") TO');
    });
  }

  it('appends by default when the job bookmark is enabled, and never reuses a file name', async () => {
    const job = { ...modeJob('/x', 'append'), bookmark: 'job-bookmark-enable' as const };
    delete (job.nodes[1] as { target: { mode?: WriteMode } }).target.mode;
    const sql = exportDuckDbSql(job, { sources: { orders: { location: '/x', format: 'csv' } }, schemas: {} });
    expect(sql).toContain('-- out: workspace target (append)');
    expect(sql).toContain("COPY (SELECT * FROM \"orders\") TO 'out/lake/orders' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (\"region\"), APPEND true);");
  });
});
