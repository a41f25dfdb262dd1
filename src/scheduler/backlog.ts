import type { QueueItem } from './queue';

/** What waits in the queue: runs due but not started, how long the oldest has waited, and what runs now. */
export interface Backlog {
  /** Items due (their time has come) that no executor has started. */
  waiting: number;
  /** How long the oldest of them has been due (ms); 0 when none waits. */
  oldestWaitMs: number;
  /** Items an executor is running now (a live lease). */
  running: number;
  /** Per job or crawler with waiting items: how many wait and how many of it run. */
  byName: { kind: QueueItem['kind']; name: string; waiting: number; running: number; oldestWaitMs: number }[];
}

/** How long the oldest due run may wait before the backlog is worth a warning (a free executor starts one within seconds). */
export const BACKLOG_WARN_MS = 60_000;

/** Measure the queue's backlog at `now` (pure: the items as `DurableQueue.all()` returns them). */
export function backlogOf(items: QueueItem[], now: number): Backlog {
  const live = (i: QueueItem) => !!i.lease && i.lease.until > now;
  const running = items.filter(live);
  const waiting = items.filter((i) => !live(i) && i.notBefore <= now);
  const byKey = new Map<string, Backlog['byName'][number]>();
  for (const i of waiting) {
    const key = `${i.kind}:${i.name}`;
    const row = byKey.get(key) ?? { kind: i.kind, name: i.name, waiting: 0, running: running.filter((r) => r.kind === i.kind && r.name === i.name).length, oldestWaitMs: 0 };
    row.waiting++;
    row.oldestWaitMs = Math.max(row.oldestWaitMs, now - i.notBefore);
    byKey.set(key, row);
  }
  return {
    waiting: waiting.length,
    oldestWaitMs: waiting.reduce((m, i) => Math.max(m, now - i.notBefore), 0),
    running: running.length,
    byName: [...byKey.values()].sort((a, b) => b.oldestWaitMs - a.oldestWaitMs || a.name.localeCompare(b.name)),
  };
}

const age = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);

/**
 * The warning when fires arrive faster than runs finish: due runs have waited longer than a free executor
 * would let them (BACKLOG_WARN_MS), so the queue grows. Names the jobs held back by their own MaxConcurrentRuns,
 * and says what to change. Null when the executor keeps up.
 */
export function backlogWarning(b: Backlog, limit: number, maxConcurrentRuns: (kind: QueueItem['kind'], name: string) => number = () => 1): string | null {
  if (b.waiting === 0 || b.oldestWaitMs < BACKLOG_WARN_MS) return null;
  const held = b.byName.filter((r) => r.running >= maxConcurrentRuns(r.kind, r.name) && r.oldestWaitMs >= BACKLOG_WARN_MS);
  const heldText = held.length
    ? ` Held back by their own limit: ${held.slice(0, 5).map((r) => `${r.kind} ${r.name} (${r.waiting} waiting, MaxConcurrentRuns ${maxConcurrentRuns(r.kind, r.name)})`).join(', ')}${held.length > 5 ? ', …' : ''}.`
    : '';
  return `Fires arrive faster than runs finish: ${b.waiting} run${b.waiting === 1 ? ' is' : 's are'} due and waiting, the oldest for ${age(b.oldestWaitMs)}; ${b.running} running, at most ${limit} at a time.${heldText} Raise the number of runs at a time, space the schedules out, or make the jobs faster.`;
}
