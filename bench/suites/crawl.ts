import { readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { classifySource, fullScan, sampleBudget, type ByteSource } from '../../src/classifiers';
import { runPool } from '../../src/crawler/pool';
import { createNodeEngine } from '../../src/engine/node';
import { quoteLiteral } from '../../src/engine/sql';
import { listNodeFolder, nodeFileSource } from '../../src/sources/node-files';
import type { ClassifySummary } from '../browser/crawl.worker';
import type { BenchPage } from '../lib/bench-page';
import { columnsDiffer, schemaColumns } from '../lib/check';
import { driftColumnsUpTo, driftingNdjson, mixedCsv, smallFileFolder, type Expected, type ExpectedColumn, type FolderFile } from '../lib/crawl-data';
import { jsonLinesPass, papaparseText } from '../lib/peers';
import type { BenchResult, Measurement } from '../lib/report';
import { median, timeRuns } from '../lib/stats';

/** Sizes and runs of the crawl suite. */
export interface CrawlOptions {
  dataDir: string;
  csvBytes: number;
  ndjsonBytes: number;
  files: number;
  runs: number;
  /** The bench page in chromium; without it only Node is measured. */
  page?: BenchPage;
}

type Bench = { evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> };
type Win = { bench: import('../browser/main').BenchPageApi };

const m = (name: string, runsMs: number[], note?: string): Measurement => ({ name, medianMs: median(runsMs), runsMs, note });
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function source(path: string, name = path): Promise<ByteSource> {
  return { ...(await nodeFileSource(path, name)), name };
}

/** Collects the checks of one benchmark; a failed check is reported, never hidden. */
class Checks {
  readonly failures: string[] = [];
  readonly passed: string[] = [];
  that(label: string, problem: string | null): void {
    if (problem) this.failures.push(`${label}: ${problem}`);
    else this.passed.push(label);
  }
  summary(): string {
    return this.failures.length ? `FAILED: ${this.failures.join('; ')}` : `${this.passed.join('; ')}.`;
  }
}

const countIs = (got: number | null | undefined, want: number) => (got === want ? null : `counted ${got} records, the generator wrote ${want}`);

/** Native DuckDB's DESCRIBE of a reader, timed (a reference outside the browser). */
async function nativeDescribe(reader: string, runs: number): Promise<{ times: number[]; columns: ExpectedColumn[] }> {
  const conn = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  let columns: ExpectedColumn[] = [];
  const times = await timeRuns(runs, async () => {
    const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRows();
    columns = rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  });
  conn.closeSync();
  return { times, columns };
}

const duckNames = (columns: ExpectedColumn[]) => columns.map((c) => ({ name: c.name, type: '' }));
const duckTypes = (columns: ExpectedColumn[]) => columns.map((c) => c.type).join(', ');

/**
 * Crawl benchmarks: sampled and full-scan inference of a large CSV, full-scan inference of a drifting NDJSON,
 * and classification of a folder of small files through a worker pool — in Node and in chromium workers over
 * dropped Files, against DuckDB's sniffer, papaparse and JSON.parse.
 */
export async function crawlBench(options: CrawlOptions, log: (line: string) => void = () => {}): Promise<BenchResult[]> {
  const { runs, page: benchPage } = options;
  log(`crawl: generating/reusing data (${mb(options.csvBytes)} CSV, ${mb(options.ndjsonBytes)} NDJSON, ${options.files} files)`);
  const csv = await mixedCsv(options.dataDir, options.csvBytes);
  const ndjson = await driftingNdjson(options.dataDir, options.ndjsonBytes);
  const folder = await smallFileFolder(options.dataDir, options.files);
  const page = benchPage ? await benchPage.open() : undefined;
  const bench = page as Bench | undefined;
  try {
    if (page) {
      await page.setInputFiles('#big', csv.path);
      await page.evaluate(() => (window as unknown as Win).bench.startDuckdb());
    }
    const results = [await csvSampled(csv, runs, bench), await csvFull(csv, runs, bench)];
    if (page) await page.setInputFiles('#big', ndjson.path);
    results.push(await ndjsonFull(ndjson, runs, bench));
    if (page) await page.setInputFiles('#folder', folder.root);
    results.push(await smallFiles(folder, runs, bench));
    return results;
  } finally {
    await page?.context().close();
  }
}

async function csvSampled(csv: { path: string; expected: Expected }, runs: number, page?: Bench): Promise<BenchResult> {
  const checks = new Checks();
  const measurements: Measurement[] = [];
  let result = await classifySource(await source(csv.path));
  const times = await timeRuns(runs, async () => { result = await classifySource(await source(csv.path)); }, 1);
  checks.that('Epoxy in Node inferred the generated columns and types', columnsDiffer(schemaColumns(result.schema), csv.expected.columns));
  measurements.push(m('Epoxy sampled inference, Node', times, `${result.recordCount?.toLocaleString('en-US')} records estimated`));

  const engine = await createNodeEngine();
  const path = await engine.registerSource('mixed.csv', { kind: 'path', path: csv.path });
  let duckColumns: ExpectedColumn[] = [];
  const duckTimes = await timeRuns(runs, () => {
    duckColumns = engine.query(`DESCRIBE SELECT * FROM read_csv(${quoteLiteral(path)})`).rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }, 1);
  checks.that('DuckDB-WASM in Node found the generated column names', columnsDiffer(duckNames(duckColumns), duckNames(csv.expected.columns)));
  measurements.push(m('DuckDB-WASM sniffer, Node', duckTimes, duckTypes(duckColumns)));

  if (page) {
    const epoxy = await page.evaluate((r) => (window as unknown as Win).bench.classify('big', 'sample', r + 1), runs);
    checks.that('Epoxy in chromium inferred the generated columns and types', columnsDiffer(epoxy.summary.columns, csv.expected.columns));
    measurements.push(m('Epoxy sampled inference, chromium worker', epoxy.times.slice(1), 'dropped File, read in slices'));
    const duck = await page.evaluate((r) => (window as unknown as Win).bench.sniff('big', r + 1), runs);
    checks.that('DuckDB-WASM in chromium found the generated column names', columnsDiffer(duckNames(duck.columns), duckNames(csv.expected.columns)));
    measurements.push(m('DuckDB-WASM sniffer, chromium worker', duck.times.slice(1), 'BROWSER_FILEREADER over the dropped File'));
  }
  const native = await nativeDescribe(`read_csv(${quoteLiteral(csv.path)})`, runs);
  measurements.push(m('native DuckDB sniffer (reference)', native.times, '1 thread, not the same environment'));
  const where = page ? 'chromium worker' : 'Node';
  return {
    suite: 'crawl',
    title: `Crawl: sampled CSV inference, ${mb(readSize(csv.path))} CSV`,
    measures: 'Classification + schema inference of a CSV with ints, dates, timestamps, decimals, doubles, booleans, nulls and quoted text. Epoxy: `classifySource` (Glue sampling: first 1 MB, types from the first 1,000 records). DuckDB: its CSV sniffer, `DESCRIBE SELECT * FROM read_csv(...)` on the same DuckDB-WASM Engine the app runs (file registered, engine started). First run of each is a discarded warm-up.',
    epoxy: `Epoxy sampled inference, ${where}`,
    peer: `DuckDB-WASM sniffer, ${where}`,
    goal: 'no slower than DuckDB\'s sniffer (ratio <= 1.00)',
    goalMax: 1,
    measurements,
    checked: checks.summary(),
  };
}

async function csvFull(csv: { path: string; expected: Expected }, runs: number, page?: Bench): Promise<BenchResult> {
  const checks = new Checks();
  const measurements: Measurement[] = [];
  let result = await fullScan(await source(csv.path));
  const times = await timeRuns(runs, async () => { result = await fullScan(await source(csv.path)); });
  checks.that('Epoxy full scan in Node: columns and types', columnsDiffer(schemaColumns(result.schema), csv.expected.columns));
  checks.that('Epoxy full scan in Node: exact count', countIs(result.recordCount, csv.expected.records));
  measurements.push(m('Epoxy full scan, Node', times, 'streamed from disk in 4 MB chunks'));
  let papaRecords = 0;
  const papaTimes = await timeRuns(runs, () => { papaRecords = papaparseText(readFileSync(csv.path, 'utf8')); }, 1);
  checks.that('papaparse in Node: count', countIs(papaRecords, csv.expected.records));
  measurements.push(m('papaparse dynamicTyping, Node', papaTimes, 'whole file read into a string first (its fastest path)'));
  if (page) {
    const epoxy = await page.evaluate((r) => (window as unknown as Win).bench.classify('big', 'full', r + 1), runs);
    checks.that('Epoxy full scan in chromium: columns and types', columnsDiffer(epoxy.summary.columns, csv.expected.columns));
    checks.that('Epoxy full scan in chromium: exact count', countIs(epoxy.summary.recordCount, csv.expected.records));
    measurements.push(m('Epoxy full scan, chromium worker', epoxy.times.slice(1), 'File slices of 4 MB'));
    const papa = await page.evaluate((r) => (window as unknown as Win).bench.papaparse('big', r + 1), runs);
    checks.that('papaparse in chromium: count', countIs(papa.records, csv.expected.records));
    measurements.push(m('papaparse dynamicTyping, chromium worker', papa.times.slice(1), 'Papa.parse(File) in 4 MB chunks'));
  }
  const where = page ? 'chromium worker' : 'Node';
  return {
    suite: 'crawl',
    title: `Crawl: full-scan typed CSV inference, ${mb(readSize(csv.path))} CSV`,
    measures: 'Every record read and typed: Epoxy `fullScan` (exact types over all records + exact count) against a plain papaparse pass with `header` and `dynamicTyping` (values converted, no schema derived: a generous peer).',
    epoxy: `Epoxy full scan, ${where}`,
    peer: `papaparse dynamicTyping, ${where}`,
    goal: '>= 1.5x faster than papaparse with dynamicTyping (ratio <= 0.67)',
    goalMax: 1 / 1.5,
    measurements,
    checked: checks.summary(),
  };
}

async function ndjsonFull(nd: { path: string; expected: Expected }, runs: number, page?: Bench): Promise<BenchResult> {
  const checks = new Checks();
  const measurements: Measurement[] = [];
  let sampled = await classifySource(await source(nd.path));
  const sampleTimes = await timeRuns(runs, async () => { sampled = await classifySource(await source(nd.path)); });
  checks.that('sampled inference sees the schema of the first 1 MB', columnsDiffer(schemaColumns(sampled.schema), driftColumnsUpTo(sampleBudget('json') / readSize(nd.path))));
  measurements.push(m('Epoxy sampled inference, Node', sampleTimes, 'first 1 MB: misses the drift, by design'));
  let result = await fullScan(await source(nd.path));
  const times = await timeRuns(runs, async () => { result = await fullScan(await source(nd.path)); });
  checks.that('Epoxy full scan in Node: drifted schema (new fields, widened types)', columnsDiffer(schemaColumns(result.schema), nd.expected.columns));
  checks.that('Epoxy full scan in Node: exact count', countIs(result.recordCount, nd.expected.records));
  measurements.push(m('Epoxy full scan, Node', times));
  let lines = 0;
  const lineTimes = await timeRuns(runs, async () => { lines = await jsonLinesPass(await source(nd.path)); });
  checks.that('JSON.parse in Node: count', countIs(lines, nd.expected.records));
  measurements.push(m('JSON.parse per line, Node', lineTimes, 'parse only, no schema'));
  if (page) {
    const epoxy = await page.evaluate((r) => (window as unknown as Win).bench.classify('big', 'full', r + 1), runs);
    checks.that('Epoxy full scan in chromium: drifted schema', columnsDiffer(epoxy.summary.columns, nd.expected.columns));
    checks.that('Epoxy full scan in chromium: exact count', countIs(epoxy.summary.recordCount, nd.expected.records));
    measurements.push(m('Epoxy full scan, chromium worker', epoxy.times.slice(1)));
    const peer = await page.evaluate((r) => (window as unknown as Win).bench.jsonLines('big', r + 1), runs);
    checks.that('JSON.parse in chromium: count', countIs(peer.records, nd.expected.records));
    measurements.push(m('JSON.parse per line, chromium worker', peer.times.slice(1), 'parse only, no schema'));
  }
  try {
    const native = await nativeDescribe(`read_json_auto(${quoteLiteral(nd.path)})`, runs);
    measurements.push(m('native DuckDB read_json_auto DESCRIBE (reference)', native.times, `1 thread; samples 20,480 records: ${native.columns.map((c) => c.name).join(', ')}`));
  } catch (err) {
    measurements.push({ name: 'native DuckDB read_json_auto (reference)', medianMs: NaN, runsMs: [], note: `not run: ${(err as Error).message.split('\n')[0]}` });
  }
  const where = page ? 'chromium worker' : 'Node';
  return {
    suite: 'crawl',
    title: `Crawl: NDJSON with a drifting schema, ${mb(readSize(nd.path))}`,
    measures: 'Schema inference of NDJSON whose schema drifts (a field appears at 30%, a nested field at 70% where an integer field turns fractional, a struct at 90%): only a full scan finds it. DuckDB-WASM has no JSON extension offline (it would be downloaded), so the in-browser peer is a plain `JSON.parse` per line (no schema derived); native DuckDB\'s `read_json_auto` is shown for reference.',
    epoxy: `Epoxy full scan, ${where}`,
    peer: `JSON.parse per line, ${where}`,
    measurements,
    checked: checks.summary(),
  };
}

function checkFolder(checks: Checks, label: string, expected: FolderFile[], got: ClassifySummary[], failures: string[]): void {
  const byPath = new Map(got.map((s) => [s.path, s]));
  const wrong: string[] = [...failures];
  for (const e of expected) {
    const s = byPath.get(e.path);
    const problem = !s ? 'not classified'
      : s.classification !== e.classification ? `classified ${s.classification}, expected ${e.classification}`
      : (e.columns.length ? columnsDiffer(s.columns, e.columns) : null) ?? countIs(s.recordCount, e.records);
    if (problem) wrong.push(`${e.path}: ${problem}`);
  }
  checks.that(`${label}: all ${expected.length} files classified as generated (format, columns, types, counts)`, wrong.length ? `${wrong.length} wrong, e.g. ${wrong.slice(0, 3).join(' | ')}` : null);
}

async function smallFiles(folder: { root: string; files: FolderFile[] }, runs: number, page?: Bench): Promise<BenchResult> {
  const checks = new Checks();
  const measurements: Measurement[] = [];
  const lanes = cpus().length;
  const classifyAll = async () => {
    const sources = await listNodeFolder(folder.root);
    const outcomes = await runPool(sources, () => ({ run: async (s) => classifySource({ ...s, name: s.path }), terminate: () => {} }), { size: lanes * 2, jobTimeoutMs: 60_000, sizeOf: (s) => s.size, nameOf: (s) => s.path });
    return outcomes.map((o): ClassifySummary => (o.ok
      ? { path: o.job.path, classification: o.result.classification, columns: schemaColumns(o.result.schema), recordCount: o.result.recordCount ?? null, warnings: o.result.warnings ?? [] }
      : { path: o.job.path, classification: `error: ${o.error}`, columns: [], recordCount: null, warnings: [] }));
  };
  let summaries = await classifyAll();
  const times = await timeRuns(runs, async () => { summaries = await classifyAll(); });
  checkFolder(checks, 'Node', folder.files, summaries, []);
  measurements.push(m('Epoxy, Node (in-process, runPool)', times, `listing included; ${lanes * 2} concurrent lanes on one thread`));
  if (page) {
    const cores = await page.evaluate(() => (window as unknown as Win).bench.cores(), undefined);
    const chromiumTimes: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const r = await page.evaluate((n) => (window as unknown as Win).bench.classifyFolder('folder', n), cores);
      if (i === 0) checkFolder(checks, 'chromium', folder.files, r.summaries, r.failures);
      else chromiumTimes.push(r.ms);
    }
    measurements.push(m(`Epoxy, chromium (pool of ${cores} workers)`, chromiumTimes, 'runPool over dropped Files; worker start included'));
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) floor.push((await page.evaluate((n) => (window as unknown as Win).bench.classifyFolder('folder', n, 'read'), cores)).ms);
    measurements.push(m(`reference: same pool, only reading each file's first 256 KB`, floor, 'the I/O + messaging floor of the chromium crawl'));
  }
  const epoxy = page ? measurements[1]!.name : measurements[0]!.name;
  const bytes = folder.files.length;
  return {
    suite: 'crawl',
    title: `Crawl: a folder of ${bytes.toLocaleString('en-US')} small mixed files`,
    measures: 'Classification + schema inference of every file of a dropped folder (CSV, TSV, NDJSON, JSON arrays, gzip CSV/NDJSON, Apache logs; Hive `k=v` partition folders) through the crawler\'s worker pool (`runPool`): in chromium, N = navigator.hardwareConcurrency Web Workers each running `classifySource` over File slices. No peer runs this: the goal is absolute.',
    epoxy,
    goal: 'under 5 s',
    goalAbsoluteMs: 5000,
    measurements,
    checked: checks.summary(),
  };
}

function readSize(path: string): number {
  return statSync(path).size;
}
