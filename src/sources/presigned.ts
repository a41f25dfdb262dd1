import { XMLParser } from 'fast-xml-parser';

/** What a presigned (or plain) S3/HTTPS URL says about itself. */
export interface PresignedInfo {
  url: string;
  bucket: string | null;
  key: string | null;
  /** When the signature stops working (ms since epoch), if the URL says. */
  expiresAt: number | null;
  signed: boolean;
}

const SECRET_PARAMS = ['x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'signature', 'awsaccesskeyid', 'x-goog-signature', 'x-goog-credential', 'sig', 'token'];

/** Parse bucket, key and expiry from a presigned URL (SigV4 X-Amz-Date + X-Amz-Expires, or SigV2 Expires). */
export function parsePresignedUrl(raw: string): PresignedInfo {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`Not a URL: ${redactUrl(raw).slice(0, 80)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Only http(s) URLs can be read, not ${url.protocol}`);
  const params = new Map([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  let expiresAt: number | null = null;
  const date = params.get('x-amz-date');
  const expires = params.get('x-amz-expires');
  if (date && expires && /^\d{8}T\d{6}Z$/.test(date)) {
    const start = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
    expiresAt = start + Number(expires) * 1000;
  } else if (params.get('expires') && /^\d+$/.test(params.get('expires')!)) {
    expiresAt = Number(params.get('expires')) * 1000;
  }
  const { bucket, key } = bucketAndKey(url);
  return { url: raw.trim(), bucket, key, expiresAt, signed: SECRET_PARAMS.some((p) => params.has(p)) };
}

function bucketAndKey(url: URL): { bucket: string | null; key: string | null } {
  const path = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const virtual = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(url.hostname);
  if (virtual) return { bucket: virtual[1]!, key: path.join('/') || null };
  if (path.length === 0 || !path[0]) return { bucket: null, key: null };
  return { bucket: path[0]!, key: path.slice(1).join('/') || null };
}

/** Replace signatures, credentials and tokens in a URL (anywhere in a text) by "REDACTED". */
export function redactUrl(text: string): string {
  return text.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (all, sep: string, name: string) =>
    SECRET_PARAMS.includes(name.toLowerCase()) ? `${sep}${name}=REDACTED` : all,
  );
}

/** Human text for when a presigned URL expires, relative to now. */
export function describeExpiry(expiresAt: number | null, now = Date.now()): string {
  if (expiresAt === null) return 'no expiry in the URL';
  const ms = expiresAt - now;
  // Round first, then pick the unit, so 59 min 59 s reads "1 h" rather than "60 min".
  const span = (m: number) => {
    const min = Math.max(1, Math.round(m / 60_000));
    if (min < 60) return `${min} min`;
    const h = Math.round(m / 3_600_000);
    return h < 24 ? `${h} h` : `${Math.round(m / 86_400_000)} d`;
  };
  return ms <= 0 ? `expired ${span(-ms)} ago` : `expires in ${span(ms)}`;
}

/** One object of a ListObjectsV2 listing. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: number;
  etag: string;
}

/** A parsed ListObjectsV2 page. */
export interface ListingPage {
  bucket: string;
  prefix: string;
  objects: ListedObject[];
  truncated: boolean;
  nextContinuationToken: string | null;
}

/** Parse the XML of a ListObjectsV2 response (entities are not expanded beyond XML's five). */
export function parseListObjectsV2(xml: string): ListingPage {
  const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, htmlEntities: false, parseTagValue: false, isArray: (name) => name === 'Contents' });
  const doc = parser.parse(xml) as { ListBucketResult?: Record<string, unknown>; Error?: { Code?: string; Message?: string } };
  if (doc.Error) throw new Error(`S3 error ${doc.Error.Code ?? ''}: ${doc.Error.Message ?? ''}`.trim());
  const r = doc.ListBucketResult;
  if (!r) throw new Error('Not a ListObjectsV2 response (no ListBucketResult element)');
  const contents = (r['Contents'] as Record<string, string>[] | undefined) ?? [];
  return {
    bucket: String(r['Name'] ?? ''),
    prefix: String(r['Prefix'] ?? ''),
    objects: contents
      .filter((c) => !String(c['Key']).endsWith('/'))
      .map((c) => ({ key: String(c['Key']), size: Number(c['Size']), lastModified: Date.parse(String(c['LastModified'])), etag: String(c['ETag'] ?? '').replace(/"/g, '') })),
    truncated: String(r['IsTruncated']) === 'true',
    nextContinuationToken: r['NextContinuationToken'] ? String(r['NextContinuationToken']) : null,
  };
}
