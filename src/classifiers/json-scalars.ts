import { addValue, FLOAT, newShape, recordFields } from './infer-json';
import { parseJsonExact } from './json-exact';
import { estimateCount } from './stats';
import type { ClassifierResult, Sample } from './types';

/**
 * JSON Lines whose values are scalars (`"a"`, `42`, `true`): one column `col0`. Stricter than object
 * JSON Lines, because bare words and numbers are also what plain text and one-column CSV look like:
 * every non-blank line must be exactly one JSON value (a quoted CSV row `"a","b"` is not), and one line
 * that is not JSON means the file is not JSON. A line cut by the end of an incomplete sample is ignored.
 */
export function classifyJsonScalars(sample: Sample, text: string): ClassifierResult | null {
  const shape = newShape();
  let n = 0, consumed = 0, at = 0;
  while (at < text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) {
      if (!sample.complete) break;
      nl = text.length;
    }
    const line = text.slice(at, nl).trim();
    at = nl + 1;
    if (!line) continue;
    let value: unknown;
    try { value = parseJsonExact(line, { fraction: FLOAT }); } catch { return null; }
    addValue(shape, value);
    n++;
    consumed = Math.min(at, text.length);
  }
  if (n === 0) return null;
  const consumedBytes = new TextEncoder().encode(text.slice(0, consumed)).length;
  return { classification: 'json', certainty: 1, schema: recordFields(shape), properties: {}, ...estimateCount(n, consumedBytes, sample) };
}
