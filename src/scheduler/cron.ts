/**
 * Glue/EventBridge schedule expressions, evaluated in UTC:
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)` with `, - * / ? L W #`, month and weekday names,
 * weekdays 1-7 = SUN-SAT, and exactly one of day-of-month / day-of-week being `?`; or `rate(N unit)`.
 */
export type Schedule =
  | { kind: 'cron'; expression: string; fields: CronFields }
  | { kind: 'rate'; expression: string; everyMs: number };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | null; // null = every year
  dom: DomRule | null; // null when '?'
  dow: DowRule | null; // null when '?'
}

type DomRule = { any: true } | { days: Set<number>; last: boolean; lastOffset: number; nearestWeekday: number | null; lastWeekday: boolean };
type DowRule = { any: true } | { days: Set<number>; lastOf: number | null; nth: { day: number; n: number } | null };

/** A schedule expression that cannot be parsed, with the field at fault. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELD_NAMES = ['Minutes', 'Hours', 'Day-of-month', 'Month', 'Day-of-week', 'Year'];

function parseNumber(token: string, field: number, min: number, max: number, names?: string[]): number {
  const upper = token.toUpperCase();
  const named = names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ScheduleError(`${FIELD_NAMES[field]}: "${token}" is not a value from ${min} to ${max}${names ? ` or ${names[0]}-${names.at(-1)}` : ''}`);
  }
  return value;
}

/** Expand a list field (`*`, `a`, `a-b`, `a/b`, `a-b/c`, comma lists) into its set of values. */
function parseList(text: string, field: number, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (!part) throw new ScheduleError(`${FIELD_NAMES[field]}: empty item in "${text}"`);
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : parseNumber(stepText, field, 1, max, undefined);
    let lo: number;
    let hi: number;
    if (range === '*') { lo = min; hi = max; } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      lo = parseNumber(a, field, min, max, names);
      hi = parseNumber(b, field, min, max, names);
      if (hi < lo) throw new ScheduleError(`${FIELD_NAMES[field]}: range "${range}" runs backwards`);
    } else {
      lo = parseNumber(range, field, min, max, names);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseDom(text: string): DomRule | null {
  if (text === '?') return null;
  if (text === '*') return { any: true };
  if (text === 'LW') return { days: new Set(), last: false, lastOffset: 0, nearestWeekday: null, lastWeekday: true };
  const lastMatch = /^L(?:-(\d+))?$/.exec(text);
  if (lastMatch) return { days: new Set(), last: true, lastOffset: Number(lastMatch[1] ?? 0), nearestWeekday: null, lastWeekday: false };
  const w = /^(\d+)W$/.exec(text);
  if (w) return { days: new Set(), last: false, lastOffset: 0, nearestWeekday: parseNumber(w[1]!, 2, 1, 31), lastWeekday: false };
  return { days: parseList(text, 2, 1, 31), last: false, lastOffset: 0, nearestWeekday: null, lastWeekday: false };
}

function parseDow(text: string): DowRule | null {
  if (text === '?') return null;
  if (text === '*') return { any: true };
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new ScheduleError(`Day-of-week: "#${n}" must be 1 to 5`);
    return { days: new Set(), lastOf: null, nth: { day: parseNumber(nth[1]!, 4, 1, 7, DAYS), n } };
  }
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last) return { days: new Set(), lastOf: parseNumber(last[1]!, 4, 1, 7, DAYS), nth: null };
  if (text === 'L') return { days: new Set([7]), lastOf: null, nth: null };
  return { days: parseList(text, 4, 1, 7, DAYS), lastOf: null, nth: null };
}

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** Parse a schedule expression; errors name the field and say what is allowed. */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!.toLowerCase();
    const ms = RATE_UNITS[unit];
    if (!ms) throw new ScheduleError(`rate(): unit must be minute(s), hour(s) or day(s), not "${unit}"`);
    if (n < 1) throw new ScheduleError('rate(): the value must be at least 1');
    if ((n === 1) !== !unit.endsWith('s')) throw new ScheduleError(`rate(): write "${n} ${n === 1 ? unit.replace(/s$/, '') : unit + 's'}"`);
    return { kind: 'rate', expression: text, everyMs: n * ms };
  }
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) throw new ScheduleError('A schedule is cron(Minutes Hours Day-of-month Month Day-of-week Year) or rate(N minutes|hours|days)');
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleError(`cron() needs 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got ${parts.length}`);
  const [mi, h, dom, mo, dow, y] = parts as [string, string, string, string, string, string];
  const fields: CronFields = {
    minutes: parseList(mi, 0, 0, 59),
    hours: parseList(h, 1, 0, 23),
    dom: parseDom(dom.toUpperCase()),
    months: parseList(mo, 3, 1, 12, MONTHS),
    dow: parseDow(dow.toUpperCase()),
    years: y === '*' ? null : parseList(y, 5, 1970, 2199),
  };
  if ((fields.dom === null) === (fields.dow === null)) {
    throw new ScheduleError('Use ? in exactly one of Day-of-month and Day-of-week (e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *))');
  }
  return { kind: 'cron', expression: text, fields };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1; // 1 = SUN

function dayMatches(f: CronFields, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  if (f.dom) {
    const r = f.dom;
    if ('any' in r) return true;
    if (r.last) return day === last - r.lastOffset;
    if (r.lastWeekday) {
      let d = last;
      while (weekday(year, month, d) === 1 || weekday(year, month, d) === 7) d--;
      return day === d;
    }
    if (r.nearestWeekday !== null) {
      // The weekday nearest the given day, without leaving the month.
      let target = Math.min(r.nearestWeekday, last);
      const wd = weekday(year, month, target);
      if (wd === 7) target = target === 1 ? 3 : target - 1;
      else if (wd === 1) target = target === last ? target - 2 : target + 1;
      return day === target;
    }
    return r.days.has(day);
  }
  const r = f.dow!;
  if ('any' in r) return true;
  const wd = weekday(year, month, day);
  if (r.lastOf !== null) return wd === r.lastOf && day + 7 > last;
  if (r.nth) return wd === r.nth.day && Math.ceil(day / 7) === r.nth.n;
  return r.days.has(wd);
}

/** The first fire time strictly after `after` (UTC), or null if the schedule never fires again. */
export function nextFireTime(schedule: Schedule, after: Date): Date | null {
  if (schedule.kind === 'rate') return new Date((Math.floor(after.getTime() / schedule.everyMs) + 1) * schedule.everyMs);
  const f = schedule.fields;
  const start = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  const minutes = sorted(f.minutes);
  const hours = sorted(f.hours);
  const months = sorted(f.months);
  const firstYear = start.getUTCFullYear();
  for (let year = firstYear; year <= 2199; year++) {
    if (f.years && !f.years.has(year)) {
      if (![...f.years].some((y) => y > year)) return null;
      continue;
    }
    for (const month of months) {
      if (year === firstYear && month < start.getUTCMonth() + 1) continue;
      for (let day = 1; day <= daysInMonth(year, month); day++) {
        if (year === firstYear && month === start.getUTCMonth() + 1 && day < start.getUTCDate()) continue;
        if (!dayMatches(f, year, month, day)) continue;
        for (const hour of hours) {
          for (const minute of minutes) {
            const t = Date.UTC(year, month - 1, day, hour, minute);
            if (t >= start.getTime()) return new Date(t);
          }
        }
      }
    }
  }
  return null;
}

/** The next `count` fire times after `after`, to show users when a trigger will run. */
export function nextFireTimes(schedule: Schedule, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let t: Date | null = after;
  while (out.length < count && (t = nextFireTime(schedule, t))) out.push(t);
  return out;
}

/** Fire times in (from, to]: what a trigger missed while the app was closed. */
export function missedFireTimes(schedule: Schedule, from: Date, to: Date, limit = 1000): Date[] {
  const out: Date[] = [];
  let t: Date | null = from;
  while (out.length < limit && (t = nextFireTime(schedule, t)) && t.getTime() <= to.getTime()) out.push(t);
  return out;
}
