import { spawnSync } from 'node:child_process';
import type { BrowserBench } from '../lib/browser';
import type { BenchResult, Measurement } from '../lib/report';
import { median } from '../lib/stats';

/** One phase of a start, in ms from navigation start. */
interface Phase {
  name: string;
  start: number;
  end: number;
}

interface StartTimes {
  firstPaint: number;
  ready: number;
  firstQuery: number;
  /** The app's own marks (main.ts, engine-client.ts, start-app.ts, the Workspace): ms from navigation start. */
  marks: Record<string, number>;
  /** The engine worker's start (src/engine/start-clock.ts), converted to ms from the page's navigation start. */
  phases: Phase[];
  /** Whether the service worker served the page. */
  controlled: boolean;
}

/** Navigate and measure, from navigation start: first contentful paint, DuckDB ready, first query answered, and the start's phases. */
async function measureStart(page: import('@playwright/test').Page, url: string): Promise<StartTimes> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=engine-status][data-state=ready]', { timeout: 60_000 });
  return page.evaluate(async () => {
    const ready = performance.now();
    interface Info { phases?: { name: string; start: number; end: number }[] }
    const engine = (globalThis as unknown as { epoxy: { query(sql: string): Promise<{ rows: unknown[][] }>; init(): Promise<Info> } }).epoxy;
    const result = await engine.query('SELECT 42 AS answer');
    if (result.rows[0]?.[0] !== 42) throw new Error('first query returned the wrong answer');
    const firstQuery = performance.now();
    const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const origin = performance.timeOrigin;
    const phases = ((await engine.init()).phases ?? []).map((p) => ({ name: p.name, start: p.start - origin, end: p.end - origin }));
    const marks = Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('epoxy:')).map((m) => [m.name.slice(6), m.startTime]));
    return { firstPaint: paint, ready, firstQuery, marks, phases, controlled: navigator.serviceWorker?.controller != null };
  });
}

const m = (name: string, runs: number[], note?: string): Measurement => ({ name, medianMs: median(runs), runsMs: runs, note });

/** The rows of the breakdown: the page's marks, then the worker's phases in the order the first run recorded them. */
function breakdownRows(visits: StartTimes[]): { name: string; start: number; end: number }[] {
  const rows: { name: string; start: number; end: number }[] = [];
  const medianOf = (values: number[]) => (values.length ? median(values) : NaN);
  rows.push({ name: 'page: app script runs (main.ts)', start: 0, end: medianOf(visits.map((v) => v.marks['app-script']).filter((x) => x !== undefined) as number[]) });
  rows.push({ name: 'page: engine worker created', start: 0, end: medianOf(visits.map((v) => v.marks['engine-worker-created']).filter((x) => x !== undefined) as number[]) });
  rows.push({ name: 'page: first contentful paint', start: 0, end: medianOf(visits.map((v) => v.firstPaint)) });
  rows.push({ name: 'page: app mounted', start: 0, end: medianOf(visits.map((v) => v.marks['app-mounted']).filter((x) => x !== undefined) as number[]) });
  for (const name of visits[0]?.phases.map((p) => p.name) ?? []) {
    const found = visits.map((v) => v.phases.find((p) => p.name === name)).filter((p): p is Phase => p !== undefined);
    rows.push({ name: `worker: ${name}`, start: medianOf(found.map((p) => p.start)), end: medianOf(found.map((p) => p.end)) });
  }
  rows.push({ name: 'page: engine ready (init answered)', start: 0, end: medianOf(visits.map((v) => v.marks['engine-ready']).filter((x) => x !== undefined) as number[]) });
  return rows;
}

/** A markdown table of the start's phases, first visit and repeat visit side by side (medians, ms from navigation start). */
export function breakdownTable(cold: StartTimes[], warm: StartTimes[]): string[] {
  const c = breakdownRows(cold);
  const w = breakdownRows(warm);
  const cell = (r?: { start: number; end: number }) => {
    if (!r || Number.isNaN(r.end)) return '—';
    return r.start === 0 ? `at ${Math.round(r.end)}` : `${Math.round(r.start)} → ${Math.round(r.end)} (${Math.round(r.end - r.start)})`;
  };
  const names = [...new Set([...c.map((r) => r.name), ...w.map((r) => r.name)])];
  return [
    'Where the start goes (medians, ms from navigation start; "a → b (d)" is a phase from a to b lasting d). Worker phases come from the engine worker\'s StartClock (src/engine/start-clock.ts); the worker script phase runs from the worker\'s creation until its module graph has loaded.',
    '',
    '| phase | first visit | repeat visit |',
    '|---|---:|---:|',
    ...names.map((n) => `| ${n} | ${cell(c.find((r) => r.name === n))} | ${cell(w.find((r) => r.name === n))} |`),
  ];
}

/**
 * Cold start in headless chromium: a fresh profile (nothing cached) and a reload (served by the service
 * worker from its precache), against the DuckDB peer a user would otherwise reach for: a fresh process of
 * native DuckDB answering its first query. Also breaks the start down into its phases.
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
  const served = warm.filter((w) => w.controlled).length;
  return {
    suite: 'coldstart',
    title: 'Cold start: from navigation to the first query answer',
    measures: 'Headless chromium, a new profile each run ("first visit") and a reload of the same page ("repeat visit", served by the service worker from its precache). First paint = first-contentful-paint (index.html\'s static app shell); app mounted = the Svelte app replaced it; DuckDB ready = the engine worker reports DuckDB instantiated and opened; first query = `SELECT 42` answered. Peer: a new Node process of native DuckDB (@duckdb/node-api) answering `SELECT 42`.',
    epoxy: 'Epoxy repeat visit: first query',
    peer: 'native DuckDB process: first query',
    goal: 'repeat visit: DuckDB ready < 0.8 s and first paint < 150 ms (issue 21, goal 3)',
    measurements: [
      m('Epoxy first visit: first paint', cold.map((c) => c.firstPaint)),
      m('Epoxy first visit: app mounted', cold.map((c) => c.marks['app-mounted'] ?? NaN)),
      m('Epoxy first visit: DuckDB ready', cold.map((c) => c.ready)),
      m('Epoxy first visit: first query', cold.map((c) => c.firstQuery)),
      m('Epoxy repeat visit: first paint', warm.map((c) => c.firstPaint)),
      m('Epoxy repeat visit: app mounted', warm.map((c) => c.marks['app-mounted'] ?? NaN)),
      m('Epoxy repeat visit: DuckDB ready', warm.map((c) => c.ready)),
      m('Epoxy repeat visit: first query', warm.map((c) => c.firstQuery)),
      m('native DuckDB process: first query', native, 'includes Node start'),
    ],
    goals: [
      { id: 'coldstart-repeat-ready', measurement: 'Epoxy repeat visit: DuckDB ready' },
      { id: 'coldstart-first-paint', measurement: 'Epoxy repeat visit: first paint' },
    ],
    checked: `every first query returned 42; ${served}/${warm.length} repeat visits were served by the service worker.`,
    details: breakdownTable(cold, warm),
    note: `repeat visit: first paint ${median(warm.map((c) => c.firstPaint)).toFixed(0)} ms, DuckDB ready ${median(warm.map((c) => c.ready)).toFixed(0)} ms (first visit ${median(cold.map((c) => c.ready)).toFixed(0)} ms); the phase table below splits it (worker script, wasm download + compile, instantiate, DuckDB's emscripten init, open).`,
  };
}
