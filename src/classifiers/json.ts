import { addValue, FLOAT, newShape, recordFields } from './infer-json';
import { parseJsonExact } from './json-exact';
import { classifyJsonScalars } from './json-scalars';
import { findRecords, parseJsonPath, skipWs, type PathStep } from './json-scan';
import { decodeText, looksBinary, detectBom } from './text';
import type { ClassifierResult, Sample } from './types';
import { estimateCount } from './stats';

/** Records typed per sample at most (enough for stable types; the rest are only counted). */
export const JSON_MAX_TYPED_RECORDS = 10_000;

/** Options of the JSON classifier (the custom JsonClassifier sets a JsonPath). */
export interface JsonOptions {
  jsonPath?: string;
}

/**
 * JSON and JSON Lines. A top-level array is split into its elements (jsonPath `$[*]`), never one
 * `array` column; a custom JsonPath selects the records anywhere in the document.
 */
export function classifyJson(sample: Sample, options: JsonOptions = {}): ClassifierResult | null {
  const bom = detectBom(sample.bytes);
  if (bom.bomLength === 0 && looksBinary(sample.bytes)) return null;
  const { text } = decodeText(sample.bytes);
  const first = skipWs(text, 0);
  const c = text.charCodeAt(first);
  if (c !== 123 && c !== 91) return options.jsonPath === undefined ? classifyJsonScalars(sample, text) : null;
  let steps: PathStep[];
  let jsonPath = options.jsonPath;
  if (jsonPath !== undefined) {
    steps = parseJsonPath(jsonPath);
  } else if (c === 91) {
    steps = [{ any: true }];
    jsonPath = '$[*]';
  } else {
    steps = [];
  }
  const found = findRecords(text, steps);
  const n = found.spans.length / 2;
  if (found.error && n === 0) return null;
  // Text that breaks on its first line only opened with a bracket: a log's `[10.30 16:49:06] chrome.exe` (issue 17).
  if (found.error && jsonPath === '$[*]' && options.jsonPath === undefined && breaksOnFirstLine(text, found.error)) return null;
  const shape = newShape();
  const warnings: string[] = [];
  let bad = 0;
  const typed = Math.min(n, JSON_MAX_TYPED_RECORDS);
  for (let r = 0; r < typed; r++) {
    let value: unknown;
    try {
      value = parseJsonExact(text.slice(found.spans[2 * r]!, found.spans[2 * r + 1]!), { fraction: FLOAT });
    } catch {
      bad++;
      continue;
    }
    addValue(shape, value);
  }
  if (typed > 0 && bad === typed) return null;
  if (n === 0) {
    if (found.truncated && !sample.complete) {
      return { classification: 'json', certainty: 0.5, schema: [], properties: jsonProps(jsonPath), warnings: ['no complete JSON record in the sample: read a larger sample'] };
    }
    return null;
  }
  if (bad) warnings.push(`${bad} of ${typed} records are not valid JSON`);
  if (found.error) warnings.push(`JSON syntax error after the last record: ${found.error}`);
  if (found.truncated && sample.complete) warnings.push('the file ends inside a JSON value (truncated file)');
  const certainty = bad || found.error || (found.truncated && sample.complete) ? Math.max(0.1, 0.9 * (1 - bad / typed)) : 1;
  const consumedBytes = new TextEncoder().encode(text.slice(0, found.consumed)).length;
  const counts = estimateCount(n, consumedBytes, sample);
  return {
    classification: 'json',
    certainty,
    schema: recordFields(shape),
    properties: jsonProps(jsonPath),
    ...counts,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Whether a scan error (`... at N`) lies on the first line of a text that has more lines. */
function breaksOnFirstLine(text: string, error: string): boolean {
  const at = /at (\d+)$/.exec(error);
  const nl = text.indexOf('\n');
  return at !== null && nl >= 0 && Number(at[1]) < nl;
}

function jsonProps(jsonPath: string | undefined): Record<string, string> {
  return jsonPath ? { jsonPath } : {};
}
