/**
 * The structure transforms on local Spark: each example, and edge cases the examples do not show (NULL groups,
 * NULL and empty arrays, maps, mixed types, names with spaces and dots, NULL conditions), exported with the
 * PySpark export and run in one Spark session; names, types and rows must be the tab's (order aside).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { exportSpark } from '../../../../src/jobs/export-spark';
import type { JobDefinition } from '../../../../src/jobs/model';
import { renderType } from '../../../../src/schema/types';
import { startSpark, type Spark } from '../../../support/spark';
import { engineOnce } from './shape-helpers';

let spark: Spark;
let engine: Engine;
const dir = mkdtempSync(join(tmpdir(), 'epoxy-shape-spark-'));
const ORDERS = join(dir, 'orders.json');
const COUNTS = join(dir, 'counts.parquet');

beforeAll(async () => {
  [spark, engine] = await Promise.all([startSpark(), engineOnce()]);
  writeFileSync(ORDERS, JSON.stringify([
    { id: 1, region: 'EU', 'product line': 'a', qty: 1, amount: 10.5, tags: ['x', 'y'], s: { 'a.b': { c: 1, d: 'p' }, e: 2 }, note: 'hi' },
    { id: 2, region: 'EU', 'product line': 'b', qty: 2, amount: null, tags: [], s: null, note: null },
    { id: 3, region: null, 'product line': 'a', qty: 3, amount: 1.25, tags: null, s: { 'a.b': null, e: null }, note: 'yo' },
    { id: 4, region: 'US', 'product line': 'c', qty: null, amount: 2.0, tags: ['z'], s: { 'a.b': { c: null, d: 'q' }, e: 5 }, note: '' },
  ]));
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`COPY (SELECT * FROM (VALUES (1, MAP {'x': 1}), (2, NULL), (3, MAP {'y': 2, 'z': 3}), (4, MAP {})) t(id, counts)) TO '${COUNTS}' (FORMAT parquet)`);
}, 180_000);
afterAll(async () => { await spark?.close(); rmSync(dir, { recursive: true, force: true }); });

const sortedJson = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

/** Run one step in the tab and as an exported PySpark job; both outputs (and the extras `read`) as names, types, rows. */
async function both(name: string, input: string, kind: string, params: unknown, read: string[] = []) {
  const format = input.endsWith('.csv') ? 'csv' : input.endsWith('.parquet') ? 'parquet' : 'json';
  const [opened] = await openFile(engine, input.split('/').pop()!, { kind: 'buffer', bytes: new Uint8Array(readFileSync(input)) });
  const step = { id: 'step', kind, params } as Step;
  const r = runFrame(engine, { input: opened!.table, steps: [step], sampleRows: null, namespace: `spark_${name}` });
  expect(r.failure).toBeNull();
  const out = r.steps[0]!;
  const outputs = [{ id: 'out', relation: out.relation, schema: out.schema }, ...read.map((x) => {
    const extra = out.extras.find((e) => e.name === x)!;
    return { id: `out_${x}`, relation: extra.relation, schema: extra.schema };
  })];
  const job: JobDefinition = {
    version: 1, name, bookmark: 'job-bookmark-disable', parameters: [],
    nodes: [
      { id: 'src', kind: 'source', source: { type: 'file', path: input } },
      { id: 'step', kind: 'transform', inputs: ['src'], step },
      ...outputs.map((o) => ({ id: o.id, kind: 'target' as const, inputs: [o.id === 'out' ? 'step' : `step:${o.id.slice(4)}`], target: { type: 'download' as const, name: o.id, format: 'parquet' as const } })),
    ],
  };
  const script = exportSpark(job, { sources: { src: { location: `file://${input}`, format } }, schemas: { src: r.input.schema, step: out.schema } });
  const base = join(dir, name);
  await spark.run(script, ['--input_src', input, '--output_base', base], `${name}.py`);
  const results = [];
  for (const o of outputs) {
    const got = await spark.sql('SELECT * FROM t', { t: { parquet: join(base, o.id) } });
    results.push({
      spark: { columns: got.columns.map((c) => `${c.name}:${c.type}`), rows: sortedJson(got.rows) },
      // Glue's type strings backquote a field name holding a dot (`a.b`); Spark's simpleString does not.
      tab: { columns: o.schema.map((f) => `${f.name}:${renderType(f.type).replace(/`/g, '')}`), rows: sortedJson(engine.query(`SELECT * FROM "${o.relation}"`).rows as unknown[][]) },
    });
  }
  return results;
}

async function expectSame(name: string, input: string, kind: string, params: unknown, read: string[] = []) {
  for (const { spark: s, tab } of await both(name, input, kind, params, read)) {
    expect(s.columns).toEqual(tab.columns);
    expect(s.rows.length).toBeGreaterThan(0);
    expect(s.rows).toEqual(tab.rows);
  }
}

describe('the structure transforms on Spark', { timeout: 180_000 }, () => {
  // The examples (router groups included) run in test/unit/jobs/spark-parity.test.ts with every kind's; here the edge cases.
  it('Pivot: NULL groups, a value no record holds, counts of rows, every other column as the group', async () => {
    await expectSame('pivot_sum', ORDERS, 'Pivot', { pivotColumn: '`product line`', values: ['a', 'b', 'zz'], aggFunction: 'sum', aggColumn: 'qty', groupBy: ['region'] });
    await expectSame('pivot_count', ORDERS, 'Pivot', { pivotColumn: '`product line`', values: ['a', 'c'], aggFunction: 'count', groupBy: ['region'] });
    await expectSame('pivot_avg', ORDERS, 'Pivot', { pivotColumn: 'qty', values: ['1', '3'], aggFunction: 'avg', aggColumn: 'amount', groupBy: [] });
  });

  it('Unpivot: integers and doubles as double, text and numbers as text, NULLs kept', async () => {
    await expectSame('unpivot_mixed', ORDERS, 'Unpivot', { columns: ['qty', 'amount', 'id'], namesColumn: 'k', valuesColumn: 'v' });
    await expectSame('unpivot_text', ORDERS, 'Unpivot', { columns: ['note', '`product line`'] });
  });

  it('Explode: NULL and empty arrays kept once with a position; a map into key and value', async () => {
    await expectSame('explode_outer', ORDERS, 'Explode', { column: 'tags', position: 'pos', outer: true });
    await expectSame('explode_map', COUNTS, 'Explode', { column: 'counts', keyColumn: 'k', valueColumn: 'counts', position: 'p', outer: true });
  });

  it('Flatten: a field name with a dot, NULL structs, one level with a separator', async () => {
    await expectSame('flatten_all', ORDERS, 'Flatten', {});
    await expectSame('flatten_one', ORDERS, 'Flatten', { maxLevels: 1, separator: '__' });
  });

  it('ConditionalRouter: a NULL condition is no match; a record in two groups is in both', async () => {
    await expectSame('router_nulls', ORDERS, 'ConditionalRouter', { groups: [
      { name: 'eu', predicate: { combine: 'and', conditions: [{ path: 'region', op: '=', value: 'EU' }] } },
      { name: 'big', predicate: { combine: 'or', conditions: [{ path: 'amount', op: '>', value: '2' }, { path: 's.e', op: '>=', value: '5' }] } },
    ] }, ['eu', 'big']);
  });
});
