import { spawnSync } from 'node:child_process';
import type { BrowserBench } from '../lib/browser';
import type { BenchResult, Measurement } from '../lib/report';
import { median } from '../lib/stats';

interface StartTimes {
  firstPaint: number;
  ready: number;
  firstQuery: number;
}

/** Navigate and measure, from navigation start: first contentful paint, DuckDB ready, first query answered. */
async function measureStart(page: import('@playwright/test').Page, url: string): Promise<StartTimes> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=engine-status][data-state=ready]', { timeout: 60_000 });
  return page.evaluate(async () => {
    const ready = performance.now();
    const engine = (globalThis as unknown as { epoxy: { query(sql: string): Promise<{ rows: unknown[][] }> } }).epoxy;
    const result = await engine.query('SELECT 42 AS answer');
    if (result.rows[0]?.[0] !== 42) throw new Error('first query returned the wrong answer');
    const firstQuery = performance.now();
    const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { firstPaint: paint, ready, firstQuery };
  });
}

const m = (name: string, runs: number[], note?: string): Measurement => ({ name, medianMs: median(runs), runsMs: runs, note });

/**
 * Cold start in headless chromium: a fresh profile (nothing cached) and a reload (served from cache), against
 * the DuckDB peer a user would otherwise reach for: a fresh process of native DuckDB answering its first query.
 */
export async function coldStartBench(browser: BrowserBench, runs: number): Promise<BenchResult> {
  const cold: StartTimes[] = [];
  const warm: StartTimes[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    cold.push(await measureStart(page, browser.baseUrl));
    warm.push(await measureStart(page, browser.baseUrl));
    await context.close();
  }
  const native: number[] = [];
  const script = "const {DuckDBInstance}=require('@duckdb/node-api');(async()=>{const t=performance.now();const c=await (await DuckDBInstance.create(':memory:')).connect();const r=await c.runAndReadAll('SELECT 42');if(Number(r.getRows()[0][0])!==42)process.exit(2);})()";
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    if (p.status !== 0) throw new Error('native DuckDB process failed');
    native.push(performance.now() - t0);
  }
  return {
    suite: 'coldstart',
    title: 'Cold start: from navigation to the first query answer',
    measures: 'Headless chromium, a new profile each run ("first visit") and a reload of the same page ("repeat visit", served from cache). First paint = first-contentful-paint; DuckDB ready = the engine worker reports DuckDB instantiated; first query = `SELECT 42` answered. Peer: a new Node process of native DuckDB (@duckdb/node-api) answering `SELECT 42`.',
    epoxy: 'Epoxy repeat visit: first query',
    peer: 'native DuckDB process: first query',
    measurements: [
      m('Epoxy first visit: first paint', cold.map((c) => c.firstPaint)),
      m('Epoxy first visit: DuckDB ready', cold.map((c) => c.ready)),
      m('Epoxy first visit: first query', cold.map((c) => c.firstQuery)),
      m('Epoxy repeat visit: first paint', warm.map((c) => c.firstPaint)),
      m('Epoxy repeat visit: DuckDB ready', warm.map((c) => c.ready)),
      m('Epoxy repeat visit: first query', warm.map((c) => c.firstQuery)),
      m('native DuckDB process: first query', native, 'includes Node start'),
    ],
    goals: [
      { id: 'coldstart-repeat-ready', measurement: 'Epoxy repeat visit: DuckDB ready' },
      { id: 'coldstart-first-paint', measurement: 'Epoxy repeat visit: first paint' },
    ],
    checked: 'every first query returned 42.',
    note: `repeat visit: first paint ${median(warm.map((c) => c.firstPaint)).toFixed(0)} ms, DuckDB ready ${median(warm.map((c) => c.ready)).toFixed(0)} ms (first visit ${median(cold.map((c) => c.ready)).toFixed(0)} ms); this suite does not split download, compile, instantiate and worker start.`,
  };
}
