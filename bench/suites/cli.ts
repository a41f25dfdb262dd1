import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral, tableNameFromFile } from '../../src/engine/sql';
import type { JobDefinition } from '../../src/jobs/model';
import { nativeProcessArgs, rowsDifferFromNative, runProcess } from '../lib/native';
import type { BenchResult, Measurement } from '../lib/report';
import { anotherRun, median } from '../lib/stats';
import { compareParquet, transformSql } from './transform';

/** The small query of the CLI suite: a group-by a user would type at a shell. */
export function cliQuerySql(source: string): string {
  return `SELECT region, count(*) AS orders, round(sum(amount), 2) AS revenue FROM ${source} GROUP BY region ORDER BY region`;
}

/** The transform suite's job (CSV -> filter/aggregate -> Parquet) as a job file `epoxy run` takes. */
export function transformJob(): JobDefinition {
  return {
    version: 1,
    name: 'bench_transform',
    description: 'The bench transform: orders CSV -> filter/aggregate -> Parquet',
    parameters: [],
    bookmark: 'job-bookmark-disable',
    maxRetries: 0,
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: 'orders.csv', format: 'csv' } },
      { id: 'summary', kind: 'transform', inputs: ['orders'], step: { id: 'agg', kind: 'Sql', params: { sql: transformSql('input') } } },
      { id: 'out', kind: 'target', inputs: ['summary'], target: { type: 'workspace', path: 'summary', format: 'parquet' } },
    ],
  };
}

const m = (name: string, runsMs: number[], note?: string): Measurement => ({ name, medianMs: median(runsMs), runsMs, ...(note ? { note } : {}) });
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).map((f) => join(dir, f));
}

/** Options of the CLI suite. */
export interface CliOptions {
  dataDir: string;
  runs: number;
  /** The small CSV `epoxy query` reads. */
  smallCsv: string;
  /** The transform suite's CSV the job reads (1M rows in the full run), and its row count. */
  jobCsv: string;
  jobRows: number;
  /** Per contender: no further runs once its runs took this long (--quick); at least one always runs. */
  budgetMs?: number;
}

/**
 * The CLI as a user runs it, a fresh process per run: `epoxy query` on a small CSV and `epoxy run` of the bench
 * job, against a fresh native DuckDB Node process (threads=1) doing the same. Answers and outputs are checked
 * against native DuckDB's.
 */
export async function cliBench(o: CliOptions, log: (line: string) => void = () => {}): Promise<BenchResult[]> {
  // Each result reports its own checks.
  const problems = { query: [] as string[], run: [] as string[] };
  const conn = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const more = (i: number, times: number[]) => anotherRun(i, o.runs, sum(times), o.budgetMs);
  const epoxy = (args: string[], env: NodeJS.ProcessEnv = {}) => runProcess(process.execPath, ['bin/epoxy.mjs', ...args], { ...process.env, ...env });
  // For reference (not the goal's figure): the CLI on DuckDB-WASM, as it ran before native DuckDB, and on one thread.
  const referenceRuns = Math.min(o.runs, 3);
  const timed = async (args: string[], env: NodeJS.ProcessEnv) => {
    const runs: number[] = [];
    for (let i = 0; i < referenceRuns; i++) runs.push((await epoxy(args, env)).ms);
    return runs;
  };

  log('cli: epoxy query on a small CSV');
  const table = tableNameFromFile(basename(o.smallCsv));
  const querySql = cliQuerySql(quoteIdent(table));
  const queryRuns: number[] = [];
  for (let i = 0; more(i, queryRuns); i++) queryRuns.push((await epoxy(['query', o.smallCsv, '--sql', querySql])).ms);
  // The answer is checked once more with --json (the timed runs print the table a user reads).
  const json = JSON.parse((await epoxy(['query', o.smallCsv, '--sql', querySql, '--json'])).stdout) as Record<string, unknown>[];
  const reference = cliQuerySql(`read_csv(${quoteLiteral(o.smallCsv)})`);
  const q = await rowsDifferFromNative(conn, reference, json.map((r) => ['region', 'orders', 'revenue'].map((k) => r[k])));
  if (q.differing) problems.query.push(`epoxy query's answer differs from native DuckDB's in ${q.differing} rows`);
  const wasmQueryRuns = await timed(['query', o.smallCsv, '--sql', querySql], { EPOXY_ENGINE: 'wasm' });
  const nativeQueryRuns: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const { ms, stdout } = await runProcess(process.execPath, nativeProcessArgs(reference, 1));
    nativeQueryRuns.push(ms);
    if (i === 0 && (JSON.parse(stdout) as unknown[]).length !== q.expected) problems.query.push('the native process printed a different number of rows');
  }
  const querySmall: BenchResult = {
    suite: 'cli',
    title: `CLI: \`epoxy query\` on a small CSV (${(statSync(o.smallCsv).size / 1024).toFixed(0)} KB), fresh processes`,
    measures: `A fresh process per run, as a user types it: \`node bin/epoxy.mjs query ${basename(o.smallCsv)} --sql "${querySql}"\` (start-up, open, query, print the table), against a fresh native DuckDB Node process (@duckdb/node-api, threads=1) running the same SQL on read_csv and printing the rows.`,
    epoxy: 'epoxy query (fresh process)',
    peer: 'native DuckDB process, 1 thread',
    goalId: 'cli-query',
    measurements: [
      m('epoxy query (fresh process)', queryRuns, 'native DuckDB, every core'),
      m('native DuckDB process, 1 thread', nativeQueryRuns, 'node -e, includes Node start'),
      m('epoxy query, EPOXY_ENGINE=wasm', wasmQueryRuns, 'for reference: the CLI on DuckDB-WASM'),
    ],
    checked: '', // set below, once the native process has run too
    note: `the file is ${(statSync(o.smallCsv).size / 1024).toFixed(0)} KB: nearly all of the ${secs(median(queryRuns))} is process start-up (Node, the CLI's module graph, native DuckDB's worker thread loading its library), against ${secs(median(nativeQueryRuns))} for a native process; on DuckDB-WASM the CLI takes ${secs(median(wasmQueryRuns))}.`,
  };

  log(`cli: epoxy run of the transform job (${o.jobRows.toLocaleString('en-US')} rows)`);
  const jobFile = join(o.dataDir, 'cli_transform_job.json');
  writeFileSync(jobFile, JSON.stringify(transformJob(), null, 2));
  const outDir = join(o.dataDir, 'out_cli');
  const runRuns: number[] = [];
  for (let i = 0; more(i, runRuns); i++) {
    rmSync(outDir, { recursive: true, force: true });
    const { ms, stdout } = await epoxy(['run', jobFile, '--input', `orders=${o.jobCsv}`, '--out', outDir]);
    runRuns.push(ms);
    if (!stdout.startsWith('SUCCEEDED')) problems.run.push(`epoxy run did not succeed: ${stdout.split('\n')[0]}`);
  }
  const written = parquetFiles(outDir);
  const runArgs = ['run', jobFile, '--input', `orders=${o.jobCsv}`, '--out', join(o.dataDir, 'out_cli_reference')];
  const oneThreadRunRuns = await timed(runArgs, { EPOXY_THREADS: '1' });
  const wasmRunRuns = await timed(runArgs, { EPOXY_ENGINE: 'wasm' });
  const nativeOut = join(o.dataDir, 'out_cli_native.parquet');
  const nativeRunRuns: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    nativeRunRuns.push((await runProcess(process.execPath, nativeProcessArgs(`COPY (${transformSql(`read_csv(${quoteLiteral(o.jobCsv)})`)}) TO ${quoteLiteral(nativeOut)} (FORMAT parquet)`, 1))).ms);
  }
  let same = '';
  if (written.length !== 1) problems.run.push(`epoxy run wrote ${written.length} Parquet files under ${outDir}, expected 1`);
  else {
    try {
      same = await compareParquet({ native: nativeOut, epoxy_run: written[0]! }, 'native');
    } catch (err) {
      problems.run.push((err as Error).message);
    }
  }
  conn.closeSync();
  querySmall.checked = problems.query.length ? `FAILED: ${problems.query.join('; ')}` : `epoxy query's answer equals native DuckDB's (EXCEPT ALL both ways, ${q.expected} rows).`;
  const checked = problems.run.length ? `FAILED: ${problems.run.join('; ')}` : `epoxy run's Parquet equals native's: ${same}`;
  const runMs = median(runRuns);
  return [querySmall, {
    suite: 'cli',
    title: `CLI: \`epoxy run\` of the bench job, ${o.jobRows.toLocaleString('en-US')}-row CSV (${(statSync(o.jobCsv).size / 2 ** 20).toFixed(0)} MB) -> Parquet, fresh processes`,
    measures: `The transform suite's filter/aggregate as a job file (source CSV -> Sql step -> Parquet target; \`${basename(jobFile)}\` in bench/data), run as \`node bin/epoxy.mjs run ${basename(jobFile)} --input orders=CSV --out DIR\` in a fresh process per run, against a fresh native DuckDB Node process (threads=1) running \`COPY (<the same SQL over read_csv>) TO ... (FORMAT parquet)\`.`,
    epoxy: 'epoxy run (fresh process)',
    peer: 'native DuckDB process, 1 thread',
    goals: [{ id: 'cli-run', ...(o.jobRows === 1_000_000 ? {} : { at: `${o.jobRows.toLocaleString('en-US')} rows` }) }],
    measurements: [
      m('epoxy run (fresh process)', runRuns, 'native DuckDB, every core'),
      m('native DuckDB process, 1 thread', nativeRunRuns, 'node -e, includes Node start'),
      m('epoxy run, EPOXY_THREADS=1', oneThreadRunRuns, 'for reference: native DuckDB on one thread, as the peer'),
      m('epoxy run, EPOXY_ENGINE=wasm', wasmRunRuns, 'for reference: the CLI on DuckDB-WASM'),
    ],
    checked,
    note: `epoxy run takes ${secs(runMs)} (${secs(median(oneThreadRunRuns))} on one thread, ${secs(median(wasmRunRuns))} on DuckDB-WASM) against ${secs(median(nativeRunRuns))}; it includes the same start-up as \`epoxy query\` (${secs(median(queryRuns))} on a small CSV), the job's schema inference of the CSV and the run's bookkeeping.`,
  }];
}
