import { existsSync, mkdirSync, renameSync, statfsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createNodeEngine } from '../../src/engine/node';
import { quoteIdent, quoteLiteral, tableNameFromFile } from '../../src/engine/sql';
import type { BenchPage } from '../lib/bench-page';
import type { BrowserBench } from '../lib/browser';
import { nativeProcessArgs, rowsDifferFromNative, runProcess } from '../lib/native';
import { chromiumProcesses, peakMB, resetPeak, rssMB, sampleTotal, timeVerbose } from '../lib/procmem';
import type { BenchResult, Measurement } from '../lib/report';
import { anotherRun, median, timeRuns } from '../lib/stats';
import { transformSql } from './transform';

/** vega-datasets' 3,000,000-row flights file (13 MB; date, delay, distance, origin, destination), the issue's Parquet file. */
export const FLIGHTS_PARQUET = 'node_modules/vega-datasets/data/flights-3m.parquet';

/** The suite's group-by: one aggregate per origin airport (avg rounded so that summation order cannot differ). */
export function flightsGroupBySql(source: string): string {
  return `SELECT origin, count(*) AS flights, round(avg(delay), 4) AS avg_delay FROM ${source} GROUP BY origin`;
}

const m = (name: string, runsMs: number[], note?: string): Measurement => ({ name, medianMs: median(runsMs), runsMs, ...(note ? { note } : {}) });
const mbOf = (name: string, value: number, note?: string): Measurement => ({ name, medianMs: value, runsMs: [value], unit: 'MB', ...(note ? { note } : {}) });
const valueOf = (ms: Measurement[], name: string) => ms.find((x) => x.name === name)?.medianMs ?? NaN;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Options of the parquet suite's flights part. */
export interface ParquetOptions {
  runs: number;
  /** The Parquet file (default flights-3m.parquet; the smoke test gives a tiny file of the same columns). */
  file?: string;
  /** The built app in chromium; without it only Node is measured. */
  app?: BrowserBench;
  /** Per contender: no further runs once its runs took this long (--quick); at least one always runs. */
  budgetMs?: number;
}

/** A small Parquet file with flights-3m's columns (deterministic), for the harness's smoke test. */
export async function flightsLikeParquet(dir: string, rows: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `flights_like_${rows}.parquet`);
  if (existsSync(path)) return path;
  const conn = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  await conn.run(`COPY (SELECT TIMESTAMP '2001-01-01' + to_seconds((hash(i, 1) % 31536000)::BIGINT) AS date, (hash(i, 2) % 120)::BIGINT - 20 AS delay,
    (100 + hash(i, 3) % 2000)::BIGINT AS distance, (['SFO','LAX','JFK','ORD','SEA'])[1 + (hash(i, 4) % 5)::INTEGER] AS origin,
    (['SFO','LAX','JFK','ORD','SEA'])[1 + (hash(i, 5) % 5)::INTEGER] AS destination FROM range(${rows}) t(i)) TO ${quoteLiteral(path + '.tmp')} (FORMAT parquet)`);
  conn.closeSync();
  renameSync(path + '.tmp', path);
  return path;
}

type Answer = { rows: unknown[][] };
type EpoxyWindow = { epoxy: {
  open(name: string, source: { kind: 'file'; file: File }, size: number): Promise<{ table: string; preview: unknown[][]; columns: { name: string }[]; rowCount: number | null }>;
  query(sql: string, limit?: number): Promise<Answer>;
  close(table: string): Promise<void>;
} };

/**
 * Parquet where users feel it: open a Parquet file to its first rows, then open + one GROUP BY, in chromium (the
 * built app's engine worker, the file handed over as a disk-backed File, read lazily), in Node (the Engine in
 * process) and through the CLI (`epoxy query`, a fresh process), against native DuckDB at threads=1 (in process,
 * and a fresh native process for the CLI). Every answer is checked equal to native's (EXCEPT ALL both ways).
 */
export async function parquetBench(options: ParquetOptions, log: (line: string) => void = () => {}): Promise<BenchResult[]> {
  const file = options.file ?? FLIGHTS_PARQUET;
  const size = statSync(file).size;
  const runs = options.runs;
  const budget = options.budgetMs ?? Infinity;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // Each result reports its own checks: the first rows shown, the in-process answers, the CLI's answers.
  const problems = { first: [] as string[], group: [] as string[], cli: [] as string[] };
  const native = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  const source = `read_parquet(${quoteLiteral(file)})`;
  const totalRows = Number((await native.runAndReadAll(`SELECT count(*) FROM ${source}`)).getRows()[0]![0]);
  const nativeColumns = (await native.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRows().map((r) => String(r[0]));
  const what = `${basename(file)} (${(size / 2 ** 20).toFixed(0)} MB, ${totalRows.toLocaleString('en-US')} rows)`;
  const check = async (who: string, rows: unknown[][], into: string[]) => {
    const { differing, expected } = await rowsDifferFromNative(native, flightsGroupBySql(source), rows);
    if (differing) into.push(`${who}: the group-by answer differs from native DuckDB's in ${differing} rows (${rows.length} rows, native ${expected})`);
  };
  const checkPreview = (who: string, preview: unknown[][], columns: string[], rowCount: number | null) => {
    if (preview.length !== Math.min(200, totalRows)) problems.first.push(`${who}: the first rows shown were ${preview.length}, expected ${Math.min(200, totalRows)}`);
    if (columns.join(',') !== nativeColumns.join(',')) problems.first.push(`${who}: columns [${columns.join(', ')}], native DuckDB reads [${nativeColumns.join(', ')}]`);
    if (rowCount !== null && rowCount !== totalRows) problems.first.push(`${who}: row count ${rowCount}, the file holds ${totalRows}`);
  };

  // Native DuckDB in process, threads=1: the first rows, and the group-by straight on the file.
  const nativeFirst = await timeRuns(runs, () => native.runAndReadAll(`SELECT * FROM ${source} LIMIT 200`));
  const nativeGroup = await timeRuns(runs, () => native.runAndReadAll(flightsGroupBySql(source)));
  const firstRows: Measurement[] = [m('native DuckDB, 1 thread: first 200 rows', nativeFirst, 'SELECT * FROM read_parquet(...) LIMIT 200')];
  const groupBy: Measurement[] = [m('native DuckDB, 1 thread: group-by on the file', nativeGroup)];

  // The Engine in process (Node): the same open/query the CLI and the worker call; the engine start is not timed.
  log('parquet: Node in-process Engine');
  const engine = await createNodeEngine();
  const nodeFirst: number[] = [];
  const nodeFull: number[] = [];
  for (let i = 0; anotherRun(i, runs, sum(nodeFull), budget); i++) {
    const t0 = performance.now();
    const opened = await engine.open(basename(file), { kind: 'path', path: file }, size);
    nodeFirst.push(performance.now() - t0);
    const answer = engine.query(flightsGroupBySql(quoteIdent(opened.table)));
    nodeFull.push(performance.now() - t0);
    if (i === 0) {
      checkPreview('Node Engine', opened.preview, opened.columns.map((c) => c.name), opened.rowCount);
      await check('Node Engine', answer.rows, problems.group);
    }
    engine.close(opened.table);
  }
  firstRows.push(m('Epoxy in Node (Engine.open)', nodeFirst));
  groupBy.push(m('Epoxy in Node (Engine.open + query)', nodeFull));

  if (options.app) {
    log('parquet: chromium');
    const page = await options.app.browser.newPage();
    try {
      await page.goto(options.app.baseUrl);
      await page.waitForSelector('[data-testid=engine-status][data-state=ready]', { timeout: 60_000 });
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.id = 'bench-parquet';
        document.body.append(input);
      });
      await page.setInputFiles('#bench-parquet', file);
      const r = await page.evaluate(async ({ runs, sqlTemplate, budget }) => {
        const engine = (globalThis as unknown as EpoxyWindow).epoxy;
        const f = (document.getElementById('bench-parquet') as HTMLInputElement).files![0]!;
        const first: number[] = [];
        const full: number[] = [];
        let answer: unknown[][] = [];
        let preview: unknown[][] = [];
        let columns: string[] = [];
        let rowCount: number | null = null;
        // anotherRun (bench/lib/stats.ts), inlined: the page has no imports.
        for (let i = 0; i === 0 || (i < runs && full.reduce((a, b) => a + b, 0) < budget); i++) {
          const t0 = performance.now();
          const opened = await engine.open(f.name, { kind: 'file', file: f }, f.size);
          first.push(performance.now() - t0);
          const result = await engine.query(sqlTemplate.replace('__SOURCE__', `"${opened.table}"`));
          full.push(performance.now() - t0);
          ({ preview, rowCount } = opened);
          columns = opened.columns.map((c) => c.name);
          answer = result.rows;
          await engine.close(opened.table);
        }
        return { first, full, answer, preview, columns, rowCount };
      }, { runs, sqlTemplate: flightsGroupBySql('__SOURCE__'), budget: Number.isFinite(budget) ? budget : Number.MAX_VALUE });
      checkPreview('chromium', r.preview, r.columns, r.rowCount);
      await check('chromium', r.answer, problems.group);
      firstRows.push(m('Epoxy in chromium (engine worker, open)', r.first, 'dropped File, read lazily'));
      groupBy.push(m('Epoxy in chromium (engine worker, open + query)', r.full, 'dropped File, read lazily'));
    } finally {
      await page.close();
    }
  }

  // The CLI as a user types it, a fresh process per run, against a fresh native DuckDB process.
  log('parquet: epoxy query (fresh processes)');
  const table = tableNameFromFile(basename(file));
  const cliRuns: number[] = [];
  for (let i = 0; anotherRun(i, runs, sum(cliRuns), budget); i++) {
    const { ms, stdout } = await runProcess(process.execPath, ['bin/epoxy.mjs', 'query', file, '--sql', flightsGroupBySql(quoteIdent(table)), '--json', '--limit', '100000']);
    cliRuns.push(ms);
    if (i === 0) {
      const records = JSON.parse(stdout) as Record<string, unknown>[];
      await check('epoxy query', records.map((rec) => ['origin', 'flights', 'avg_delay'].map((k) => rec[k])), problems.cli);
    }
  }
  const nativeProcRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, stdout } = await runProcess(process.execPath, nativeProcessArgs(flightsGroupBySql(source), 1));
    nativeProcRuns.push(ms);
    if (i === 0) await check('native process', JSON.parse(stdout) as unknown[][], problems.cli);
  }
  const cli: Measurement[] = [
    m('epoxy query (fresh process)', cliRuns, '`node bin/epoxy.mjs query FILE --sql ... --json`'),
    m('native DuckDB process, 1 thread', nativeProcRuns, 'node -e (@duckdb/node-api), includes Node start'),
    groupBy.find((x) => x.name === 'Epoxy in Node (Engine.open + query)')!,
  ];
  native.closeSync();

  const verdict = (list: string[], ok: string) => (list.length ? `FAILED: ${list.join('; ')}` : ok);
  const groupOk = 'the group-by answer equals native DuckDB\'s (EXCEPT ALL both ways)';
  const inBrowser = !!options.app;
  const firstName = inBrowser ? 'Epoxy in chromium (engine worker, open)' : 'Epoxy in Node (Engine.open)';
  const groupName = inBrowser ? 'Epoxy in chromium (engine worker, open + query)' : 'Epoxy in Node (Engine.open + query)';
  const openMs = valueOf(firstRows, firstName);
  const fullMs = valueOf(groupBy, groupName);
  const nodeFullMs = valueOf(groupBy, 'Epoxy in Node (Engine.open + query)');
  const cliMs = valueOf(cli, 'epoxy query (fresh process)');
  const notAt = inBrowser ? {} : { at: 'Node in-process Engine (no chromium in this run)' };
  return [
    {
      suite: 'parquet',
      title: `Parquet: open ${what} to its first rows`,
      measures: 'Wall time of `open` (the Workspace\'s open: the table is created and its first 200 rows returned) on a Parquet file; in chromium through the app\'s engine worker (`window.epoxy`) over a dropped, disk-backed File. Peer: native DuckDB reading the first 200 rows of the file.',
      epoxy: firstName,
      peer: 'native DuckDB, 1 thread: first 200 rows',
      goals: [{ id: 'parquet-first-rows', ...notAt }],
      measurements: firstRows,
      checked: verdict(problems.first, `every open showed ${Math.min(200, totalRows)} first rows with native's columns [${nativeColumns.join(', ')}].`),
      note: `open took ${secs(openMs)} to the first rows (native reads them in ${secs(valueOf(firstRows, 'native DuckDB, 1 thread: first 200 rows'))})${inBrowser ? `; the Node Engine's open took ${secs(valueOf(firstRows, 'Epoxy in Node (Engine.open)'))}` : ''}.`,
    },
    {
      suite: 'parquet',
      title: `Parquet: open + group-by on ${what}`,
      measures: `Wall time of \`open\` then \`${flightsGroupBySql('t')}\` (engine started, a fresh open each run) against native DuckDB (@duckdb/node-api, threads=1, in process) running the same group-by on read_parquet of the file.`,
      epoxy: groupName,
      peer: 'native DuckDB, 1 thread: group-by on the file',
      goals: [{ id: 'parquet-groupby-chromium', ...notAt }],
      measurements: groupBy,
      checked: verdict(problems.group, `${groupOk} for every Epoxy contender.`),
      note: `of the ${secs(fullMs)}, open (to first rows) is ${secs(openMs)} and the group-by ${secs(fullMs - openMs)}; native answers the group-by in ${secs(valueOf(groupBy, 'native DuckDB, 1 thread: group-by on the file'))}.`,
    },
    {
      suite: 'parquet',
      title: `Parquet: \`epoxy query\` open + group-by on ${basename(file)}, fresh processes`,
      measures: 'A fresh `epoxy query` process per run (`node bin/epoxy.mjs query FILE --sql "<group-by>" --json`: start-up, open, query, print; the CLI runs native DuckDB on every core) against a fresh native DuckDB Node process (threads=1) running the same group-by on read_parquet. The in-process figure is the tab\'s engine, DuckDB-WASM, in Node.',
      epoxy: 'epoxy query (fresh process)',
      peer: 'native DuckDB process, 1 thread',
      goalId: 'parquet-groupby-cli',
      measurements: cli,
      checked: verdict(problems.cli, `${groupOk}, for epoxy query's --json output and the native process's.`),
      note: `the CLI runs native DuckDB behind the Engine: ${secs(cliMs)} a process, nearly all of it start-up (Node, the module graph, native DuckDB's worker thread loading its library); the tab's engine (DuckDB-WASM) in Node takes ${secs(nodeFullMs)} for the open + group-by alone.`,
    },
  ];
}

const GB = 2 ** 30;
/** Bytes per row of ordersParquet's file (measured: 18 MB per 1,000,000 rows). */
const PARQUET_BYTES_PER_ROW = 18;

/** Generate (once, cached in `dir`) with native DuckDB a deterministic orders Parquet file of `rows` rows (the orders CSV's columns). */
export async function ordersParquet(dir: string, rows: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `orders_${rows}.parquet`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`COPY (SELECT i AS order_id,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds((hash(i, 1) % 31536000)::BIGINT) AS order_ts,
    (['us-east-1','us-west-2','eu-west-1','eu-central-1','ap-southeast-2'])[1 + (hash(i, 2) % 5)::INTEGER] AS region,
    (['glue','epoxy','clamp','tape','resin','lamp','cable','mug'])[1 + (hash(i, 3) % 8)::INTEGER] AS product,
    (1 + hash(i, 4) % 20)::BIGINT AS quantity,
    ((hash(i, 5) % 50000) / 100)::DOUBLE AS amount,
    CASE WHEN hash(i, 6) % 5 = 0 THEN NULL ELSE ((hash(i, 7) % 30) / 100)::DOUBLE END AS discount,
    hash(i, 8) % 10 <> 0 AS shipped
    FROM range(${rows}) t(i)) TO ${quoteLiteral(path + '.tmp')} (FORMAT parquet)`);
  conn.closeSync();
  renameSync(path + '.tmp', path);
  return path;
}

/** Options of the parquet suite's memory part. */
export interface ParquetMemoryOptions {
  dataDir: string;
  /** Size of the generated Parquet file (1 GiB in the full run). */
  bytes: number;
  /** Starts a fresh bench page (a new chromium, so its processes' peaks are this part's own). */
  startPage: () => Promise<BenchPage>;
  /** Longest the chromium open + aggregate may take before it counts as failed (default 10 min). */
  timeoutMs?: number;
}

type BenchWin = { bench: import('../browser/main').BenchPageApi } & EpoxyWindow;

/**
 * Peak memory of open + filter/aggregate over a large Parquet file dropped into chromium (the renderer's
 * VmHWM, as the memory suite measures) against native DuckDB's process peak running the same query on the file.
 */
export async function parquetMemoryBench(options: ParquetMemoryOptions, log: (line: string) => void = () => {}): Promise<BenchResult> {
  const rows = Math.round(options.bytes / PARQUET_BYTES_PER_ROW);
  const title = `Parquet memory: open + filter/aggregate over a ~${options.bytes >= GB ? (options.bytes / GB).toFixed(0) + ' GiB' : (options.bytes / 2 ** 20).toFixed(0) + ' MiB'} Parquet file`;
  const measures = 'An orders Parquet file generated by native DuckDB (8 columns, row groups of 122,880 rows) is dropped on the bench page (a disk-backed File); the app\'s engine worker opens it and runs the transform suite\'s filter/aggregate. Peak = VmHWM of the chromium renderer (page + workers + DuckDB-WASM heap), reset through clear_refs before the phase. Peer: native DuckDB (@duckdb/node-api, default threads) running the same query on read_parquet in a Node process under /usr/bin/time -v (its peak includes Node: see the baseline row).';
  const wanted = join(options.dataDir, `orders_${rows}.parquet`);
  mkdirSync(options.dataDir, { recursive: true });
  const free = statfsSync(options.dataDir).bavail * statfsSync(options.dataDir).bsize;
  const at = options.bytes >= 0.9 * GB ? {} : { at: `${(options.bytes / 2 ** 20).toFixed(0)} MiB` };
  if (!existsSync(wanted) && free < 2 * options.bytes + GB) {
    return { suite: 'parquet', title, measures, epoxy: '', measurements: [], goals: [{ id: 'parquet-memory-1gb', ...at }], checked: `SKIPPED: only ${(free / GB).toFixed(1)} GB free on ${options.dataDir}; this part needs ${((2 * options.bytes + GB) / GB).toFixed(1)} GB.` };
  }
  log(`parquet memory: generating/reusing ${rows.toLocaleString('en-US')} rows of Parquet`);
  const file = await ordersParquet(options.dataDir, rows);
  const size = statSync(file).size;
  const sql = transformSql(`read_parquet(${quoteLiteral(file)})`);
  const problems: string[] = [];
  const measurements: Measurement[] = [];
  let epoxyNote = '';
  let answer: unknown[][] | null = null;

  const bench = await options.startPage();
  try {
    const page = await bench.open();
    const procs = () => chromiumProcesses(bench.marker);
    const renderers = () => procs().filter((p) => p.type === 'renderer').map((p) => p.pid);
    await page.evaluate(() => (window as unknown as BenchWin).bench.startEngine());
    await page.setInputFiles('#big', file);
    measurements.push(mbOf('renderer baseline (engine started, file dropped)', Math.max(...renderers().map(rssMB))));
    for (const p of procs()) if (!resetPeak(p.pid)) problems.push(`could not reset the peak of pid ${p.pid}`);
    const total = sampleTotal(() => procs().map((p) => p.pid));
    const t0 = performance.now();
    try {
      const work = page.evaluate(async (sqlTemplate) => {
        const engine = (globalThis as unknown as EpoxyWindow).epoxy;
        const f = (document.getElementById('big') as HTMLInputElement).files![0]!;
        const opened = await engine.open(f.name, { kind: 'file', file: f }, f.size);
        const result = await engine.query(sqlTemplate.replace('__SOURCE__', `"${opened.table}"`));
        return result.rows;
      }, transformSql('__SOURCE__'));
      const limit = options.timeoutMs ?? 600_000;
      let timer: NodeJS.Timeout | undefined;
      answer = await Promise.race([work, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer after ${limit / 1000} s`)), limit); })]).finally(() => clearTimeout(timer));
      epoxyNote = `${((performance.now() - t0) / 1000).toFixed(1)} s; all chromium processes ${total.stop().toFixed(0)} MB`;
    } catch (err) {
      epoxyNote = `failed after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${(err as Error).message.split('\n')[0]}`;
      total.stop();
    }
    const peak = Math.max(0, ...renderers().map(peakMB));
    measurements.push(mbOf('Epoxy open + filter/aggregate: renderer peak', answer ? peak : NaN, answer ? epoxyNote : `${epoxyNote} (renderer peak seen ${peak.toFixed(0)} MB)`));
    log(`  parquet memory: renderer peak ${peak.toFixed(0)} MB (${epoxyNote})`);
  } finally {
    await bench.close();
  }

  const base = await timeVerbose(process.execPath, nativeProcessArgs('SELECT 42'));
  measurements.push(mbOf('native DuckDB baseline (Node + DuckDB, SELECT 42)', base.peakMB));
  const nat = await timeVerbose(process.execPath, nativeProcessArgs(sql));
  measurements.push(mbOf('native DuckDB filter/aggregate on read_parquet: process peak', nat.peakMB, `${(nat.ms / 1000).toFixed(1)} s`));
  // The CLI on the same file (native DuckDB behind the Engine): for reference, the goal's figure is the tab's.
  let cliPeak = NaN;
  try {
    const cli = await timeVerbose(process.execPath, ['bin/epoxy.mjs', 'query', file, '--json', '--sql', transformSql(quoteIdent(tableNameFromFile(basename(file))))]);
    cliPeak = cli.peakMB;
    measurements.push(mbOf('epoxy query (CLI, native DuckDB) filter/aggregate: process peak', cli.peakMB, `${(cli.ms / 1000).toFixed(1)} s, ${(cli.peakMB / nat.peakMB).toFixed(2)}x native`));
  } catch (err) {
    problems.push(`epoxy query failed on the file: ${(err as Error).message.split('\n')[0]}`);
  }
  if (answer) {
    const conn: DuckDBConnection = await (await DuckDBInstance.create(':memory:')).connect();
    const { differing, expected } = await rowsDifferFromNative(conn, sql, answer);
    conn.closeSync();
    if (differing) problems.push(`Epoxy's answer differs from native DuckDB's in ${differing} rows (${answer.length} rows, native ${expected})`);
  }
  const peak = valueOf(measurements, 'Epoxy open + filter/aggregate: renderer peak');
  const fileMB = size / 2 ** 20;
  const checked = problems.length
    ? `FAILED: ${problems.join('; ')}`
    : answer ? `the answer equals native DuckDB's (EXCEPT ALL both ways, ${answer.length} rows).` : `Epoxy gave no answer (${epoxyNote}): the goal is missed, nothing to compare.`;
  return {
    suite: 'parquet',
    title: `${title} (${(size / 1e9).toFixed(2)} GB, ${rows.toLocaleString('en-US')} rows)`,
    measures,
    epoxy: 'Epoxy open + filter/aggregate: renderer peak',
    peer: 'native DuckDB filter/aggregate on read_parquet: process peak',
    goals: [{ id: 'parquet-memory-1gb', ...at }],
    measurements,
    checked,
    note: answer
      ? `the renderer peaked at ${peak.toFixed(0)} MB for a ${fileMB.toFixed(0)} MB file (${(peak / fileMB * 100).toFixed(0)}% of it); native at ${nat.peakMB.toFixed(0)} MB, of which ${base.peakMB.toFixed(0)} MB is Node + DuckDB idle; the CLI (native DuckDB) at ${cliPeak.toFixed(0)} MB.`
      : `Epoxy ${epoxyNote}; the CLI (native DuckDB) peaked at ${cliPeak.toFixed(0)} MB against native's ${nat.peakMB.toFixed(0)} MB.`,
  };
}
