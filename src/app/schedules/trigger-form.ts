import type { Trigger } from '../../catalog';
import { nextFireTimes, parseSchedule } from '../../scheduler/cron';
import { triggerFromInput, triggerInputOf, type TriggerInput, type TriggerProblem, type TriggerTarget } from '../../scheduler/trigger-input';
import { errorMessage } from '../../util/errors';

/** The trigger form, as plain values; jobs and crawlers are `job:NAME` / `crawler:NAME` (one select value each). */
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

const choiceOf = (t: TriggerTarget) => `${t.kind}:${t.name}`;
function targetOf(choice: string): TriggerTarget {
  const at = choice.indexOf(':');
  return { kind: choice.slice(0, at) === 'job' ? 'job' : 'crawler', name: choice.slice(at + 1) };
}

/** Fill the form from a stored trigger (to edit it); one without a schedule gets the new form's. */
export function formFromTrigger(t: Trigger): TriggerForm {
  const input = triggerInputOf(t);
  return {
    ...input,
    schedule: t.Schedule ?? newTriggerForm().schedule,
    conditions: input.conditions.map((c) => ({ target: choiceOf(c.target), state: c.state })),
    actions: input.actions.map(choiceOf),
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

/** Build a Glue Trigger from the form (scheduler/trigger-input checks and maps it), keeping what `previous` had that the form does not show. */
export function triggerFromForm(f: TriggerForm, previous?: Trigger): { ok: true; trigger: Trigger } | { ok: false; problem: TriggerProblem } {
  const input: TriggerInput = {
    ...f,
    conditions: f.conditions.map((c) => ({ target: targetOf(c.target), state: c.state })),
    actions: f.actions.map(targetOf),
  };
  return triggerFromInput(input, previous);
}
