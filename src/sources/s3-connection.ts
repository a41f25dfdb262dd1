import { parsePresignedUrl, redactUrl, type ListingPage } from './presigned';
import { errorMessage } from '../util/errors';

/**
 * What a pasted line is. A SigV4 URL does not show its method, so the SDK's `x-id` hint (GetObject,
 * PutObject, UploadPart, CompleteMultipartUpload) decides, and a line may say it itself with a `GET ` / `PUT ` / `LIST ` prefix.
 */
export type PastedKind = 'object' | 'listing' | 'put' | 'part' | 'complete';

/** One usable URL from a pasted block. */
export interface PastedUrl {
  line: number;
  kind: PastedKind;
  url: string;
  bucket: string | null;
  key: string | null;
  expiresAt: number | null;
  signed: boolean;
  /** For a listing: the prefix and continuation token it asks for. */
  prefix?: string;
  continuationToken?: string;
  /** For a multipart part URL: its part number and upload id. */
  partNumber?: number;
  uploadId?: string;
}

/** A line that could not be used, with why (the URL in it is redacted). */
export interface PasteProblem {
  line: number;
  message: string;
}

/** The type Epoxy stores S3 presigned connections under (not an AWS type: such a connection is local-only). */
export const S3_PRESIGNED_CONNECTION = 'EPOXY_S3_PRESIGNED';

/** Warn this long before a URL expires: a crawl or job started now may still be running then. */
export const EXPIRY_WARNING_MS = 15 * 60_000;

/** Parse a pasted block: one URL per line, blank lines and `#` comments ignored, each line checked on its own. */
export function parsePastedUrls(text: string): { urls: PastedUrl[]; problems: PasteProblem[] } {
  const urls: PastedUrl[] = [];
  const problems: PasteProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const prefixed = /^(GET|PUT|LIST|PART|COMPLETE)\s+(\S+)$/i.exec(trimmed);
    const text = prefixed ? prefixed[2]! : trimmed;
    if (/\s/.test(text)) { problems.push({ line, message: /^https?:\/\//i.test(text) ? 'one URL per line (this line has a space in it)' : 'not a URL: paste a presigned https:// URL, optionally after GET, PUT or LIST' }); return; }
    try {
      const info = parsePresignedUrl(text);
      const host = new URL(info.url).hostname;
      // The app's Content-Security-Policy lets the page reach plain http only on this machine
      // (127.0.0.1 and localhost: Chromium rejects an IPv6 literal as a CSP source).
      if (info.url.startsWith('http:') && !['127.0.0.1', 'localhost'].includes(host)) {
        problems.push({ line, message: `plain http is only read from this machine (localhost); use the https URL of ${host}` });
        return;
      }
      const params = new URL(info.url).searchParams;
      const hint = (params.get('x-id') ?? '').toLowerCase();
      const stated = prefixed?.[1]!.toUpperCase();
      const kind: PastedKind = stated === 'PUT' ? 'put' : stated === 'LIST' ? 'listing' : stated === 'PART' ? 'part' : stated === 'COMPLETE' ? 'complete' : stated === 'GET' ? 'object'
        : params.get('list-type') === '2' ? 'listing'
          : hint === 'uploadpart' || (params.has('partNumber') && params.has('uploadId')) ? 'part'
            : hint === 'completemultipartupload' || params.has('uploadId') ? 'complete'
            : hint === 'putobject' ? 'put' : 'object';
      const entry: PastedUrl = { line, kind, url: info.url, bucket: info.bucket, key: info.key, expiresAt: info.expiresAt, signed: info.signed };
      if (kind === 'listing') {
        entry.prefix = params.get('prefix') ?? '';
        if (params.get('continuation-token')) entry.continuationToken = params.get('continuation-token')!;
        if (!info.bucket) { problems.push({ line, message: `a listing URL must name its bucket: ${redactUrl(info.url)}` }); return; }
      } else if (!info.key) {
        problems.push({ line, message: `no object key in ${redactUrl(info.url)}` });
        return;
      }
      if (kind === 'complete') entry.uploadId = params.get('uploadId') ?? undefined;
      if (kind === 'part') {
        entry.partNumber = Number(params.get('partNumber'));
        entry.uploadId = params.get('uploadId') ?? undefined;
        if (!Number.isInteger(entry.partNumber) || entry.partNumber < 1 || !entry.uploadId) { problems.push({ line, message: `a part URL needs partNumber and uploadId: ${redactUrl(info.url)}` }); return; }
      }
      urls.push(entry);
    } catch (err) {
      problems.push({ line, message: redactUrl(errorMessage(err)) });
    }
  });
  return { urls, problems };
}

/** How soon a URL stops working: fine, expiring within the warning window, or already expired. */
export function expiryState(expiresAt: number | null, now = Date.now()): 'ok' | 'soon' | 'expired' {
  if (expiresAt === null) return 'ok';
  return expiresAt <= now ? 'expired' : expiresAt - now <= EXPIRY_WARNING_MS ? 'soon' : 'ok';
}

/** One object a connection can read. `url` is null when the listing named it but no GET URL was pasted. */
export interface S3Object {
  bucket: string | null;
  key: string;
  /** Where the catalog says the object lives: s3://bucket/key for S3, the URL without its query otherwise. */
  location: string;
  url: string | null;
  size: number | null;
  lastModified?: number;
  etag?: string;
  expiresAt: number | null;
  listed: boolean;
}

/** Objects resolved from pasted URLs and fetched listing pages, with what could not be matched. */
export interface ResolvedObjects {
  objects: S3Object[];
  /** Listed keys with no GET URL (signed listing: each object needs its own presigned GET). */
  unmatched: string[];
  warnings: string[];
}

const isS3 = (u: PastedUrl) => u.signed || /\.amazonaws\.com$/.test(new URL(u.url).hostname);

/** The catalog location of an object URL: s3://bucket/key when it is S3, else the URL without its query. */
export function objectLocation(u: Pick<PastedUrl, 'url' | 'bucket' | 'key' | 'signed'>): string {
  if (u.bucket && u.key && isS3(u as PastedUrl)) return `s3://${u.bucket}/${u.key}`;
  const url = new URL(u.url);
  return `${url.origin}${url.pathname}`;
}

/** The plain object URL for a listed key, for an unsigned (public) listing URL: same host and addressing style. */
function publicObjectUrl(listing: PastedUrl, key: string): string {
  const url = new URL(listing.url);
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  const pathStyle = url.pathname.replace(/\/+$/, '') === `/${listing.bucket}`;
  return `${url.origin}${pathStyle ? `/${listing.bucket}` : ''}/${encoded}`;
}

/**
 * Match listed keys to pasted GET URLs by bucket and key. A listing gives keys and sizes, not URLs, so a
 * key can only be read when its GET URL was pasted too, or when the listing itself is unsigned (a public
 * bucket), in which case the plain object URL works. Truncated listings without a pasted continuation are reported.
 */
export function resolveObjects(urls: PastedUrl[], pages: { listing: PastedUrl; page: ListingPage }[]): ResolvedObjects {
  const byLocation = new Map<string, S3Object>();
  for (const u of urls) {
    if (u.kind !== 'object' || !u.key) continue;
    const location = objectLocation(u);
    byLocation.set(location, { bucket: u.bucket, key: u.key, location, url: u.url, size: null, expiresAt: u.expiresAt, listed: false });
  }
  const unmatched: string[] = [];
  const warnings: string[] = [];
  const tokens = new Set(urls.filter((u) => u.kind === 'listing' && u.continuationToken).map((u) => `${u.bucket}\n${u.prefix}\n${u.continuationToken}`));
  for (const { listing, page } of pages) {
    if (page.truncated && page.nextContinuationToken && !tokens.has(`${listing.bucket}\n${listing.prefix}\n${page.nextContinuationToken}`)) {
      warnings.push(`The listing of s3://${page.bucket}/${page.prefix} (line ${listing.line}) is truncated: presign another ListObjectsV2 URL with continuation-token=${page.nextContinuationToken} and paste it to see the rest`);
    }
    for (const o of page.objects) {
      const location = `s3://${listing.bucket}/${o.key}`;
      const known = byLocation.get(location);
      if (known) {
        Object.assign(known, { size: o.size, lastModified: o.lastModified, etag: o.etag, listed: true });
      } else if (!listing.signed) {
        byLocation.set(location, { bucket: listing.bucket, key: o.key, location, url: publicObjectUrl(listing, o.key), size: o.size, lastModified: o.lastModified, etag: o.etag, expiresAt: null, listed: true });
      } else if (!unmatched.includes(location)) {
        unmatched.push(location);
      }
    }
  }
  if (unmatched.length) warnings.push(`${unmatched.length} listed object${unmatched.length === 1 ? ' has' : 's have'} no presigned GET URL and will not be crawled (presign a GET for each, e.g. ${unmatched.slice(0, 3).join(', ')})`);
  const objects = [...byLocation.values()].sort((a, b) => a.location.localeCompare(b.location));
  return { objects, unmatched, warnings };
}

/** Warnings about URLs that expired or expire soon (by line, redacted). */
export function expiryWarnings(urls: PastedUrl[], now = Date.now()): string[] {
  return urls.flatMap((u) => {
    const state = expiryState(u.expiresAt, now);
    const name = u.key ? `${u.bucket ?? ''}/${u.key}` : `listing of ${u.bucket ?? ''}/${u.prefix ?? ''}`;
    if (state === 'expired') return [`Line ${u.line} (${name}): the URL expired at ${new Date(u.expiresAt!).toISOString()}; presign it again`];
    if (state === 'soon') return [`Line ${u.line} (${name}): the URL expires at ${new Date(u.expiresAt!).toISOString()}, within ${EXPIRY_WARNING_MS / 60_000} min`];
    return [];
  });
}

/** Where a set of object locations share a folder: the prefix up to the last common '/'. */
export function commonPrefix(locations: string[]): string {
  if (locations.length === 0) return '';
  let prefix = locations[0]!.slice(0, locations[0]!.lastIndexOf('/') + 1);
  for (const loc of locations) {
    while (!loc.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  }
  return prefix;
}

/** A readable object with what the crawler needs: a path under the common prefix, its size and its URL. */
export interface UrlCrawlSource {
  path: string;
  size: number;
  url: string;
  lastModified?: number;
  etag?: string;
}

/** A crawl target made of URLs: the same shape the Crawlers view gets from a dropped folder. */
export interface UrlCrawlTarget {
  rootName: string | null;
  label: string;
  /** s3://bucket/prefix (no trailing '/'), written to the catalog as table locations. */
  locationPrefix: string;
  sources: UrlCrawlSource[];
  totalBytes: number;
}

/**
 * Turn readable objects (URL and size known) into a crawl target: paths are relative to the objects' common
 * folder, so `k=v` folders in keys become partitions and the folder's name names a table, as in a Glue S3 crawl.
 */
export function urlCrawlTarget(objects: (S3Object & { url: string; size: number })[]): UrlCrawlTarget {
  const prefix = commonPrefix(objects.map((o) => o.location));
  // Table locations are prefix + path: without a common bucket there is no prefix the catalog could keep.
  const roots = [...new Set(objects.map((o) => o.location.split('/').slice(0, 3).join('/')))];
  if (roots.length > 1) throw new Error(`These objects live in several buckets or hosts (${roots.join(', ')}): crawl one bucket at a time`);
  const base = prefix.replace(/\/$/, '');
  const rootName = base.split('/').slice(2).pop() || null;
  const sources = objects.map((o) => ({ path: o.location.slice(prefix.length), size: o.size, url: o.url, lastModified: o.lastModified, etag: o.etag }));
  return {
    rootName,
    label: `${objects.length} object${objects.length === 1 ? '' : 's'} under ${base}`,
    locationPrefix: base,
    sources,
    totalBytes: sources.reduce((n, s) => n + s.size, 0),
  };
}

/**
 * The fields of a Glue connection record that a presigned connection uses: structurally a catalog
 * ConnectionInput, spelled out here because sources/ sits below catalog/ and does not import it.
 */
export interface PresignedConnection {
  Name: string;
  Description?: string;
  ConnectionType: string;
  ConnectionProperties: Record<string, string>;
}

/**
 * The Glue Connection record for pasted URLs. The URLs (with their signatures) are kept in
 * ConnectionProperties in the local catalog only: every export redacts them (see export-glue.ts).
 */
export function s3Connection(name: string, urls: PastedUrl[], description?: string): PresignedConnection {
  const line = (u: PastedUrl) => (u.kind === 'put' ? `PUT ${u.url}` : u.kind === 'part' ? `PART ${u.url}` : u.kind === 'complete' ? `COMPLETE ${u.url}` : u.url);
  const buckets = [...new Set(urls.map((u) => u.bucket).filter((b): b is string => !!b))];
  const expiries = urls.map((u) => u.expiresAt).filter((e): e is number => e !== null);
  return {
    Name: name,
    Description: description ?? `${urls.length} presigned S3 / HTTPS URL${urls.length === 1 ? '' : 's'}`,
    ConnectionType: S3_PRESIGNED_CONNECTION,
    ConnectionProperties: {
      URLS: urls.map(line).join('\n'),
      BUCKETS: buckets.join(','),
      ...(expiries.length ? { EARLIEST_EXPIRY: new Date(Math.min(...expiries)).toISOString() } : {}),
    },
  };
}

/** The URLs of a stored connection, parsed again (the inverse of s3Connection). */
export function connectionUrls(connection: Pick<PresignedConnection, 'ConnectionType' | 'ConnectionProperties'>): { urls: PastedUrl[]; problems: PasteProblem[] } {
  if (connection.ConnectionType !== S3_PRESIGNED_CONNECTION) throw new Error(`Not an S3 presigned connection (type ${connection.ConnectionType})`);
  return parsePastedUrls(connection.ConnectionProperties['URLS'] ?? '');
}
