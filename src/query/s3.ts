/**
 * s3:// locations read through the GET URLs of saved presigned connections: a catalog table crawled from S3
 * reads in any later session while its URLs are live, with ranged GETs (never a whole-object download).
 */
import type { Connection } from '../catalog/glue-types';
import { redactUrl } from '../sources/presigned';
import { connectionUrls, objectLocation, resolveObjects, S3_PRESIGNED_CONNECTION, type PastedUrl } from '../sources/s3-connection';
import { fetchListing, probe, type ProbeOptions } from '../sources/s3-probe';
import type { ListingPage } from '../sources/presigned';
import type { ResolvedFile } from './locations';

const strip = (l: string) => l.replace(/\/+$/, '');
const under = (location: string, prefix: string) => location === prefix || location.startsWith(prefix + '/');

/** Objects a presigned URL set names under a location: an object URL of it, or a listing of a prefix around it. */
function touches(u: PastedUrl, prefix: string): boolean {
  if (u.kind === 'object') return under(objectLocation(u), prefix);
  if (u.kind !== 'listing' || !u.bucket) return false;
  const listed = `s3://${u.bucket}/${u.prefix ?? ''}`;
  return listed.startsWith(prefix) || prefix.startsWith(strip(listed));
}

/**
 * The files under an s3:// (or http) location that saved presigned connections can read: each object with a
 * live GET URL, its size from the connection's listing or a one-byte ranged GET. Expired or unreadable
 * objects are left out and reported in `problems` (redacted); null when no connection names the location.
 */
export async function presignedFiles(location: string, connections: Connection[], options: ProbeOptions = {}): Promise<{ files: ResolvedFile[]; problems: string[] } | null> {
  const prefix = strip(location);
  const now = options.now ?? Date.now();
  const files = new Map<string, ResolvedFile>();
  const problems: string[] = [];
  let named = false;
  for (const c of connections) {
    if (c.ConnectionType !== S3_PRESIGNED_CONNECTION) continue;
    let urls: PastedUrl[];
    try { urls = connectionUrls(c).urls.filter((u) => touches(u, prefix)); } catch { continue; }
    if (!urls.length) continue;
    named = true;
    const pages: { listing: PastedUrl; page: ListingPage }[] = [];
    for (const listing of urls.filter((u) => u.kind === 'listing')) {
      if (listing.expiresAt !== null && listing.expiresAt <= now) continue;
      try { pages.push({ listing, page: await fetchListing(listing, options) }); } catch (err) { problems.push(`connection ${c.Name}: listing failed: ${redactUrl(String((err as Error).message ?? err))}`); }
    }
    const objects = resolveObjects(urls, pages).objects.filter((o) => o.url && under(o.location, prefix) && !files.has(o.location));
    for (const o of objects) {
      const known = o.size !== null && (o.expiresAt === null || o.expiresAt > now) ? o : await probe(o, { ...options, now });
      if ('error' in known && known.error) { problems.push(`${o.location}: ${known.error}`); continue; }
      if (known.size === null || !known.url) continue;
      const path = o.location === prefix ? (o.location.split('/').pop() ?? o.key) : o.location.slice(prefix.length + 1);
      files.set(o.location, { path, size: known.size, ...(known.lastModified !== undefined ? { lastModified: known.lastModified } : {}), ...(known.etag ? { etag: known.etag } : {}), data: { kind: 'url', url: known.url } });
    }
  }
  return named ? { files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), problems } : null;
}
