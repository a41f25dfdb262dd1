import { missedFireTimes, parseSchedule } from './cron';

/** What to do with scheduled fires missed while the app was closed. */
export type MissedPolicy = 'run-once' | 'skip';

/** A scheduled trigger as the dispatcher sees it. */
export interface ScheduledTrigger {
  name: string;
  schedule: string;
  enabled: boolean;
  missedPolicy: MissedPolicy;
}

/** One fire to enqueue: its id makes enqueuing idempotent across tabs and the service worker. */
export interface Fire {
  trigger: string;
  at: number;
  id: string;
  /** True when this fire stands for runs missed while closed. */
  catchUp: boolean;
  missedCount: number;
}

/**
 * The fires due between the last check and now. While a tab is open the window is a few seconds wide and
 * holds at most one fire; a window holding several means the app was closed (or asleep) through them. Only
 * the latest fire can be on time (at most `graceMs` late); every earlier one was missed. Missed fires run
 * once with 'run-once' (as the latest fire, carrying how many it stands for) and never with 'skip'.
 */
export function dueFires(triggers: ScheduledTrigger[], lastCheck: number, now: number, graceMs = 5 * 60_000): Fire[] {
  const fires: Fire[] = [];
  for (const t of triggers) {
    if (!t.enabled) continue;
    const times = missedFireTimes(parseSchedule(t.schedule), new Date(lastCheck), new Date(now)).map((d) => d.getTime());
    if (times.length === 0) continue;
    const latest = times[times.length - 1]!;
    const onTime = now - latest <= graceMs;
    const missedCount = times.length - (onTime ? 1 : 0);
    const id = `fire:${t.name}:${new Date(latest).toISOString()}`;
    if (onTime && (missedCount === 0 || t.missedPolicy === 'run-once')) fires.push({ trigger: t.name, at: latest, id, catchUp: missedCount > 0, missedCount });
    else if (onTime) fires.push({ trigger: t.name, at: latest, id, catchUp: false, missedCount: 0 });
    else if (t.missedPolicy === 'run-once') fires.push({ trigger: t.name, at: latest, id, catchUp: true, missedCount });
  }
  return fires.sort((a, b) => a.at - b.at);
}
