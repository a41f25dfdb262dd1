/**
 * A string-aware JSON scanner that finds where values start and end without building them, so a
 * truncated sample still yields its complete records and nesting depth costs no stack.
 */

const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Index of the first non-blank character at or after i. */
export function skipWs(text: string, i: number): number {
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string literal opening at i, or -1 if the text ends first. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return -1;
}

/** End (exclusive) of the JSON value starting at i, or -1 when the text ends inside it. */
export function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return stringEnd(text, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 34) { j = stringEnd(text, j) - 1; if (j < 0) return -1; }
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) { if (--depth === 0) return j + 1; }
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (isWs(d) || d === 44 || d === 93 || d === 125 || d === 123 || d === 91 || d === 34) break;
    j++;
  }
  // A bare scalar that runs to the end of the text may be cut short.
  return j === i ? -1 : j === text.length ? -1 : j;
}

/** A path step: an object key, or `*` for every array element. */
export type PathStep = { key: string } | { any: true };

/** Parse a Glue JsonPath (`$`, `$[*]`, `$.a.b[*]`, `$['a b'][*]`). Throws on anything else. */
export function parseJsonPath(path: string): PathStep[] {
  const p = path.trim();
  if (!p.startsWith('$')) throw new Error(`JsonPath must start with "$": ${path}`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < p.length) {
    if (p.startsWith('[*]', i)) { steps.push({ any: true }); i += 3; continue; }
    if (p[i] === '.' && p[i + 1] === '*') { steps.push({ any: true }); i += 2; continue; }
    if (p[i] === '.') {
      const m = /^[^.[\]]+/.exec(p.slice(i + 1));
      if (!m) throw new Error(`JsonPath has an empty key at ${i}: ${path}`);
      steps.push({ key: m[0] });
      i += 1 + m[0].length;
      continue;
    }
    const q = /^\[(['"])(.*?)\1\]/.exec(p.slice(i));
    if (q) { steps.push({ key: q[2]! }); i += q[0].length; continue; }
    throw new Error(`unsupported JsonPath syntax at ${i}: ${path}`);
  }
  return steps;
}

/** Spans of records found by walking a path; `truncated` when the text ended inside the walk. */
export interface RecordSpans {
  spans: number[];
  truncated: boolean;
  /** Characters scanned up to the end of the last complete record. */
  consumed: number;
  /** A syntax error met while walking (the text is not JSON). */
  error?: string;
}

/**
 * Find record spans: apply `steps` to every top-level value of the text (several values = JSON
 * Lines). Spans are pairs [start, end) into text. Stops after `maxRecords`.
 */
export function findRecords(text: string, steps: PathStep[], maxRecords = Infinity): RecordSpans {
  const out: RecordSpans = { spans: [], truncated: false, consumed: 0 };
  let i = skipWs(text, 0);
  for (;;) {
    // Tolerate commas between top-level values (some exporters write `{..},\n{..}`; streamed array tails).
    while (text.charCodeAt(i) === 44) i = skipWs(text, i + 1);
    if (i >= text.length || out.spans.length / 2 >= maxRecords) return out;
    const end = walk(text, i, steps, 0, out, maxRecords);
    if (end < 0) return out;
    i = skipWs(text, end);
  }
}

function walk(text: string, i: number, steps: PathStep[], at: number, out: RecordSpans, max: number): number {
  if (at === steps.length) {
    const end = valueEnd(text, i);
    if (end < 0) { out.truncated = true; return -1; }
    out.spans.push(i, end);
    out.consumed = end;
    return end;
  }
  const step = steps[at]!;
  const c = text.charCodeAt(i);
  const isArr = c === 91;
  if ('any' in step ? !isArr && c !== 123 : c !== 123) {
    // The value does not have the path's shape: skip it.
    const end = valueEnd(text, i);
    if (end < 0) { out.truncated = true; return -1; }
    if (c !== 34 && c !== 45 && !(c >= 48 && c <= 57) && c !== 116 && c !== 102 && c !== 110) { out.error = `unexpected "${text[i]}" at ${i}`; return -1; }
    return end;
  }
  let j = skipWs(text, i + 1);
  const close = isArr ? 93 : 125;
  if (text.charCodeAt(j) === close) return j + 1;
  for (;;) {
    if (j >= text.length) { out.truncated = true; return -1; }
    let match = true;
    if (!isArr) {
      if (text.charCodeAt(j) !== 34) { out.error = `expected a key at ${j}`; return -1; }
      const kEnd = stringEnd(text, j);
      if (kEnd < 0) { out.truncated = true; return -1; }
      let key: string;
      try { key = JSON.parse(text.slice(j, kEnd)) as string; } catch { out.error = `bad key at ${j}`; return -1; }
      j = skipWs(text, kEnd);
      if (text.charCodeAt(j) !== 58) { if (j >= text.length) out.truncated = true; else out.error = `expected ":" at ${j}`; return -1; }
      j = skipWs(text, j + 1);
      match = 'any' in step || step.key === key;
    }
    if (j >= text.length) { out.truncated = true; return -1; }
    const end = match ? walk(text, j, steps, at + 1, out, max) : valueEnd(text, j);
    if (end < 0) { if (!match) out.truncated = true; return -1; }
    if (out.spans.length / 2 >= max) return -1;
    j = skipWs(text, end);
    const d = text.charCodeAt(j);
    if (d === 44) { j = skipWs(text, j + 1); continue; }
    if (d === close) return j + 1;
    if (j >= text.length) out.truncated = true; else out.error = `expected "," at ${j}`;
    return -1;
  }
}
