// How long a transform preview takes on a 1M-row input: each step re-run on the 10,000-row sample,
// then one column profile. Run: npx tsx bench/frames-preview.ts
import { createNodeEngine } from '../src/engine/node';
import { profileColumn } from '../src/frames/profile';
import { runFrame } from '../src/frames/run';
import type { Step } from '../src/frames/steps';

const engine = await createNodeEngine();
let t = performance.now();
engine.query(`CREATE TABLE big AS SELECT i AS id, ['Oslo','Lima','Pune'][i % 3 + 1] AS city, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 0.5 END AS temp,
  {'zip': CAST(i % 1000 AS VARCHAR), 'n': i % 7} AS addr FROM range(1000000) t(i)`, 0);
console.log(`create 1M rows: ${(performance.now() - t).toFixed(0)} ms`);

const steps: Step[] = [
  { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'city', op: '!=', value: 'Oslo' }] } } },
  { id: 'm', kind: 'ApplyMapping', params: { mappings: [{ source: 'id', target: 'id', targetType: 'bigint' }, { source: 'addr.zip', target: 'zip', targetType: 'int' }, { source: 'temp', target: 'temp', targetType: 'decimal(6,1)' }] } },
  { id: 'd', kind: 'Derived', params: { name: 'hot', sql: 'temp > 100', type: 'boolean' } },
  { id: 'a', kind: 'Aggregate', params: { groupBy: ['hot'], aggregations: [{ fn: 'count' }, { fn: 'avg', path: 'temp' }] } },
];
for (let n = 1; n <= steps.length; n++) {
  t = performance.now();
  const r = runFrame(engine, { input: 'big', steps: steps.slice(0, n), sampleRows: 10_000, namespace: 'bench' });
  const last = r.steps.at(-1)!;
  engine.page(last.relation, 0, 200);
  const runMs = performance.now() - t;
  t = performance.now();
  profileColumn(engine, last.relation, last.schema[0]!);
  console.log(`preview after ${n} step(s) on a 10,000-row sample of 1M: ${runMs.toFixed(0)} ms; one column profile ${(performance.now() - t).toFixed(0)} ms`);
}
t = performance.now();
const full = runFrame(engine, { input: 'big', steps, sampleRows: null, namespace: 'full' });
console.log(`all ${steps.length} steps on the full 1M rows: ${(performance.now() - t).toFixed(0)} ms (failure: ${full.failure?.message ?? 'none'})`);
t = performance.now();
for (const f of full.input.schema) profileColumn(engine, full.input.relation, f);
console.log(`profile of all ${full.input.schema.length} input columns on the full 1M rows: ${(performance.now() - t).toFixed(0)} ms`);
