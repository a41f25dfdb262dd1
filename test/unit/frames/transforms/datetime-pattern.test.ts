import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { quoteLiteral } from '../../../../src/engine/sql';
import { duckIsoTimestamp, formatPattern, ISO_TIMESTAMP_REGEX, parsePattern, PatternError } from '../../../../src/frames/transforms/datetime-pattern';
import { engine } from './text-kit';

let e: Engine;
beforeAll(async () => { e = await engine(); });

const one = (sql: string) => e.query(`SELECT CAST((${sql}) AS VARCHAR)`).rows[0]![0];

/** Parse text with a Spark pattern the way ToTimestamp does in DuckDB: the regex first, then strptime. */
function parse(text: string, pattern: string) {
  const p = parsePattern(pattern);
  return one(`CASE WHEN regexp_full_match(${quoteLiteral(text)}, ${quoteLiteral(p.regex)}) THEN try_strptime(${quoteLiteral(text)}, ${quoteLiteral(p.duck)}) END`);
}

describe('Spark datetime patterns for formatting', () => {
  it('translates the letters to strftime codes, quoted text and % kept literal', () => {
    expect(formatPattern('yyyy-MM-dd HH:mm')).toBe('%Y-%m-%d %H:%M');
    expect(formatPattern("EEE, d MMM yy 'at' h:mm a")).toBe('%a, %-d %b %y at %-I:%M %p');
    expect(formatPattern("yyyy'T'HH:mm:ss.SSS")).toBe('%Y' + 'T%H:%M:%S.%g');
    expect(formatPattern("'it''s' 100% DDD")).toBe("it's 100%% %j");
    expect(formatPattern("''")).toBe("'");
  });

  it('formats in DuckDB as Spark does (values from Spark 3.5 date_format)', () => {
    // Spark 3.5: date_format(TIMESTAMP '2012-01-05 13:04:05.123', 'EEE EEEE MMM MMMM a h D d M') = 'Thu Thursday Jan January PM 1 5 5 1'
    expect(one(`strftime(TIMESTAMP '2012-01-05 13:04:05.123', ${quoteLiteral(formatPattern('EEE EEEE MMM MMMM a h D d M'))})`)).toBe('Thu Thursday Jan January PM 1 5 5 1');
    expect(one(`strftime(TIMESTAMP '2012-01-05 03:04:05.123456', ${quoteLiteral(formatPattern('yyyy-MM-dd HH:mm:ss.SSSSSS | SSS | hh | DDD'))})`)).toBe('2012-01-05 03:04:05.123456 | 123 | 03 | 005');
  });

  it('refuses letters it cannot translate, naming them', () => {
    expect(() => formatPattern('yyyy-MM-dd XXX')).toThrow(/the pattern letter X \(zone offset\) has no DuckDB equivalent/);
    expect(() => formatPattern('QQ yyyy')).toThrow(/letter Q \(quarter\)/);
    expect(() => formatPattern('yyyy ww')).toThrow(/letter w \(week of year\)/);
    expect(() => formatPattern('yyy')).toThrow(/yyy is not supported \(use yy or yyyy\)/);
    expect(() => formatPattern('SS')).toThrow(/SS is not supported \(use SSS or SSSSSS\)/);
    expect(() => formatPattern('yyyy-MM-dd[ HH:mm]')).toThrow(/\[ is not supported/);
    expect(() => formatPattern("yyyy 'T")).toThrow(/unclosed quote/);
    expect(() => formatPattern('')).toThrow(PatternError);
    expect(() => formatPattern('yyyy-MM-ddTHH')).toThrow(/T is not a Spark pattern letter \(quote literal text: 'T'\)/);
  });
});

describe('Spark datetime patterns for parsing', () => {
  it('reads text of the exact shape only, as Spark 3 does', () => {
    expect(parse('2012-01-05 10:30', 'yyyy-MM-dd HH:mm')).toBe('2012-01-05 10:30:00');
    // DuckDB's %m alone reads "1"; Spark 3 refuses it (and throws SparkUpgradeException): the regex says no.
    expect(parse('2012-1-5', 'yyyy-MM-dd')).toBeNull();
    expect(parse('2012-1-5', 'yyyy-M-d')).toBe('2012-01-05 00:00:00');
    expect(parse('2012-02-30', 'yyyy-MM-dd')).toBeNull();
    expect(parse('2012-01-05 extra', 'yyyy-MM-dd')).toBeNull();
    expect(parse('2012-01-05\n', 'yyyy-MM-dd')).toBeNull();
    expect(parse('Jan 5 2012', 'MMM d yyyy')).toBe('2012-01-05 00:00:00');
    expect(parse('jan 5 2012', 'MMM d yyyy')).toBe('2012-01-05 00:00:00');
    expect(parse('Jau 5 2012', 'MMM d yyyy')).toBeNull();
    expect(parse('5 September 2012', 'd MMMM yyyy')).toBe('2012-09-05 00:00:00');
    expect(parse('12/31/2012 11:59 pm', 'MM/dd/yyyy hh:mm a')).toBe('2012-12-31 23:59:00');
    expect(parse('12/31/2012 12:30 AM', 'MM/dd/yyyy hh:mm a')).toBe('2012-12-31 00:30:00');
    expect(parse('12/31/2012 13:59 PM', 'MM/dd/yyyy hh:mm a')).toBeNull();
    expect(parse('2012-01-05 24:00', 'yyyy-MM-dd HH:mm')).toBeNull();
    expect(parse('2012-01-05 23:60', 'yyyy-MM-dd HH:mm')).toBeNull();
    expect(parse("2012-01-05T10:30:00.123", "yyyy-MM-dd'T'HH:mm:ss.SSS")).toBe('2012-01-05 10:30:00.123');
    expect(parse('2012', 'yyyy')).toBe('2012-01-01 00:00:00');
    expect(parse('(2012.07)', '(yyyy.MM)')).toBe('2012-07-01 00:00:00');
  });

  it('refuses what Spark and DuckDB would read differently, saying why', () => {
    expect(() => parsePattern('dd/MM/yy')).toThrow(/yy cannot be read: Spark reads two-digit years as 2000-2099, DuckDB as 1969-2068 \(use yyyy\)/);
    expect(() => parsePattern('yyyy-DDD')).toThrow(/DDD cannot be read: DuckDB does not check the day of year/);
    expect(() => parsePattern('EEE yyyy-MM-dd')).toThrow(/EEE cannot be read: DuckDB does not check day names/);
    expect(() => parsePattern('HH:mm')).toThrow(/needs the year \(yyyy\): Spark would default to 1970, DuckDB to 1900/);
    expect(() => parsePattern('yyyy-MM-dd hh:mm')).toThrow(/hh needs a \(AM\/PM\)/);
    expect(() => parsePattern('yyyy-MM-dd HH:mm a')).toThrow(/a \(AM\/PM\) is read with hh/);
    expect(() => parsePattern('yyyy-MM-dd HH:mm z')).toThrow(/letter z \(time-zone name\)/);
  });
});

describe('ISO text', () => {
  const iso = (s: string) => one(duckIsoTimestamp(quoteLiteral(s)));
  it('reads the ISO forms Spark casts, offsets converted to UTC (values from Spark 3.5 in UTC)', () => {
    expect(iso('2022-11-02')).toBe('2022-11-02 00:00:00');
    expect(iso('2022-11-02T14:40')).toBe('2022-11-02 14:40:00');
    expect(iso('2022-11-02 14:40:59')).toBe('2022-11-02 14:40:59');
    expect(iso('2022-11-02T14:40:59.9')).toBe('2022-11-02 14:40:59.9');
    expect(iso('2022-11-02T14:40:59.915Z')).toBe('2022-11-02 14:40:59.915');
    expect(iso('2022-11-02T14:40:59+02:00')).toBe('2022-11-02 12:40:59');
    expect(iso('2022-11-02T14:40:59-0530')).toBe('2022-11-02 20:10:59');
    expect(iso('2022-11-02T14:40:59+05')).toBe('2022-11-02 09:40:59');
  });

  it('refuses what Spark reads differently or not at all', () => {
    // Spark casts "2022" to 2022-01-01 and "10:30" to today at 10:30; "14:40Z" and "2022-02-30" to NULL.
    for (const s of ['2022', '10:30', '2022-11-02T14:40Z', '2022-02-30', '2022-11-02T24:00', '2022-11-02T23:59:60', '2022-11-02T14:40:59.1234567', ' 2022-11-02']) expect(iso(s), s).toBeNull();
    expect(new RegExp(ISO_TIMESTAMP_REGEX.replace('\\z', '$')).test('2022-11-02T14:40:59.123456+01:00')).toBe(true);
  });
});
