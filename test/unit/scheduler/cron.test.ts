import { describe, expect, it } from 'vitest';
import { missedFireTimes, nextFireTimes, parseSchedule } from '../../../src/scheduler/cron';

const after = new Date('2026-11-25T12:34:56Z'); // a Wednesday
const next = (expr: string, n = 3, from = after) => nextFireTimes(parseSchedule(expr), from, n).map((d) => d.toISOString().slice(0, 16));

describe('Glue cron schedules (UTC)', () => {
  it('fires at fixed times, with steps, ranges and lists', () => {
    expect(next('cron(15 12 * * ? *)')).toEqual(['2026-11-26T12:15', '2026-11-27T12:15', '2026-11-28T12:15']);
    expect(next('cron(0/20 * * * ? *)')).toEqual(['2026-11-25T12:40', '2026-11-25T13:00', '2026-11-25T13:20']);
    expect(next('cron(0 8-10,22 * * ? *)', 4)).toEqual(['2026-11-25T22:00', '2026-11-26T08:00', '2026-11-26T09:00', '2026-11-26T10:00']);
  });

  it('handles weekdays by name and number (1 = SUN)', () => {
    expect(next('cron(0 9 ? * MON-FRI *)', 4)).toEqual(['2026-11-26T09:00', '2026-11-27T09:00', '2026-11-30T09:00', '2026-12-01T09:00']);
    expect(next('cron(0 9 ? * 1 *)', 2)).toEqual(['2026-11-29T09:00', '2026-12-06T09:00']);
  });

  it('supports L, L-n, W, LW, xL and #n', () => {
    expect(next('cron(0 0 L * ? *)', 3)).toEqual(['2026-11-30T00:00', '2026-12-31T00:00', '2027-01-31T00:00']);
    expect(next('cron(0 0 L-1 2 ? *)', 2)).toEqual(['2027-02-27T00:00', '2028-02-28T00:00']);
    // 2027-05-15 is a Saturday -> Friday 14th; 2026-11-15 was a Sunday (already past).
    expect(next('cron(0 0 15W * ? *)', 2)).toEqual(['2026-12-15T00:00', '2027-01-15T00:00']);
    expect(next('cron(0 0 1W 8 ? 2026-2028)', 2)).toEqual(['2027-08-02T00:00', '2028-08-01T00:00']);
    expect(next('cron(0 0 LW * ? *)', 2)).toEqual(['2026-11-30T00:00', '2026-12-31T00:00']);
    expect(next('cron(0 0 ? * 6L *)', 2)).toEqual(['2026-11-27T00:00', '2026-12-25T00:00']);
    expect(next('cron(0 0 ? * MON#1 *)', 2)).toEqual(['2026-12-07T00:00', '2027-01-04T00:00']);
  });

  it('respects years and stops when they run out', () => {
    expect(next('cron(0 0 1 JAN ? 2027,2029)', 5)).toEqual(['2027-01-01T00:00', '2029-01-01T00:00']);
  });

  it('supports simple rates', () => {
    expect(next('rate(15 minutes)', 2)).toEqual(['2026-11-25T12:45', '2026-11-25T13:00']);
    expect(next('rate(1 day)', 1)).toEqual(['2026-11-26T00:00']);
  });

  it('lists fire times missed while closed', () => {
    const missed = missedFireTimes(parseSchedule('cron(0 * * * ? *)'), new Date('2026-11-25T09:30:00Z'), new Date('2026-11-25T12:00:00Z'));
    expect(missed.map((d) => d.toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00']);
  });

  it('explains bad expressions by field', () => {
    expect(() => parseSchedule('cron(0 12 * * * *)')).toThrow('Use ? in exactly one of Day-of-month and Day-of-week');
    expect(() => parseSchedule('cron(61 12 * * ? *)')).toThrow('Minutes: "61" is not a value from 0 to 59');
    expect(() => parseSchedule('cron(0 12 * FOO ? *)')).toThrow('Month: "FOO" is not a value from 1 to 12 or JAN-DEC');
    expect(() => parseSchedule('cron(0 12 * *)')).toThrow('cron() needs 6 fields');
    expect(() => parseSchedule('rate(5 minute)')).toThrow('rate(): write "5 minutes"');
    expect(() => parseSchedule('every day')).toThrow(/A schedule is cron/);
  });
});
