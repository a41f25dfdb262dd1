/**
 * A trigger as an editor gives it (plain values: what it starts, when, on which conditions) mapped to and from
 * Glue's Trigger, and the checks a save must pass. Refusals are typed (`code`), so no caller matches text.
 */
import type { Trigger } from '../catalog';
import { parseSchedule } from './cron';
import { asWorkflowTrigger, triggerSettings } from './dispatcher';
import type { MissedPolicy } from './triggers';
import { findCycle, validateWorkflow, workflowEdges, type NodeId } from './workflow';
import { errorMessage } from '../util/errors';

/** A job or crawler a trigger starts or watches. */
export interface TriggerTarget { kind: 'job' | 'crawler'; name: string }

/** A trigger's definition as plain values (Glue's Trigger minus what the editor does not show). */
export interface TriggerInput {
  name: string;
  type: 'ON_DEMAND' | 'SCHEDULED' | 'CONDITIONAL';
  /** The workflow it belongs to; empty: none. */
  workflow: string;
  /** Glue cron() or rate() expression (SCHEDULED only). */
  schedule: string;
  logical: 'AND' | 'ANY';
  /** The states that fire it (CONDITIONAL only): a job's run state or a crawler's crawl state. */
  conditions: { target: TriggerTarget; state: string }[];
  actions: TriggerTarget[];
  missedPolicy: MissedPolicy;
  enabled: boolean;
}

/** Why a trigger cannot be saved as given. */
export type TriggerProblem =
  | { code: 'invalid-name'; message: string }
  | { code: 'no-actions'; message: string }
  | { code: 'invalid-schedule'; message: string }
  | { code: 'no-conditions'; message: string }
  /** Saving it would close a loop in its workflow (the nodes around it). */
  | { code: 'cycle'; message: string; cycle: NodeId[] }
  /** Glue names a trigger for good: an edit cannot change the name. */
  | { code: 'renamed'; message: string };

const targetOf = (c: { JobName?: string; CrawlerName?: string }): TriggerTarget => (c.JobName ? { kind: 'job', name: c.JobName } : { kind: 'crawler', name: c.CrawlerName ?? '' });

/** A stored trigger as plain values (to edit it). EVENT triggers, which Epoxy does not fire, read as on demand. */
export function triggerInputOf(t: Trigger): TriggerInput {
  return {
    name: t.Name,
    type: t.Type === 'EVENT' ? 'ON_DEMAND' : t.Type,
    workflow: t.WorkflowName ?? '',
    schedule: t.Schedule ?? '',
    logical: t.Predicate?.Logical ?? 'AND',
    conditions: (t.Predicate?.Conditions ?? []).map((c) => ({ target: targetOf(c), state: c.State ?? c.CrawlState ?? 'SUCCEEDED' })),
    actions: t.Actions.map(targetOf),
    ...triggerSettings(t),
  };
}

/**
 * Build a Glue Trigger from plain values, or say why not (name, actions, schedule, conditions). Editing a
 * stored trigger (`previous`) keeps what the values do not carry: description, tags, action arguments, other
 * Epoxy settings.
 */
export function triggerFromInput(input: TriggerInput, previous?: Trigger): { ok: true; trigger: Trigger } | { ok: false; problem: TriggerProblem } {
  const refuse = (problem: TriggerProblem) => ({ ok: false as const, problem });
  const name = input.name.trim();
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) return refuse({ code: 'invalid-name', message: 'A trigger name is 1-255 letters, digits, _ or -' });
  if (input.actions.length === 0) return refuse({ code: 'no-actions', message: 'Choose at least one job or crawler to start' });
  if (input.type === 'SCHEDULED') {
    try { parseSchedule(input.schedule); } catch (err) { return refuse({ code: 'invalid-schedule', message: errorMessage(err) }); }
  }
  if (input.type === 'CONDITIONAL' && input.conditions.length === 0) return refuse({ code: 'no-conditions', message: 'A conditional trigger needs at least one condition' });
  const kept = (a: { JobName?: string; CrawlerName?: string }) => previous?.Actions.find((p) => (a.JobName ? p.JobName === a.JobName : p.CrawlerName === a.CrawlerName));
  const { Name: _n, Type: _t, WorkflowName: _w, Schedule: _s, Predicate: _p, Actions: _a, Epoxy: previousEpoxy, VersionId: _v, ...rest } = previous ?? ({} as Partial<Trigger>);
  return {
    ok: true,
    trigger: {
      ...rest,
      Name: name,
      Type: input.type,
      WorkflowName: input.workflow.trim() || undefined,
      Schedule: input.type === 'SCHEDULED' ? input.schedule.trim() : undefined,
      Predicate: input.type === 'CONDITIONAL' ? {
        Logical: input.logical,
        Conditions: input.conditions.map(({ target, state }) => (target.kind === 'job'
          ? { LogicalOperator: 'EQUALS', JobName: target.name, State: state }
          : { LogicalOperator: 'EQUALS', CrawlerName: target.name, CrawlState: state })),
      } : undefined,
      Actions: input.actions.map((t) => {
        const action = t.kind === 'job' ? { JobName: t.name } : { CrawlerName: t.name };
        return { ...kept(action), ...action };
      }),
      Epoxy: { ...(previousEpoxy ?? {}), missedPolicy: input.missedPolicy, enabled: input.enabled },
    },
  };
}

/**
 * Whether `trigger` may be saved among the `stored` ones: its workflow stays a DAG (a cycle is refused with
 * the nodes around it), and an edit of trigger `editing` keeps its name.
 */
export function checkTriggerSave(trigger: Trigger, stored: Trigger[], editing: string | null): TriggerProblem | null {
  if (trigger.WorkflowName) {
    const others = stored.filter((t) => t.WorkflowName === trigger.WorkflowName && t.Name !== trigger.Name);
    const cycle = findCycle([...others, trigger].map(asWorkflowTrigger));
    if (cycle) return { code: 'cycle', message: `The workflow has a cycle: ${cycle.join(' -> ')}`, cycle };
  }
  if (editing !== null && trigger.Name !== editing) return { code: 'renamed', message: 'A trigger cannot be renamed (Glue names it for good): create a new one instead' };
  return null;
}

/** A workflow as the Schedules view draws it: its triggers, the graph's edges and what is wrong with it. */
export interface WorkflowView { name: string; triggers: Trigger[]; edges: [NodeId, NodeId][]; problems: string[] }

/** The workflows the triggers form, by name, each with its edges and problems (cycles, empty conditions). */
export function workflowsOf(triggers: Trigger[]): WorkflowView[] {
  const names = [...new Set(triggers.map((t) => t.WorkflowName).filter((n): n is string => !!n))].sort();
  return names.map((name) => {
    const members = triggers.filter((t) => t.WorkflowName === name);
    const wf = members.map(asWorkflowTrigger);
    return { name, triggers: members, edges: workflowEdges(wf), problems: validateWorkflow(wf) };
  });
}
