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
 * The fires due between the last check and now. Fires that are more than `graceMs` late were missed
 * (the app was closed): with 'run-once' the latest of them runs once, with 'skip' none do.
 */
export function dueFires(triggers: ScheduledTrigger[], lastCheck: number, now: number, graceMs = 5 * 60_000): Fire[] {
  const fires: Fire[] = [];
  for (const t of triggers) {
    if (!t.enabled) continue;
    const times = missedFireTimes(parseSchedule(t.schedule), new Date(lastCheck), new Date(now)).map((d) => d.getTime());
    if (times.length === 0) continue;
    const onTime = times.filter((at) => now - at <= graceMs);
    const missed = times.filter((at) => now - at > graceMs);
    for (const at of onTime) fires.push({ trigger: t.name, at, id: `fire:${t.name}:${new Date(at).toISOString()}`, catchUp: false, missedCount: 0 });
    if (missed.length && t.missedPolicy === 'run-once' && onTime.length === 0) {
      const at = missed[missed.length - 1]!;
      fires.push({ trigger: t.name, at, id: `fire:${t.name}:${new Date(at).toISOString()}`, catchUp: true, missedCount: missed.length });
    }
  }
  return fires.sort((a, b) => a.at - b.at);
}
