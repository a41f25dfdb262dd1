import { describe, expect, it } from 'vitest';
import { dueFires, type ScheduledTrigger } from '../../../src/scheduler/triggers';

const hourly = (missedPolicy: 'run-once' | 'skip', enabled = true): ScheduledTrigger => ({ name: 'hourly', schedule: 'cron(0 * * * ? *)', enabled, missedPolicy });
const t = (iso: string) => Date.parse(iso);

describe('dispatching scheduled triggers', () => {
  it('fires on time once per fire time, with an idempotent id', () => {
    expect(dueFires([hourly('skip')], t('2026-11-25T09:59:00Z'), t('2026-11-25T10:00:30Z'))).toEqual([
      { trigger: 'hourly', at: t('2026-11-25T10:00:00Z'), id: 'fire:hourly:2026-11-25T10:00:00.000Z', catchUp: false, missedCount: 0 },
    ]);
    expect(dueFires([hourly('skip')], t('2026-11-25T10:00:30Z'), t('2026-11-25T10:30:00Z'))).toEqual([]);
  });

  it('runs fires missed while closed once, or skips them, per trigger policy', () => {
    const closed = [t('2026-11-25T06:30:00Z'), t('2026-11-25T10:20:00Z')] as const;
    expect(dueFires([hourly('run-once')], ...closed)).toEqual([
      { trigger: 'hourly', at: t('2026-11-25T10:00:00Z'), id: 'fire:hourly:2026-11-25T10:00:00.000Z', catchUp: true, missedCount: 4 },
    ]);
    expect(dueFires([hourly('skip')], ...closed)).toEqual([]);
    expect(dueFires([hourly('run-once', false)], ...closed)).toEqual([]);
  });

  it('a tab closed through several fires runs once on reopen, not once per fire (issue 15: 3 catch-up runs in 2 s despite "run once")', () => {
    const everyMinute = (missedPolicy: 'run-once' | 'skip'): ScheduledTrigger => ({ name: 'm', schedule: 'cron(* * * * ? *)', enabled: true, missedPolicy });
    // Closed at 10:00:10, reopened at 10:02:40: fires at 10:01 and 10:02 fell in the window, both within the grace.
    const closed = [t('2026-11-25T10:00:10Z'), t('2026-11-25T10:02:40Z')] as const;
    expect(dueFires([everyMinute('run-once')], ...closed)).toEqual([
      { trigger: 'm', at: t('2026-11-25T10:02:00Z'), id: 'fire:m:2026-11-25T10:02:00.000Z', catchUp: true, missedCount: 1 },
    ]);
    // With skip, the latest fire is still on time; the one before it was missed and does not run.
    expect(dueFires([everyMinute('skip')], ...closed)).toEqual([
      { trigger: 'm', at: t('2026-11-25T10:02:00Z'), id: 'fire:m:2026-11-25T10:02:00.000Z', catchUp: false, missedCount: 0 },
    ]);
  });
});
