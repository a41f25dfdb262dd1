import { compileGrok, grokMatch, parseCustomPatterns, type CompiledGrok } from './grok';
import { estimateCount } from './stats';
import { decodeText, detectBom, looksBinary } from './text';
import type { ClassifierResult, Sample } from './types';

/** Lines tried per sample. */
export const LOG_SAMPLE_LINES = 1000;
/** Longer lines never match (bounds regex work on hostile input). */
export const LOG_MAX_LINE = 16 * 1024;

/** Glue's built-in log classifiers: classification and grok pattern. */
export const BUILTIN_LOGS: { classification: string; pattern: string }[] = [
  { classification: 'combined_apache', pattern: '%{COMBINEDAPACHELOG}' },
  { classification: 'apache', pattern: '%{COMMONAPACHELOG}' },
  { classification: 'syslog', pattern: '%{SYSLOGLINE}' },
];

const compiled = new Map<string, CompiledGrok>();

/** Options of a grok classification. */
export interface GrokOptions {
  classification: string;
  pattern: string;
  customPatterns?: string;
  /** Minimum share of lines that must match (0..1). */
  minMatch?: number;
}

/**
 * Classify text lines with one grok pattern. Certainty is the share of sampled non-empty lines
 * that match (1.0 when all do).
 */
export function classifyGrok(sample: Sample, opts: GrokOptions): ClassifierResult | null {
  if (detectBom(sample.bytes).bomLength === 0 && looksBinary(sample.bytes)) return null;
  const key = `${opts.pattern}\u0000${opts.customPatterns ?? ''}`;
  let g = compiled.get(key);
  if (!g) { g = compileGrok(opts.pattern, parseCustomPatterns(opts.customPatterns)); compiled.set(key, g); }
  const { text } = decodeText(sample.bytes);
  let tried = 0, matched = 0, at = 0, consumed = 0, lines = 0;
  while (at < text.length && tried < LOG_SAMPLE_LINES) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) {
      if (!sample.complete) break;
      nl = text.length;
    }
    const end = nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (end > at) {
      tried++;
      if (end - at <= LOG_MAX_LINE && g.regex.test(text.slice(at, end))) matched++;
      lines++;
      consumed = nl + 1;
    }
    at = nl + 1;
  }
  if (tried === 0 || matched === 0) return null;
  const share = matched / tried;
  if (share < (opts.minMatch ?? 0.5)) return null;
  // Count every line of the sample for size estimates, not just the tried ones.
  if (at < text.length) {
    for (let i = text.indexOf('\n', at); i >= 0 && (sample.complete || i < text.length); i = text.indexOf('\n', i + 1)) { lines++; consumed = i + 1; }
  }
  const bytesPerChar = text.length ? sample.bytes.length / text.length : 1;
  const properties: Record<string, string> = { grokPattern: opts.pattern };
  if (opts.customPatterns) properties.grokCustomPatterns = opts.customPatterns;
  const warnings = share < 1 ? [`${tried - matched} of ${tried} sampled lines do not match ${opts.pattern}`] : [];
  return {
    classification: opts.classification,
    certainty: share,
    schema: g.fields.map((f) => ({ name: f.name, type: f.type })),
    properties,
    ...estimateCount(lines, Math.round(consumed * bytesPerChar), sample),
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Glue's built-in log formats, best match first. */
export function classifyLog(sample: Sample): ClassifierResult | null {
  let best: ClassifierResult | null = null;
  for (const b of BUILTIN_LOGS) {
    const r = classifyGrok(sample, { classification: b.classification, pattern: b.pattern, minMatch: 0.8 });
    if (r && (!best || r.certainty > best.certainty)) best = r;
    if (best?.certainty === 1) break;
  }
  return best;
}

export { grokMatch };
