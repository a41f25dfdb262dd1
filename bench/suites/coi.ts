import { DuckDBInstance } from '@duckdb/node-api';
import { loadavg } from 'node:os';
import { quoteLiteral } from '../../src/engine/sql';
import type { BenchPage } from '../lib/bench-page';
import { ordersCsv } from '../lib/data';
import type { BenchResult, Measurement } from '../lib/report';
import { median, timeRuns } from '../lib/stats';
import { transformSql } from './transform';

const measurement = (name: string, runsMs: number[], note?: string): Measurement => ({ name, medianMs: median(runsMs), runsMs, note });

/** Options of the coi suite. */
export interface CoiBenchOptions {
  dataDir: string;
  rows: number;
  runs: number;
  /** Starts the bench page cross-origin isolated (bench/lib/bench-page's `isolated`). */
  startPage: () => Promise<BenchPage>;
}

const EH = 'Epoxy in chromium, eh build, 1 thread';
const COI1 = 'Epoxy in chromium, coi build, threads=1';
const COI2 = 'Epoxy in chromium, coi build, threads=2';

/**
 * Goal 6 of issue 21: what DuckDB-WASM's multi-threaded coi build gains on an aggregate over 10M rows already
 * in DuckDB (the benchmark transform's filter + group-by), against the single-threaded eh build in the same
 * run, with native DuckDB at 1 and 2 threads for reference. Each contender is a fresh engine worker (the app's
 * Engine) whose table is loaded from an in-memory copy of the CSV: a dropped file read lazily fails on coi,
 * which the result reports with DuckDB's own error.
 */
export async function coiBench(options: CoiBenchOptions, log: (line: string) => void): Promise<BenchResult[]> {
  const csv = await ordersCsv(options.dataDir, options.rows);
  const sql = transformSql('orders');
  const measurements: Measurement[] = [];
  const loads: Measurement[] = [];
  const answers: Record<string, string> = {};
  const load = [loadavg()[0]!.toFixed(1)];

  for (const threads of [1, 2]) {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await instance.connect();
    const t0 = performance.now();
    await conn.run(`CREATE TABLE orders AS FROM read_csv(${quoteLiteral(csv)})`);
    const name = `native DuckDB, threads=${threads}`;
    loads.push(measurement(`${name}: load CSV`, [performance.now() - t0]));
    let rows: unknown[][] = [];
    const times = await timeRuns(options.runs, async () => { rows = (await conn.runAndReadAll(sql)).getRows(); }, 1);
    measurements.push(measurement(name, times));
    answers[name] = JSON.stringify(rows.map((r) => r.map(String)));
    conn.closeSync();
  }

  let dropped = 'not measured';
  const page = await options.startPage();
  try {
    const tab = await page.open();
    await tab.setInputFiles('#big', csv);
    for (const [name, build, threads] of [[EH, 'eh', 1], [COI1, 'coi', 1], [COI2, 'coi', 2]] as const) {
      log(`coi: ${name}`);
      const started = await tab.evaluate(([b, t]) => (globalThis as any).bench.coiStart(b, t), [build, threads] as const) as { build: string; threads: string; isolated: boolean; ms: number };
      if (build === 'coi' && !started.build.startsWith('coi')) throw new Error(`asked for coi, the engine runs ${started.build}`);
      const loadMs = await tab.evaluate(() => (globalThis as any).bench.coiLoad('big')) as number;
      loads.push(measurement(`${name}: load CSV`, [loadMs], `engine started in ${started.ms.toFixed(0)} ms, reports "${started.build}", threads setting ${started.threads}`));
      const result = await tab.evaluate(([s, r]) => (globalThis as any).bench.coiTime(s, r + 1), [sql, options.runs] as const) as { times: number[]; rows: unknown[][] };
      measurements.push(measurement(name, result.times.slice(1), 'first run dropped (warm-up), as for native'));
      answers[name] = JSON.stringify(result.rows.map((r) => r.map((v) => String(typeof v === 'number' && !Number.isInteger(v) ? v : v))));
      if (build === 'coi' && threads === 2) {
        const outcomes: string[] = [];
        for (const settleMs of [0, 500]) {
          const read = await tab.evaluate(([s, ms]) => (globalThis as any).bench.coiReadDropped('big', s, ms), [transformSql('__SOURCE__'), settleMs] as const) as { ms: number } | { error: string };
          outcomes.push(`${settleMs ? `read ${settleMs} ms after registering` : 'read at once'}: ${'error' in read ? `FAILS: ${read.error}` : `works (${read.ms.toFixed(0)} ms)`}`);
        }
        dropped = outcomes.join('; ');
      }
    }
  } finally {
    await page.close();
  }
  load.push(loadavg()[0]!.toFixed(1));

  const reference = answers['native DuckDB, threads=1'];
  const differ = Object.entries(answers).filter(([, a]) => a !== reference).map(([n]) => n);
  const speedup = (median(measurements.find((m) => m.name === EH)!.runsMs) / median(measurements.find((m) => m.name === COI2)!.runsMs));
  return [{
    suite: 'coi',
    title: `More than one core: 10M-row class aggregate on DuckDB-WASM coi (${options.rows.toLocaleString('en-US')} rows)`,
    measures: 'Wall time of the benchmark transform\'s filter + group-by (40 groups) over a table already loaded in DuckDB, engine started; each contender a fresh engine worker in one cross-origin isolated page.',
    epoxy: COI2,
    peer: EH,
    goalId: 'coi-aggregate',
    note: `coi threads=2 ${speedup.toFixed(2)}x over eh; shipped opt-in (?duckdb=coi|auto) because a dropped File read lazily fails on coi's pthread workers ("No HTML5 file registered") and OPFS handles cannot be posted to them.`,
    measurements,
    checked: differ.length ? `FAILED: results differ from native threads=1: ${differ.join(', ')}` : `all ${Object.keys(answers).length} contenders return the same ${JSON.parse(reference!).length} groups.`,
    details: [
      `Speed-up coi threads=2 over eh: ${speedup.toFixed(2)}x. Load average ${load.join(' -> ')} (2 cores shared).`,
      `Table loads (CSV from an in-memory buffer): ${loads.map((m) => `${m.name} ${m.medianMs.toFixed(0)} ms${m.note ? ` (${m.note})` : ''}`).join('; ')}.`,
      `Dropped file read lazily (BROWSER_FILEREADER) on coi threads=2: ${dropped}.`,
    ],
  }];
}
