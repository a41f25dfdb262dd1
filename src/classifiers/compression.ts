import { Gunzip } from 'fflate';
import { startsWith } from './text';
import { errorMessage } from '../util/errors';

/** Compression codecs recognised by magic bytes. Only gzip is decompressed; the others are named. */
export type Codec = 'gzip' | 'bzip2' | 'zstd' | 'xz' | 'zip' | 'snappy-framed' | 'lz4';

const MAGICS: [Codec, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['snappy-framed', [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]],
  ['lz4', [0x04, 0x22, 0x4d, 0x18]],
];

/** The codec the leading bytes announce, by content (a `.gz` name is not needed, nor trusted). */
export function detectCodec(bytes: Uint8Array): Codec | null {
  for (const [codec, magic] of MAGICS) if (startsWith(bytes, magic)) return codec;
  return null;
}

/** A problem decompressing: the message says what and where, the crawler reports it per file. */
export class DecompressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecompressionError';
  }
}

/** Output of incremental gunzip: the bytes so far and whether the stream ended. */
export interface GunzipProgress {
  bytes: Uint8Array;
  /** True when the gzip stream ended cleanly (all members). */
  ended: boolean;
  /** True when output reached the budget and decompression stopped early. */
  truncatedAtBudget: boolean;
}

/** Compressed bytes inflated per step: at most ~1 MB of output each, whatever the ratio. */
const INFLATE_SLICE = 1024;

/**
 * Streaming gunzip that stops once `budget` output bytes exist, so a 10 GB .gz costs a sample,
 * not a full inflate. Feed compressed chunks with `push`; read the result with `result()`.
 */
export class BudgetedGunzip {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private ended = false;
  /** All bytes inflated, including those past the budget (for size estimates). */
  produced = 0;
  /** Compressed bytes actually inflated (a push stops early once the budget is full). */
  consumed = 0;
  private readonly inflater: Gunzip;

  constructor(private readonly budget: number) {
    this.inflater = new Gunzip((chunk, final) => {
      this.produced += chunk.length;
      if (this.size < this.budget && chunk.length) {
        const take = Math.min(chunk.length, this.budget - this.size);
        this.chunks.push(take === chunk.length ? chunk : chunk.slice(0, take));
        this.size += take;
      }
      if (final) this.ended = true;
    });
  }

  /** Whether enough output exists (the caller can stop reading input). */
  get full(): boolean {
    return this.size >= this.budget;
  }

  /**
   * Push the next compressed chunk; `last` marks the end of the stored file. The chunk is inflated in small
   * slices and pushing stops once the budget is full: deflate expands up to ~1000x, so one 256 KB read of a
   * gzip bomb would otherwise inflate to ~256 MB in a single call before the budget is ever checked.
   */
  push(chunk: Uint8Array, last: boolean): void {
    try {
      for (let at = 0; at < chunk.length && !this.full; at += INFLATE_SLICE) {
        const end = Math.min(chunk.length, at + INFLATE_SLICE);
        this.inflater.push(chunk.subarray(at, end), last && end === chunk.length);
        this.consumed += end - at;
      }
      if (chunk.length === 0) this.inflater.push(chunk, last);
    } catch (err) {
      // fflate throws plain errors with codes; a last push of a cut stream says "unexpected EOF".
      const msg = errorMessage(err);
      if (/unexpected EOF/i.test(msg)) throw new DecompressionError('truncated gzip: the compressed stream ends before its end marker');
      throw new DecompressionError(`corrupt gzip data: ${msg}`);
    }
  }

  /** The decompressed bytes so far. */
  result(): GunzipProgress {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return { bytes: out, ended: this.ended, truncatedAtBudget: this.size >= this.budget && !this.ended };
  }
}
