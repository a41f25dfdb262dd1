import { formatMs } from './stats';

/** One measured contender in a benchmark: its median and all runs. */
export interface Measurement {
  name: string;
  medianMs: number;
  runsMs: number[];
  note?: string;
  /** Set for memory figures: the value is megabytes, not milliseconds. */
  unit?: 'MB';
}

/** A benchmark: what it measures, its contenders, which one is Epoxy and which (if any) is the peer for the ratio. */
export interface BenchResult {
  suite: string;
  title: string;
  measures: string;
  epoxy: string;
  peer?: string;
  goal?: string;
  /** The goal as a bound on the ratio Epoxy / peer (e.g. 1 for "no slower"). */
  goalMax?: number;
  /** The goal as a bound on Epoxy's own median, in the result's unit. */
  goalAbsoluteMs?: number;
  measurements: Measurement[];
  checked: string;
  /** Extra lines (tables, explanations) rendered after the measurements. */
  details?: string[];
}

const valueOf = (result: BenchResult, name: string | undefined) => result.measurements.find((m) => m.name === name)?.medianMs;

/** Epoxy time divided by peer time (below 1 means Epoxy is faster); NaN without a peer. */
export function ratio(result: BenchResult): number {
  const e = valueOf(result, result.epoxy);
  const p = valueOf(result, result.peer);
  if (e === undefined || p === undefined || p === 0) return NaN;
  return e / p;
}

/** Whether the result met its stated goal: true, false, or null when it states none. */
export function goalMet(result: BenchResult): boolean | null {
  if (result.goalMax !== undefined) return ratio(result) <= result.goalMax;
  if (result.goalAbsoluteMs !== undefined) return (valueOf(result, result.epoxy) ?? Infinity) < result.goalAbsoluteMs;
  return null;
}

const show = (value: number, unit?: 'MB') => (Number.isNaN(value) ? '—' : unit === 'MB' ? `${value.toFixed(0)} MB` : formatMs(value));

/** Render results as the markdown of bench/RESULTS.md. */
export function renderResults(results: BenchResult[], machine: string, date: string, notes: string[] = []): string {
  const lines = [
    '# Epoxy benchmark results',
    '',
    `Machine: ${machine}  `,
    `Date: ${date}  `,
    'Medians of several runs; ratio = Epoxy / peer (below 1.00 means Epoxy is faster or smaller). Regenerate with `npm run bench`.',
    '',
    ...notes,
  ];
  const missed = results.filter((r) => goalMet(r) === false || r.checked.startsWith('FAILED'));
  if (results.some((r) => r.goal)) {
    lines.push('## Goals', '', '| benchmark | goal | result |', '|---|---|---|');
    for (const r of results.filter((x) => x.goal)) {
      const met = goalMet(r);
      const figure = r.peer ? `ratio ${ratio(r).toFixed(2)}` : show(valueOf(r, r.epoxy) ?? NaN);
      lines.push(`| ${r.title} | ${r.goal} | ${met === null ? '' : met ? 'met' : '**missed**'} (${figure}) |`);
    }
    lines.push('');
  }
  if (missed.length) lines.push(`Missed or failed: ${missed.map((r) => r.title).join('; ')} (see each section).`, '');
  for (const r of results) {
    lines.push(`## ${r.title}`, '', r.measures, '');
    if (r.goal) lines.push(`Goal: ${r.goal}`, '');
    lines.push('| contender | median | runs | note |', '|---|---:|---|---|');
    for (const m of r.measurements) {
      lines.push(`| ${m.name}${m.name === r.epoxy ? ' (Epoxy)' : ''}${m.name === r.peer ? ' (peer)' : ''} | ${show(m.medianMs, m.unit)} | ${m.runsMs.map((v) => show(v, m.unit)).join(', ')} | ${m.note ?? ''} |`);
    }
    lines.push('');
    if (r.peer) lines.push(`**Ratio ${r.epoxy} / ${r.peer}: ${ratio(r).toFixed(2)}**`, '');
    if (r.details) lines.push(...r.details, '');
    lines.push(`Checked: ${r.checked}`, '');
  }
  return lines.join('\n');
}
