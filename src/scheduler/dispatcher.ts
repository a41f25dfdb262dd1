import type { Job, Trigger } from '../catalog';
import { glueRunId } from './ids';
import type { RunOutcome } from './executor';
import type { Predicate } from './predicate';
import type { DurableQueue, PlannedFire, QueueItem, StoredWorkflowRun } from './queue';
import { dueFires, type MissedPolicy } from './triggers';
import { isWorkflowComplete, resumePlan, triggersToFire, type WorkflowTrigger } from './workflow';

/** The catalog objects the dispatcher reads. */
export interface SchedulerCatalog {
  triggers: Trigger[];
  jobs: Job[];
}

const newId = (prefix: string, now: number) => `${prefix}_${now.toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Epoxy's per-trigger settings (Glue has no "missed while closed" notion; a browser app needs one). */
export function triggerSettings(t: Trigger): { enabled: boolean; missedPolicy: MissedPolicy } {
  const e = t.Epoxy ?? {};
  return { enabled: e['enabled'] !== false, missedPolicy: e['missedPolicy'] === 'skip' ? 'skip' : 'run-once' };
}

/** Glue's conditions as the predicate evaluator takes them (the catalog keeps Glue's optional fields). */
export function toPredicate(t: Trigger): Predicate | undefined {
  if (!t.Predicate?.Conditions?.length) return undefined;
  return {
    Logical: t.Predicate.Logical ?? 'AND',
    Conditions: t.Predicate.Conditions.map((c) => (c.JobName
      ? { LogicalOperator: 'EQUALS', JobName: c.JobName, State: (c.State ?? 'SUCCEEDED') as 'SUCCEEDED' }
      : { LogicalOperator: 'EQUALS', CrawlerName: c.CrawlerName ?? '', CrawlState: (c.CrawlState ?? 'SUCCEEDED') as 'SUCCEEDED' })),
  };
}

/** A catalog trigger as the workflow graph and predicate evaluator take it (EVENT, which Epoxy never fires, as on demand). */
export function asWorkflowTrigger(t: Trigger): WorkflowTrigger {
  return {
    Name: t.Name,
    Type: t.Type === 'EVENT' ? 'ON_DEMAND' : t.Type,
    Schedule: t.Schedule,
    Predicate: toPredicate(t),
    Actions: t.Actions.map((a) => (a.JobName ? { JobName: a.JobName, Arguments: a.Arguments } : { CrawlerName: a.CrawlerName ?? '' })),
  };
}

/** Queue items for a trigger's actions: one per action, attempts from the job's MaxRetries. */
export function itemsForTrigger(trigger: Trigger, catalog: SchedulerCatalog, now: number, idBase: string, workflowRunId?: string, properties: Record<string, string> = {}): QueueItem[] {
  return trigger.Actions.map((a, i) => {
    const job = a.JobName ? catalog.jobs.find((j) => j.Name === a.JobName) : undefined;
    return {
      id: `${idBase}:${i}`,
      kind: a.JobName ? 'job' : 'crawler',
      name: a.JobName ?? a.CrawlerName ?? '',
      arguments: { ...(job?.DefaultArguments ?? {}), ...properties, ...(a.Arguments ?? {}) },
      attempt: 1,
      maxAttempts: 1 + Math.max(0, job?.MaxRetries ?? 0),
      notBefore: now,
      enqueuedAt: now,
      cause: { trigger: trigger.Name, workflowRunId },
      runId: glueRunId(a.JobName ? 'job' : 'crawler'),
    } satisfies QueueItem;
  });
}

/** What firing a trigger enqueues: its workflow run (if it starts one) and one item per action, under one fire id. */
export function planFire(trigger: Trigger, catalog: SchedulerCatalog, now: number, id: string, at = now, properties: Record<string, string> = {}): PlannedFire {
  let workflowRun: StoredWorkflowRun | undefined;
  if (trigger.WorkflowName) {
    workflowRun = { id: newId('wr', now), workflow: trigger.WorkflowName, startedAt: now, state: 'RUNNING', fired: [trigger.Name], jobs: {}, crawlers: {}, properties };
  }
  const items = itemsForTrigger(trigger, catalog, now, id, workflowRun?.id, properties);
  return { id, trigger: trigger.Name, at, items, ...(workflowRun ? { workflowRun } : {}) };
}

/**
 * Start a workflow run (or a standalone trigger) from an on-demand or conditional trigger. The workflow run and
 * the items are written in one transaction, and a fire id already enqueued once enqueues nothing.
 */
export async function fireTrigger(trigger: Trigger, catalog: SchedulerCatalog, queue: DurableQueue, now: number, idBase = newId('fire', now), properties: Record<string, string> = {}): Promise<QueueItem[]> {
  return queue.enqueueFire(planFire(trigger, catalog, now, idBase, now, properties), now);
}

/**
 * Enqueue the scheduled fires due since the last check (missed ones per each trigger's policy). The window
 * and the fires are one transaction (`DurableQueue.dispatch`): the service worker and several tabs never
 * enqueue a fire twice, a clock set back never reopens a window, and a fire that ran stays done forever (its
 * id is in the ledger and its time at or below its trigger's high-water mark); a dispatch killed midway
 * moves nothing, so no fire is lost either.
 */
export async function dispatchScheduled(catalog: SchedulerCatalog, queue: DurableQueue, now: number): Promise<QueueItem[]> {
  const scheduled = catalog.triggers.filter((t) => t.Type === 'SCHEDULED' && t.Schedule);
  return queue.dispatch(now, ({ from, to, marks }) => {
    const fires: PlannedFire[] = [];
    for (const trigger of scheduled) {
      // Per trigger, the window starts after its latest fire: a fire at or before it has run already.
      const start = Math.max(from, marks[trigger.Name] ?? -Infinity);
      if (start >= to) continue;
      for (const fire of dueFires([{ name: trigger.Name, schedule: trigger.Schedule!, ...triggerSettings(trigger) }], start, to)) {
        fires.push(planFire(trigger, catalog, to, fire.id, fire.at, fire.catchUp ? { missedRuns: String(fire.missedCount) } : {}));
      }
    }
    return fires.sort((a, b) => a.at - b.at);
  });
}

/**
 * After a run has finally ended (retries done): record its state in its workflow run and fire the
 * conditional triggers whose predicates now hold; standalone conditional triggers watch the latest states.
 */
export async function onRunFinished(item: QueueItem, outcome: RunOutcome, catalog: SchedulerCatalog, queue: DurableQueue, now: number): Promise<QueueItem[]> {
  const out: QueueItem[] = [];
  const wfId = item.cause.workflowRunId;
  if (wfId) {
    const run = await queue.getWorkflowRun(wfId);
    if (!run) return out;
    if (item.kind === 'job') run.jobs[item.name] = outcome.state; else run.crawlers[item.name] = outcomeToCrawlState(outcome);
    const triggers = catalog.triggers.filter((t) => t.WorkflowName === run.workflow);
    const wfTriggers = triggers.map(asWorkflowTrigger);
    const state = { fired: run.fired, jobs: run.jobs as Record<string, never>, crawlers: run.crawlers as Record<string, never>, properties: run.properties };
    for (const t of triggersToFire(wfTriggers, state)) {
      run.fired.push(t.Name);
      const trigger = triggers.find((x) => x.Name === t.Name)!;
      const items = itemsForTrigger(trigger, catalog, now, `${wfId}:${t.Name}:${run.fired.length}`, wfId, run.properties);
      for (const i of items) { await queue.enqueue(i); if (i.kind === 'job') run.jobs[i.name] = 'WAITING'; else run.crawlers[i.name] = 'RUNNING'; }
      out.push(...items);
    }
    if (isWorkflowComplete(wfTriggers, state)) {
      run.state = Object.values(run.jobs).some((s) => s === 'FAILED' || s === 'TIMEOUT' || s === 'ERROR') || Object.values(run.crawlers).some((s) => s === 'FAILED') ? 'ERROR' : 'COMPLETED';
      run.completedAt = now;
    }
    await queue.putWorkflowRun(run);
    return out;
  }
  const { after: latest } = await queue.updateMeta('latestStates', (v) => {
    const next = v ?? { jobs: {}, crawlers: {} };
    if (item.kind === 'job') next.jobs[item.name] = outcome.state; else next.crawlers[item.name] = outcomeToCrawlState(outcome);
    return next;
  });
  const standalone = catalog.triggers.filter((t) => t.Type === 'CONDITIONAL' && !t.WorkflowName && triggerSettings(t).enabled);
  const watching = standalone.filter((t) => t.Predicate?.Conditions?.some((c) => (item.kind === 'job' ? c.JobName === item.name : c.CrawlerName === item.name)));
  const fired = triggersToFire(watching.map(asWorkflowTrigger), { fired: [], jobs: latest.jobs as Record<string, never>, crawlers: latest.crawlers as Record<string, never>, properties: {} });
  for (const t of fired) out.push(...(await fireTrigger(watching.find((x) => x.Name === t.Name)!, catalog, queue, now, `${item.runId}:${t.Name}`)));
  return out;
}

function outcomeToCrawlState(o: RunOutcome): string {
  return o.state === 'SUCCEEDED' ? 'SUCCEEDED' : o.state === 'STOPPED' ? 'CANCELLED' : 'FAILED';
}

/**
 * Resume a failed workflow run (Glue's ResumeWorkflowRun): its failed jobs and crawlers start again as new
 * runs in the same workflow run, and the triggers downstream of them may fire again.
 */
export async function resumeWorkflowRun(id: string, catalog: SchedulerCatalog, queue: DurableQueue, now: number): Promise<QueueItem[]> {
  const run = await queue.getWorkflowRun(id);
  if (!run) throw new Error(`No workflow run ${id}`);
  if (run.state !== 'ERROR') throw new Error(`Workflow run ${id} did not fail; only a failed run can be resumed`);
  const wf = catalog.triggers.filter((t) => t.WorkflowName === run.workflow).map(asWorkflowTrigger);
  const { restart, state } = resumePlan(wf, { fired: run.fired, jobs: run.jobs as Record<string, never>, crawlers: run.crawlers as Record<string, never>, properties: run.properties });
  const items: QueueItem[] = restart.map((a, i) => {
    const job = 'JobName' in a ? catalog.jobs.find((j) => j.Name === a.JobName) : undefined;
    return {
      id: `${id}:resume:${now}:${i}`, kind: 'JobName' in a ? 'job' : 'crawler', name: 'JobName' in a ? a.JobName : a.CrawlerName,
      arguments: { ...(job?.DefaultArguments ?? {}), ...run.properties }, attempt: 1, maxAttempts: 1 + Math.max(0, job?.MaxRetries ?? 0),
      notBefore: now, enqueuedAt: now, cause: { workflowRunId: id, trigger: 'resume' }, runId: glueRunId('JobName' in a ? 'job' : 'crawler'),
    };
  });
  await queue.putWorkflowRun({ ...run, ...state, jobs: state.jobs as Record<string, string | undefined>, crawlers: state.crawlers as Record<string, string | undefined>, state: 'RUNNING', completedAt: undefined });
  for (const item of items) await queue.enqueue(item);
  return items;
}
