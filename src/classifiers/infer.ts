import { t, type GlueType } from '../schema/types';

/**
 * Scalar type inference for text cells (CSV, grok captures). Every test is a char-code walk over
 * `s[start, end)`: no regex, no substring, so typing a million cells allocates nothing.
 * The rules are documented in docs/classifiers.md ("Type inference").
 */

/** What one cell looks like. */
export const enum Cell { Null = 0, Bool = 1, Int = 2, Dec = 3, Float = 4, Date = 5, Timestamp = 6, Str = 7 }

/** Date families: ISO `Y-M-D`, slashes `a/b/Y` (US or EU, decided per column), dots `D.M.Y`, year first `Y/M/D` and `Y.M.D`. */
export const enum DateFamily { Iso = 1, Slash = 2, Dot = 3, YearSlash = 4, YearDot = 5 }

/** Details of the last scanned cell (a shared scratch object, to keep scanning allocation-free). */
export const scanned = {
  /** Integer digits (without sign and leading zeros' meaning) for numbers. */
  intDigits: 0,
  /** Fraction digits for Dec. */
  scale: 0,
  /** The last fraction digit is 0 (`12.50`): fixed-point formatting, not a float printer. */
  trailingZero: false,
  /** An unsigned number written with a leading zero (`007`): an identifier, not a number. */
  leadingZero: false,
  /** An integer too large for bigint. */
  overflow: false,
  family: 0 as DateFamily | 0,
  /** For Slash dates: the first / second component is above 12 (so it is a day). */
  firstOver12: false,
  secondOver12: false,
  /** Time shape: 0 none, 1 `HH:MM`, 2 `HH:MM:SS`, 3 with fraction; +4 when a zone/`T` (ISO only). */
  time: 0,
};

const isDigit = (c: number) => c >= 48 && c <= 57;

function digitsAt(s: string, i: number, end: number): number {
  let j = i;
  while (j < end && isDigit(s.charCodeAt(j))) j++;
  return j - i;
}

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 10 + (s.charCodeAt(i + k) - 48);
  return v;
}

const MAX_BIGINT = '9223372036854775807';

function overflowsBigint(s: string, i: number, n: number, negative: boolean): boolean {
  if (n < 19) return false;
  if (n > 19) return true;
  const limit = negative ? '9223372036854775808' : MAX_BIGINT;
  for (let k = 0; k < 19; k++) {
    const d = s.charCodeAt(i + k), l = limit.charCodeAt(k);
    if (d !== l) return d > l;
  }
  return false;
}

function equalsIgnoreCase(s: string, i: number, end: number, word: string): boolean {
  if (end - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** Scan `HH:MM[:SS[.f+]]` at i; returns the index after it or -1, and sets scanned.time. */
function scanTime(s: string, i: number, end: number): number {
  const h = digitsAt(s, i, end);
  if (h < 1 || h > 2 || num(s, i, h) > 23 || s.charCodeAt(i + h) !== 58) return -1;
  let j = i + h + 1;
  if (digitsAt(s, j, end) !== 2 || num(s, j, 2) > 59) return -1;
  j += 2;
  scanned.time = 1;
  if (j < end && s.charCodeAt(j) === 58) {
    if (digitsAt(s, j + 1, end) !== 2 || num(s, j + 1, 2) > 60) return -1;
    j += 3;
    scanned.time = 2;
    if (j < end && (s.charCodeAt(j) === 46 || s.charCodeAt(j) === 44)) {
      const f = digitsAt(s, j + 1, end);
      if (f < 1 || f > 9) return -1;
      j += 1 + f;
      scanned.time = 3;
    }
  }
  return j;
}

/** Scan an optional ISO zone (`Z`, `+01:00`, `-0530`, `+01`) ending exactly at end. */
function zoneEnds(s: string, j: number, end: number): boolean {
  if (j === end) return true;
  const c = s.charCodeAt(j);
  if ((c === 90 || c === 122) && j + 1 === end) return true;
  if (c !== 43 && c !== 45) return false;
  const h = digitsAt(s, j + 1, end);
  if (h === 2 && j + 3 === end) return true;
  if (h === 4 && j + 5 === end) return true;
  return h === 2 && s.charCodeAt(j + 3) === 58 && digitsAt(s, j + 4, end) === 2 && j + 6 === end;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** After a date at j: end (Date), or ' '/'T' time (Timestamp), else Str. */
function dateTail(s: string, j: number, end: number, iso: boolean): Cell {
  if (j === end) return Cell.Date;
  const c = s.charCodeAt(j);
  if (c !== 32 && !(iso && (c === 84 || c === 116))) return Cell.Str;
  const k = scanTime(s, j + 1, end);
  if (k < 0) return Cell.Str;
  if (k === end) { if (c !== 32) scanned.time += 4; return Cell.Timestamp; }
  if (iso && zoneEnds(s, k, end)) { scanned.time += 4; return Cell.Timestamp; }
  return Cell.Str;
}

function scanDate(s: string, i: number, end: number): Cell {
  const a = digitsAt(s, i, end);
  if (a === 4 && s.charCodeAt(i + 4) === 45) {
    if (digitsAt(s, i + 5, end) !== 2 || s.charCodeAt(i + 7) !== 45 || digitsAt(s, i + 8, end) !== 2) return Cell.Str;
    if (!validDay(num(s, i, 4), num(s, i + 5, 2), num(s, i + 8, 2))) return Cell.Str;
    scanned.family = DateFamily.Iso;
    return dateTail(s, i + 10, end, true);
  }
  if (a === 4) {
    // Year first with slashes or dots (`2015/01/01 01:00:00`, loghub's `2005.11.09`): unambiguous, strptime-able.
    const sep = s.charCodeAt(i + 4);
    if ((sep !== 47 && sep !== 46) || digitsAt(s, i + 5, end) !== 2 || s.charCodeAt(i + 7) !== sep || digitsAt(s, i + 8, end) !== 2) return Cell.Str;
    if (!validDay(num(s, i, 4), num(s, i + 5, 2), num(s, i + 8, 2))) return Cell.Str;
    scanned.family = sep === 47 ? DateFamily.YearSlash : DateFamily.YearDot;
    return dateTail(s, i + 10, end, false);
  }
  if (a < 1 || a > 2) return Cell.Str;
  const sep = s.charCodeAt(i + a);
  if (sep !== 47 && sep !== 46) return Cell.Str;
  const b = digitsAt(s, i + a + 1, end);
  if (b < 1 || b > 2 || s.charCodeAt(i + a + 1 + b) !== sep) return Cell.Str;
  const yAt = i + a + 2 + b;
  if (digitsAt(s, yAt, end) !== 4) return Cell.Str;
  const first = num(s, i, a), second = num(s, i + a + 1, b), year = num(s, yAt, 4);
  if (sep === 46) {
    if (!validDay(year, second, first)) return Cell.Str;
    scanned.family = DateFamily.Dot;
  } else {
    // Either order must be a real date; which one applies is decided for the whole column.
    if (!validDay(year, first, second) && !validDay(year, second, first)) return Cell.Str;
    scanned.family = DateFamily.Slash;
    scanned.firstOver12 = first > 12;
    scanned.secondOver12 = second > 12;
  }
  return dateTail(s, yAt + 4, end, false);
}

/**
 * Classify the text cell `s[start, end)` (surrounding blanks ignored). Details land in `scanned`.
 * Null cells: empty, `\N` (Hive), `NULL`/`null`.
 */
export function scanCell(s: string, start: number, end: number): Cell {
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  const n = end - start;
  if (n === 0) return Cell.Null;
  const c0 = s.charCodeAt(start);
  if (n === 2 && c0 === 92 && s.charCodeAt(start + 1) === 78) return Cell.Null;
  if (n === 4 && (c0 | 32) === 110) return equalsIgnoreCase(s, start, end, 'null') ? Cell.Null : Cell.Str;
  if (n === 4 && (c0 | 32) === 116) return equalsIgnoreCase(s, start, end, 'true') ? Cell.Bool : Cell.Str;
  if (n === 5 && (c0 | 32) === 102) return equalsIgnoreCase(s, start, end, 'false') ? Cell.Bool : Cell.Str;
  let i = start;
  let negative = false;
  if (c0 === 45 || c0 === 43) { i++; negative = c0 === 45; }
  const intDigits = digitsAt(s, i, end);
  if (!negative && c0 !== 43 && intDigits >= 1 && intDigits <= 4 && i + intDigits < end) {
    const sep = s.charCodeAt(i + intDigits);
    if (sep === 45 || sep === 47 || (sep === 46 && (intDigits <= 2 || intDigits === 4) && end - start >= 8 && s.indexOf('.', i + intDigits + 1) > 0 && s.indexOf('.', i + intDigits + 1) < end)) {
      scanned.firstOver12 = scanned.secondOver12 = false;
      scanned.time = 0;
      return scanDate(s, start, end);
    }
  }
  let j = i + intDigits;
  scanned.intDigits = intDigits;
  // Only unsigned: `-072.637078` or `+0042` is a padded number (nobody signs a zip code or an id).
  scanned.leadingZero = intDigits > 1 && s.charCodeAt(i) === 48 && i === start;
  if (j === end) {
    if (intDigits === 0) return Cell.Str;
    scanned.overflow = overflowsBigint(s, i, intDigits, negative);
    return Cell.Int;
  }
  let kind = Cell.Int;
  scanned.scale = 0;
  scanned.trailingZero = false;
  if (s.charCodeAt(j) === 46) {
    const f = digitsAt(s, j + 1, end);
    if (f === 0 && intDigits === 0) return Cell.Str;
    scanned.scale = f;
    scanned.trailingZero = f > 0 && s.charCodeAt(j + f) === 48;
    j += 1 + f;
    kind = intDigits === 0 || f === 0 ? Cell.Float : Cell.Dec;
    if (j === end) return kind;
  }
  if (intDigits === 0 && kind === Cell.Int) return Cell.Str;
  const e = s.charCodeAt(j);
  if (e !== 101 && e !== 69) return Cell.Str;
  j++;
  if (j < end && (s.charCodeAt(j) === 45 || s.charCodeAt(j) === 43)) j++;
  const ed = digitsAt(s, j, end);
  return ed > 0 && j + ed === end ? Cell.Float : Cell.Str;
}

/** Settings of text type inference (crawler options; Glue has no such switch). */
export interface TypeRules {
  /** Type fixed-scale columns (`12.50`, `3.10`) `decimal(p,s)` instead of Glue's `double`. */
  keepDecimals?: boolean;
}

/** Column type plus, for non-ISO dates and timestamps, the strftime format to parse them with. */
export interface ColumnType {
  type: GlueType;
  format?: string;
}

/**
 * Accumulates the cells of one column and decides its type. Decisions are per column so that
 * ambiguous cells (`03/04/2024`) are resolved by their neighbours (`13/04/2024` makes it EU).
 */
export class ColumnStats {
  nonNull = 0;
  nulls = 0;
  private bools = 0;
  private ints = 0;
  private decs = 0;
  private floats = 0;
  private dates = 0;
  private stamps = 0;
  private strings = 0;
  private leadingZero = false;
  private overflow = false;
  private maxInt = 0;
  private scale = -1;
  private mixedScale = false;
  private trailingZero = false;
  private family = 0;
  private mixedFamily = false;
  private firstOver12 = false;
  private secondOver12 = false;
  private timeShape = -1;
  private mixedTime = false;

  /** Add the cell `s[start, end)`. */
  add(s: string, start: number, end: number): void {
    this.addKind(scanCell(s, start, end));
  }

  /** Add a cell already scanned with scanCell (its details still in `scanned`). */
  addKind(kind: Cell): void {
    if (kind === Cell.Null) { this.nulls++; return; }
    this.nonNull++;
    switch (kind) {
      case Cell.Bool: this.bools++; return;
      case Cell.Str: this.strings++; return;
      case Cell.Int:
        this.ints++;
        if (scanned.leadingZero) this.leadingZero = true;
        if (scanned.overflow) this.overflow = true;
        if (scanned.intDigits > this.maxInt) this.maxInt = scanned.intDigits;
        return;
      case Cell.Dec: case Cell.Float:
        if (kind === Cell.Dec) this.decs++; else this.floats++;
        if (scanned.leadingZero) this.leadingZero = true;
        if (scanned.intDigits > this.maxInt) this.maxInt = scanned.intDigits;
        if (this.scale < 0) this.scale = scanned.scale; else if (this.scale !== scanned.scale) this.mixedScale = true;
        if (scanned.trailingZero) this.trailingZero = true;
        return;
      case Cell.Date: case Cell.Timestamp: {
        if (kind === Cell.Date) this.dates++; else this.stamps++;
        if (this.family === 0) this.family = scanned.family; else if (this.family !== scanned.family) this.mixedFamily = true;
        if (scanned.firstOver12) this.firstOver12 = true;
        if (scanned.secondOver12) this.secondOver12 = true;
        if (kind === Cell.Timestamp) {
          if (this.timeShape < 0) this.timeShape = scanned.time; else if (this.timeShape !== scanned.time) this.mixedTime = true;
        }
        return;
      }
    }
  }

  /**
   * The column's type (string when the cells disagree, or when every cell is null). Fixed-scale
   * numbers (`12.50`) are `double` as in Glue unless `keepDecimals` asks for the money-like decimal rule.
   */
  result(opts: TypeRules = {}): ColumnType {
    const n = this.nonNull;
    if (n === 0 || this.strings > 0) return { type: t.string };
    if (this.bools === n) return { type: t.boolean };
    const numbers = this.ints + this.decs + this.floats;
    if (numbers === n) {
      // Leading zeros (zip codes, ids) would be lost by a number type.
      if (this.leadingZero) return { type: t.string };
      if (this.ints === n) return { type: this.overflow ? (this.maxInt <= 38 ? t.decimal(38, 0) : t.double) : t.bigint };
      if (opts.keepDecimals && this.decs === n && !this.mixedScale && this.trailingZero && this.scale <= 9 && this.maxInt + this.scale <= 38) {
        return { type: t.decimal(Math.min(38, Math.max(18, this.maxInt + this.scale)), this.scale) };
      }
      return { type: t.double };
    }
    if (this.dates + this.stamps !== n || this.mixedFamily) return { type: t.string };
    if (this.family === DateFamily.Slash && this.firstOver12 && this.secondOver12) return { type: t.string };
    const datePart = DATE_FORMATS[this.family as DateFamily] ?? (this.firstOver12 ? '%d/%m/%Y' : '%m/%d/%Y');
    if (this.stamps === 0) return this.family === DateFamily.Iso ? { type: t.date } : { type: t.date, format: datePart };
    if (this.family === DateFamily.Iso) return { type: t.timestamp };
    // A non-ISO column mixing dates and times, or several time shapes, has no single format.
    if (this.dates > 0 || this.mixedTime) return { type: t.string };
    const time = this.timeShape === 1 ? '%H:%M' : this.timeShape === 2 ? '%H:%M:%S' : '%H:%M:%S.%f';
    return { type: t.timestamp, format: `${datePart} ${time}` };
  }
}

const DATE_FORMATS: Partial<Record<DateFamily, string>> = {
  [DateFamily.Iso]: '%Y-%m-%d', [DateFamily.Dot]: '%d.%m.%Y', [DateFamily.YearSlash]: '%Y/%m/%d', [DateFamily.YearDot]: '%Y.%m.%d',
};

/** The type of a single text value (a one-cell column); handy for tests and for grok captures. */
export function inferText(value: string, opts: TypeRules = {}): ColumnType {
  const stats = new ColumnStats();
  stats.add(value, 0, value.length);
  return stats.result(opts);
}
