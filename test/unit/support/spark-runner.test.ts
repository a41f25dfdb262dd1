import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkError, startSpark, type Spark } from '../../support/spark';

let spark: Spark;
const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-runner-'));

beforeAll(async () => { spark = await startSpark(); }, 180_000);
afterAll(async () => { await spark?.close(); rmSync(dir, { recursive: true, force: true }); });

// Generous: a shared machine slows Spark down many times over.
describe('the Spark test runner', { timeout: 180_000 }, () => {
  // Spark's TIMESTAMP is an instant: its Parquet is UTC-adjusted, which DuckDB reads as TIMESTAMPTZ; TIMESTAMP_NTZ
  // is DuckDB's TIMESTAMP. The exports must write the NTZ type where the tab has a plain TIMESTAMP.
  it('runs a script in the running session with sys.argv; its Parquet reads back in native DuckDB', async () => {
    const out = join(dir, 'out');
    const script = [
      'import sys',
      'from pyspark.sql import SparkSession',
      'spark = SparkSession.builder.getOrCreate()',
      'print("args", sys.argv[1:])',
      'df = spark.sql("SELECT id, CAST(id * 1.5 AS DOUBLE) AS x, TIMESTAMP\'2024-03-01 12:00:00\' AS ts, TIMESTAMP_NTZ\'2024-03-01 12:00:00\' AS ntz FROM range(3)")',
      'df.write.mode("overwrite").parquet(sys.argv[2])',
      'spark.stop()',
    ].join('\n');
    const { stdout } = await spark.run(script, ['--output', out]);
    expect(stdout).toBe("args ['--output', '" + out + "']\n");
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await conn.runAndReadAll(`SELECT id, x, CAST(ts AS VARCHAR) AS ts, typeof(ts) AS t, CAST(ntz AS VARCHAR) AS ntz, typeof(ntz) AS n FROM read_parquet('${out}/*.parquet') ORDER BY id`);
    expect(reader.getRowObjectsJson()).toEqual([
      { id: '0', x: 0, ts: '2024-03-01 12:00:00+00', t: 'TIMESTAMP WITH TIME ZONE', ntz: '2024-03-01 12:00:00', n: 'TIMESTAMP' },
      { id: '1', x: 1.5, ts: '2024-03-01 12:00:00+00', t: 'TIMESTAMP WITH TIME ZONE', ntz: '2024-03-01 12:00:00', n: 'TIMESTAMP' },
      { id: '2', x: 3, ts: '2024-03-01 12:00:00+00', t: 'TIMESTAMP WITH TIME ZONE', ntz: '2024-03-01 12:00:00', n: 'TIMESTAMP' },
    ]);
    // spark.stop() in the script left the session running for the next one.
    expect((await spark.sql('SELECT 1 AS one')).rows).toEqual([[1]]);
  });

  it('rejects a script that raises with its Python traceback and what it printed', async () => {
    const script = 'print("before")\ndef f():\n    raise ValueError("no such column: zz")\nf()\n';
    const err = await spark.run(script, [], 'job.py').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SparkError);
    const e = err as SparkError;
    expect(e.message).toContain('job.py failed in Spark: ValueError: no such column: zz');
    expect(e.traceback).toMatch(/File "job\.py", line 3, in f/);
    expect(e.stdout).toBe('before\n');
  });

  it('reports an exit status: sys.exit(0) is success, sys.exit(2) a failure', async () => {
    await expect(spark.run('import sys\nsys.exit(0)\n')).resolves.toEqual({ stdout: '', stderr: '' });
    await expect(spark.run('import sys\nsys.exit(2)\n')).rejects.toThrow(/SystemExit: 2/);
  });

  it('runs SQL over tables given as rows under a DDL schema, in UTC, dropping the views afterwards', async () => {
    const r = await spark.sql('SELECT a, d, ts, CAST(ts AS STRING) AS s, amount FROM t ORDER BY a', {
      t: { schema: 'a INT, d DATE, ts TIMESTAMP, amount DECIMAL(10,2)', rows: [[2, '2024-01-31', '2024-01-31 23:30:00', '1.50'], [1, null, null, null]] },
    });
    expect(r.columns).toEqual([
      { name: 'a', type: 'int' }, { name: 'd', type: 'date' }, { name: 'ts', type: 'timestamp' },
      { name: 's', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' },
    ]);
    expect(r.rows).toEqual([[1, null, null, null, null], [2, '2024-01-31', '2024-01-31 23:30:00', '2024-01-31 23:30:00', '1.50']]);
    await expect(spark.sql('SELECT * FROM t')).rejects.toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
    // JSON has no Infinity or NaN; the runner carries them.
    expect((await spark.sql("SELECT CAST('Infinity' AS DOUBLE) AS i, CAST('-Infinity' AS DOUBLE) AS m, CAST('NaN' AS DOUBLE) AS n")).rows).toEqual([[Infinity, -Infinity, NaN]]);
  });

  it('reads a Parquet table', async () => {
    const out = join(dir, 'p');
    await spark.run(`spark.range(4).selectExpr("id", "id % 2 AS odd").write.parquet(${JSON.stringify(out)})`.replace(/^/, 'from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\n'));
    const r = await spark.sql('SELECT odd, count(*) AS n FROM p GROUP BY odd ORDER BY odd', { p: { parquet: out } });
    expect(r.rows).toEqual([[0, 2], [1, 2]]);
  });
  // The files share one Spark (test/support/spark-broker.ts): what one file's session sets must not reach another's.
  it('gives each file a session of its own in the one Spark: its own time zone, settings and views', async () => {
    const other = await startSpark({ conf: { 'spark.sql.session.timeZone': 'America/New_York' } });
    try {
      expect(other.version).toBe(spark.version);
      expect((await other.sql('SELECT current_timezone() AS tz')).rows).toEqual([['America/New_York']]);
      expect((await spark.sql('SELECT current_timezone() AS tz')).rows).toEqual([['UTC']]);
      // A script's getOrCreate() is its file's session: a setting it makes stays there.
      await other.run('from pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate().conf.set("spark.sql.shuffle.partitions", "7")');
      expect((await other.sql("SELECT '${spark.sql.shuffle.partitions}' AS p")).rows).toEqual([['7']]);
      expect((await spark.sql("SELECT '${spark.sql.shuffle.partitions}' AS p")).rows).toEqual([['2']]);
    } finally {
      await other.close();
    }
    await expect(other.sql('SELECT 1')).rejects.toThrow(/closed/);
    expect((await spark.sql('SELECT 1 AS one')).rows).toEqual([[1]]);
  });
});
