import { goalById, GOALS, type Goal, type GoalId, type GoalRef } from './goals';
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
  /** The issue goal this result measures (bench/lib/goals.ts), judged on `epoxy` against `peer`. */
  goalId?: GoalId;
  /** More goals, or goals judged on other measurements of this result (e.g. cold start: first paint and DuckDB ready). */
  goals?: GoalRef[];
  /** What limits it: one or two sentences for the Goals table (what dominates, what a missed goal waits on). */
  note?: string;
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

export const show = (value: number, unit?: 'MB') => (Number.isNaN(value) ? '—' : unit === 'MB' ? `${value.toFixed(0)} MB` : formatMs(value));

/** One row of the Goals table: an issue goal and how this run did on it. */
export interface GoalRow {
  goal: Goal;
  status: 'met' | 'missed' | 'not measured' | 'failed check';
  /** Measured at another size than the goal's (a --quick run): the verdict is indicative. */
  at?: string;
  figure: string;
  benchmark?: string;
  limits: string;
}

const refsOf = (r: BenchResult): GoalRef[] => [...(r.goalId ? [{ id: r.goalId }] : []), ...(r.goals ?? [])];

/** Judge one goal on one result: whether every threshold holds, and the figures. */
export function judgeGoal(goal: Goal, result: BenchResult, ref: GoalRef = { id: goal.id as GoalId }): { met: boolean; figure: string } {
  const name = ref.measurement ?? result.epoxy;
  const m = result.measurements.find((x) => x.name === name);
  const value = m?.medianMs ?? NaN;
  const peer = valueOf(result, ref.peer ?? result.peer) ?? NaN;
  const figures: string[] = [];
  let met = true;
  if (goal.maxRatio !== undefined) {
    const r = value / peer;
    figures.push(`ratio ${Number.isFinite(r) ? r.toFixed(2) : '—'} (${show(value, m?.unit)} vs ${show(peer, m?.unit)})`);
    met &&= r <= goal.maxRatio;
  }
  if (goal.minSpeedup !== undefined) {
    const s = peer / value;
    figures.push(`speedup ${Number.isFinite(s) ? s.toFixed(2) : '—'}x (${show(value, m?.unit)} vs ${show(peer, m?.unit)})`);
    met &&= s >= goal.minSpeedup;
  }
  if (goal.maxValue !== undefined) {
    if (goal.maxRatio === undefined && goal.minSpeedup === undefined) figures.push(show(value, m?.unit));
    met &&= value < goal.maxValue;
  }
  return { met: met && !Number.isNaN(value), figure: figures.join('; ') };
}

/**
 * Every goal of bench/lib/goals.ts against the results of this run: met, missed (with its figure), or not measured.
 * A result at the goal's own size wins over one measured at another (GoalRef.at).
 */
export function goalRows(results: BenchResult[]): GoalRow[] {
  for (const r of results) for (const ref of refsOf(r)) goalById(ref.id);
  return GOALS.map((goal): GoalRow => {
    const claims = results.flatMap((r) => refsOf(r).filter((ref) => ref.id === goal.id).map((ref) => ({ r, ref })));
    const pick = claims.find((c) => !c.ref.at && !c.r.checked.startsWith('SKIPPED')) ?? claims.find((c) => !c.r.checked.startsWith('SKIPPED')) ?? claims[0];
    if (!pick) return { goal, status: 'not measured', figure: '', limits: '' };
    const { r, ref } = pick;
    if (r.checked.startsWith('SKIPPED')) return { goal, status: 'not measured', figure: '', benchmark: r.title, limits: r.checked };
    const { met, figure } = judgeGoal(goal, r, ref);
    const status = r.checked.startsWith('FAILED') ? 'failed check' : met ? 'met' : 'missed';
    return { goal, status, ...(ref.at ? { at: ref.at } : {}), figure, benchmark: r.title, limits: r.note ?? (r.checked.startsWith('FAILED') ? r.checked : '') };
  });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Goals table (markdown lines): every issue goal, met / missed (figure) / not measured, and what limits it. */
export function renderGoalsTable(results: BenchResult[]): string[] {
  const lines = ['## Goals (issue 21)', '', '| # | goal | result | benchmark | what limits it |', '|---|---|---|---|---|'];
  for (const row of goalRows(results)) {
    const verdict = row.status === 'not measured' ? 'not measured in this run' : row.status === 'met' ? 'met' : `**${row.status}**`;
    const at = row.at ? ` — at ${row.at}${row.goal.size ? `, not ${row.goal.size}` : ''}: indicative` : '';
    lines.push(`| ${row.goal.issueGoal} | ${cell(row.goal.text)} | ${verdict}${row.figure ? ` (${row.figure})` : ''}${at} | ${cell(row.benchmark ?? '')} | ${cell(row.limits) || '—'} |`);
  }
  lines.push('');
  return lines;
}

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
  const missed = results.filter((r) => goalMet(r) === false || r.checked.startsWith('FAILED') || refsOf(r).some((ref) => !judgeGoal(goalById(ref.id), r, ref).met && !r.checked.startsWith('SKIPPED')));
  lines.push(...renderGoalsTable(results));
  if (results.some((r) => r.goal)) {
    lines.push('## Other goals (earlier issues)', '', '| benchmark | goal | result |', '|---|---|---|');
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
    for (const ref of refsOf(r)) {
      const goal = goalById(ref.id);
      if (r.checked.startsWith('SKIPPED')) continue;
      const { met, figure } = judgeGoal(goal, r, ref);
      lines.push(`Goal ${goal.issueGoal} (${goal.id}): ${goal.text} — ${met ? 'met' : '**missed**'} (${figure})${ref.at ? `, at ${ref.at}: indicative` : ''}`, '');
    }
    if (r.note) lines.push(`What limits it: ${r.note}`, '');
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
