import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSpark, type Spark } from '../../support/spark';

// Its own file: only tests that need Avro pay for resolving spark-avro.
let spark: Spark;
const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-avro-'));

beforeAll(async () => { spark = await startSpark({ avro: true }); }, 240_000);
afterAll(async () => { await spark?.close(); rmSync(dir, { recursive: true, force: true }); });

it('writes Avro (uncompressed: Spark defaults to snappy, which avsc lacks) with spark-avro that avsc reads back, and reads it again in Spark', async () => {
  const out = join(dir, 'out');
  await spark.run([
    'import sys',
    'from pyspark.sql import SparkSession',
    'spark = SparkSession.builder.getOrCreate()',
    'spark.sql("SELECT id, CAST(id AS STRING) AS name FROM range(3)").coalesce(1).write.format("avro").option("compression", "uncompressed").save(sys.argv[1])',
  ].join('\n'), [out]);
  const file = readdirSync(out).find((f) => f.endsWith('.avro'))!;
  const records: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const decoder = new avro.streams.BlockDecoder();
    decoder.on('data', (r: unknown) => records.push(r)).on('end', () => resolve()).on('error', reject);
    decoder.end(readFileSync(join(out, file)));
  });
  expect(records.map((r) => ({ ...(r as object) }))).toEqual([{ id: 0, name: '0' }, { id: 1, name: '1' }, { id: 2, name: '2' }]);
  const back = await spark.run(`from pyspark.sql import SparkSession\nprint(SparkSession.builder.getOrCreate().read.format("avro").load(${JSON.stringify(out)}).count())`);
  expect(back.stdout).toBe('3\n');
}, 180_000);

// Here because this file's Spark is its own (spark-avro's packages start another JVM): crashing it harms no other file.
it('fails loudly, naming the exit, when Spark\'s python process dies under a request, and for every request after it', async () => {
  const err = await spark.run('import os\nos._exit(7)\n', [], 'crash.py').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toMatch(/crash\.py failed in Spark: .*\n?.*Spark's python process ended \(exit 7\)/s);
  await expect(spark.sql('SELECT 1')).rejects.toThrow(/Spark's python process ended \(exit 7\)/);
}, 60_000);
