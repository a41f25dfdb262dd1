/** Median of a non-empty list of numbers. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run `fn` `runs` times (after `warmup` unmeasured runs) and return each duration in ms. */
export async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Format milliseconds for a results table. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/**
 * Whether to take run `i` (0-based) of `runs`: always the first, then the others while the runs so far
 * (`spentMs`) stay under `budgetMs`. --quick sets a budget so a contender that is slow today is timed fewer
 * times instead of stretching the run past 5 minutes; the figure is still a median of what ran.
 */
export function anotherRun(i: number, runs: number, spentMs: number, budgetMs = Infinity): boolean {
  return i === 0 || (i < runs && spentMs < budgetMs);
}
