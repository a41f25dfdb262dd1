/**
 * Spark datetime patterns (`yyyy-MM-dd HH:mm`, the letters Glue Studio's To/Format Timestamp take) translated to
 * DuckDB's strftime/strptime codes, plus a regular expression of the text a parse pattern accepts.
 *
 * The regex is the contract both engines share: Spark's parser and DuckDB's strptime disagree on text that does
 * not have the pattern's exact shape (DuckDB reads `2012-1-5` with `%m`, Spark 3 throws SparkUpgradeException for
 * it; DuckDB rolls day 366 of 2013 into 2014), so ToTimestamp parses only text matching the regex in both.
 * Letters with no faithful translation are refused, named.
 */
import type { SparkCtx } from './def';

/** A Spark pattern that cannot be translated; the message names the letters. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

export interface TranslatedPattern {
  /** The DuckDB strftime/strptime format. */
  duck: string;
  /** For parsing: an anchored regex (RE2 and Java both read it) of the text the pattern accepts. */
  regex: string;
}

type Token = { letter: string; count: number } | { literal: string };

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      // '' is a quote; 'text' is literal text (with '' inside for a quote).
      if (pattern[i + 1] === "'") { out.push({ literal: "'" }); i += 2; continue; }
      let text = '';
      i++;
      for (;;) {
        if (i >= pattern.length) throw new PatternError(`the pattern has an unclosed quote: ${pattern}`);
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") { text += "'"; i += 2; continue; }
          i++;
          break;
        }
        text += pattern[i++];
      }
      out.push({ literal: text });
    } else if (/[A-Za-z]/.test(ch)) {
      let n = 1;
      while (pattern[i + n] === ch) n++;
      out.push({ letter: ch, count: n });
      i += n;
    } else {
      if ('[]{}#'.includes(ch)) throw new PatternError(`${ch} is not supported in a pattern (optional sections and reserved characters)`);
      out.push({ literal: ch });
      i++;
    }
  }
  return out;
}

const reEscape = (s: string) => s.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Codes per letter and count: [format, parse, regex]; parse null: the letter only formats. */
const CODES: Record<string, Record<number, [string, string | null, string]>> = {
  y: { 4: ['%Y', '%Y', '\\d{4}'], 2: ['%y', null, '\\d{2}'] },
  // Month names only as written in English (any case: both parsers ignore it): Spark's legacy parser reads some
  // other text the new one refuses, and Spark 3 then throws instead of returning NULL.
  M: { 1: ['%-m', '%m', '\\d{1,2}'], 2: ['%m', '%m', '\\d{2}'], 3: ['%b', '%b', `(?i:${MONTHS.map((m) => m.slice(0, 3)).join('|')})`], 4: ['%B', '%B', `(?i:${MONTHS.join('|')})`] },
  d: { 1: ['%-d', '%d', '\\d{1,2}'], 2: ['%d', '%d', '\\d{2}'] },
  D: { 1: ['%-j', null, ''], 3: ['%j', null, ''] },
  // Clock fields in range: DuckDB reads 24:00 as the next day and 23:59:60 as a leap second, Spark as NULL.
  H: { 1: ['%-H', '%H', '(?:[01]?\\d|2[0-3])'], 2: ['%H', '%H', '(?:[01]\\d|2[0-3])'] },
  h: { 1: ['%-I', '%I', '(?:0?[1-9]|1[0-2])'], 2: ['%I', '%I', '(?:0[1-9]|1[0-2])'] },
  m: { 1: ['%-M', '%M', '[0-5]?\\d'], 2: ['%M', '%M', '[0-5]\\d'] },
  s: { 1: ['%-S', '%S', '[0-5]?\\d'], 2: ['%S', '%S', '[0-5]\\d'] },
  S: { 3: ['%g', '%g', '\\d{3}'], 6: ['%f', '%f', '\\d{6}'] },
  a: { 1: ['%p', '%p', '(?i:AM|PM)'] },
  E: { 1: ['%a', null, ''], 2: ['%a', null, ''], 3: ['%a', null, ''], 4: ['%A', null, ''] },
};

/** Why a letter is refused when it has no translation at all. */
const UNSUPPORTED: Record<string, string> = {
  G: 'era', u: 'day number of week', Y: 'week-based year', w: 'week of year', W: 'week of month', F: 'aligned week of month',
  Q: 'quarter', q: 'quarter', L: 'stand-alone month', e: 'localized day of week', c: 'localized day of week', k: 'hour 1-24',
  K: 'hour 0-11', n: 'nano of second', N: 'nano of day', A: 'milli of day', V: 'time-zone id', z: 'time-zone name',
  O: 'localized zone offset', X: 'zone offset', x: 'zone offset', Z: 'zone offset', B: 'day period',
};

function refuse(letter: string, count: number, why?: string): never {
  const run = letter.repeat(count);
  const what = UNSUPPORTED[letter];
  if (what) throw new PatternError(`the pattern letter ${letter} (${what}) has no DuckDB equivalent`);
  if (why) throw new PatternError(`${run} ${why}`);
  if (!CODES[letter]) throw new PatternError(`${letter} is not a Spark pattern letter (quote literal text: 'T')`);
  throw new PatternError(`${run} is not supported (use ${Object.keys(CODES[letter]!).map((n) => letter.repeat(Number(n))).join(' or ')})`);
}

/**
 * A Spark pattern as DuckDB codes for formatting (strftime): `yyyy-MM-dd HH:mm` → `%Y-%m-%d %H:%M`. Throws a
 * PatternError naming a letter it cannot translate (zones, weeks, quarters, eras...).
 */
export function formatPattern(pattern: string): string {
  if (!pattern) throw new PatternError('the pattern is empty');
  return tokenize(pattern).map((t) => {
    if ('literal' in t) return t.literal.replace(/%/g, '%%');
    const code = CODES[t.letter]?.[t.count];
    if (!code) refuse(t.letter, t.count);
    return code[0];
  }).join('');
}

/**
 * A Spark pattern as a DuckDB strptime format and the regex of the text it reads. Refuses what the two engines
 * would read differently: two-digit years (Spark: 2000-2099, DuckDB: 1969-2068), day of year and day names (DuckDB
 * does not check them), 12-hour clocks without `a`, and patterns without a year (Spark defaults to 1970, DuckDB
 * to 1900).
 */
export function parsePattern(pattern: string): TranslatedPattern {
  if (!pattern) throw new PatternError('the pattern is empty');
  const tokens = tokenize(pattern);
  const letters = new Set(tokens.flatMap((t) => ('letter' in t ? [t.letter] : [])));
  let duck = '';
  let regex = '';
  for (const t of tokens) {
    if ('literal' in t) { duck += t.literal.replace(/%/g, '%%'); regex += reEscape(t.literal); continue; }
    const code = CODES[t.letter]?.[t.count];
    if (!code) refuse(t.letter, t.count);
    if (code[1] === null) {
      const why = t.letter === 'y' ? 'cannot be read: Spark reads two-digit years as 2000-2099, DuckDB as 1969-2068 (use yyyy)'
        : t.letter === 'D' ? 'cannot be read: DuckDB does not check the day of year (use MM-dd)'
        : 'cannot be read: DuckDB does not check day names (quote the text or drop it)';
      refuse(t.letter, t.count, why);
    }
    duck += code[1];
    regex += `(?:${code[2]})`;
  }
  if (!letters.has('y')) throw new PatternError('a pattern that reads timestamps needs the year (yyyy): Spark would default to 1970, DuckDB to 1900');
  if (letters.has('h') && !letters.has('a')) throw new PatternError('hh needs a (AM/PM) to read the hour; use HH for a 24-hour clock');
  if (letters.has('a') && !letters.has('h')) throw new PatternError('a (AM/PM) is read with hh; use HH for a 24-hour clock');
  // \z, not $: Java's $ also matches before a final newline, RE2's does not.
  return { duck, regex: `^${regex}\\z` };
}

/**
 * The ISO 8601 text both engines read the same way: a date, optionally `T` or space and HH:mm[:ss[.ffffff]], a
 * zone (`Z`, `+02`, `+0200`, `+02:00`) only after seconds (Spark refuses `14:40Z`).
 */
export const ISO_TIMESTAMP_REGEX = '^\\d{4}-\\d{2}-\\d{2}(?:[T ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,6})?(?:Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?\\z';
/** ISO text holding a zone offset other than Z (after the seconds, so a date's `-02` is not one). */
const ISO_OFFSET_REGEX = ':\\d{2}(?:\\.\\d+)?[+-]\\d{2}(?::?\\d{2})?\\z';

/**
 * DuckDB SQL reading ISO text as a TIMESTAMP (UTC wall clock), NULL where the text is not ISO_TIMESTAMP_REGEX.
 * Text with an offset goes through TIMESTAMPTZ and epoch microseconds, so the result does not depend on the
 * engine's TimeZone (native DuckDB with ICU reads offset-free text in local time; DuckDB-WASM ignores offsets in
 * a TIMESTAMP cast).
 */
export function duckIsoTimestamp(expr: string): string {
  const iso = `'${ISO_TIMESTAMP_REGEX}'`;
  return `(CASE WHEN regexp_full_match(${expr}, ${iso}) THEN (CASE WHEN regexp_matches(${expr}, '${ISO_OFFSET_REGEX}') THEN make_timestamp(epoch_us(TRY_CAST(${expr} AS TIMESTAMPTZ))) ELSE TRY_CAST(${expr} AS TIMESTAMP) END) END)`;
}

const ISO_HELPER = [
  'def _iso_ntz(c):',
  '    """ISO 8601 text as a TIMESTAMP_NTZ in UTC whatever the session time zone: an offset is subtracted (the',
  '    NTZ cast ignores it); text of another shape is NULL."""',
  `    offset = c.rlike(${JSON.stringify(ISO_OFFSET_REGEX)})`,
  `    sign = F.when(F.regexp_extract(c, "([+-])\\\\d{2}(?::?\\\\d{2})?\\\\z", 1) == "-", -1).otherwise(1)`,
  `    hours = F.regexp_extract(c, "[+-](\\\\d{2})(?::?\\\\d{2})?\\\\z", 1).cast("int")`,
  `    mins = F.coalesce(F.regexp_extract(c, "[+-]\\\\d{2}:?(\\\\d{2})\\\\z", 1).cast("int"), F.lit(0))`,
  '    local = c.cast("timestamp_ntz")',
  '    utc = local - F.make_dt_interval(F.lit(0), F.lit(0), sign * (hours * 60 + mins), F.lit(0))',
  `    return F.when(c.rlike(${JSON.stringify(ISO_TIMESTAMP_REGEX)}), F.when(offset, utc).otherwise(local))`,
];

const MICROS_HELPER = [
  'def _ntz_from_micros(m):',
  '    """Epoch microseconds (a long) as a TIMESTAMP_NTZ, the UTC wall clock, whatever the session time zone."""',
  '    day_us = 86400000000',
  '    rest = F.pmod(m, F.lit(day_us))',
  '    d = F.date_add(F.lit("1970-01-01").cast("date"), F.round((m - rest) / day_us).cast("int"))',
  '    return F.make_timestamp_ntz(F.year(d), F.month(d), F.dayofmonth(d), (rest / 3600000000).cast("int"),',
  '                                (F.pmod(rest, F.lit(3600000000)) / 60000000).cast("int"),',
  '                                (F.pmod(rest, F.lit(60000000)) / 1000000).cast("decimal(8,6)"))',
];

/**
 * The PySpark Column reading ISO text as a TIMESTAMP_NTZ (the type the Spark export gives the tab's timestamps),
 * the same text duckIsoTimestamp reads, else NULL.
 */
export function sparkIsoTimestamp(s: SparkCtx, col: string): string {
  s.helper('_iso_ntz', ISO_HELPER);
  return `_iso_ntz(${col})`;
}

/** The PySpark Column of epoch microseconds (a long Column) as a TIMESTAMP_NTZ, independent of the session zone. */
export function sparkMicrosTimestamp(s: SparkCtx, micros: string): string {
  s.helper('_ntz_from_micros', MICROS_HELPER);
  return `_ntz_from_micros(${micros})`;
}
