// Where an `epoxy query`/`epoxy run` process spends its time (issue 21), against a fresh native DuckDB process
// (@duckdb/node-api, threads=1) doing the same SQL, alternating runs, with the load average. Not a bench suite
// (bench/suites/cli.ts is): a probe to find what dominates.
//   node bench/cli-startup.mjs [--runs N] [--csv FILE] [--job-csv FILE]    (wall, CPU and peak RSS per process)
//   node bench/cli-startup.mjs --phases [--patched]                        (one process: each phase of DuckDB-WASM's start)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, csv: { type: 'string' }, 'job-csv': { type: 'string' }, phases: { type: 'boolean', default: false }, patched: { type: 'boolean', default: false } } });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

if (values.phases) {
  // Phase by phase, as createNodeEngine starts DuckDB-WASM. --patched loads the glue the CLI bundle runs.
  const require = createRequire(import.meta.url);
  const { setFlagsFromString } = await import('node:v8');
  if (process.env.EPOXY_V8_FLAGS !== 'none') for (const f of ['--wasm-tiering-budget=100000000', '--wasm-lazy-validation']) setFlagsFromString(f);
  const out = { 'process start -> script': Math.round(performance.now()) };
  let t = performance.now(), c = cpuMs();
  const mark = (name) => { out[name] = `${Math.round(performance.now() - t)} ms / ${Math.round(cpuMs() - c)} cpu`; t = performance.now(); c = cpuMs(); };
  require('apache-arrow'); mark('require apache-arrow');
  const { readFileSync } = await import('node:fs');
  const manifest = existsSync(join(root, 'dist-cli/manifest.json')) ? JSON.parse(readFileSync(join(root, 'dist-cli/manifest.json'), 'utf8')) : null;
  const patched = manifest && join(root, manifest.entry, '..', 'duckdb-node-blocking.cjs');
  if (values.patched && !(patched && existsSync(patched))) throw new Error('no patched glue: run node scripts/cli-bundle.mjs first');
  const duck = require(values.patched ? patched : '@duckdb/duckdb-wasm/blocking'); mark('require duckdb-wasm');
  const dist = (f) => require.resolve(`@duckdb/duckdb-wasm/dist/${f}`);
  const instantiate = WebAssembly.instantiate;
  let wasm = '';
  WebAssembly.instantiate = async (...a) => { const t0 = performance.now(), c0 = cpuMs(); const r = await instantiate(...a); wasm = `${Math.round(performance.now() - t0)} ms / ${Math.round(cpuMs() - c0)} cpu`; return r; };
  const db = await duck.createDuckDB({ mvp: { mainModule: dist('duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: dist('duckdb-eh.wasm'), mainWorker: '' } }, new duck.VoidLogger(), duck.NODE_RUNTIME); mark('createDuckDB');
  await db.instantiate(() => {}); mark('instantiate (all)');
  out['  of which WebAssembly.instantiate (compile)'] = wasm;
  db.open({ query: { castBigIntToDouble: false } }); mark('db.open');
  const conn = db.connect(); mark('connect');
  const csv = values.csv ?? join(mkdtempSync(join(tmpdir(), 'epoxy-phases-')), 's.csv');
  if (!values.csv) writeFileSync(csv, 'a,b\n' + Array.from({ length: 1000 }, (_, i) => `${i},x${i}`).join('\n'));
  conn.query(`SELECT count(*) FROM read_csv('${csv}')`); mark('first query (1,000-row CSV)');
  conn.query(`SELECT count(*) FROM read_csv('${csv}')`); mark('same query again');
  out['total'] = `${Math.round(performance.now())} ms / ${Math.round(cpuMs())} cpu`;
  out['rss'] = `${Math.round(process.memoryUsage().rss / 1e6)} MB`;
  console.log(JSON.stringify(out, null, 1));
  process.exit(0);
}

/** Wall ms, CPU ms and peak RSS of one child process, through GNU time when it is there. */
function measure(args, env = {}) {
  const time = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = spawnSync(time ? '/usr/bin/time' : process.execPath, time ? ['-f', '__time %U %S %M', process.execPath, ...args] : args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /__time (\S+) (\S+) (\d+)/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMB: m ? Number(m[3]) / 1024 : NaN };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'epoxy-cli-startup-'));
const csv = values.csv ?? join(dir, 's.csv');
if (!values.csv) writeFileSync(csv, 'a,b,c\n' + Array.from({ length: 1000 }, (_, i) => `${i},x${i},${i * 1.5}`).join('\n') + '\n');
const table = csv.split('/').pop().replace(/\.[^.]*$/, '');
const native = join(dir, 'native.mjs');
writeFileSync(native, `import { DuckDBInstance } from ${JSON.stringify(createRequire(join(root, 'package.json')).resolve('@duckdb/node-api'))};
const conn = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
await conn.run(process.argv[2]);`);
const agg = (src) => `SELECT region, product, count(*) AS orders, sum(quantity) AS units, round(sum(amount), 2) AS revenue, round(avg(discount), 4) AS avg_discount FROM ${src} WHERE amount > 50 AND shipped GROUP BY region, product ORDER BY region, product`;

const contenders = {
  'node -e 0 (Node alone)': () => measure(['-e', '0']),
  'native DuckDB process: count(*) of the CSV': () => measure([native, `SELECT count(*) FROM read_csv('${csv}')`]),
  'epoxy --help (bundle, no engine)': () => measure(['bin/epoxy.mjs', '--help']),
  'epoxy query (bundle)': () => measure(['bin/epoxy.mjs', 'query', csv, '--sql', `select count(*) from ${table}`]),
  'epoxy query (EPOXY_CLI=tsx)': () => measure(['bin/epoxy.mjs', 'query', csv, '--sql', `select count(*) from ${table}`], { EPOXY_CLI: 'tsx' }),
};
if (values['job-csv']) {
  const job = join(dir, 'job.json');
  writeFileSync(job, JSON.stringify({ version: 1, name: 'orders_summary', parameters: [], bookmark: 'job-bookmark-disable', nodes: [
    { id: 'orders', kind: 'source', source: { type: 'file', path: 'orders.csv', format: 'csv' } },
    { id: 'summary', kind: 'transform', inputs: ['orders'], step: { id: 'summary', kind: 'Sql', params: { sql: agg('input') } } },
    { id: 'out', kind: 'target', inputs: ['summary'], target: { type: 'workspace', path: 'summary', format: 'parquet' } },
  ] }));
  contenders['native DuckDB process: COPY (transform) TO parquet'] = () => measure([native, `COPY (${agg(`read_csv('${values['job-csv']}')`)}) TO '${join(dir, 'native.parquet')}' (FORMAT parquet)`]);
  contenders['epoxy run (bundle)'] = () => measure(['bin/epoxy.mjs', 'run', job, '--input', `orders=${values['job-csv']}`, '--out', join(dir, 'out')]);
}

execFileSync(process.execPath, ['bin/epoxy.mjs', '--help'], { cwd: root, stdio: 'ignore' }); // builds the bundle if stale
const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
const loads = [];
for (let i = 0; i < runs; i++) {
  for (const [name, run] of Object.entries(contenders)) results[name].push(run());
  loads.push(loadavg()[0]);
}
console.log(`${runs} alternating runs; load average (1 min) during them: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
console.log('| process | wall median (ms) | CPU median (ms) | peak RSS (MB) |\n|---|---|---|---|');
for (const [name, rs] of Object.entries(results)) {
  console.log(`| ${name} | ${Math.round(median(rs.map((r) => r.wall)))} | ${Math.round(median(rs.map((r) => r.cpu)))} | ${Math.round(median(rs.map((r) => r.rssMB)))} |`);
}
