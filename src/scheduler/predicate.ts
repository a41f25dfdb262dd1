import type { CrawlState, RunState } from './run-state';

/** One condition of a conditional trigger, as in Glue's Predicate.Conditions. */
export type Condition =
  | { LogicalOperator: 'EQUALS'; JobName: string; State: Extract<RunState, 'SUCCEEDED' | 'STOPPED' | 'FAILED' | 'TIMEOUT'> }
  | { LogicalOperator: 'EQUALS'; CrawlerName: string; CrawlState: Extract<CrawlState, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'> };

/** Glue's Predicate: AND (all conditions) or ANY (at least one). */
export interface Predicate {
  Logical: 'AND' | 'ANY';
  Conditions: Condition[];
}

/** The latest finished state of each job and crawler within one workflow run (or globally for standalone triggers). */
export interface Outcomes {
  jobs: Record<string, RunState | undefined>;
  crawlers: Record<string, CrawlState | undefined>;
}

/** Whether one condition holds for the given outcomes. */
export function conditionHolds(c: Condition, o: Outcomes): boolean {
  return 'JobName' in c ? o.jobs[c.JobName] === c.State : o.crawlers[c.CrawlerName] === c.CrawlState;
}

/** Evaluate a predicate; an empty predicate never fires (Glue requires at least one condition). */
export function evaluatePredicate(p: Predicate, o: Outcomes): boolean {
  if (p.Conditions.length === 0) return false;
  return p.Logical === 'AND' ? p.Conditions.every((c) => conditionHolds(c, o)) : p.Conditions.some((c) => conditionHolds(c, o));
}

/** Names of the jobs and crawlers a predicate watches (the DAG edges into a conditional trigger). */
export function watchedNodes(p: Predicate): { jobs: string[]; crawlers: string[] } {
  return {
    jobs: p.Conditions.flatMap((c) => ('JobName' in c ? [c.JobName] : [])),
    crawlers: p.Conditions.flatMap((c) => ('CrawlerName' in c ? [c.CrawlerName] : [])),
  };
}
