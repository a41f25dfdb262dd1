import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';

/** Prefix of every share link payload; the digit is the payload format version. */
export const SHARE_PREFIX = 'e1.';

/** A link payload larger than this once inflated is refused (a deflate bomb cannot blow up the tab). */
export const MAX_INFLATED_BYTES = 1 << 20;

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
  try {
    return JSON.parse(strFromU8(inflated));
  } catch {
    throw new ShareLinkError('The link is damaged: its content is not valid JSON');
  }
}
