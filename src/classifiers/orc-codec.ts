import { inflateSync } from 'fflate';
import { snappyUncompress } from 'hyparquet';

/** ORC's compression kinds, by the PostScript's `compression` number. */
export const ORC_CODECS = ['none', 'zlib', 'snappy', 'lzo', 'lz4', 'zstd'] as const;

/** The codec a PostScript names, or 'unknown'. */
export function orcCodec(kind: number): string {
  return ORC_CODECS[kind] ?? 'unknown';
}

/**
 * Decompress one ORC stream (footer, stripe footer or column stream): chunks each behind a 3-byte header
 * (length << 1 | isOriginal). The classifier (footers) and the frames reader (stripes) share this one home.
 * LZO, LZ4 and ZSTD have no decoder among Epoxy's packages, so they are refused by name.
 */
export function orcDecompress(buf: Uint8Array, codec: string): Uint8Array {
  if (codec === 'none') return buf;
  if (codec !== 'zlib' && codec !== 'snappy') throw new Error(`ORC compression ${codec.toUpperCase()} is not supported (Epoxy reads uncompressed, ZLIB and SNAPPY ORC files); rewrite the file with one of those`);
  const parts: Uint8Array[] = [];
  let pos = 0, size = 0;
  while (pos + 3 <= buf.length) {
    const header = buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16);
    const len = header >>> 1;
    pos += 3;
    if (pos + len > buf.length) throw new Error('an ORC compressed chunk runs past the end of its stream');
    const chunk = buf.subarray(pos, pos + len);
    pos += len;
    let out: Uint8Array;
    if (header & 1) out = chunk;
    else if (codec === 'zlib') out = inflateSync(chunk);
    else {
      let n = 0, mul = 1, i = 0, b: number;
      do { b = chunk[i++]!; n += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80 && i < chunk.length);
      out = new Uint8Array(n);
      snappyUncompress(chunk, out);
    }
    parts.push(out);
    size += out.length;
  }
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return all;
}
