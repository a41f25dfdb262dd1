import type { ByteSource } from './byte-source';
import { parsePresignedUrl, redactUrl } from './presigned';

/** Retry policy for HTTP reads: transient failures (5xx, 429, network, timeout) are retried with backoff. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 8_000, timeoutMs: 30_000 };

/** A failed HTTP read, with whether retrying could help. */
export class HttpReadError extends Error {
  constructor(message: string, readonly status: number | null, readonly transient: boolean) {
    super(message);
    this.name = 'HttpReadError';
  }
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** The bucket CORS configuration a user must add so the browser may read (and PUT) presigned URLs. */
export function corsHelp(origin: string): string {
  return JSON.stringify({ CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['Content-Range', 'Content-Length', 'ETag', 'Last-Modified'], MaxAgeSeconds: 3000 }] }, null, 2);
}

/** Explain an HTTP status for an S3/HTTPS object, in words a user can act on. */
export function explainStatus(status: number, url: string, now = Date.now()): HttpReadError {
  const where = redactUrl(url);
  if (status === 403) {
    const { expiresAt } = parsePresignedUrl(url);
    if (expiresAt !== null && expiresAt <= now) return new HttpReadError(`The presigned URL expired at ${new Date(expiresAt).toISOString()}; generate a new one (${where})`, 403, false);
    return new HttpReadError(`Access denied (403): the signature does not match or lacks permission (${where})`, 403, false);
  }
  if (status === 404) return new HttpReadError(`No such object (404): ${where}`, 404, false);
  if (status === 416) return new HttpReadError(`Range not satisfiable (416): ${where}`, 416, false);
  if (status === 429 || status >= 500) return new HttpReadError(`The server answered ${status}; retrying (${where})`, status, true);
  return new HttpReadError(`Unexpected HTTP ${status} for ${where}`, status, false);
}

/** Run `attempt` with retries on transient errors; permanent errors are thrown at once. */
export async function withRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  let last: unknown;
  for (let i = 0; i <= policy.maxRetries; i++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
    try {
      return await attempt(controller.signal);
    } catch (err) {
      last = controller.signal.aborted ? new HttpReadError(`No answer within ${Math.round(policy.timeoutMs / 1000)} s`, null, true) : err;
      const transient = last instanceof HttpReadError ? last.transient : last instanceof TypeError; // TypeError: network failure
      if (!transient || i === policy.maxRetries) break;
      await sleep(backoffDelay(i, policy));
    } finally {
      clearTimeout(timer);
    }
  }
  if (last instanceof TypeError) {
    throw new HttpReadError(`Could not reach the server, or the bucket does not allow this origin (CORS). If the bucket is yours, add a CORS rule for this origin.`, null, false);
  }
  throw last;
}

interface RangeAnswer {
  bytes: Uint8Array;
  total: number;
  etag?: string;
  lastModified?: number;
}

/** One ranged GET with retries: the bytes, and the object's size from Content-Range. */
function rangeGet(url: string, offset: number, length: number, policy: RetryPolicy, fetchImpl: typeof fetch): Promise<RangeAnswer> {
  return withRetries(async (signal) => {
    const res = await fetchImpl(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` }, signal });
    if (res.status !== 206 && res.status !== 200) throw explainStatus(res.status, url);
    const body = new Uint8Array(await res.arrayBuffer());
    // A server that ignores Range sends the whole object with 200: cut out what was asked.
    const bytes = res.status === 200 ? body.subarray(offset, offset + length) : body;
    const total = res.status === 206 ? Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]) : body.length;
    return { bytes, total, etag: res.headers.get('etag')?.replace(/"/g, '') ?? undefined, lastModified: Date.parse(res.headers.get('last-modified') ?? '') || undefined };
  }, policy);
}

/**
 * A byte source over an HTTP(S) URL read with Range GETs only (no HEAD: a GET-presigned URL answers
 * HEAD with 403 on real S3). The size comes from Content-Range of the first ranged answer.
 */
export async function httpSource(url: string, path: string, policy: RetryPolicy = DEFAULT_RETRY, fetchImpl: typeof fetch = fetch): Promise<ByteSource> {
  const first = await rangeGet(url, 0, 1, policy, fetchImpl);
  if (!Number.isFinite(first.total)) throw new HttpReadError(`The server did not say how large ${redactUrl(url)} is (no Content-Range)`, null, false);
  return knownSizeHttpSource(url, { path, size: first.total, etag: first.etag, lastModified: first.lastModified }, policy, fetchImpl);
}

/**
 * The whole body of an HTTP(S) object, read with Range GETs and retries (never HEAD; errors carry no signature).
 * The engine is given this to read the URLs it decodes itself (Parquet): see service/browser-engine.ts.
 */
export async function readUrlBytes(url: string, policy: RetryPolicy = DEFAULT_RETRY, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  const src = await httpSource(url, url, policy, fetchImpl);
  return src.read(0, src.size);
}

/** A byte source over a URL whose size is already known (from a listing or a probe): no request until read. */
export function knownSizeHttpSource(url: string, meta: { path: string; size: number; etag?: string; lastModified?: number }, policy: RetryPolicy = DEFAULT_RETRY, fetchImpl: typeof fetch = fetch): ByteSource & { url: string } {
  return {
    ...meta,
    url,
    read: async (offset, length) => {
      const want = Math.max(0, Math.min(length, meta.size - offset));
      if (want === 0) return new Uint8Array();
      return (await rangeGet(url, offset, want, policy, fetchImpl)).bytes;
    },
  };
}
