import { compileGrok, customPatternsFor, grokMatch, parseCustomPatterns, type CompiledGrok } from './grok';
import { estimateCount } from './stats';
import { decodeText, detectBom, looksBinary } from './text';
import type { ClassifierResult, Sample } from './types';

/** Lines tried per sample. */
export const LOG_SAMPLE_LINES = 1000;
/** Longer lines never match (bounds regex work on hostile input). */
export const LOG_MAX_LINE = 16 * 1024;
/** Share of sampled lines a built-in log format must match. */
export const BUILTIN_LOG_MIN_MATCH = 0.8;

/**
 * Built-in log classifiers: classification and grok pattern, tried in this order (the best share wins).
 * Glue's Apache and syslog families plus the families real logs come in (Apache error log, RFC 5424 syslog,
 * log4j-style Java logs of Hadoop/Spark/HDFS/Zookeeper, Windows CBS).
 */
export const BUILTIN_LOGS: { classification: string; pattern: string }[] = [
  { classification: 'combined_apache', pattern: '%{COMBINEDAPACHELOG}' },
  { classification: 'apache', pattern: '%{COMMONAPACHELOG}' },
  { classification: 'apache_error', pattern: '%{APACHEERRORLOG}' },
  { classification: 'syslog', pattern: '%{SYSLOGLINE}' },
  { classification: 'syslog_rfc5424', pattern: '%{SYSLOG5424LOG}' },
  { classification: 'log4j', pattern: '%{JAVALOG}' },
  { classification: 'windows_cbs', pattern: '%{WINDOWSCBSLOG}' },
];

/** Classification of a text log no built-in format knows (one `message` column, or `timestamp` + `message`). */
export const TEXT_LOG_CLASSIFICATION = 'log';
/** Certainty of the text fallback: above 0 so it counts, below every real format so it never beats one. */
export const TEXT_LOG_CERTAINTY = 0.05;
/** Grok patterns of the text fallback: lines led by a time keep it as a column. */
export const TEXT_LOG_PATTERNS = {
  timed: '\\[?%{LOGTIMESTAMP:timestamp}\\]?(?:,| -|\\|)? *%{GREEDYDATA:message}',
  plain: '%{GREEDYDATA:message}',
} as const;
/** File names that say "log" on their own (`app.log`, `app.log.1`, `server.out.gz`). */
const LOG_NAME = /\.(?:log|out|err)(?:\.\d+)?(?:\.gz)?$/i;
/** A date or time anywhere near the start of a line: what makes a line a log line rather than prose. */
const TIME_TOKEN = /\d{1,2}:\d{2}:\d{2}|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\b1\d{9}\b|\b\d{6} \d{6}\b/;

/**
 * A line that continues the record above it rather than starting one: an indented line (`\tat org.x.Y(Y.java:1)`),
 * `Caused by:`, `... 12 more`, a Python traceback header, or an exception's own line (`java.net.ConnectException: ...`).
 */
export const CONTINUATION_LINE = /^(?:\s|Caused by:|\.\.\. \d+ more|Traceback \(most recent call last\):|[\w$.]*(?:Exception|Error|Throwable)\b)/;

const compiled = new Map<string, CompiledGrok>();

function compiledFor(pattern: string, customPatterns?: string): CompiledGrok {
  const key = `${pattern}\u0000${customPatterns ?? ''}`;
  let g = compiled.get(key);
  if (!g) { g = compileGrok(pattern, parseCustomPatterns(customPatterns)); compiled.set(key, g); }
  return g;
}

/** Options of a grok classification. */
export interface GrokOptions {
  classification: string;
  pattern: string;
  customPatterns?: string;
  /** Minimum share of lines that must match (0..1). */
  minMatch?: number;
  /** Leave continuation lines (CONTINUATION_LINE, after a matching line) out of the share: a stack trace is part of its record. */
  continuations?: boolean;
}

/** The non-empty lines of a sample (a last line cut by the sample's end is left out), at most `max`. */
function sampleLines(sample: Sample, text: string, max: number): { lines: string[]; at: number; consumed: number } {
  const lines: string[] = [];
  let at = 0, consumed = 0;
  while (at < text.length && lines.length < max) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) {
      if (!sample.complete) break;
      nl = text.length;
    }
    const end = nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (end > at) { lines.push(text.slice(at, end)); consumed = nl + 1; }
    at = nl + 1;
  }
  return { lines, at, consumed };
}

function isText(sample: Sample): boolean {
  return detectBom(sample.bytes).bomLength > 0 || !looksBinary(sample.bytes);
}

/** Build the result of a grok classification once lines are matched. */
function grokResult(sample: Sample, text: string, g: CompiledGrok, scan: { lines: string[]; at: number; consumed: number }, opts: { classification: string; pattern: string; customPatterns?: string; certainty: number; warnings: string[] }): ClassifierResult {
  let lines = scan.lines.length, consumed = scan.consumed;
  // Count every line of the sample for size estimates, not just the tried ones.
  if (scan.at < text.length) {
    for (let i = text.indexOf('\n', scan.at); i >= 0 && (sample.complete || i < text.length); i = text.indexOf('\n', i + 1)) { lines++; consumed = i + 1; }
  }
  const bytesPerChar = text.length ? sample.bytes.length / text.length : 1;
  const properties: Record<string, string> = { grokPattern: opts.pattern };
  if (opts.customPatterns) properties.grokCustomPatterns = opts.customPatterns;
  return {
    classification: opts.classification,
    certainty: opts.certainty,
    schema: g.fields.map((f) => ({ name: f.name, type: f.type })),
    properties,
    ...estimateCount(lines, Math.round(consumed * bytesPerChar), sample),
    ...(opts.warnings.length ? { warnings: opts.warnings } : {}),
  };
}

/** Lines that match, and continuation lines after a match (counted only when asked for). */
function matchCount(g: CompiledGrok, lines: string[], continuations = false): { matched: number; continued: number } {
  let matched = 0, continued = 0;
  for (const line of lines) {
    if (line.length <= LOG_MAX_LINE && g.regex.test(line)) matched++;
    else if (continuations && matched > 0 && CONTINUATION_LINE.test(line)) continued++;
  }
  return { matched, continued };
}

/**
 * Classify text lines with one grok pattern. Certainty is the share of sampled non-empty lines
 * that match (1.0 when all do).
 */
export function classifyGrok(sample: Sample, opts: GrokOptions): ClassifierResult | null {
  if (!isText(sample)) return null;
  const g = compiledFor(opts.pattern, opts.customPatterns);
  const { text } = decodeText(sample.bytes);
  const scan = sampleLines(sample, text, LOG_SAMPLE_LINES);
  const { matched, continued } = matchCount(g, scan.lines, opts.continuations);
  const tried = scan.lines.length - continued;
  if (tried === 0 || matched === 0) return null;
  const share = matched / tried;
  if (share < (opts.minMatch ?? 0.5)) return null;
  const warnings = share < 1 ? [`${tried - matched} of ${tried} sampled lines do not match ${opts.pattern}`] : [];
  if (continued) warnings.push(`${continued} continuation lines (stack traces, indented lines) are read as part of the record above them`);
  return grokResult(sample, text, g, scan, { ...opts, certainty: share, warnings });
}

/** The built-in log formats, best match first. */
export function classifyLog(sample: Sample): ClassifierResult | null {
  let best: ClassifierResult | null = null;
  for (const b of BUILTIN_LOGS) {
    const customPatterns = customPatternsFor(b.pattern) || undefined;
    const r = classifyGrok(sample, { classification: b.classification, pattern: b.pattern, customPatterns, minMatch: BUILTIN_LOG_MIN_MATCH, continuations: true });
    if (r && (!best || r.certainty > best.certainty)) best = r;
    if (best?.certainty === 1) break;
  }
  return best;
}

/**
 * The last resort for line-oriented text no format knows: a `log` table of one `message` column per line
 * (`timestamp` + `message` when 80% of lines are led by a time). Only for text that is a log: 80% of lines
 * carry a date or time near their start, or the file is named like one (`.log`, `.out`, `.err`); a README
 * stays UNKNOWN. Its certainty is TEXT_LOG_CERTAINTY, so any real format (a CSV included) wins over it.
 */
export function classifyTextLog(sample: Sample): ClassifierResult | null {
  if (!isText(sample)) return null;
  const { text } = decodeText(sample.bytes);
  const scan = sampleLines(sample, text, LOG_SAMPLE_LINES);
  const n = scan.lines.length;
  if (n === 0) return null;
  const logName = LOG_NAME.test(sample.name);
  if (n < 2 && !logName) return null;
  const timed = compiledFor(TEXT_LOG_PATTERNS.timed);
  const t = matchCount(timed, scan.lines, true);
  const timedShare = t.matched / (n - t.continued);
  const note = 'no known log format matched: each line is one record';
  if (timedShare >= BUILTIN_LOG_MIN_MATCH) {
    const warnings = [timedShare < 1 ? `${note}; ${n - t.continued - t.matched} of ${n - t.continued} sampled lines have no leading time` : note];
    return grokResult(sample, text, timed, scan, { classification: TEXT_LOG_CLASSIFICATION, pattern: TEXT_LOG_PATTERNS.timed, customPatterns: customPatternsFor(TEXT_LOG_PATTERNS.timed), certainty: TEXT_LOG_CERTAINTY, warnings });
  }
  let withTime = 0;
  for (const line of scan.lines) if (TIME_TOKEN.test(line.slice(0, 120))) withTime++;
  if (withTime / n < BUILTIN_LOG_MIN_MATCH && !logName) return null;
  if (scan.lines.some((l) => l.length > LOG_MAX_LINE)) return null;
  const plain = compiledFor(TEXT_LOG_PATTERNS.plain);
  return grokResult(sample, text, plain, scan, { classification: TEXT_LOG_CLASSIFICATION, pattern: TEXT_LOG_PATTERNS.plain, certainty: TEXT_LOG_CERTAINTY, warnings: [note] });
}

/** Lines read by the CSV guard: enough to judge, few enough to cost nothing on every CSV. */
const GUARD_LINES = 200;
const GUARD_BYTES = 64 * 1024;
const FREE_TEXT = /[^\s,;|] +[^\s,;|]/;

/**
 * Whether delimited-looking text is a log rather than a CSV, so the CSV classifier does not split
 * `17:41:44,747` or `04:30:30, Info  CBS ...` into columns (issue 17). A log: its first line is led by a
 * time (no header row), as are 80% of its lines, and what follows the time is free text (words separated
 * by spaces, not only delimiter-separated values) in 80% of them, with no quoted fields in most lines.
 * A headerless CSV whose rows start with a datetime stays a CSV as long as its other cells are plain values.
 */
export function looksLikeLog(sample: Sample): boolean {
  if (!isText(sample)) return false;
  const head = sample.bytes.length > GUARD_BYTES ? { ...sample, bytes: sample.bytes.subarray(0, GUARD_BYTES), complete: false } : sample;
  const { text } = decodeText(head.bytes);
  const { lines } = sampleLines(head, text, GUARD_LINES);
  if (lines.length < 2) return false;
  const lead = compiledFor('\\[?%{LOGTIMESTAMP}\\]?%{GREEDYDATA:rest}');
  let led = 0, free = 0, quoted = 0, continued = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/(?:^|[,;|\t])"|"(?:[,;|\t]|$)/.test(line)) quoted++;
    const m = line.length <= LOG_MAX_LINE ? grokMatch(lead, line) : null;
    if (!m) {
      if (i === 0) return false;
      if (CONTINUATION_LINE.test(line)) continued++;
      continue;
    }
    led++;
    // Spaces between two characters that are not delimiters are inside a value: free text (padding next to a
    // delimiter is not). One linear regex: a long run of spaces must not cost quadratic time.
    if (FREE_TEXT.test(m.rest ?? '')) free++;
  }
  return led >= BUILTIN_LOG_MIN_MATCH * (lines.length - continued) && free >= BUILTIN_LOG_MIN_MATCH * led && quoted * 2 < lines.length;
}

export { grokMatch };
