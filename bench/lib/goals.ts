/**
 * The goals the bench judges, in one place: issue 21's numbered goals (ids, text, thresholds). A suite only
 * names the goal(s) a result measures (BenchResult.goalId / goals) and says what limits it (BenchResult.note);
 * the Goals table of RESULTS.md lists every goal here, measured or not.
 */

/** One goal: met when every threshold it states holds for the judged measurement. */
export interface Goal {
  id: string;
  /** The goal's number in issue 21 (1 Parquet ... 7 the bench itself). */
  issueGoal: number;
  text: string;
  /** Met when judged / peer <= maxRatio (times, or megabytes for memory goals). */
  maxRatio?: number;
  /** Met when peer / judged >= minSpeedup (the judged contender is the faster one: e.g. coi build vs eh build). */
  minSpeedup?: number;
  /** Met when the judged measurement's median is below this, in its unit (ms, or MB for memory figures). */
  maxValue?: number;
  /** The size the goal is stated at; a result measured at another size says so (GoalRef.at) and counts as indicative. */
  size?: string;
}

/** Every goal of issue 21, in the issue's order. */
export const GOALS = [
  { id: 'parquet-first-rows', issueGoal: 1, text: 'Parquet: opening flights-3m.parquet shows its first rows in < 0.5 s (chromium)', maxValue: 500 },
  { id: 'parquet-groupby-chromium', issueGoal: 1, text: 'Parquet: open + group-by on flights-3m.parquet within 5x native DuckDB threads=1, in chromium', maxRatio: 5 },
  { id: 'parquet-groupby-cli', issueGoal: 1, text: 'Parquet: open + group-by on flights-3m.parquet within 5x native DuckDB threads=1, in the CLI (`epoxy query`, fresh process vs a fresh native process)', maxRatio: 5 },
  { id: 'parquet-memory-1gb', issueGoal: 1, text: 'Parquet: peak memory for a 1 GB Parquet file (open + filter/aggregate) within 2.5x native', maxRatio: 2.5, size: '~1 GB' },
  { id: 'cli-query', issueGoal: 2, text: 'CLI: `epoxy query` on a small CSV within 2.5x a native DuckDB process and < 1 s', maxRatio: 2.5, maxValue: 1000 },
  { id: 'cli-run', issueGoal: 2, text: 'CLI: `epoxy run` of the bench job (1M-row CSV -> filter/aggregate -> Parquet) within 1.5x native', maxRatio: 1.5, size: '1,000,000 rows' },
  { id: 'coldstart-repeat-ready', issueGoal: 3, text: 'Cold start: repeat visit to DuckDB ready < 0.8 s', maxValue: 800 },
  { id: 'coldstart-first-paint', issueGoal: 3, text: 'Cold start: first paint < 150 ms (repeat visit)', maxValue: 150 },
  { id: 'memory-2gb-job', issueGoal: 4, text: 'Memory: the 2 GB CSV job\'s renderer peak within 2.5x native', maxRatio: 2.5, size: '2 GB' },
  { id: 'wide-open-time', issueGoal: 5, text: 'Wide: a 5,000-column × 200-row CSV opens in the Workspace in < 3 s', maxValue: 3000 },
  { id: 'wide-open-memory', issueGoal: 5, text: 'Wide: a 5,000-column × 200-row CSV opens in < 500 MB', maxValue: 500 },
  { id: 'transform-10m', issueGoal: 5, text: 'Long: the 10M-row transform within 1.4x native threads=1 (chromium)', maxRatio: 1.4, size: '10,000,000 rows' },
  { id: 'coi-aggregate', issueGoal: 6, text: 'More than one core: the coi build gains >= 1.6x on a 10M-row aggregate on 2 cores', minSpeedup: 1.6 },
  { id: 'bench-quick', issueGoal: 7, text: '`npm run bench -- --quick` (every suite) finishes in < 5 min', maxValue: 5 * 60_000 },
] as const satisfies readonly Goal[];

/** The ids of GOALS. */
export type GoalId = (typeof GOALS)[number]['id'];

/** The goal with this id; throws on an unknown one (a typo in a suite must not silently drop a goal). */
export function goalById(id: string): Goal {
  const goal = (GOALS as readonly Goal[]).find((g) => g.id === id);
  if (!goal) throw new Error(`unknown goal "${id}": goals are ${GOALS.map((g) => g.id).join(', ')} (bench/lib/goals.ts)`);
  return goal;
}

/**
 * A result's claim to measure a goal. `measurement` and `peer` name the result's measurements judged (default:
 * the result's `epoxy` and `peer`); `at` says the size it ran at when that is not the goal's (a --quick run):
 * the verdict is then indicative only.
 */
export interface GoalRef {
  id: GoalId;
  measurement?: string;
  peer?: string;
  at?: string;
}
