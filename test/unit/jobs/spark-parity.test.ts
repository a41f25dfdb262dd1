// Every transform kind's examples run in the tab and on local Spark (the PySpark export) with the same output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { TRANSFORMS } from '../../../src/frames/transforms';
import { allExampleJobs, exampleJob } from '../../support/examples';
import { startSpark, type Spark } from '../../support/spark';
import { expectSparkParity, expectSparkRefusal } from '../../support/spark-parity';

let engine: Engine;
let spark: Spark;
beforeAll(async () => {
  [engine, spark] = await Promise.all([createNodeEngine(), startSpark()]);
}, 180_000);
afterAll(async () => { await spark?.close(); });

const ONLY = process.env['EPOXY_PARITY_KINDS']?.split(',');

/** Examples Spark cannot compute the same way: the export refuses them, naming the construct (documented in the kind's docs). */
const REFUSED: Record<string, RegExp> = {
  'ResolveChoice: movie titles split by type': /make_cols on Title: plain Spark has no choice type/,
};

describe('Spark parity of every transform kind\'s examples', () => {
  it('gives every kind a Spark compile (the PySpark and Glue exports share it)', () => {
    expect(TRANSFORMS.filter((d) => !('spark' in d) || typeof d.spark !== 'function').map((d) => d.kind)).toEqual([]);
  });

  for (const ex of allExampleJobs()) {
    if (ONLY && !ONLY.includes(ex.kind)) continue;
    it(`${ex.kind}: ${ex.title}`, async () => {
      const refused = REFUSED[`${ex.kind}: ${ex.title}`];
      if (refused) {
        await expectSparkRefusal(engine, ex.job, ex.files, 'step', refused);
        return;
      }
      const counts = await expectSparkParity(spark, engine, ex.job, { sources: ex.files, extras: ['step'] });
      expect(counts['out']).toBeGreaterThan(0);
    }, 180_000);
  }
});

// Small inputs with the cases the examples do not reach: NULLs, nested structs, ties, roundings, clashing names.
const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-cases-'));
const file = (name: string, lines: unknown[]) => { const p = join(dir, name); writeFileSync(p, lines.map((l) => JSON.stringify(l)).join('\n') + '\n'); return p; };
const people = file('people.json', [
  { id: 1, name: 'ann', score: 1.5, tags: ['a', 'b'], addr: { city: 'Oslo', zip: '0150', geo: { lat: 59.9 } }, n: '12', tie: 'b', dup: 'x', csv: '1;a;2020-01-02', stamp: '2020-01-02 03:04:05', orders: [{ sku: 'p', qty: [1, 2] }] },
  { id: 2, name: 'bob', score: 2.5, tags: [], addr: null, n: 'x7', tie: 'a', dup: 'x', csv: '2;;bad', orders: [] },
  { id: 3, name: null, score: null, tags: null, addr: { city: null, zip: '9', geo: null }, n: null, tie: 'a', dup: 'y', csv: null, orders: null },
  { id: 4, name: 'ann', score: -2.5, tags: ['c'], addr: { city: 'Bergen', zip: '5003', geo: { lat: 60.4 } }, n: ' 2.5 ', tie: 'b', dup: 'y', csv: 'x;b', orders: [{ sku: 'q', qty: [] }, { sku: null, qty: [3] }] },
  { id: 5, name: 'dan', score: 3.5, tags: ['a', null], addr: { city: 'Oslo', zip: null, geo: { lat: 58 } }, n: '8', tie: null, dup: 'x', csv: '5;e;2021-12-31;extra', orders: [{ sku: 'r', qty: null }] },
]);
const nulls = file('nulls.json', [{ a: 1, gone: null, b: 'x' }, { a: 2, gone: null, b: null }]);
const right = file('right.json', [{ id: 1, name: 'one', extra: true }, { id: 4, name: 'four', extra: false }, { id: 9, name: 'nine', extra: null }]);
const texts = file('texts.json', [{ id: 'x1', name: 'text id' }, { id: '10', name: null }]);
const more = file('more.json', [{ id: 6.5, name: 'eve', only_here: 'yes' }, { id: 7, name: null, only_here: null }]);

interface Case { kind: string; title: string; params: unknown; input?: string; other?: string; refused?: RegExp; extras?: boolean }
const CASES: Case[] = [
  { kind: 'SelectFields', title: 'a nested pick keeps its struct, NULL where the parent is NULL', params: { paths: ['id', 'addr.city', 'addr.geo.lat'] } },
  { kind: 'DropFields', title: 'a nested field dropped', params: { paths: ['addr.zip', 'tags', 'orders'] } },
  { kind: 'RenameField', title: 'a nested field moved to the top', params: { from: 'addr.city', to: 'city' } },
  { kind: 'RenameField', title: 'a struct renamed in place', params: { from: 'addr', to: 'address' } },
  { kind: 'ApplyMapping', title: 'doubles rounded half to even, text half away from zero, bad text an error record', params: { mappings: [{ source: 'id', target: 'id', targetType: 'bigint' }, { source: 'score', target: 'score_int', targetType: 'int' }, { source: 'n', target: 'out.n', targetType: 'int' }, { source: 'addr.geo.lat', target: 'lat', targetType: 'decimal(5,1)' }] } },
  { kind: 'ApplyMapping', title: 'text cast to a timestamp without a time zone', params: { mappings: [{ source: 'id', target: 'id', targetType: 'int' }, { source: 'stamp', target: 'at', targetType: 'timestamp' }] } },
  { kind: 'ApplyMapping', title: 'a double cast to string is refused', params: { mappings: [{ source: 'score', target: 'score', targetType: 'string' }] }, refused: /double cast to string: Spark writes such numbers as text differently/ },
  { kind: 'Filter', title: 'a nested number compared as a number', params: { predicate: { combine: 'or', conditions: [{ path: 'addr.geo.lat', op: '>', value: '59' }, { path: 'id', op: 'in', value: '2, 3' }] } } },
  { kind: 'Filter', title: 'a struct compared as text is refused', params: { predicate: { combine: 'and', conditions: [{ path: 'addr', op: 'contains', value: 'Oslo' }] } }, refused: /DuckDB's text of the value/ },
  { kind: 'Derived', title: 'a typed column whose bad values are error records', params: { name: 'n_int', sql: 'n', type: 'int' } },
  { kind: 'Aggregate', title: 'NULL groups, nested columns, sums of doubles and integers', params: { groupBy: ['name'], aggregations: [{ fn: 'count' }, { fn: 'count', path: 'score' }, { fn: 'sum', path: 'score' }, { fn: 'sum', path: 'id' }, { fn: 'avg', path: 'id' }, { fn: 'min', path: 'addr.city' }, { fn: 'max', path: 'addr.geo.lat', as: 'north' }, { fn: 'count_distinct', path: 'dup' }] } },
  { kind: 'Aggregate', title: 'no groups', params: { groupBy: [], aggregations: [{ fn: 'count' }, { fn: 'max', path: 'name' }] } },
  { kind: 'FillMissingValues', title: 'the median (exact, interpolated)', params: { path: 'score', strategy: 'median' } },
  { kind: 'FillMissingValues', title: 'the mode, ties to the value met first', params: { path: 'tie', strategy: 'mode', output: 'tie_filled' } },
  { kind: 'FillMissingValues', title: 'a constant cast to the column type', params: { path: 'name', strategy: 'constant', value: 'nobody' } },
  { kind: 'DropNullFields', title: 'a column null in every record dropped', params: {}, input: nulls },
  { kind: 'DropDuplicates', title: 'the first record of each key in input order', params: { paths: ['dup'] } },
  { kind: 'DropDuplicates', title: 'a nested key', params: { paths: ['addr.city'] } },
  { kind: 'Join', title: 'full join: the shared key once, a clashing right column as right_<name>', params: { right: '', leftKeys: ['id'], rightKeys: ['id'], how: 'full' }, other: right },
  { kind: 'Join', title: 'left join on a nested key', params: { right: '', leftKeys: ['addr.zip'], rightKeys: ['name'], how: 'left' }, other: right },
  { kind: 'Union', title: 'numbers widened, missing columns NULL', params: { other: '' }, input: right, other: more },
  { kind: 'Union', title: 'types that disagree become a choice, written as string in both', params: { other: '' }, input: right, other: texts },
  { kind: 'Unnest', title: 'structs flattened with a separator', params: { separator: '_' } },
  { kind: 'Relationalize', title: 'arrays of structs holding arrays become grandchild tables', params: { rootName: 'people' }, extras: true },
  { kind: 'Unbox', title: 'CSV into a typed struct (bad values are error records, missing parts NULL)', params: { path: 'csv', format: 'csv', delimiter: ';', type: 'struct<k:int,v:string,d:date>' } },
  { kind: 'Unbox', title: 'JSON is refused (DuckDB\'s cast is not from_json)', params: { path: 'csv', format: 'json', type: 'struct<a:int>' }, refused: /Unbox json of csv/ },
  { kind: 'SplitFields', title: 'nested fields apart from the rest', params: { paths: ['id', 'addr.geo'] }, extras: true },
  { kind: 'SplitRows', title: 'NULLs go to the rest', params: { predicate: { combine: 'and', conditions: [{ path: 'score', op: '>=', value: '2' }] } }, extras: true },
  { kind: 'Spigot', title: 'the first two records as the sample', params: { topk: 2 }, extras: true },
  { kind: 'Spigot', title: 'a prob sample is refused', params: { prob: 0.5 }, refused: /Spigot with prob/ },
  { kind: 'ResolveChoice', title: 'make_struct is refused', params: { specs: [{ path: 'Title', action: 'make_struct' }] }, input: 'node_modules/vega-datasets/data/movies.json', refused: /make_struct on Title/ },
  { kind: 'ResolveChoice', title: 'every choice column projected', params: { choice: 'project:string' }, input: 'node_modules/vega-datasets/data/movies.json' },
];

describe('Spark parity on hand-made inputs', () => {
  for (const c of CASES) {
    if (ONLY && !ONLY.includes(c.kind)) continue;
    it(`${c.kind}: ${c.title}`, async () => {
      const ex = exampleJob(c.kind, { title: c.title, input: c.input ?? people, ...(c.other ? { other: c.other } : {}), params: c.params });
      if (c.refused) { await expectSparkRefusal(engine, ex.job, ex.files, 'step', c.refused); return; }
      const counts = await expectSparkParity(spark, engine, ex.job, { sources: ex.files, extras: c.extras ? ['step'] : [] });
      expect(counts['out']).toBeGreaterThan(0);
    }, 180_000);
  }
});
