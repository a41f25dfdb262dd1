import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../../src/engine/node';
import { exportSpark } from '../../../../src/jobs/export-spark';
import { nodeJobEnv } from '../../../../src/jobs/node-env';
import { executeJob } from '../../../../src/jobs/run';
import { serviceOf } from '../../../support/service';
import { startSpark, type Spark } from '../../../support/spark';
import { examplesJob } from './brew-jobs';

const out = mkdtempSync(join(tmpdir(), 'epoxy-brew-spark-'));
// The examples run in test/unit/jobs/spark-parity.test.ts with every kind's; here the edge cases.
const { job, targets, sources } = examplesJob(false);
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
let spark: Spark | undefined;

beforeAll(async () => {
  const started = startSpark();
  const engine = await createNodeEngine();
  const result = await executeJob(job, nodeJobEnv(serviceOf(engine), join(out, 'tab')));
  expect(result.error).toBeUndefined();
  const script = exportSpark(job, { sources, schemas: result.schemas });
  spark = await started;
  await spark.run(script, ['--output_base', join(out, 'spark')], 'brew_examples.py');
  conn = await (await DuckDBInstance.create(':memory:')).connect();
}, 360_000);

afterAll(async () => { await spark?.close(); });

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
