import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPath } from '../scripts/chromium-path.mjs';
import { startBrowserBench, type BrowserBench } from './lib/browser';
import { ordersCsv } from './lib/data';
import { describeMachine } from './lib/machine';
import { renderResults, type BenchResult } from './lib/report';
import { coldStartBench } from './suites/coldstart';
import { transformBench } from './suites/transform';

/** Options of one benchmark run. */
export interface BenchOptions {
  rows: number[];
  runs: number;
  browser: boolean;
  dataDir: string;
  resultsPath: string | null;
}

/** Run the suites and return their results (also written as markdown when resultsPath is set). */
export async function runBenchmarks(options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let browser: BrowserBench | undefined;
  try {
    if (options.browser) {
      browser = await startBrowserBench();
      log('coldstart');
      const result = await coldStartBench(browser, options.runs);
      log(`  ${result.measurements.map((m) => `${m.name}: ${m.medianMs.toFixed(0)} ms`).join(' | ')}`);
      results.push(result);
    }
    for (const rows of options.rows) {
      log(`transform: generating/reusing ${rows} rows`);
      const csv = await ordersCsv(options.dataDir, rows);
      const outDir = join(options.dataDir, `out_${rows}`);
      mkdirSync(outDir, { recursive: true });
      const result = await transformBench(csv, rows, outDir, options.runs, browser);
      log(`  ${result.measurements.map((m) => `${m.name}: ${m.medianMs.toFixed(0)} ms`).join(' | ')}`);
      results.push(result);
    }
  } finally {
    await browser?.close();
  }
  if (options.resultsPath) {
    writeFileSync(options.resultsPath, renderResults(results, describeMachine(options.browser ? chromiumPath() : undefined), new Date().toISOString().slice(0, 10)));
    log(`wrote ${options.resultsPath}`);
  }
  return results;
}

if (process.argv[1] && /run\.ts$/.test(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      runs: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  await runBenchmarks({
    rows: quick ? [100_000] : [1_000_000, 10_000_000],
    runs: Number(values.runs ?? (quick ? 3 : 5)),
    browser: !values['no-browser'],
    dataDir: join('bench', 'data'),
    resultsPath: join('bench', 'RESULTS.md'),
  });
}
