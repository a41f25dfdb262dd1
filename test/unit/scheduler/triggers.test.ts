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
});
