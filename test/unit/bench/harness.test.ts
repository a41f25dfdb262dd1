import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOALS, goalById } from '../../../bench/lib/goals';
import { goalMet, goalRows, ratio, renderResults, type BenchResult } from '../../../bench/lib/report';
import { anotherRun, median } from '../../../bench/lib/stats';
import { flightsLikeParquet } from '../../../bench/suites/parquet';
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
    expect(md).toContain('## Other goals (earlier issues)');
    expect(md).toContain('| Crawl: a folder of 40 small mixed files | under 5 s |');
  });

  it('runs the parquet suite in Node on a tiny flights-like file: Engine, `epoxy query` and native answers agree', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epoxy-bench-parquet-'));
    const parquetFile = await flightsLikeParquet(dataDir, 3000);
    const results = await runBenchmarks({ suites: ['parquet'], rows: [], runs: 1, browser: false, dataDir, resultsPath: null, parquetFile, parquetMemoryBytes: 0 }, () => {});
    expect(results.map((r) => r.title)).toEqual([
      'Parquet: open flights_like_3000.parquet (0 MB, 3,000 rows) to its first rows',
      'Parquet: open + group-by on flights_like_3000.parquet (0 MB, 3,000 rows)',
      'Parquet: `epoxy query` open + group-by on flights_like_3000.parquet, fresh processes',
    ]);
    expect(results[0]!.checked).toBe('every open showed 200 first rows with native\'s columns [date, delay, distance, origin, destination].');
    expect(results[1]!.checked).toMatch(/^the group-by answer equals native DuckDB's \(EXCEPT ALL both ways\) for every Epoxy contender/);
    expect(results[2]!.checked).toMatch(/for epoxy query's --json output and the native process's\.$/);
    expect(results[2]!.measurements.map((m) => m.name)).toEqual(['epoxy query (fresh process)', 'native DuckDB process, 1 thread', 'Epoxy in Node (Engine.open + query)']);
    const rows = goalRows(results);
    // Without chromium the chromium goals are judged on the Node Engine, and say so.
    expect(rows.find((r) => r.goal.id === 'parquet-groupby-chromium')).toMatchObject({ at: 'Node in-process Engine (no chromium in this run)' });
    expect(rows.find((r) => r.goal.id === 'parquet-groupby-cli')!.status).toMatch(/^(met|missed)$/);
    expect(rows.find((r) => r.goal.id === 'parquet-memory-1gb')!.status).toBe('not measured');
  }, 300_000); // it starts `epoxy query` and native processes: tens of seconds on a loaded 2-core machine

  it('runs the cli suite on tiny CSVs: `epoxy query` and `epoxy run` in fresh processes, checked against native DuckDB', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epoxy-bench-cli-'));
    const results = await runBenchmarks({ suites: ['cli'], rows: [3000], runs: 1, browser: false, dataDir, resultsPath: null, cliRows: 200 }, () => {});
    expect(results.map((r) => r.title)).toEqual([
      'CLI: `epoxy query` on a small CSV (12 KB), fresh processes',
      'CLI: `epoxy run` of the bench job, 3,000-row CSV (0 MB) -> Parquet, fresh processes',
    ]);
    expect(results[0]!.checked).toBe('epoxy query\'s answer equals native DuckDB\'s (EXCEPT ALL both ways, 5 rows).');
    expect(results[1]!.checked).toMatch(/^epoxy run's Parquet equals native's: all 2 outputs hold the same 40 rows/);
    expect(results[0]!.goalId).toBe('cli-query');
    expect(results[1]!.goals).toEqual([{ id: 'cli-run', at: '3,000 rows' }]);
  }, 300_000); // four fresh `epoxy` processes and two native ones

  it('lists every issue goal in the Goals table: met, missed with its figure, indicative at another size, not measured', () => {
    const r = (over: Partial<BenchResult>): BenchResult => ({ suite: 's', title: over.title ?? 't', measures: '', epoxy: 'e', peer: 'p', checked: 'ok', measurements: [
      { name: 'e', medianMs: 300, runsMs: [300] }, { name: 'p', medianMs: 100, runsMs: [100] }, { name: 'x', medianMs: 900, runsMs: [900] }], ...over });
    const results = [
      r({ title: 'cli', goalId: 'cli-query', note: 'start-up dominates' }), // ratio 3 > 2.5: missed
      r({ title: 'pq', goalId: 'parquet-first-rows' }), // 300 ms < 500 ms: met
      r({ title: 'cold', goals: [{ id: 'coldstart-repeat-ready', measurement: 'x' }, { id: 'coldstart-first-paint', measurement: 'e' }] }),
      r({ title: 'coi', goalId: 'coi-aggregate', epoxy: 'p', peer: 'e' }), // speedup 3x: met
      r({ title: 'small', goals: [{ id: 'transform-10m', at: '100,000 rows' }], measurements: [{ name: 'e', medianMs: 1, runsMs: [1] }, { name: 'p', medianMs: 1, runsMs: [1] }] }),
      r({ title: 'skipped', goalId: 'memory-2gb-job', measurements: [], checked: 'SKIPPED: no disk' }),
    ];
    const rows = goalRows(results);
    expect(rows.map((x) => x.goal.id)).toEqual(GOALS.map((g) => g.id));
    const byId = Object.fromEntries(rows.map((x) => [x.goal.id, x]));
    expect(byId['cli-query']).toMatchObject({ status: 'missed', figure: 'ratio 3.00 (300 ms vs 100 ms)', limits: 'start-up dominates' });
    expect(byId['parquet-first-rows']).toMatchObject({ status: 'met', figure: '300 ms' });
    expect(byId['coldstart-repeat-ready']).toMatchObject({ status: 'missed', figure: '900 ms' });
    expect(byId['coldstart-first-paint']).toMatchObject({ status: 'missed', figure: '300 ms' });
    expect(byId['coi-aggregate']).toMatchObject({ status: 'met', figure: 'speedup 3.00x (100 ms vs 300 ms)' });
    expect(byId['transform-10m']).toMatchObject({ status: 'met', at: '100,000 rows' });
    expect(byId['memory-2gb-job']).toMatchObject({ status: 'not measured', limits: 'SKIPPED: no disk' });
    expect(byId['wide-open-time']!.status).toBe('not measured');
    const md = renderResults(results, 'test machine', '2026-01-01');
    expect(md).toContain('## Goals (issue 21)');
    expect(md).toContain('| 2 | CLI: `epoxy query` on a small CSV within 2.5x a native DuckDB process and < 1 s | **missed** (ratio 3.00 (300 ms vs 100 ms)) | cli | start-up dominates |');
    expect(md).toContain('| 5 | Long: the 10M-row transform within 1.4x native threads=1 (chromium) | met (ratio 1.00 (1.0 ms vs 1.0 ms)) — at 100,000 rows, not 10,000,000 rows: indicative | small | — |');
    expect(md).toContain('| 7 | `npm run bench -- --quick` (every suite) finishes in < 5 min | not measured in this run |');
    expect(() => goalRows([r({ goals: [{ id: 'nope' as 'cli-query' }] })])).toThrow(/unknown goal "nope"/);
    expect(goalById('bench-quick').maxValue).toBe(300_000);
  });

  it('parses bench options and judges goals', () => {
    const quick = benchOptionsFromArgs(['--quick', '--suite', 'crawl,memory', '--no-browser']);
    expect(quick.suites).toEqual(['crawl', 'memory']);
    expect(quick.browser).toBe(false);
    expect(quick.runs).toBe(3);
    expect(quick).toMatchObject({ quick: true, budgetMs: 20_000, parquetMemoryBytes: 64 * 2 ** 20 });
    expect(benchOptionsFromArgs([]).parquetMemoryBytes).toBe(2 ** 30);
    expect(benchOptionsFromArgs([]).suites).toEqual(['coldstart', 'transform', 'parquet', 'crawl', 'memory', 'cli', 'wide', 'coi']);
    // A contender always runs once; more only while it stays within the --quick budget.
    expect([anotherRun(0, 3, 99_000, 20_000), anotherRun(1, 3, 19_000, 20_000), anotherRun(1, 3, 21_000, 20_000), anotherRun(3, 3, 0)]).toEqual([true, true, false, false]);
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
