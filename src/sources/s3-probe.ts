import { corsHelp, DEFAULT_RETRY, httpSource, HttpReadError, withRetries, explainStatus, type RetryPolicy } from './http';
import { parseListObjectsV2, redactUrl, type ListingPage } from './presigned';
import { expiryWarnings, parsePastedUrls, resolveObjects, urlCrawlTarget, type PastedUrl, type PasteProblem, type S3Object, type UrlCrawlTarget } from './s3-connection';
import { errorMessage } from '../util/errors';

/** An object after a one-byte ranged GET: its size, or why it cannot be read. */
export interface ProbedObject extends S3Object {
  error?: string;
  /** Set when the failure is a missing bucket CORS rule: the configuration to paste. */
  corsJson?: string;
}

/** Everything known about a pasted block once its listings were fetched and its objects probed. */
export interface PasteInspection {
  urls: PastedUrl[];
  problems: PasteProblem[];
  objects: ProbedObject[];
  warnings: string[];
  /** The readable objects as a crawl target, or null when none can be read. */
  target: UrlCrawlTarget | null;
}

/** Options for network checks: retry policy, the page origin (for CORS help) and an injectable fetch. */
export interface ProbeOptions {
  retry?: RetryPolicy;
  origin?: string;
  fetchImpl?: typeof fetch;
  now?: number;
}

/**
 * A network failure in a browser is either an unreachable server or a missing CORS rule; the page cannot
 * tell them apart from the error. A `no-cors` request can: it succeeds (opaquely) when the server answered.
 */
export async function diagnoseNetworkError(url: string, origin: string | undefined, fetchImpl: typeof fetch = fetch): Promise<{ message: string; corsJson?: string }> {
  const target = new URL(url).origin;
  if (!origin || origin === target) return { message: `Could not reach ${target} (${redactUrl(url).slice(0, 120)})` };
  let answered = false;
  try {
    await fetchImpl(url, { mode: 'no-cors' });
    answered = true;
  } catch {
    // Either unreachable, or the browser blocked the opaque answer too (Opaque Response Blocking): still most likely CORS.
  }
  const message = answered
    ? `The server at ${target} answered, but its bucket does not allow this origin (${origin}) through CORS.`
    : `The browser could not read ${target} from this page: the bucket does not allow this origin (${origin}) through CORS, or the server is unreachable.`;
  return { message: `${message} If the bucket is yours, add the CORS configuration shown (S3 console → Permissions → CORS), then check again.`, corsJson: corsHelp(origin) };
}

/** Fetch and parse a ListObjectsV2 URL (with retries); errors name the listing, never its signature. */
export async function fetchListing(listing: PastedUrl, options: ProbeOptions = {}): Promise<ListingPage> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const text = await withRetries(async (signal) => {
    const res = await fetchImpl(listing.url, { signal });
    if (!res.ok) throw explainStatus(res.status, listing.url, options.now);
    return res.text();
  }, options.retry ?? DEFAULT_RETRY);
  return parseListObjectsV2(text);
}

/** An object's size (and ETag) from a one-byte ranged GET, or why it cannot be read (expired, 403, CORS ...). */
export async function probe(object: S3Object, options: ProbeOptions): Promise<ProbedObject> {
  if (!object.url) return { ...object, error: 'no GET URL pasted for this key' };
  // An expired URL is refused by S3 (403) and by nothing else reliably (test servers ignore expiry): say it without asking.
  if (object.expiresAt !== null && object.expiresAt <= (options.now ?? Date.now())) return { ...object, error: `The presigned URL expired at ${new Date(object.expiresAt).toISOString()}; generate a new one` };
  try {
    const src = await httpSource(object.url, object.key, options.retry ?? DEFAULT_RETRY, options.fetchImpl ?? fetch);
    return { ...object, size: src.size, etag: object.etag ?? src.etag, lastModified: object.lastModified ?? src.lastModified };
  } catch (err) {
    if (err instanceof HttpReadError && err.status === null && /CORS/.test(err.message)) {
      const diagnosis = await diagnoseNetworkError(object.url, options.origin, options.fetchImpl ?? fetch);
      return { ...object, error: diagnosis.message, corsJson: diagnosis.corsJson };
    }
    return { ...object, error: redactUrl(errorMessage(err)) };
  }
}

/** Run `fn` over items with at most `limit` at a time (keeps a pasted block of 1,000 URLs polite). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); }
  }));
  return out;
}

/**
 * Parse a pasted block, fetch its listings, and probe every object with a one-byte Range GET (never HEAD,
 * which a GET-presigned URL refuses on S3): sizes for the crawl, and expiry, 403, 404 and CORS problems up front.
 */
export async function inspectPaste(text: string, options: ProbeOptions = {}): Promise<PasteInspection> {
  const { urls, problems } = parsePastedUrls(text);
  const warnings = expiryWarnings(urls, options.now);
  const pages: { listing: PastedUrl; page: ListingPage }[] = [];
  for (const listing of urls.filter((u) => u.kind === 'listing')) {
    try {
      pages.push({ listing, page: await fetchListing(listing, options) });
    } catch (err) {
      let message = redactUrl(errorMessage(err));
      if (err instanceof HttpReadError && err.status === null && /CORS/.test(err.message)) message = (await diagnoseNetworkError(listing.url, options.origin, options.fetchImpl ?? fetch)).message;
      problems.push({ line: listing.line, message: `listing failed: ${message}` });
    }
  }
  const resolved = resolveObjects(urls, pages);
  warnings.push(...resolved.warnings);
  const objects = await mapLimit(resolved.objects.filter((o) => o.url), 4, (o) => probe(o, options));
  const readable = objects.filter((o): o is ProbedObject & { url: string; size: number } => !o.error && o.url !== null && o.size !== null);
  return { urls, problems, objects, warnings, target: readable.length ? urlCrawlTarget(readable) : null };
}
