import type { Trigger } from '../../catalog';
import { nextFireTimes, parseSchedule } from '../../scheduler/cron';

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

/** Next fire times of a schedule expression, or the parse error, for live feedback while typing. */
export function schedulePreview(expression: string, now: Date, count = 3): { times: string[]; error: string | null } {
  try {
    return { times: nextFireTimes(parseSchedule(expression), now, count).map((d) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'), error: null };
  } catch (err) {
    return { times: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/** Build a Glue Trigger from the form; `job:NAME` / `crawler:NAME` name actions and condition targets. */
export function triggerFromForm(f: TriggerForm): { trigger?: Trigger; error?: string } {
  const name = f.name.trim();
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) return { error: 'A trigger name is 1-255 letters, digits, _ or -' };
  if (f.actions.length === 0) return { error: 'Choose at least one job or crawler to start' };
  if (f.type === 'SCHEDULED') {
    const { error } = schedulePreview(f.schedule, new Date(0));
    if (error) return { error };
  }
  if (f.type === 'CONDITIONAL' && f.conditions.length === 0) return { error: 'A conditional trigger needs at least one condition' };
  const split = (t: string) => t.split(':') as ['job' | 'crawler', string];
  return {
    trigger: {
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
        return kind === 'job' ? { JobName: target } : { CrawlerName: target };
      }),
      Epoxy: { missedPolicy: f.missedPolicy, enabled: f.enabled },
    },
  };
}
