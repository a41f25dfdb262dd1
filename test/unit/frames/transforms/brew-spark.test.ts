import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../../src/engine/node';
import { exportSpark } from '../../../../src/jobs/export-spark';
import { nodeJobEnv } from '../../../../src/jobs/node-env';
import { executeJob } from '../../../../src/jobs/run';
import { serviceOf } from '../../../support/service';
import { examplesJob } from './brew-jobs';

const out = mkdtempSync(join(tmpdir(), 'epoxy-brew-spark-'));
const { job, targets, sources } = examplesJob();
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;

beforeAll(async () => {
  const engine = await createNodeEngine();
  const result = await executeJob(job, nodeJobEnv(serviceOf(engine), join(out, 'tab')));
  expect(result.error).toBeUndefined();
  const script = exportSpark(job, { sources, schemas: result.schemas });
  writeFileSync(join(out, 'job.py'), script);
  const run = spawnSync('python3', [join(out, 'job.py'), '--output_base', join(out, 'spark')], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`the exported script failed:\n${run.stderr.split('\n').filter((l) => !/WARN|^\s*$/.test(l)).slice(-20).join('\n')}`);
  conn = await (await DuckDBInstance.create(':memory:')).connect();
}, 360_000);

async function rowsOf(sql: string): Promise<string[]> {
  return (await conn.runAndReadAll(sql)).getRowsJson().map((r) => JSON.stringify(r));
}

describe('the DataBrew kinds on Apache Spark (the exported PySpark script, local Spark)', () => {
  it.each(targets)('$title: the same columns, types and rows as the tab', async ({ path }) => {
    const tab = `read_parquet('${join(out, 'tab', path)}/**/*.parquet')`;
    const spark = `read_parquet('${join(out, 'spark', path)}/**/*.parquet')`;
    const cols = (rel: string) => rowsOf(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${rel})`);
    expect(await cols(spark)).toEqual(await cols(tab));
    expect((await rowsOf(`SELECT count(*) FROM ${tab}`))[0]).not.toBe('["0"]');
    expect(await rowsOf(`SELECT * FROM ${tab} EXCEPT ALL SELECT * FROM ${spark}`)).toEqual([]);
    expect(await rowsOf(`SELECT * FROM ${spark} EXCEPT ALL SELECT * FROM ${tab}`)).toEqual([]);
  });
});
