import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goalMet, ratio, renderResults, type BenchResult } from '../../../bench/lib/report';
import { median } from '../../../bench/lib/stats';
import { benchOptionsFromArgs, runBenchmarks } from '../../../bench/run';
import { main } from '../../../src/cli/main';

// A smoke of the benchmark harness on tiny data: it must run end to end and check its outputs.
// No timing is asserted; the real figures come from `npm run bench`.
describe('benchmark harness smoke', () => {
  it('runs the transform suite in Node against native DuckDB and verifies equal outputs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epoxy-bench-'));
    const [result] = await runBenchmarks({ suites: ['transform'], rows: [2000], runs: 1, browser: false, dataDir, resultsPath: null }, () => {});
    expect(result!.measurements.map((m) => m.name)).toEqual(['native DuckDB, 1 thread', 'native DuckDB, 2 threads', 'Epoxy in Node (DuckDB-WASM)']);
    expect(result!.checked).toMatch(/^all 3 outputs hold the same 40 rows/);
    expect(Number.isFinite(ratio(result!))).toBe(true);
    const md = renderResults([result!], 'test machine', '2026-01-01');
    expect(md).toContain('| native DuckDB, 1 thread (peer) |');
    expect(md).toContain('**Ratio Epoxy in Node (DuckDB-WASM) / native DuckDB, 1 thread:');
  });

  it('runs the crawl suite in Node on tiny generated data and checks every inference against the generator', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epoxy-bench-crawl-'));
    const results = await runBenchmarks({ suites: ['crawl'], rows: [], runs: 1, browser: false, dataDir, resultsPath: null, crawl: { csvBytes: 150_000, ndjsonBytes: 150_000, files: 40 } }, () => {});
    expect(results.map((r) => r.title)).toEqual([
      'Crawl: sampled CSV inference, 0 MB CSV',
      'Crawl: full-scan typed CSV inference, 0 MB CSV',
      'Crawl: NDJSON with a drifting schema, 0 MB',
      'Crawl: a folder of 40 small mixed files',
    ]);
    for (const r of results) expect(r.checked, r.title).not.toMatch(/^FAILED/);
    expect(results[3]!.checked).toContain('all 40 files classified as generated');
    expect(results[0]!.peer).toBe('DuckDB-WASM sniffer, Node');
    for (const r of results.slice(0, 3)) expect(Number.isFinite(ratio(r))).toBe(true);
    const md = renderResults(results, 'test machine', '2026-01-01');
    expect(md).toContain('## Goals');
    expect(md).toContain('| Crawl: a folder of 40 small mixed files | under 5 s |');
  });

  it('parses bench options and judges goals', () => {
    const quick = benchOptionsFromArgs(['--quick', '--suite', 'crawl,memory', '--no-browser']);
    expect(quick.suites).toEqual(['crawl', 'memory']);
    expect(quick.browser).toBe(false);
    expect(quick.runs).toBe(3);
    expect(() => benchOptionsFromArgs(['--suite', 'nope'])).toThrow(/unknown suite "nope"/);
    const base: BenchResult = { suite: 's', title: 't', measures: '', epoxy: 'e', peer: 'p', checked: 'ok', measurements: [
      { name: 'e', medianMs: 50, runsMs: [50] }, { name: 'p', medianMs: 100, runsMs: [100] }] };
    expect(goalMet({ ...base, goalMax: 1 })).toBe(true);
    expect(goalMet({ ...base, goalMax: 0.4 })).toBe(false);
    expect(goalMet({ ...base, peer: undefined, goalAbsoluteMs: 40 })).toBe(false);
    expect(goalMet(base)).toBeNull();
  });

  it('`epoxy bench` refuses an unknown suite before running anything', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => { errors.push(line); };
    try {
      expect(await main(['bench', '--suite', 'crawl,nope'])).toBe(1);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toContain('epoxy bench: unknown suite "nope"');
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});
