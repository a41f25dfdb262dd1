import { Gunzip } from 'fflate';
import { classify } from './classify';
import { BudgetedGunzip, DecompressionError, detectCodec } from './compression';
import type { CustomClassifier } from './custom-types';
import type { TypeRules } from './infer';
import { detectBom } from './text';
import type { ClassifierResult, Sample } from './types';
import { errorMessage } from '../util/errors';

/** Random-access bytes of one file: a File slice, HTTP range reads, or a Node file handle. */
export interface ByteSource {
  name: string;
  /** Stored size in bytes. */
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

const MB = 1024 * 1024;
/** Glue's sample sizes: 1 MB for text formats; JSON grows up to 10 MB; binary formats read metadata only. */
export const SAMPLE_BUDGETS = { csv: MB, json: MB, jsonMax: 10 * MB, xml: MB, log: MB, default: MB } as const;
/** Compressed bytes read per step while inflating. */
const READ_CHUNK = 256 * 1024;

/** The sample size (decompressed bytes) to read for a format, or for an unknown one. */
export function sampleBudget(format?: string): number {
  return (SAMPLE_BUDGETS as Record<string, number>)[format ?? 'default'] ?? SAMPLE_BUDGETS.default;
}

/**
 * Read a sample of a source: its first `budget` bytes, inflated when the content is gzip (by its
 * magic bytes, whatever the name) — streaming, and stopping once the budget is reached. A
 * truncated or corrupt gzip keeps what was inflated and says so in `warnings`.
 */
export async function readSample(source: ByteSource, budget = sampleBudget()): Promise<Sample> {
  const head = await source.read(0, Math.min(source.size, Math.max(16, Math.min(budget, READ_CHUNK))));
  if (detectCodec(head) !== 'gzip') {
    const bytes = source.size <= head.length || head.length >= budget ? head.subarray(0, budget) : await source.read(0, Math.min(source.size, budget));
    return { name: source.name, bytes, totalSize: source.size, complete: source.size <= budget, readRange: (o, l) => source.read(o, l) };
  }
  const gz = new BudgetedGunzip(budget);
  const warnings: string[] = [];
  let offset = 0;
  let chunk = head;
  for (;;) {
    const last = offset + chunk.length >= source.size;
    try {
      gz.push(chunk, last);
    } catch (err) {
      warnings.push(err instanceof DecompressionError ? err.message : `gzip: ${errorMessage(err)}`);
      break;
    }
    offset += chunk.length;
    if (gz.full || last) break;
    chunk = await source.read(offset, Math.min(READ_CHUNK, source.size - offset));
    if (chunk.length === 0) break;
  }
  const { bytes, ended } = gz.result();
  const complete = ended && warnings.length === 0 && bytes.length < budget;
  // The inflated size is unknown until the end: extrapolate from the compression ratio so far.
  const totalSize = complete ? bytes.length : Math.max(bytes.length, Math.round((gz.produced / Math.max(1, gz.consumed)) * source.size));
  return { name: source.name, bytes, totalSize, complete, compression: 'gzip', ...(warnings.length ? { warnings } : {}) };
}

/**
 * Sample and classify one source. JSON samples grow from 1 MB up to 10 MB when the sample holds
 * no complete record (one huge document or record), like Glue.
 */
export async function classifySource(source: ByteSource, customClassifiers: CustomClassifier[] = [], rules: TypeRules = {}): Promise<ClassifierResult> {
  let budget = sampleBudget();
  for (;;) {
    const sample = await readSample(source, budget);
    const result = await classify(sample, customClassifiers, rules);
    const jsonLike = startsJson(sample.bytes);
    const needsMore = jsonLike && !sample.complete && (result.classification !== 'json' || result.certainty < 1);
    if (!needsMore || budget >= SAMPLE_BUDGETS.jsonMax) return result;
    budget = Math.min(SAMPLE_BUDGETS.jsonMax, budget * 2);
  }
}

function startsJson(bytes: Uint8Array): boolean {
  const { bomLength, encoding } = detectBom(bytes);
  if (encoding !== 'utf-8') return false;
  for (let i = bomLength; i < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i]!;
    if (b === 32 || b === 9 || b === 10 || b === 13) continue;
    return b === 123 || b === 91;
  }
  return false;
}

/**
 * Stream the decoded text of a whole source in chunks (inflating gzip on the fly), so full scans
 * hold one chunk at a time. The decoder honours a UTF-8/UTF-16 BOM.
 */
export async function* textChunks(source: ByteSource, chunkSize = 4 * MB): AsyncGenerator<string> {
  const head = await source.read(0, Math.min(source.size, 4));
  const gzip = detectCodec(head) === 'gzip';
  let decoder: TextDecoder | null = null;
  const decode = (bytes: Uint8Array, final: boolean): string => {
    if (!decoder) {
      const { encoding } = detectBom(bytes);
      decoder = new TextDecoder(encoding, { fatal: false });
    }
    return decoder.decode(bytes, { stream: !final });
  };
  const pending: Uint8Array[] = [];
  const inflater = gzip ? new Gunzip((c) => { pending.push(c); }) : null;
  for (let offset = 0; offset < source.size;) {
    const chunk = await source.read(offset, Math.min(chunkSize, source.size - offset));
    if (chunk.length === 0) break;
    offset += chunk.length;
    const last = offset >= source.size;
    if (!inflater) { yield decode(chunk, last); continue; }
    try {
      inflater.push(chunk, last);
    } catch (err) {
      throw new DecompressionError(/unexpected EOF/i.test(errorMessage(err)) ? 'truncated gzip: the compressed stream ends before its end marker' : `corrupt gzip data: ${errorMessage(err)}`);
    }
    const out = pending.splice(0);
    for (let k = 0; k < out.length; k++) yield decode(out[k]!, last && k === out.length - 1);
    if (last && out.length === 0) yield decode(new Uint8Array(0), true);
  }
}
