import { evaluatePredicate, watchedNodes, type Outcomes, type Predicate } from './predicate';
import { isTerminal, type CrawlState, type RunState } from './run-state';
import { findCycle as graphCycle } from '../util/graph';

/** What a trigger starts, as in Glue's Actions. */
export type Action = { JobName: string; Arguments?: Record<string, string> } | { CrawlerName: string };

/** A trigger of a workflow (Glue shape, minus fields the DAG does not need). */
export interface WorkflowTrigger {
  Name: string;
  Type: 'ON_DEMAND' | 'SCHEDULED' | 'CONDITIONAL';
  Schedule?: string;
  Predicate?: Predicate;
  Actions: Action[];
}

/** A node of the workflow graph. */
export type NodeId = `trigger:${string}` | `job:${string}` | `crawler:${string}`;

const actionNode = (a: Action): NodeId => ('JobName' in a ? `job:${a.JobName}` : `crawler:${a.CrawlerName}`);

/** The workflow graph's edges: trigger -> its actions; watched job/crawler -> conditional trigger. */
export function workflowEdges(triggers: WorkflowTrigger[]): [NodeId, NodeId][] {
  const edges: [NodeId, NodeId][] = [];
  for (const t of triggers) {
    for (const a of t.Actions) edges.push([`trigger:${t.Name}`, actionNode(a)]);
    if (t.Type === 'CONDITIONAL' && t.Predicate) {
      const w = watchedNodes(t.Predicate);
      for (const j of w.jobs) edges.push([`job:${j}`, `trigger:${t.Name}`]);
      for (const c of w.crawlers) edges.push([`crawler:${c}`, `trigger:${t.Name}`]);
    }
  }
  return edges;
}

/** A cycle in the graph, as the list of nodes around it, or null. A workflow with a cycle is refused. */
export function findCycle(triggers: WorkflowTrigger[]): NodeId[] | null {
  const next = new Map<NodeId, NodeId[]>();
  for (const [a, b] of workflowEdges(triggers)) next.set(a, [...(next.get(a) ?? []), b]);
  return graphCycle(next.keys(), (n) => next.get(n) ?? []);
}

/** Validate a workflow: names unique, conditional triggers have conditions, no cycles; returns problems. */
export function validateWorkflow(triggers: WorkflowTrigger[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of triggers) {
    if (seen.has(t.Name)) problems.push(`Two triggers are named ${t.Name}`);
    seen.add(t.Name);
    if (t.Actions.length === 0) problems.push(`Trigger ${t.Name} starts nothing`);
    if (t.Type === 'CONDITIONAL' && !t.Predicate?.Conditions.length) problems.push(`Conditional trigger ${t.Name} has no conditions`);
  }
  const cycle = findCycle(triggers);
  if (cycle) problems.push(`The workflow has a cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** The state of one workflow run: what has run and how it ended, and which triggers already fired. */
export interface WorkflowRunState {
  fired: string[];
  jobs: Record<string, RunState | undefined>;
  crawlers: Record<string, CrawlState | undefined>;
  /** Run properties passed along the workflow (Glue's workflow run properties). */
  properties: Record<string, string>;
}

/**
 * The conditional triggers that should fire now: their predicate holds over this run's outcomes and they
 * have not fired yet in this run (each trigger fires at most once per workflow run, as in Glue).
 */
export function triggersToFire(triggers: WorkflowTrigger[], run: WorkflowRunState): WorkflowTrigger[] {
  const outcomes: Outcomes = { jobs: run.jobs, crawlers: run.crawlers };
  return triggers.filter((t) => t.Type === 'CONDITIONAL' && t.Predicate && !run.fired.includes(t.Name) && evaluatePredicate(t.Predicate, outcomes));
}

/** Whether a workflow run is complete: nothing running and no conditional trigger left to fire. */
export function isWorkflowComplete(triggers: WorkflowTrigger[], run: WorkflowRunState): boolean {
  const running = Object.values(run.jobs).some((s) => s !== undefined && !isTerminal(s)) ||
    Object.values(run.crawlers).some((s) => s === 'RUNNING' || s === 'CANCELLING');
  return !running && triggersToFire(triggers, run).length === 0;
}

/**
 * Resume a failed workflow run the way Glue's ResumeWorkflowRun does: the failed (or stopped/timed out)
 * nodes are started again, and triggers downstream of them may fire again.
 */
export function resumePlan(triggers: WorkflowTrigger[], run: WorkflowRunState): { restart: Action[]; state: WorkflowRunState } {
  const failedJobs = Object.entries(run.jobs).filter(([, s]) => s === 'FAILED' || s === 'TIMEOUT' || s === 'STOPPED' || s === 'ERROR').map(([n]) => n);
  const failedCrawlers = Object.entries(run.crawlers).filter(([, s]) => s === 'FAILED' || s === 'CANCELLED' || s === 'ERROR').map(([n]) => n);
  const restart: Action[] = [...failedJobs.map((JobName) => ({ JobName })), ...failedCrawlers.map((CrawlerName) => ({ CrawlerName }))];
  const downstream = new Set(triggers.filter((t) => t.Predicate && t.Predicate.Conditions.some((c) => ('JobName' in c ? failedJobs.includes(c.JobName) : failedCrawlers.includes(c.CrawlerName)))).map((t) => t.Name));
  const jobs = { ...run.jobs };
  const crawlers = { ...run.crawlers };
  for (const j of failedJobs) jobs[j] = undefined;
  for (const c of failedCrawlers) crawlers[c] = undefined;
  return { restart, state: { ...run, jobs, crawlers, fired: run.fired.filter((n) => !downstream.has(n)) } };
}
