import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPath } from '../scripts/chromium-path.mjs';
import { startBenchPage, type BenchPage } from './lib/bench-page';
import { startBrowserBench, type BrowserBench } from './lib/browser';
import { ordersCsv } from './lib/data';
import { describeMachine } from './lib/machine';
import { goalById } from './lib/goals';
import { goalMet, judgeGoal, ratio, renderResults, type BenchResult } from './lib/report';
import { cliBench } from './suites/cli';
import { coiBench } from './suites/coi';
import { coldStartBench } from './suites/coldstart';
import { crawlBench } from './suites/crawl';
import { memoryBench } from './suites/memory';
import { parquetBench, parquetMemoryBench } from './suites/parquet';
import { transformBench } from './suites/transform';
import { wideBench } from './suites/wide';

/** The suites `npm run bench` knows, in the order they run. */
export const SUITES = ['coldstart', 'transform', 'parquet', 'crawl', 'memory', 'cli', 'wide', 'coi'] as const;
export type SuiteName = (typeof SUITES)[number];

/** Options of one benchmark run. */
export interface BenchOptions {
  /** Suites to run (default: all). */
  suites?: SuiteName[];
  /** Row counts of the transform suite's CSVs. */
  rows: number[];
  runs: number;
  browser: boolean;
  dataDir: string;
  resultsPath: string | null;
  /** Crawl suite sizes (default: 100 MB CSV, 100 MB NDJSON, 2,000 files). */
  crawl?: { csvBytes: number; ndjsonBytes: number; files: number };
  /** Memory suite CSV size (default 2 GB); it always runs in chromium. */
  memoryBytes?: number;
  /** Rows of the coi suite's aggregate (default 10M). */
  coiRows?: number;
  /** Port of the preview servers the bench starts, one at a time (default 4297). */
  port?: number;
  /** Size of the parquet suite's large Parquet file for its memory part (default 1 GiB); 0 skips that part. */
  parquetMemoryBytes?: number;
  /** The parquet suite's file (default vega-datasets' flights-3m.parquet). */
  parquetFile?: string;
  /** Rows of the CLI suite's small CSV (default 1,000). */
  cliRows?: number;
  /** Per contender of the parquet and cli suites: stop repeating once its runs took this long (--quick: 20 s). */
  budgetMs?: number;
  /** Set by --quick: the run's total wall time is then judged against goal 7 (when every suite ran). */
  quick?: boolean;
}

const MB = 2 ** 20;
/** Sizes the issue states: 100 MB CSV and NDJSON, 2,000 small files, a 2 GB CSV. */
export const FULL_SIZES = { crawl: { csvBytes: 100 * MB, ndjsonBytes: 100 * MB, files: 2000 }, memoryBytes: 2 * 2 ** 30, parquetMemoryBytes: 2 ** 30 };
/** Sizes of `--quick`: small enough for the whole run to stay under 5 minutes (goal 7). */
export const QUICK_SIZES = { crawl: { csvBytes: 10 * MB, ndjsonBytes: 10 * MB, files: 2000 }, memoryBytes: 256 * MB, parquetMemoryBytes: 64 * MB };

function summarize(result: BenchResult): string {
  const figures = result.measurements.map((m) => `${m.name}: ${Number.isNaN(m.medianMs) ? '—' : m.unit === 'MB' ? `${m.medianMs.toFixed(0)} MB` : `${m.medianMs.toFixed(0)} ms`}`).join(' | ');
  const met = goalMet(result);
  const verdict = result.peer ? ` => ratio ${ratio(result).toFixed(2)}` : '';
  const goals = [...(result.goalId ? [{ id: result.goalId }] : []), ...(result.goals ?? [])].filter(() => !result.checked.startsWith('SKIPPED'))
    .map((ref) => `${ref.id} ${judgeGoal(goalById(ref.id), result, ref).met ? 'met' : 'MISSED'}${ref.at ? ' (indicative)' : ''}`).join(', ');
  return `  ${figures}${verdict}${met === null ? '' : met ? ' (goal met)' : ' (goal MISSED)'}${goals ? ` [${goals}]` : ''}${result.checked.startsWith('FAILED') || result.checked.startsWith('SKIPPED') ? `\n  ${result.checked}` : ''}`;
}

/** Run the suites and return their results (also written as markdown when resultsPath is set). */
export async function runBenchmarks(options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchResult[]> {
  const suites = new Set(options.suites ?? SUITES);
  const port = options.port ?? 4297;
  const started = performance.now();
  const results: BenchResult[] = [];
  // The machine may be shared: say how busy it was, since it moves every figure.
  const load = loadavg()[0]!.toFixed(1);
  // Wall time per suite (the time since the previous result, servers and data generation included), for goal 7's note.
  const suiteMs = new Map<string, number>();
  let lastPush = started;
  const push = (r: BenchResult) => {
    const now = performance.now();
    suiteMs.set(r.suite, (suiteMs.get(r.suite) ?? 0) + now - lastPush);
    lastPush = now;
    log(`${r.title}\n${summarize(r)}`);
    results.push(r);
  };
  // One server at a time on the bench's port: the built app for cold start and transform, then the bench page.
  let app: BrowserBench | undefined;
  try {
    if (options.browser && (suites.has('coldstart') || suites.has('transform') || suites.has('parquet'))) app = await startBrowserBench(port);
    if (options.browser && suites.has('wide')) app ??= await startBrowserBench(port);
    if (app && suites.has('coldstart')) push(await coldStartBench(app, options.runs));
    if (app && suites.has('wide')) push(await wideBench(app.baseUrl, options.dataDir, options.runs, log));
    if (suites.has('transform')) {
      for (const rows of options.rows) {
        log(`transform: generating/reusing ${rows} rows`);
        const csv = await ordersCsv(options.dataDir, rows);
        const outDir = join(options.dataDir, `out_${rows}`);
        mkdirSync(outDir, { recursive: true });
        push(await transformBench(csv, rows, outDir, options.runs, app));
      }
    }
    if (suites.has('parquet')) for (const r of await parquetBench({ runs: options.runs, file: options.parquetFile, app, budgetMs: options.budgetMs }, log)) push(r);
  } finally {
    await app?.close();
  }
  if (suites.has('crawl')) {
    let page: BenchPage | undefined;
    try {
      if (options.browser) page = await startBenchPage(port);
      for (const r of await crawlBench({ dataDir: options.dataDir, runs: options.runs, page, ...(options.crawl ?? FULL_SIZES.crawl) }, log)) push(r);
    } finally {
      await page?.close();
    }
  }
  if (suites.has('memory') && options.browser) {
    push(await memoryBench({ dataDir: options.dataDir, bytes: options.memoryBytes ?? FULL_SIZES.memoryBytes, startPage: () => startBenchPage(port) }, log));
  }
  if (suites.has('coi') && options.browser) {
    for (const r of await coiBench({ dataDir: options.dataDir, rows: options.coiRows ?? 10_000_000, runs: options.runs, startPage: () => startBenchPage(port, true) }, log)) push(r);
  }
  const parquetBytes = options.parquetMemoryBytes ?? FULL_SIZES.parquetMemoryBytes;
  if (suites.has('parquet') && options.browser && parquetBytes > 0) {
    push(await parquetMemoryBench({ dataDir: options.dataDir, bytes: parquetBytes, startPage: () => startBenchPage(port) }, log));
  }
  if (suites.has('cli')) {
    const jobRows = options.rows[0] ?? 1_000_000;
    log(`cli: generating/reusing the CSVs (${options.cliRows ?? 1000} and ${jobRows} rows)`);
    const smallCsv = await ordersCsv(options.dataDir, options.cliRows ?? 1000);
    const jobCsv = await ordersCsv(options.dataDir, jobRows);
    for (const r of await cliBench({ dataDir: options.dataDir, runs: options.runs, smallCsv, jobCsv, jobRows, budgetMs: options.budgetMs }, log)) push(r);
  }
  const wallMs = performance.now() - started;
  const minutes = `${Math.floor(wallMs / 60_000)} min ${((wallMs % 60_000) / 1000).toFixed(0)} s`;
  const bySuite = [...suiteMs].sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(0)} s`).join(', ');
  log(`total wall time: ${minutes} (${bySuite})`);
  const everySuite = SUITES.every((s) => suites.has(s)) && options.browser;
  if (options.quick && everySuite) {
    results.push({
      suite: 'bench',
      title: '`npm run bench -- --quick`: total wall time',
      measures: 'Wall time of this whole run, every suite at its --quick size (data generation on a first run included).',
      epoxy: 'total wall time',
      goalId: 'bench-quick',
      measurements: [{ name: 'total wall time', medianMs: wallMs, runsMs: [wallMs] }],
      checked: `${options.runs} runs per contender (fewer past the ${((options.budgetMs ?? Infinity) / 1000).toFixed(0)} s budget).`,
      note: `by suite: ${bySuite}; load average ${load} at the start, ${loadavg()[0]!.toFixed(1)} at the end, on ${cpus().length} cores.`,
    });
  }
  if (options.resultsPath) {
    const notes = [`Load average when the run started: ${load}; at the end: ${loadavg()[0]!.toFixed(1)}.  `, `Total wall time: ${minutes} (${options.quick ? '--quick' : 'full sizes'}, suites ${[...suites].join(', ')}, ${options.runs} runs; by suite: ${bySuite}).`, ''];
    if (!options.browser) notes.push('Browser suites were not run (--no-browser).', '');
    writeFileSync(options.resultsPath, renderResults(results, describeMachine(options.browser ? chromiumPath() : undefined), new Date().toISOString().slice(0, 10), notes));
    log(`wrote ${options.resultsPath}`);
  }
  return results;
}

/** Parse `npm run bench` / `epoxy bench` arguments into options. */
export function benchOptionsFromArgs(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      runs: { type: 'string' },
      suite: { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const suites = values.suite ? values.suite.split(',').map((s) => s.trim()) : [...SUITES];
  for (const s of suites) if (!(SUITES as readonly string[]).includes(s)) throw new Error(`unknown suite "${s}": use ${SUITES.join(', ')}`);
  const runs = Number(values.runs ?? (quick ? 3 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  return {
    suites: suites as SuiteName[],
    rows: quick ? [100_000] : [1_000_000, 10_000_000],
    runs,
    browser: !values['no-browser'],
    dataDir: join('bench', 'data'),
    resultsPath: values.out ?? join('bench', 'RESULTS.md'),
    crawl: quick ? QUICK_SIZES.crawl : FULL_SIZES.crawl,
    memoryBytes: quick ? QUICK_SIZES.memoryBytes : FULL_SIZES.memoryBytes,
    parquetMemoryBytes: quick ? QUICK_SIZES.parquetMemoryBytes : FULL_SIZES.parquetMemoryBytes,
    coiRows: quick ? 1_000_000 : 10_000_000,
    quick,
    ...(quick ? { budgetMs: 20_000 } : {}),
    port: values.port ? Number(values.port) : 4297,
  };
}

if (process.argv[1] && /run\.ts$/.test(process.argv[1])) {
  const results = await runBenchmarks(benchOptionsFromArgs(process.argv.slice(2)));
  if (results.some((r) => r.checked.startsWith('FAILED'))) process.exitCode = 1;
}
