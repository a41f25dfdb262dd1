import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createNodeEngine } from '../../src/engine/node';
import { quoteLiteral } from '../../src/engine/sql';
import type { BrowserBench } from '../lib/browser';
import type { BenchResult, Measurement } from '../lib/report';
import { median, timeRuns } from '../lib/stats';

/** The benchmark's transform: filter + aggregate, whose result is written as Parquet. */
export function transformSql(source: string): string {
  return `SELECT region, product, count(*) AS orders, sum(quantity) AS units, round(sum(amount), 2) AS revenue,
    round(avg(discount), 4) AS avg_discount FROM ${source} WHERE amount > 50 AND shipped GROUP BY region, product ORDER BY region, product`;
}

const measurement = (name: string, runsMs: number[], note?: string): Measurement => ({ name, medianMs: median(runsMs), runsMs, note });

/**
 * CSV -> filter/aggregate -> Parquet, end to end (read + compute + encode), for Epoxy in Node and in chromium
 * against native DuckDB at 1 and 2 threads. Every contender's Parquet is checked equal to native's.
 */
export async function transformBench(csvPath: string, rows: number, outDir: string, runs: number, browser?: BrowserBench): Promise<BenchResult> {
  const measurements: Measurement[] = [];
  const outputs: Record<string, string> = {};

  for (const threads of [1, 2]) {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await instance.connect();
    const out = join(outDir, `native_t${threads}.parquet`);
    const times = await timeRuns(runs, () => conn.run(`COPY (${transformSql(`read_csv(${quoteLiteral(csvPath)})`)}) TO ${quoteLiteral(out)} (FORMAT parquet)`));
    measurements.push(measurement(`native DuckDB, ${threads} thread${threads > 1 ? 's' : ''}`, times));
    outputs[`native_t${threads}`] = out;
    conn.closeSync();
  }

  const engine = await createNodeEngine();
  const path = await engine.registerSource('orders.csv', { kind: 'path', path: csvPath });
  let bytes: Uint8Array = new Uint8Array();
  const nodeTimes = await timeRuns(runs, () => { bytes = engine.toParquet(transformSql(`read_csv(${quoteLiteral(path)})`)); });
  outputs['epoxy_node'] = join(outDir, 'epoxy_node.parquet');
  writeFileSync(outputs['epoxy_node'], bytes);
  measurements.push(measurement('Epoxy in Node (DuckDB-WASM)', nodeTimes));

  if (browser) {
    const page = await browser.browser.newPage();
    await page.goto(browser.baseUrl);
    await page.waitForSelector('[data-testid=engine-status][data-state=ready]', { timeout: 60_000 });
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-input';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-input', csvPath);
    const result = await page.evaluate(async ({ runs, sqlTemplate }) => {
      const engine = (globalThis as unknown as { epoxy: { open: Function; toParquet: Function } }).epoxy;
      const file = (document.getElementById('bench-input') as HTMLInputElement).files![0]!;
      const opened = await engine.open('bench_orders.csv', { kind: 'file', file }, file.size);
      const sql = sqlTemplate.replace('__SOURCE__', `"${opened.table}"`);
      const times: number[] = [];
      let last: Uint8Array = new Uint8Array();
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        last = await engine.toParquet(sql);
        times.push(performance.now() - t0);
      }
      let binary = '';
      for (const b of last) binary += String.fromCharCode(b);
      return { times, parquet: btoa(binary) };
    }, { runs, sqlTemplate: transformSql('__SOURCE__') });
    await page.close();
    outputs['epoxy_chromium'] = join(outDir, 'epoxy_chromium.parquet');
    writeFileSync(outputs['epoxy_chromium'], Buffer.from(result.parquet, 'base64'));
    measurements.push(measurement('Epoxy in chromium (DuckDB-WASM, worker)', result.times, 'file read lazily from disk'));
  }

  const checked = await compareParquet(outputs, 'native_t1');
  const median1 = (name: string) => measurements.find((x) => x.name === name)?.medianMs ?? NaN;
  const native1 = median1('native DuckDB, 1 thread');
  const chromiumRatio = median1('Epoxy in chromium (DuckDB-WASM, worker)') / native1;
  const details = chromiumRatio > 2
    ? [`Missed in chromium (${chromiumRatio.toFixed(2)}x) while the same WASM in Node is ${(median1('Epoxy in Node (DuckDB-WASM)') / native1).toFixed(2)}x: the difference is the read path. In chromium the dropped file is read through BROWSER_FILEREADER (a FileReaderSync slice, then a copy into the WASM heap, per read), in Node through NODE_FS.`]
    : undefined;
  return {
    suite: 'transform',
    title: `Transform: CSV -> filter/aggregate -> Parquet, ${rows.toLocaleString('en-US')} rows (${(readFileSync(csvPath).length / 2 ** 20).toFixed(0)} MB)`,
    measures: 'Wall time to read the CSV, filter, aggregate (40 groups) and encode the result as Parquet, engine already started.',
    epoxy: browser ? 'Epoxy in chromium (DuckDB-WASM, worker)' : 'Epoxy in Node (DuckDB-WASM)',
    peer: 'native DuckDB, 1 thread',
    // Issue 21's goal is stated at 10M rows; a smaller run (1M, --quick) reports against it as indicative.
    goals: [{ id: 'transform-10m', ...(rows === 10_000_000 ? {} : { at: `${rows.toLocaleString('en-US')} rows` }) }],
    ...(rows === 10_000_000 ? {} : { goal: 'within 2x of native at threads=1 (earlier goal)', goalMax: 2 }),
    measurements,
    checked,
    details,
    note: details?.[0] ?? (browser ? `chromium ${chromiumRatio.toFixed(2)}x native, the same WASM in Node ${(median1('Epoxy in Node (DuckDB-WASM)') / native1).toFixed(2)}x (NODE_FS reads instead of BROWSER_FILEREADER); native at 2 threads ${(median1('native DuckDB, 2 threads') / native1).toFixed(2)}x of 1 thread.` : undefined),
  };
}

/** Check every output Parquet has exactly the rows of the reference (read back by native DuckDB); throws when one differs. */
export async function compareParquet(outputs: Record<string, string>, reference: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const ref = quoteLiteral(outputs[reference]!);
  const refRows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ref}`)).getRows()[0]![0]);
  for (const [name, path] of Object.entries(outputs)) {
    const other = quoteLiteral(path);
    const diff = await conn.runAndReadAll(`SELECT count(*) FROM ((FROM ${ref} EXCEPT ALL FROM ${other}) UNION ALL (FROM ${other} EXCEPT ALL FROM ${ref}))`);
    const n = Number(diff.getRows()[0]![0]);
    if (n !== 0) throw new Error(`${name} differs from ${reference} in ${n} rows`);
  }
  conn.closeSync();
  return `all ${Object.keys(outputs).length} outputs hold the same ${refRows} rows (native DuckDB EXCEPT ALL both ways).`;
}
