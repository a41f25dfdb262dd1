/**
 * Adding a shared workflow without replacing anything of the user's silently: same-named jobs and triggers are
 * conflicts the user resolves one by one (rename the incoming one, or replace theirs), the workflow's jobs are
 * bound to the user's own catalog tables and destinations, and the whole add is one list of catalog changes.
 */
import type { Change, Trigger } from '../catalog';
import type { JobBookmark } from '../jobs/bookmarks';
import type { JobDefinition } from '../jobs/model';
import { toGlueJob } from '../jobs/store';
import type { WorkflowDefinition } from './pipeline';
import { BindingError, bindSharedJob, type Destination, type InputBinding } from './review';
import { MAX_NAME_CHARS } from './shape';

/** What the user's catalog already holds, as far as conflicts are concerned. */
export interface ExistingObjects {
  jobs: string[];
  triggers: Trigger[];
}

/** An incoming job or trigger named like one of the user's. */
export interface WorkflowConflict {
  kind: 'job' | 'trigger';
  name: string;
  /** A free name to rename the incoming one to. */
  suggestion: string;
  /** For a job: the user's own triggers that start it or wait for it (a replace changes what they run). */
  usedBy: string[];
}

/** The user's decision for one conflict. */
export type ConflictChoice = { action: 'rename'; to: string } | { action: 'replace' };

/** The key of a conflict in a choices record. */
export const conflictKey = (kind: 'job' | 'trigger', name: string): string => `${kind}:${name}`;

/** `name_shared`, then `name_shared_2`, … : the first that is not taken. */
export function freeName(name: string, taken: Set<string>): string {
  const base = `${name.slice(0, MAX_NAME_CHARS - 12)}_shared`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

const mentions = (t: Trigger, job: string) => t.Actions.some((a) => a.JobName === job) || (t.Predicate?.Conditions ?? []).some((c) => c.JobName === job);

/** The incoming jobs and triggers whose names the user's catalog already has, each with a free name to suggest. */
export function workflowConflicts(wf: WorkflowDefinition, existing: ExistingObjects): WorkflowConflict[] {
  const out: WorkflowConflict[] = [];
  const jobsTaken = new Set([...existing.jobs, ...wf.jobs.map((j) => j.name)]);
  const triggersTaken = new Set([...existing.triggers.map((t) => t.Name), ...wf.triggers.map((t) => t.Name)]);
  const existingJobs = new Set(existing.jobs);
  const existingTriggers = new Set(existing.triggers.map((t) => t.Name));
  for (const j of wf.jobs) {
    if (!existingJobs.has(j.name)) continue;
    const suggestion = freeName(j.name, jobsTaken);
    jobsTaken.add(suggestion);
    out.push({ kind: 'job', name: j.name, suggestion, usedBy: existing.triggers.filter((t) => mentions(t, j.name)).map((t) => t.Name) });
  }
  for (const t of wf.triggers) {
    if (!existingTriggers.has(t.Name)) continue;
    const suggestion = freeName(t.Name, triggersTaken);
    triggersTaken.add(suggestion);
    out.push({ kind: 'trigger', name: t.Name, suggestion, usedBy: [] });
  }
  return out;
}

/** Problems with the user's conflict choices (a conflict left open, a rename onto a taken or empty name). */
export function choiceProblems(wf: WorkflowDefinition, existing: ExistingObjects, choices: Record<string, ConflictChoice | undefined>): string[] {
  const problems: string[] = [];
  for (const kind of ['job', 'trigger'] as const) {
    const incoming = kind === 'job' ? wf.jobs.map((j) => j.name) : wf.triggers.map((t) => t.Name);
    const mine = new Set(kind === 'job' ? existing.jobs : existing.triggers.map((t) => t.Name));
    const finalNames = new Map<string, string>();
    for (const name of incoming) {
      let final = name;
      if (mine.has(name)) {
        const c = choices[conflictKey(kind, name)];
        if (!c) { problems.push(`Choose what to do with the ${kind} ${name}: rename the incoming one or replace yours`); continue; }
        if (c.action === 'rename') {
          final = c.to.trim();
          if (!final) { problems.push(`Give the incoming ${kind} ${name} a new name`); continue; }
          if (final.length > MAX_NAME_CHARS) { problems.push(`The new name of the ${kind} ${name} is longer than ${MAX_NAME_CHARS} characters`); continue; }
          if (mine.has(final)) { problems.push(`You already have a ${kind} called ${final}: pick another name for the incoming ${name}`); continue; }
        }
      }
      const clash = [...finalNames].find(([, f]) => f === final);
      if (clash) problems.push(`The incoming ${kind}s ${clash[0]} and ${name} would both be called ${final}`);
      finalNames.set(name, final);
    }
  }
  return problems;
}

function cleanTrigger(t: Trigger, jobName: (n: string) => string, name: string): Trigger {
  const missed = t.Epoxy?.['missedPolicy'];
  return {
    Name: name,
    Type: t.Type,
    ...(typeof t.WorkflowName === 'string' ? { WorkflowName: t.WorkflowName } : {}),
    ...(typeof t.Schedule === 'string' ? { Schedule: t.Schedule } : {}),
    ...(typeof t.Description === 'string' ? { Description: t.Description } : {}),
    ...(t.Predicate ? {
      Predicate: {
        ...(t.Predicate.Logical ? { Logical: t.Predicate.Logical } : {}),
        Conditions: (t.Predicate.Conditions ?? []).map((c) => ({ ...c, ...(c.JobName !== undefined ? { JobName: jobName(c.JobName) } : {}) })),
      },
    } : {}),
    Actions: t.Actions.map((a) => ({
      ...(a.JobName !== undefined ? { JobName: jobName(a.JobName) } : {}),
      ...(a.CrawlerName !== undefined ? { CrawlerName: a.CrawlerName } : {}),
      ...(a.Arguments ? { Arguments: { ...a.Arguments } } : {}),
      ...(typeof a.Timeout === 'number' ? { Timeout: a.Timeout } : {}),
    })),
    // Arrives disabled whatever the link says: nothing runs until the user enables it in Schedules.
    Epoxy: { enabled: false, ...(missed === 'skip' || missed === 'run-once' ? { missedPolicy: missed } : {}) },
  };
}

const BOOKMARKS = ['job-bookmark-enable', 'job-bookmark-disable', 'job-bookmark-pause'] as const;

/**
 * Bind one workflow job for storing: sources only to the user's own catalog tables (a stored job runs later,
 * when dropped files and Workspace tables are gone), targets to the user's destinations. Throws BindingError.
 */
export function bindWorkflowJob(job: JobDefinition, bindings: Record<string, InputBinding | undefined>, destinations: Record<string, Destination | undefined>): JobDefinition {
  for (const [id, b] of Object.entries(bindings)) {
    if (b && b.kind !== 'catalog') throw new BindingError(`Job ${job.name}, input ${id}: a stored job can read only one of your catalog tables`);
  }
  const bound = bindSharedJob(job, bindings, destinations);
  return {
    ...bound,
    bookmark: BOOKMARKS.includes(job.bookmark) ? job.bookmark : 'job-bookmark-disable',
    ...(typeof job.maxRetries === 'number' ? { maxRetries: Math.max(0, Math.min(10, Math.trunc(job.maxRetries))) } : {}),
    ...(typeof job.maxConcurrentRuns === 'number' ? { maxConcurrentRuns: Math.max(1, Math.trunc(job.maxConcurrentRuns)) } : {}),
  };
}

/**
 * The one list of catalog changes that adds a workflow: its jobs bound (`boundJobs`, by incoming name) and
 * renamed as chosen, its triggers disabled, renamed as chosen, and pointed at the renamed jobs. A replaced job
 * keeps its bookmark (the catalog keeps the replaced definition as a version). Throws BindingError when a
 * choice is missing or wrong (see choiceProblems).
 */
export function workflowChanges(
  wf: WorkflowDefinition,
  boundJobs: Record<string, JobDefinition>,
  existing: ExistingObjects,
  choices: Record<string, ConflictChoice | undefined>,
  bookmarks: Record<string, JobBookmark | undefined> = {},
): Change[] {
  const problems = choiceProblems(wf, existing, choices);
  if (problems.length) throw new BindingError(problems[0]!);
  const { jobName, triggers } = finalNames(wf, existing, choices);
  const mineJobs = new Set(existing.jobs);
  const changes: Change[] = [];
  for (const job of wf.jobs) {
    const bound = boundJobs[job.name];
    if (!bound) throw new BindingError(`Job ${job.name} is not bound to your tables yet`);
    const name = jobName(job.name);
    const replaced = name === job.name && mineJobs.has(name);
    changes.push({ op: 'putObject', kind: 'job', value: toGlueJob({ ...bound, name }, replaced ? bookmarks[name] : undefined) });
  }
  for (const t of triggers) changes.push({ op: 'putObject', kind: 'trigger', value: t });
  return changes;
}

/**
 * The names the workflow's jobs and triggers get under the user's choices, and its triggers as they will be
 * stored (renamed, pointed at renamed jobs, disabled): what the review shows and what workflowChanges adds.
 */
export function finalNames(wf: WorkflowDefinition, existing: ExistingObjects, choices: Record<string, ConflictChoice | undefined>): { jobName: (incoming: string) => string; triggers: Trigger[] } {
  const mineJobs = new Set(existing.jobs);
  const mineTriggers = new Set(existing.triggers.map((t) => t.Name));
  const finalName = (kind: 'job' | 'trigger', name: string, mine: Set<string>) => {
    const c = mine.has(name) ? choices[conflictKey(kind, name)] : undefined;
    return c?.action === 'rename' && c.to.trim() ? c.to.trim() : name;
  };
  const incomingJobs = new Set(wf.jobs.map((j) => j.name));
  // Only references to the workflow's own jobs follow a rename; a trigger that starts one of the user's jobs keeps it.
  const jobName = (n: string) => (incomingJobs.has(n) ? finalName('job', n, mineJobs) : n);
  return { jobName, triggers: wf.triggers.map((t) => cleanTrigger(t, jobName, finalName('trigger', t.Name, mineTriggers))) };
}
