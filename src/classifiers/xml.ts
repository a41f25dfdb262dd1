import { XMLParser } from 'fast-xml-parser';
import { addValue, FLOAT, newShape, recordFields } from './infer-json';
import { Cell, DateFamily, scanCell, scanned } from './infer';
import { estimateCount } from './stats';
import { decodeText, detectBom, looksBinary } from './text';
import type { ClassifierResult, Sample } from './types';

/** Options of the XML classifier (the custom XMLClassifier sets the row tag). */
export interface XmlOptions {
  rowTag?: string;
  classification?: string;
}

/** Attributes become fields with this prefix; element text next to attributes is `_VALUE` (spark-xml/Glue). */
export const XML_ATTRIBUTE_PREFIX = '_';
export const XML_VALUE_TAG = '_VALUE';
/** Rows parsed for typing per sample. */
const XML_MAX_TYPED_ROWS = 5000;
/** A single row larger than this is not parsed (hostile or not row-shaped). */
const XML_MAX_ROW_CHARS = 4 * 1024 * 1024;

interface Tag { name: string; depth: number; start: number; end: number; kind: 'open' | 'close' | 'empty' }

/**
 * Walk the tags of an XML text without building a tree: comments, CDATA, processing instructions
 * and DOCTYPE (with its internal subset) are skipped, so no entity is ever declared or expanded,
 * and nothing external is fetched. Calls `visit` per element tag; stops at the first truncated construct.
 */
export function scanTags(text: string, visit: (tag: Tag) => boolean | void): { truncated: boolean; doctype: boolean } {
  let depth = 0, i = 0, doctype = false;
  const len = text.length;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return { truncated: false, doctype };
    const c = text.charCodeAt(i + 1);
    if (c === 33) { // <!
      let close: number;
      if (text.startsWith('<!--', i)) close = endOf(text, '-->', i + 4);
      else if (text.startsWith('<![CDATA[', i)) close = endOf(text, ']]>', i + 9);
      else {
        doctype = true;
        const bracket = text.indexOf('[', i), gt = text.indexOf('>', i);
        close = bracket >= 0 && gt >= 0 && bracket < gt ? endOf(text, ']>', bracket) : gt < 0 ? -1 : gt + 1;
      }
      if (close < 0) return { truncated: true, doctype };
      i = close;
      continue;
    }
    if (c === 63) { const close = endOf(text, '?>', i + 2); if (close < 0) return { truncated: true, doctype }; i = close; continue; }
    const gt = tagEnd(text, i + 1);
    if (gt < 0) return { truncated: true, doctype };
    const closing = c === 47;
    let j = i + (closing ? 2 : 1);
    const nameStart = j;
    while (j < len) {
      const d = text.charCodeAt(j);
      if (d === 32 || d === 9 || d === 10 || d === 13 || d === 62 || d === 47) break;
      j++;
    }
    const name = text.slice(nameStart, j);
    if (closing) {
      depth--;
      if (visit({ name, depth, start: i, end: gt + 1, kind: 'close' }) === false) return { truncated: false, doctype };
    } else if (text.charCodeAt(gt - 1) === 47) {
      if (visit({ name, depth, start: i, end: gt + 1, kind: 'empty' }) === false) return { truncated: false, doctype };
    } else {
      if (visit({ name, depth, start: i, end: gt + 1, kind: 'open' }) === false) return { truncated: false, doctype };
      depth++;
    }
    i = gt + 1;
  }
}

function endOf(text: string, marker: string, from: number): number {
  const k = text.indexOf(marker, from);
  return k < 0 ? -1 : k + marker.length;
}

/** Index of the `>` closing a tag, skipping quoted attribute values. */
function tagEnd(text: string, i: number): number {
  let quote = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) { if (c === quote) quote = 0; }
    else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}

/**
 * The row tag: the shallowest element name that repeats (most repeats first), e.g. `book` in
 * `<catalog><book/><book/></catalog>`; the root itself when nothing repeats.
 */
export function detectRowTag(text: string): string | null {
  const counts = new Map<string, number>();
  let root: string | null = null;
  scanTags(text, (tag) => {
    if (tag.kind === 'close') return;
    if (tag.depth === 0 && root === null) root = tag.name;
    if (tag.depth >= 1 && tag.depth <= 4) {
      const key = `${tag.depth}\u0000${tag.name}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  });
  let best: { depth: number; name: string; count: number } | null = null;
  for (const [key, count] of counts) {
    if (count < 2) continue;
    const [d, name] = key.split('\u0000') as [string, string];
    const depth = Number(d);
    if (!best || depth < best.depth || (depth === best.depth && count > best.count)) best = { depth, name, count };
  }
  return best ? best.name : root;
}

/** Spans [start, end) of every complete `rowTag` element (nested same-name elements stay inside). */
export function rowSpans(text: string, rowTag: string): { spans: number[]; truncated: boolean; doctype: boolean } {
  const spans: number[] = [];
  let open = -1, nested = 0;
  const r = scanTags(text, (tag) => {
    if (tag.name !== rowTag) return;
    if (tag.kind === 'empty') { if (open < 0) spans.push(tag.start, tag.end); return; }
    if (tag.kind === 'open') { if (open < 0) { open = tag.start; nested = 0; } else nested++; return; }
    if (open < 0) return;
    if (nested > 0) { nested--; return; }
    spans.push(open, tag.end);
    open = -1;
  });
  return { spans, truncated: r.truncated || open >= 0, doctype: r.doctype };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
  textNodeName: XML_VALUE_TAG,
  // No entity processing at all: no DOCTYPE entity is read, so no expansion bomb and no external fetch.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Turn XML leaf text into the JSON value the text rules say it is, so structural inference can type it. */
function typedLeaves(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const kind = scanCell(value, 0, value.length);
    switch (kind) {
      case Cell.Null: return value.trim() === '' ? null : value;
      case Cell.Bool: return value.trim().toLowerCase() === 'true';
      // Past 15 digits a JS number may round: an exact bigint keeps 64-bit values (and wider ones) exact.
      case Cell.Int: return scanned.leadingZero ? value : scanned.intDigits > 15 ? BigInt(value.trim()) : Number(value);
      case Cell.Dec: case Cell.Float: return scanned.leadingZero ? value : FLOAT;
      case Cell.Date: case Cell.Timestamp: return scanned.family === DateFamily.Iso ? value.trim() : value;
      default: return value;
    }
  }
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => typedLeaves(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = typedLeaves(v, depth + 1);
  return out;
}

/**
 * XML: rows are the elements named by the row tag (given, or detected); attributes are fields
 * prefixed `_`, repeated child elements are arrays, nested elements structs.
 */
export function classifyXml(sample: Sample, options: XmlOptions = {}): ClassifierResult | null {
  const bom = detectBom(sample.bytes);
  if (bom.bomLength === 0 && looksBinary(sample.bytes)) return null;
  const { text } = decodeText(sample.bytes);
  let first = 0;
  while (first < text.length && text.charCodeAt(first) <= 32) first++;
  if (text.charCodeAt(first) !== 60) return null;
  const rowTag = options.rowTag ?? detectRowTag(text);
  if (!rowTag) return null;
  const found = rowSpans(text, rowTag);
  const n = found.spans.length / 2;
  if (n === 0) return null;
  const shape = newShape();
  const warnings: string[] = [];
  let bad = 0, typed = 0;
  for (let r = 0; r < n && typed < XML_MAX_TYPED_ROWS; r++) {
    const a = found.spans[2 * r]!, b = found.spans[2 * r + 1]!;
    if (b - a > XML_MAX_ROW_CHARS) { bad++; continue; }
    typed++;
    try {
      const doc = parser.parse(text.slice(a, b)) as Record<string, unknown>;
      let row = doc[rowTag];
      if (typeof row === 'string' || row === undefined) row = row === undefined || row === '' ? {} : { [XML_VALUE_TAG]: row };
      addValue(shape, typedLeaves(row));
    } catch {
      bad++;
    }
  }
  if (bad === n) return null;
  if (bad) warnings.push(`${bad} of ${n} <${rowTag}> rows could not be parsed`);
  if (found.doctype) warnings.push('DOCTYPE ignored: entities are never expanded and external entities never fetched');
  if (found.truncated && sample.complete) warnings.push('the file ends inside an element (truncated XML)');
  const counts = estimateCount(n, new TextEncoder().encode(text.slice(0, found.spans[found.spans.length - 1])).length, sample);
  return {
    classification: options.classification ?? 'xml',
    certainty: bad ? 0.8 : 1,
    schema: recordFields(shape),
    properties: { rowTag },
    ...counts,
    ...(warnings.length ? { warnings } : {}),
  };
}
