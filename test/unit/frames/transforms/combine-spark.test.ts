/**
 * Intersect, Except, Lookup, Limit and OrderBy on local Spark: each example (and hand-made edge cases: NULLs,
 * names with spaces and dots, duplicate lookup keys, widening types) runs in the tab and as its plain PySpark
 * export, and both outputs are read back with native DuckDB: the same names, types and rows (EXCEPT ALL both
 * ways), and for the kinds that keep or make an order (Limit, OrderBy, Lookup), the same order.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../../src/engine/node';
import type { Engine } from '../../../../src/engine/engine';
import { exportSourcesOf } from '../../../../src/jobs/export-duckdb';
import { exportSpark } from '../../../../src/jobs/export-spark';
import { nodeJobEnv } from '../../../../src/jobs/node-env';
import { executeJob } from '../../../../src/jobs/run';
import { exampleJob } from '../../../support/examples';
import { serviceOf } from '../../../support/service';
import { startSpark, type Spark } from '../../../support/spark';
import { EDGE_CASES } from './combine-helpers';

const KINDS = ['Intersect', 'Except', 'Lookup', 'Limit', 'OrderBy'] as const;
const ORDERED = new Set(['Limit', 'OrderBy', 'Lookup']);
let spark: Spark;
let engine: Engine;
let conn: DuckDBConnection;
const dir = mkdtempSync(join(tmpdir(), 'epoxy-combine-spark-'));
beforeAll(async () => {
  [spark, engine] = await Promise.all([startSpark(), createNodeEngine()]);
  conn = await (await DuckDBInstance.create(':memory:')).connect();
}, 180_000);
afterAll(async () => { await spark?.close(); rmSync(dir, { recursive: true, force: true }); });

const parquetUnder = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(e.parentPath, e.name)).sort();
const read = (files: string[]) => `read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`;
const all = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const count = async (sql: string) => Number((await all(`SELECT count(*) AS n FROM (${sql})`))[0]!['n']);

describe('the set and ordering kinds on Spark compute what the tab computes', { timeout: 240_000 }, () => {
  for (const kind of KINDS) {
    // The examples run in test/unit/jobs/spark-parity.test.ts with every kind's; here the edge cases.
    const cases = EDGE_CASES[kind]!;
    cases.forEach((e, i) => {
      it(`${kind}: ${e.title}`, async () => {
        const { job } = exampleJob(kind, e, i);
        const out = join(dir, `${kind}_${i}`);
        const tab = await executeJob(job, nodeJobEnv(serviceOf(engine), join(out, 'tab')));
        expect(tab.error).toBeUndefined();
        const script = exportSpark(job, { sources: await exportSourcesOf(job), schemas: tab.schemas });
        await spark.run(script, ['--output_base', join(out, 'spark')]);
        const t = read(parquetUnder(join(out, 'tab')));
        const s = read(parquetUnder(join(out, 'spark')));
        const columns = async (r: string) => (await all(`DESCRIBE SELECT * FROM ${r}`)).map((c) => `${String(c['column_name'])} ${String(c['column_type'])}`);
        expect(await columns(s)).toEqual(await columns(t));
        expect(await count(`SELECT * FROM ${s}`)).toBe(tab.rowsWritten);
        expect(await count(`SELECT * FROM ${t} EXCEPT ALL SELECT * FROM ${s}`)).toBe(0);
        expect(await count(`SELECT * FROM ${s} EXCEPT ALL SELECT * FROM ${t}`)).toBe(0);
        if (ORDERED.has(kind)) {
          const numbered = (r: string) => `SELECT row_number() OVER () AS i, CAST(x AS VARCHAR) AS v FROM ${r} AS x`;
          expect(await count(`SELECT * FROM (${numbered(t)}) a FULL JOIN (${numbered(s)}) b USING (i) WHERE a.v IS DISTINCT FROM b.v`)).toBe(0);
        }
      });
    });
  }
});
