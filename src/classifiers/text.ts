/** Text encodings recognised from a byte-order mark (UTF-8 is also the default without one). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a BOM announces, and the BOM's length (0 when there is none). */
export function detectBom(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

const decoders = new Map<TextEncoding, TextDecoder>();

/**
 * Decode a sample as text, honouring a BOM. A sample cut inside a multi-byte character only loses
 * that character (non-fatal decoding), which is what a prefix needs.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const { encoding, bomLength } = detectBom(bytes);
  let dec = decoders.get(encoding);
  if (!dec) decoders.set(encoding, (dec = new TextDecoder(encoding, { fatal: false, ignoreBOM: true })));
  return { text: dec.decode(bomLength ? bytes.subarray(bomLength) : bytes), encoding };
}

/**
 * Whether bytes look like binary rather than text: NUL bytes in UTF-8 text, or many control
 * characters. UTF-16 text (which is full of NULs) is recognised by its BOM before this is asked.
 */
export function looksBinary(bytes: Uint8Array, limit = 8192): boolean {
  const n = Math.min(bytes.length, limit);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    // \t \n \r and \u0001 (Hive's default field delimiter) are normal in text data.
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 1 && b !== 12) control++;
  }
  return n > 0 && control / n > 0.05;
}

/** Whether two byte arrays start the same way. */
export function startsWith(bytes: Uint8Array, magic: ArrayLike<number>, at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}
