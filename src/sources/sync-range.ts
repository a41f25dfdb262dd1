import { backoffDelay, DEFAULT_RETRY, explainStatus, HttpReadError, type RetryPolicy } from './http';
import { redactUrl } from './presigned';

/** One synchronous ranged GET (a synchronous XMLHttpRequest in a worker). Throws on a network failure. */
export type SyncRangeGet = (url: string, range: string, timeoutMs: number) => { status: number; header(name: string): string | null; body: Uint8Array };

/** What opening an object told us: its size (from Content-Range) and modification time. */
export interface SyncObjectInfo {
  size: number;
  lastModified: number | null;
}

/** Block for `ms` (only in a worker, where it stalls no page): backoff between synchronous retries. */
export function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* spin: a synchronous reader cannot yield */ }
}

function attempt<T>(url: string, run: () => T, policy: RetryPolicy, sleep: (ms: number) => void): T {
  let last: unknown;
  for (let i = 0; i <= policy.maxRetries; i++) {
    try {
      return run();
    } catch (err) {
      last = err;
      const transient = err instanceof HttpReadError ? err.transient : true; // a thrown XHR is a network failure
      if (!transient || i === policy.maxRetries) break;
      sleep(backoffDelay(i, policy));
    }
  }
  if (last instanceof HttpReadError) throw last;
  throw new HttpReadError(`Could not read ${redactUrl(url)}: the server is unreachable or the bucket does not allow this origin (CORS)`, null, false);
}

/**
 * Open an object for range reads with one `Range: bytes=0-0` GET: the size comes from Content-Range.
 * Never a HEAD, which S3 refuses (403) on a URL presigned for GET.
 */
export function syncOpen(url: string, get: SyncRangeGet, policy: RetryPolicy = DEFAULT_RETRY, sleep = busyWait): SyncObjectInfo {
  return attempt(url, () => {
    const res = get(url, 'bytes=0-0', policy.timeoutMs);
    if (res.status === 206) {
      const total = Number(/\/(\d+)$/.exec(res.header('content-range') ?? '')?.[1]);
      if (!Number.isFinite(total)) throw new HttpReadError(`The server did not say how large ${redactUrl(url)} is (no Content-Range; expose it in the bucket CORS rule)`, null, false);
      return { size: total, lastModified: Date.parse(res.header('last-modified') ?? '') || null };
    }
    if (res.status === 200) return { size: res.body.length, lastModified: Date.parse(res.header('last-modified') ?? '') || null };
    // An empty object cannot satisfy bytes=0-0.
    if (res.status === 416 && /\/0$/.test(res.header('content-range') ?? '')) return { size: 0, lastModified: null };
    throw explainStatus(res.status, url);
  }, policy, sleep);
}

/** Read `length` bytes at `offset` with a ranged GET, retrying transient failures; errors never carry the signature. */
export function syncRead(url: string, get: SyncRangeGet, offset: number, length: number, policy: RetryPolicy = DEFAULT_RETRY, sleep = busyWait): Uint8Array {
  if (length <= 0) return new Uint8Array();
  return attempt(url, () => {
    const res = get(url, `bytes=${offset}-${offset + length - 1}`, policy.timeoutMs);
    if (res.status === 206) return res.body.subarray(0, length);
    // A server that ignores Range sends everything: cut out the part asked for.
    if (res.status === 200) return res.body.subarray(offset, offset + length);
    throw explainStatus(res.status, url);
  }, policy, sleep);
}

/**
 * Blocking range reads bound to one way of making a request and one retry policy: what DuckDB's browser runtime
 * is given (engine/http-runtime.ts), since a file system call inside DuckDB cannot await.
 */
export function syncRangeReader(get: SyncRangeGet = xhrRangeGet, policy: RetryPolicy = DEFAULT_RETRY, sleep = busyWait): { open(url: string): SyncObjectInfo; read(url: string, offset: number, length: number): Uint8Array } {
  return {
    open: (url) => syncOpen(url, get, policy, sleep),
    read: (url, offset, length) => syncRead(url, get, offset, length, policy, sleep),
  };
}

/** The SyncRangeGet of a browser worker: a synchronous XMLHttpRequest, which a worker may still make. */
export function xhrRangeGet(url: string, range: string, timeoutMs: number): { status: number; header(name: string): string | null; body: Uint8Array } {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  // Synchronous XHR cannot set responseType or timeout outside workers; in a worker both are allowed.
  xhr.responseType = 'arraybuffer';
  xhr.timeout = timeoutMs;
  xhr.setRequestHeader('Range', range);
  xhr.send(null);
  return { status: xhr.status, header: (name) => xhr.getResponseHeader(name), body: new Uint8Array((xhr.response as ArrayBuffer | null) ?? new ArrayBuffer(0)) };
}
