import { formatMs } from './stats';

/** One measured contender in a benchmark: its median and all runs. */
export interface Measurement {
  name: string;
  medianMs: number;
  runsMs: number[];
  note?: string;
}

/** A benchmark: what it measures, its contenders, which one is Epoxy and which is the peer for the ratio. */
export interface BenchResult {
  suite: string;
  title: string;
  measures: string;
  epoxy: string;
  peer: string;
  goal?: string;
  measurements: Measurement[];
  checked: string;
}

/** Epoxy time divided by peer time (below 1 means Epoxy is faster). */
export function ratio(result: BenchResult): number {
  const get = (name: string) => result.measurements.find((m) => m.name === name)?.medianMs;
  const e = get(result.epoxy);
  const p = get(result.peer);
  if (e === undefined || p === undefined || p === 0) return NaN;
  return e / p;
}

/** Render results as the markdown of bench/RESULTS.md. */
export function renderResults(results: BenchResult[], machine: string, date: string): string {
  const lines = [
    '# Epoxy benchmark results',
    '',
    `Machine: ${machine}  `,
    `Date: ${date}  `,
    'Medians of several runs; ratio = Epoxy time / peer time (below 1.00 means Epoxy is faster). Regenerate with `npm run bench`.',
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.title}`, '', r.measures, '');
    if (r.goal) lines.push(`Goal: ${r.goal}`, '');
    lines.push('| contender | median | runs | note |', '|---|---:|---|---|');
    for (const m of r.measurements) {
      lines.push(`| ${m.name}${m.name === r.epoxy ? ' (Epoxy)' : ''}${m.name === r.peer ? ' (peer)' : ''} | ${formatMs(m.medianMs)} | ${m.runsMs.map(formatMs).join(', ')} | ${m.note ?? ''} |`);
    }
    lines.push('', `**Ratio ${r.epoxy} / ${r.peer}: ${ratio(r).toFixed(2)}**`, '', `Checked: ${r.checked}`, '');
  }
  return lines.join('\n');
}
