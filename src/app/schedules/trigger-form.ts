import type { Trigger } from '../../catalog';
import { nextFireTimes, parseSchedule } from '../../scheduler/cron';
import { errorMessage } from '../../util/errors';

/** The trigger form, as plain values. */
export interface TriggerForm {
  name: string;
  type: 'ON_DEMAND' | 'SCHEDULED' | 'CONDITIONAL';
  workflow: string;
  schedule: string;
  logical: 'AND' | 'ANY';
  conditions: { target: string; state: string }[];
  actions: string[];
  missedPolicy: 'run-once' | 'skip';
  enabled: boolean;
}

export function newTriggerForm(): TriggerForm {
  return { name: '', type: 'SCHEDULED', workflow: '', schedule: 'cron(0 2 * * ? *)', logical: 'AND', conditions: [], actions: [], missedPolicy: 'run-once', enabled: true };
}

/** Fill the form from a stored trigger (to edit it). */
export function formFromTrigger(t: Trigger): TriggerForm {
  const e = t.Epoxy ?? {};
  const target = (c: { JobName?: string; CrawlerName?: string }) => (c.JobName ? `job:${c.JobName}` : `crawler:${c.CrawlerName ?? ''}`);
  return {
    name: t.Name,
    type: t.Type === 'EVENT' ? 'ON_DEMAND' : t.Type,
    workflow: t.WorkflowName ?? '',
    schedule: t.Schedule ?? newTriggerForm().schedule,
    logical: t.Predicate?.Logical ?? 'AND',
    conditions: (t.Predicate?.Conditions ?? []).map((c) => ({ target: target(c), state: c.State ?? c.CrawlState ?? 'SUCCEEDED' })),
    actions: t.Actions.map(target),
    missedPolicy: e['missedPolicy'] === 'skip' ? 'skip' : 'run-once',
    enabled: e['enabled'] !== false,
  };
}

/** Next fire times of a schedule expression, or the parse error, for live feedback while typing. */
export function schedulePreview(expression: string, now: Date, count = 3): { times: string[]; error: string | null } {
  try {
    return { times: nextFireTimes(parseSchedule(expression), now, count).map((d) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'), error: null };
  } catch (err) {
    return { times: [], error: errorMessage(err) };
  }
}

/**
 * Build a Glue Trigger from the form; `job:NAME` / `crawler:NAME` name actions and condition targets. Editing a
 * stored trigger (`previous`) keeps what the form does not show: description, tags, action arguments, other
 * Epoxy settings.
 */
export function triggerFromForm(f: TriggerForm, previous?: Trigger): { trigger?: Trigger; error?: string } {
  const name = f.name.trim();
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) return { error: 'A trigger name is 1-255 letters, digits, _ or -' };
  if (f.actions.length === 0) return { error: 'Choose at least one job or crawler to start' };
  if (f.type === 'SCHEDULED') {
    const { error } = schedulePreview(f.schedule, new Date(0));
    if (error) return { error };
  }
  if (f.type === 'CONDITIONAL' && f.conditions.length === 0) return { error: 'A conditional trigger needs at least one condition' };
  const split = (t: string) => t.split(':') as ['job' | 'crawler', string];
  const kept = (a: { JobName?: string; CrawlerName?: string }) => previous?.Actions.find((p) => (a.JobName ? p.JobName === a.JobName : p.CrawlerName === a.CrawlerName));
  const { Name: _n, Type: _t, WorkflowName: _w, Schedule: _s, Predicate: _p, Actions: _a, Epoxy: previousEpoxy, VersionId: _v, ...rest } = previous ?? ({} as Partial<Trigger>);
  return {
    trigger: {
      ...rest,
      Name: name,
      Type: f.type,
      WorkflowName: f.workflow.trim() || undefined,
      Schedule: f.type === 'SCHEDULED' ? f.schedule.trim() : undefined,
      Predicate: f.type === 'CONDITIONAL' ? {
        Logical: f.logical,
        Conditions: f.conditions.map((c) => {
          const [kind, target] = split(c.target);
          return kind === 'job' ? { LogicalOperator: 'EQUALS', JobName: target, State: c.state } : { LogicalOperator: 'EQUALS', CrawlerName: target, CrawlState: c.state };
        }),
      } : undefined,
      Actions: f.actions.map((a) => {
        const [kind, target] = split(a);
        const action = kind === 'job' ? { JobName: target } : { CrawlerName: target };
        return { ...kept(action), ...action };
      }),
      Epoxy: { ...(previousEpoxy ?? {}), missedPolicy: f.missedPolicy, enabled: f.enabled },
    },
  };
}
