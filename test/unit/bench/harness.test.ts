import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratio, renderResults } from '../../../bench/lib/report';
import { median } from '../../../bench/lib/stats';
import { runBenchmarks } from '../../../bench/run';

// A smoke of the benchmark harness on tiny data: it must run end to end and check its outputs.
// No timing is asserted; the real figures come from `npm run bench`.
describe('benchmark harness smoke', () => {
  it('runs the transform suite in Node against native DuckDB and verifies equal outputs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'epoxy-bench-'));
    const [result] = await runBenchmarks({ rows: [2000], runs: 1, browser: false, dataDir, resultsPath: null }, () => {});
    expect(result!.measurements.map((m) => m.name)).toEqual(['native DuckDB, 1 thread', 'native DuckDB, 2 threads', 'Epoxy in Node (DuckDB-WASM)']);
    expect(result!.checked).toMatch(/^all 3 outputs hold the same 40 rows/);
    expect(Number.isFinite(ratio(result!))).toBe(true);
    const md = renderResults([result!], 'test machine', '2026-01-01');
    expect(md).toContain('| native DuckDB, 1 thread (peer) |');
    expect(md).toContain('**Ratio Epoxy in Node (DuckDB-WASM) / native DuckDB, 1 thread:');
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});
