import { t, type GlueType } from '../schema/types';
import { errorMessage } from '../util/errors';

/**
 * A small grok engine: `%{PATTERN:field:type}` over a pattern library, compiled once to one
 * JavaScript RegExp with numbered captures (Oniguruma-only syntax is rewritten where it can be).
 */

/** The built-in pattern library (a JavaScript-compatible subset of the Logstash/Glue patterns). */
export const GROK_PATTERNS: Record<string, string> = {
  USERNAME: '[a-zA-Z0-9._-]+',
  USER: '%{USERNAME}',
  EMAILLOCALPART: "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*",
  EMAILADDRESS: '%{EMAILLOCALPART}@%{HOSTNAME}',
  HTTPDUSER: '(?:%{EMAILADDRESS}|%{USER})',
  INT: '(?:[+-]?(?:[0-9]+))',
  BASE10NUM: '(?:[+-]?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+))',
  NUMBER: '(?:%{BASE10NUM})',
  BASE16NUM: '(?:0[xX]?[0-9a-fA-F]+)',
  POSINT: '\\b(?:[1-9][0-9]*)\\b',
  NONNEGINT: '\\b(?:[0-9]+)\\b',
  WORD: '\\b\\w+\\b',
  NOTSPACE: '\\S+',
  SPACE: '\\s*',
  DATA: '.*?',
  GREEDYDATA: '.*',
  QUOTEDSTRING: '(?:"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'|`(?:[^`\\\\]|\\\\.)*`)',
  QS: '%{QUOTEDSTRING}',
  UUID: '[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}',
  MAC: '(?:[A-Fa-f0-9]{2}[:-]){5}[A-Fa-f0-9]{2}',
  IPV4: '(?<![0-9])(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})(?![0-9])',
  IPV6: '(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4}|::',
  IP: '(?:%{IPV6}|%{IPV4})',
  HOSTNAME: '\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*\\.?\\b',
  HOST: '%{HOSTNAME}',
  IPORHOST: '(?:%{IP}|%{HOSTNAME})',
  HOSTPORT: '%{IPORHOST}:%{POSINT}',
  PATH: '(?:%{UNIXPATH}|%{WINPATH})',
  UNIXPATH: '(?:/[\\w_%!$@:.,+~-]*)+',
  WINPATH: '(?:[A-Za-z]+:|\\\\)(?:\\\\[^\\\\?*]*)+',
  URIPROTO: '[A-Za-z][A-Za-z0-9+.-]+',
  URIHOST: '%{IPORHOST}(?::%{POSINT})?',
  URIPATHPARAM: '\\S+',
  URI: '%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:\\S*)?',
  MONTH: '\\b(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|[Mm]ay|[Jj]une?|[Jj]uly?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)\\b',
  MONTHNUM: '(?:0?[1-9]|1[0-2])',
  MONTHNUM2: '(?:0[1-9]|1[0-2])',
  MONTHDAY: '(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])',
  DAY: '(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)',
  YEAR: '(?:\\d\\d){1,2}',
  HOUR: '(?:2[0123]|[01]?[0-9])',
  MINUTE: '(?:[0-5][0-9])',
  SECOND: '(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)',
  TIME: '(?<![0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])',
  DATE_US: '%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}',
  DATE_EU: '%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}',
  ISO8601_TIMEZONE: '(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))',
  ISO8601_SECOND: '%{SECOND}',
  TIMESTAMP_ISO8601: '%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?',
  DATE: '%{DATE_US}|%{DATE_EU}',
  DATESTAMP: '%{DATE}[- ]%{TIME}',
  HTTPDATE: '%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}',
  SYSLOGTIMESTAMP: '%{MONTH} +%{MONTHDAY} %{TIME}',
  PROG: '[\\x21-\\x5a\\x5c\\x5e-\\x7e]+',
  // NONNEGINT, not Logstash's POSINT: the kernel logs as `kernel[0]` (macOS).
  SYSLOGPROG: '%{PROG:program}(?:\\[%{NONNEGINT:pid:int}\\])?',
  SYSLOGHOST: '%{IPORHOST}',
  SYSLOGFACILITY: '<%{NONNEGINT:facility}.%{NONNEGINT:priority}>',
  SYSLOGBASE: '%{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource} %{SYSLOGPROG}:',
  SYSLOGLINE: '%{SYSLOGBASE} %{GREEDYDATA:message}',
  LOGLEVEL: '(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo|INFO|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)',
  COMMONAPACHELOG: '%{IPORHOST:clientip} %{HTTPDUSER:ident} %{USER:auth} \\[%{HTTPDATE:timestamp}\\] "(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" %{NUMBER:response:int} (?:%{NUMBER:bytes:long}|-)',
  COMBINEDAPACHELOG: '%{COMMONAPACHELOG} %{QS:referrer} %{QS:agent}',
  JAVACLASS: '(?:[a-zA-Z$_][a-zA-Z$_0-9]*\\.)*[a-zA-Z$_][a-zA-Z$_0-9]*',
  // A logger name with at least one dot, so a message's first word followed by ":" is not taken for one.
  JAVALOGGER: '(?:[a-zA-Z$_][a-zA-Z$_0-9]*\\.)+[a-zA-Z$_][a-zA-Z$_0-9]*',
  // log4j's ISO8601 (`2015-10-18 18:01:47,978`), Spark's `yy/MM/dd HH:mm:ss`, HDFS's `yyMMdd HHmmss`.
  JAVALOGTIME: '(?:%{TIMESTAMP_ISO8601}|\\d{2}/\\d{2}/\\d{2} %{TIME}|\\d{6} \\d{6})',
  // One shape for log4j-style Java logs: Hadoop `TS LEVEL [thread] logger: msg`, Zookeeper `TS - LEVEL  [thread] - msg`,
  // Spark `TS LEVEL logger: msg`, HDFS `TS threadid LEVEL logger: msg`, Kafka `[TS] LEVEL msg (logger)`; one schema so their files can share a table.
  JAVALOG: '(?:\\[%{JAVALOGTIME:timestamp}\\]|%{JAVALOGTIME:timestamp})(?: -)? (?:%{NONNEGINT:thread} )?%{LOGLEVEL:level} +(?:\\[%{DATA:thread}\\](?: -)? )?(?:%{JAVALOGGER:logger}(?::| -) )?%{GREEDYDATA:message}',
  HTTPDERROR_DATE: '%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{YEAR}',
  // Apache httpd 2.0/2.2 (`[date] [error] [client ip] msg`) and 2.4 (`[date] [core:error] [pid 1:tid 2] [client ip:port] msg`).
  APACHEERRORLOG: '\\[%{HTTPDERROR_DATE:timestamp}\\] \\[(?:%{WORD:module}:)?%{WORD:loglevel}\\](?: \\[pid %{POSINT:pid:int}(?::tid %{INT:tid:long})?\\])?(?: \\[client %{IPORHOST:clientip}(?::%{POSINT:clientport:int})?\\])? %{GREEDYDATA:message}',
  SYSLOG5424PRINTASCII: '[!-~]+',
  SYSLOG5424SDATA: '(?:\\[(?:[^\\]"\\\\]|\\\\.|"(?:[^"\\\\]|\\\\.)*")*\\])+',
  SYSLOG5424LOG: '<%{NONNEGINT:priority:int}>%{NONNEGINT:version:int} +(?:%{TIMESTAMP_ISO8601:timestamp}|-) +(?:%{IPORHOST:host}|-) +(?:-|%{SYSLOG5424PRINTASCII:app}) +(?:-|%{SYSLOG5424PRINTASCII:procid}) +(?:-|%{SYSLOG5424PRINTASCII:msgid}) +(?:%{SYSLOG5424SDATA:structured_data}|-)(?: +%{GREEDYDATA:message})?',
  // Windows CBS/CSI/DISM servicing logs: `2016-09-28 04:30:30, Info                  CBS    message`.
  WINDOWSCBSLOG: '%{TIMESTAMP_ISO8601:timestamp}, %{WORD:level} +%{NOTSPACE:component} +%{GREEDYDATA:message}',
  // The leading time of a log line, in the forms real logs use (ISO, Apache error, syslog, Spark, HDFS, logcat,
  // Proxifier `10.30 16:49:06`, HealthApp `20171223-22:15:29:606`, HTTPDATE): the text fallback and the CSV guard use it.
  LOGTIMESTAMP: '(?:%{TIMESTAMP_ISO8601}|%{HTTPDERROR_DATE}|%{SYSLOGTIMESTAMP}(?: %{YEAR})?|%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME}(?: %{INT})?|\\d{2}/\\d{2}/\\d{2,4}[ :]%{TIME}|\\d{2}-\\d{2} %{TIME}|\\d{1,2}\\.\\d{1,2} %{TIME}|\\d{8}[-T ]%{HOUR}:%{MINUTE}:%{SECOND}|\\d{6} \\d{6})',
};

/**
 * Patterns of this library that Logstash's (which Glue and Athena's GrokSerDe know) lacks or defines otherwise.
 * A table read with one of them carries their definitions as custom patterns (`customPatternsFor`), so Glue
 * and Athena read the exported table with the same regexes as Epoxy.
 */
export const EPOXY_GROK_PATTERNS: ReadonlySet<string> = new Set([
  'JAVALOGGER', 'JAVALOGTIME', 'JAVALOG', 'APACHEERRORLOG', 'SYSLOG5424SDATA', 'SYSLOG5424LOG', 'WINDOWSCBSLOG', 'LOGTIMESTAMP',
]);

/** The `NAME regex` lines (Glue's CustomPatterns) defining the Epoxy-only patterns a pattern uses, directly or not. */
export function customPatternsFor(pattern: string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (src: string) => {
    for (const m of src.matchAll(/%\{([A-Za-z0-9_]+)/g)) {
      const name = m[1]!;
      if (seen.has(name) || GROK_PATTERNS[name] === undefined) continue;
      seen.add(name);
      walk(GROK_PATTERNS[name]!);
      if (EPOXY_GROK_PATTERNS.has(name)) out.push(`${name} ${GROK_PATTERNS[name]}`);
    }
  };
  walk(pattern);
  return out.join('\n');
}

/** Grok field types (`%{NUMBER:n:int}`) and the Glue types they give. */
const GROK_TYPES: Record<string, GlueType> = {
  string: t.string, int: t.int, integer: t.int, long: t.bigint, bigint: t.bigint, float: { kind: 'primitive', name: 'float' },
  double: t.double, boolean: t.boolean, bool: t.boolean, date: t.date, timestamp: t.timestamp,
};

/** A compiled grok pattern. */
export interface CompiledGrok {
  regex: RegExp;
  /** Distinct fields in order of first appearance. */
  fields: { name: string; type: GlueType }[];
  /** For each capture group (1-based index - 1), the index into `fields`. */
  groups: number[];
}

/** A grok pattern that cannot be compiled: the message names the pattern and the problem. */
export class GrokError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrokError';
  }
}

/** Parse Glue's CustomPatterns text: one `NAME regex` per line; blank lines and `#` comments skipped. */
export function parseCustomPatterns(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of (text ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_]+)\s+(.+)$/.exec(line);
    if (!m) throw new GrokError(`custom pattern line is not "NAME regex": ${line}`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const MAX_EXPANSION_DEPTH = 32;

/** Compile a grok pattern (anchored to the whole line) with the built-ins plus custom patterns. */
export function compileGrok(pattern: string, custom: Record<string, string> = {}): CompiledGrok {
  const library = { ...GROK_PATTERNS, ...custom };
  const fields: CompiledGrok['fields'] = [];
  const groups: number[] = [];
  const fieldIndex = (name: string, type: GlueType) => {
    let i = fields.findIndex((f) => f.name === name);
    if (i < 0) { i = fields.length; fields.push({ name, type }); }
    return i;
  };
  const expand = (src: string, depth: number, stack: string[]): string => {
    if (depth > MAX_EXPANSION_DEPTH) throw new GrokError(`pattern nesting deeper than ${MAX_EXPANSION_DEPTH}: ${stack.join(' > ')}`);
    let out = '';
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (c === '\\') { out += src.slice(i, i + 2); i++; continue; }
      if (c === '[') {
        // Copy a character class verbatim (a `(` inside it is a literal).
        let j = i + 1;
        if (src[j] === '^') j++;
        if (src[j] === ']') j++;
        while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
        out += src.slice(i, j + 1);
        i = j;
        continue;
      }
      if (c === '%' && src[i + 1] === '{') {
        const close = src.indexOf('}', i);
        if (close < 0) throw new GrokError(`unclosed %{ at ${i} in ${src}`);
        const [name, field, typeName] = src.slice(i + 2, close).split(':') as [string, string?, string?];
        const body = library[name];
        if (body === undefined) throw new GrokError(`unknown grok pattern %{${name}}`);
        if (stack.includes(name)) throw new GrokError(`recursive grok pattern %{${name}}`);
        if (field) {
          const type = typeName ? GROK_TYPES[typeName.toLowerCase()] : t.string;
          if (!type) throw new GrokError(`unknown grok type "${typeName}" in %{${name}:${field}:${typeName}}`);
          groups.push(fieldIndex(field, type));
          out += `(${expand(body, depth + 1, [...stack, name])})`;
        } else {
          out += `(?:${expand(body, depth + 1, [...stack, name])})`;
        }
        i = close;
        continue;
      }
      if (c === '(') {
        if (src[i + 1] !== '?') { out += '(?:'; continue; }
        const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
        if (named) {
          groups.push(fieldIndex(named[1]!, t.string));
          out += '(';
          i += named[0].length - 1;
          continue;
        }
        // Atomic groups are Oniguruma-only; a plain group matches the same lines.
        if (src[i + 2] === '>') { out += '(?:'; i += 2; continue; }
      }
      out += c;
    }
    return out;
  };
  const source = `^(?:${expand(pattern, 0, [])})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (err) {
    throw new GrokError(`grok pattern does not compile: ${errorMessage(err)}`);
  }
  return { regex, fields, groups };
}

/** Match one line; returns the captured fields (first non-empty capture per field) or null. */
export function grokMatch(g: CompiledGrok, line: string): Record<string, string> | null {
  const m = g.regex.exec(line);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (let k = 0; k < g.groups.length; k++) {
    const v = m[k + 1];
    const name = g.fields[g.groups[k]!]!.name;
    if (v !== undefined && out[name] === undefined) out[name] = v;
  }
  return out;
}
