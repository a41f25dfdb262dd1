import { DEFAULT_RETRY, explainStatus, HttpReadError, withRetries, type RetryPolicy } from './http';
import { parsePresignedUrl, redactUrl } from './presigned';

/** How to PUT: the Content-Type to send (must match the one the URL was presigned with, if any) and retries. */
export interface PutOptions {
  contentType?: string;
  retry?: RetryPolicy;
  fetchImpl?: typeof fetch;
}

/** What S3 said after a PUT. */
export interface PutResult {
  /** The URL with its signature redacted, safe to log. */
  location: string;
  status: number;
  etag?: string;
  bytes: number;
}

/** A failed upload, explained. */
export class PutError extends HttpReadError {
  constructor(message: string, status: number | null, transient: boolean, readonly code?: string) {
    super(message, status, transient);
    this.name = 'PutError';
  }
}

const xmlField = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

/**
 * Explain a failed PUT. S3 answers a Content-Type that differs from the presigned one with 403
 * SignatureDoesNotMatch, and a body that differs from a presigned checksum with 400 BadDigest /
 * InvalidRequest: both are said in those words, with what to change.
 */
export function explainPutFailure(status: number, body: string, url: string, contentType: string | undefined, now = Date.now()): PutError {
  const where = redactUrl(url);
  const code = xmlField(body, 'Code');
  const params = new URL(url).searchParams;
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').toLowerCase().split(';');
  if (status === 403 && code === 'SignatureDoesNotMatch') {
    const signedType = signedHeaders.includes('content-type');
    const sent = contentType ? `Content-Type ${contentType}` : 'no Content-Type';
    const hint = signedType
      ? `the URL was presigned with a Content-Type header and this upload sent ${sent}: presign with ContentType "${contentType ?? ''}" or upload with the type it was signed for`
      : `this upload sent ${sent}; if the URL was presigned with a ContentType, send exactly that type (or presign without one)`;
    return new PutError(`Upload refused (403 SignatureDoesNotMatch): ${hint} (${where})`, 403, false, code);
  }
  if ((status === 400 && (code === 'BadDigest' || code === 'InvalidRequest' || code === 'XAmzContentChecksumMismatch')) || (status === 400 && [...params.keys()].some((k) => k.toLowerCase().startsWith('x-amz-checksum-')))) {
    return new PutError(`Upload refused (400 ${code ?? 'Bad Request'}): the URL was presigned with a checksum of other bytes; presign without a checksum (SDK v3: requestChecksumCalculation "WHEN_REQUIRED") (${where})`, 400, false, code);
  }
  if (status === 403 && code === 'AccessDenied' && /expired/i.test(xmlField(body, 'Message') ?? '')) {
    return new PutError(`The presigned PUT URL expired; generate a new one (${where})`, 403, false, code);
  }
  const base = explainStatus(status, url, now);
  return new PutError(code ? `${base.message} [${code}]` : base.message, status, base.transient, code);
}

/**
 * Upload bytes with one presigned PUT, retrying 5xx, 429, dropped connections and timeouts with backoff.
 * An expired URL fails before any byte is sent.
 */
export async function putPresigned(url: string, bytes: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
  const { expiresAt } = parsePresignedUrl(url);
  if (expiresAt !== null && expiresAt <= Date.now()) throw new PutError(`The presigned PUT URL expired at ${new Date(expiresAt).toISOString()}; generate a new one (${redactUrl(url)})`, 403, false);
  const fetchImpl = options.fetchImpl ?? fetch;
  return withRetries(async (signal) => {
    const headers: Record<string, string> = {};
    if (options.contentType) headers['Content-Type'] = options.contentType;
    const res = await fetchImpl(url, { method: 'PUT', body: bytes as BodyInit, headers, signal });
    if (!res.ok) throw explainPutFailure(res.status, await res.text().catch(() => ''), url, options.contentType);
    return { location: redactUrl(url), status: res.status, etag: res.headers.get('etag')?.replace(/"/g, '') ?? undefined, bytes: bytes.length };
  }, options.retry ?? DEFAULT_RETRY);
}

/** The Content-Type S3 objects written by Epoxy get, from the file name. */
export function contentTypeFor(path: string): string {
  if (/\.parquet$/i.test(path)) return 'application/vnd.apache.parquet';
  if (/\.csv$/i.test(path)) return 'text/csv';
  if (/\.(json|ndjson)$/i.test(path)) return 'application/x-ndjson';
  return 'application/octet-stream';
}
