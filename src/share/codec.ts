import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';

/** Prefix of every share link payload; the digit is the payload format version. */
export const SHARE_PREFIX = 'e1.';

/** A link payload larger than this once inflated is refused (a deflate bomb cannot blow up the tab). */
export const MAX_INFLATED_BYTES = 1 << 20;

/** Deepest nesting of arrays and objects a link may hold (a job is about 10 levels deep, a workflow 12). */
export const MAX_DEPTH = 32;
/** Longest single string in a link (a long Sql step is a few KB). */
export const MAX_STRING_CHARS = 100_000;
/** Most items in one array, and keys in one object. */
export const MAX_ARRAY_ITEMS = 10_000;
export const MAX_OBJECT_KEYS = 1_000;
/** Most JSON values in a whole link. */
export const MAX_VALUES = 200_000;

/** Why a link could not be opened, said so a user understands. */
export class ShareLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('The link is damaged: it contains characters a share link never has');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    throw new ShareLinkError('The link is damaged: it is not valid base64url');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Encode a JSON-serializable payload as compact link text: versioned, deflated, base64url. The zlib wrapper's
 * Adler-32 checksum makes a damaged or hand-edited link fail to open instead of opening altered.
 */
export function encodePayload(payload: unknown): string {
  return SHARE_PREFIX + toBase64Url(zlibSync(strToU8(JSON.stringify(payload)), { level: 9 }));
}

/**
 * Decode link text back to JSON. Throws ShareLinkError for a wrong version, damaged or truncated data,
 * an oversized payload, or text that is not JSON; validation of the shape is the caller's next step.
 */
export function decodePayload(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('e') || !/^e\d+\./.test(trimmed)) throw new ShareLinkError('This is not an Epoxy share link');
  if (!trimmed.startsWith(SHARE_PREFIX)) throw new ShareLinkError(`This link was made by a newer Epoxy (format ${trimmed.slice(0, trimmed.indexOf('.'))}); update the app to open it`);
  const compressed = fromBase64Url(trimmed.slice(SHARE_PREFIX.length));
  let inflated: Uint8Array;
  try {
    // fflate writes into a fixed buffer: a payload that inflates past the limit fails instead of growing.
    inflated = unzlibSync(compressed, { out: new Uint8Array(MAX_INFLATED_BYTES + 1) });
  } catch {
    throw new ShareLinkError('The link is damaged, was cut short or was edited (its data does not decompress or fails its checksum)');
  }
  if (inflated.length > MAX_INFLATED_BYTES) throw new ShareLinkError('The link holds more than 1 MB of pipeline; it was refused');
  let json: string;
  try {
    json = strFromU8(inflated);
  } catch {
    throw new ShareLinkError('The link is damaged: its content is not text');
  }
  // Checked on the text first: a deeply nested value would overflow the stack of every recursive walk after it.
  checkDepth(json);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShareLinkError('The link is damaged: its content is not valid JSON');
  }
  checkSizes(value);
  return value;
}

/**
 * Refuse JSON text nested deeper than MAX_DEPTH, by a linear scan that skips string contents (so a `[` inside
 * a SQL string does not count). Throws ShareLinkError.
 */
export function checkDepth(text: string, limit = MAX_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) throw new ShareLinkError(`The link was refused: its content is nested more than ${limit} levels deep (a real pipeline needs about 12)`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Refuse a parsed value with an overlong string, an overlong array, an object with too many keys, or too many values. */
export function checkSizes(value: unknown): void {
  const stack: unknown[] = [value];
  let count = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++count > MAX_VALUES) throw new ShareLinkError(`The link was refused: it holds more than ${MAX_VALUES.toLocaleString('en-US')} values`);
    if (typeof v === 'string') {
      if (v.length > MAX_STRING_CHARS) throw new ShareLinkError(`The link was refused: it holds a text of ${v.length.toLocaleString('en-US')} characters (at most ${MAX_STRING_CHARS.toLocaleString('en-US')})`);
    } else if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY_ITEMS) throw new ShareLinkError(`The link was refused: it holds a list of ${v.length.toLocaleString('en-US')} items (at most ${MAX_ARRAY_ITEMS.toLocaleString('en-US')})`);
      stack.push(...v);
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length > MAX_OBJECT_KEYS) throw new ShareLinkError(`The link was refused: it holds an object with ${keys.length.toLocaleString('en-US')} fields (at most ${MAX_OBJECT_KEYS.toLocaleString('en-US')})`);
      for (const k of keys) {
        if (k.length > MAX_STRING_CHARS) throw new ShareLinkError('The link was refused: it holds an overlong field name');
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
}
