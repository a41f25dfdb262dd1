import { describeExpiry, parsePresignedUrl, redactUrl } from './presigned';
import { objectLocation } from './s3-connection';

/** Whether a table's data can be read from this tab, and if not, why and what to do. */
export type Reachability =
  | { state: 'ok' }
  /** Nothing to check (no location) or a kind of location this tab cannot judge without reading it. */
  | { state: 'unknown' }
  /** The data was here and is not any more (workspace folder deleted or cleared, files dropped before a reload). */
  | { state: 'gone'; reason: string; fix: string }
  /** The data may exist, but this tab cannot reach it (expired URLs, a folder only its crawler can read). */
  | { state: 'unreachable'; reason: string; fix: string };

/** What the tab can tell about places, without reading any data. */
export interface ReachabilityProbe {
  /** The files dropped or crawled in this session under a location, or null when the session holds none. */
  sessionFiles(location: string): readonly unknown[] | null;
  /** What the workspace (OPFS) holds at a path: a folder, a file, nothing, or no workspace at all. */
  workspaceEntry(path: string): Promise<'folder' | 'file' | 'missing' | 'unavailable'>;
  now: number;
}

/** What else the catalog knows that makes the fix specific. */
export interface LocationContext {
  /** Jobs that write this table or location (a workspace target). */
  writers?: string[];
  /** Crawlers whose target covers the location. */
  crawlers?: string[];
  /** URLs saved in S3 presigned connections: the catalog location of each object and when its URL expires. */
  connections?: { name: string; objects: { location: string; expiresAt: number | null }[] }[];
}

const list = (names: string[]) => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
const under = (location: string, prefix: string) => location === prefix || location.startsWith(prefix.replace(/\/+$/, '') + '/');

/**
 * Check that a table's location can be read from this tab, without reading its data: the workspace folder
 * exists, files dropped in an earlier session are still in hand, presigned URLs have not expired. Says why
 * not and the fix, naming the job or crawler that would bring the data back.
 */
export async function checkLocation(location: string | undefined, probe: ReachabilityProbe, ctx: LocationContext = {}): Promise<Reachability> {
  const loc = (location ?? '').trim();
  if (!loc) return { state: 'unknown' };
  const crawlers = ctx.crawlers ?? [];
  const rerunCrawler = crawlers.length ? `drop the folder again in the Crawlers view and run crawler ${list(crawlers)} on it` : 'drop the folder again in the Crawlers view and crawl it';

  if (loc.startsWith('opfs://')) {
    const path = decodeURIComponent(loc.replace(/^opfs:\/\/\/?/, ''));
    const entry = await probe.workspaceEntry(path);
    if (entry === 'folder' || entry === 'file') return { state: 'ok' };
    if (entry === 'unavailable') return { state: 'unreachable', reason: 'this browser has no origin-private file system, where workspace folders live', fix: 'open Epoxy in a browser with one (current Chromium, Firefox or Safari)' };
    const writers = ctx.writers ?? [];
    return {
      state: 'gone',
      reason: `its workspace folder ${loc} is gone (the browser's site data was cleared, or the folder was deleted)`,
      fix: writers.length ? `run the job ${list(writers)} that writes it again` : 'run the job that writes it again',
    };
  }

  if (loc.startsWith('dropped://')) {
    if (probe.sessionFiles(loc)?.length) return { state: 'ok' };
    return { state: 'gone', reason: 'its files were dropped in an earlier session, and a dropped file cannot be reopened after a reload', fix: rerunCrawler };
  }

  if (loc.startsWith('folder://')) {
    if (probe.sessionFiles(loc)?.length) return { state: 'ok' };
    return { state: 'unreachable', reason: 'it was crawled from a folder remembered for its crawler, which only that crawler reads (after asking for permission)', fix: rerunCrawler };
  }

  if (/^https?:\/\//i.test(loc)) {
    let info: ReturnType<typeof parsePresignedUrl>;
    try { info = parsePresignedUrl(loc); } catch { return { state: 'unknown' }; }
    const { expiresAt } = info;
    if (expiresAt !== null && expiresAt <= probe.now) {
      // Connections name their objects s3://bucket/key: match the URL's object either way.
      const names = [loc.split('?')[0]!, objectLocation(info)];
      const holders = (ctx.connections ?? []).filter((c) => c.objects.some((o) => names.includes(o.location))).map((c) => c.name);
      return {
        state: 'unreachable',
        reason: `its presigned URL ${redactUrl(loc.split('?')[0]!)} ${describeExpiry(expiresAt, probe.now)}`,
        fix: `refresh the connection's URLs: presign the object again${holders.length ? ` and paste it into connection ${list(holders)}` : ''}, then give the table the new URL`,
      };
    }
    return { state: 'ok' };
  }

  if (/^s3a?:\/\//i.test(loc)) {
    const covering = (ctx.connections ?? []).map((c) => ({ name: c.name, objects: c.objects.filter((o) => under(o.location, loc)) })).filter((c) => c.objects.length);
    const live = covering.filter((c) => c.objects.some((o) => o.expiresAt === null || o.expiresAt > probe.now));
    if (covering.length && !live.length) {
      const earliest = Math.min(...covering.flatMap((c) => c.objects.map((o) => o.expiresAt ?? Infinity)));
      return {
        state: 'unreachable',
        reason: `the presigned URLs for it in connection ${list(covering.map((c) => c.name))} ${describeExpiry(earliest, probe.now)}`,
        fix: `refresh the connection's URLs: presign them again and paste them into connection ${list(covering.map((c) => c.name))} (Connections view), then run its crawler`,
      };
    }
    if (probe.sessionFiles(loc)?.length) return { state: 'ok' };
    if (!covering.length) {
      return { state: 'unreachable', reason: `this tab reads S3 only through presigned URLs, and no saved connection holds URLs under ${loc}`, fix: 'paste presigned GET URLs for its objects in the Crawlers view (Presigned S3 URLs), save them as a connection and crawl them' };
    }
    // Live URLs in a saved connection read the objects after a reload too (issue 19): no crawl needed first.
    return { state: 'ok' };
  }

  return { state: 'unknown' };
}

/** The reachability in one sentence, for a table page, a list badge's title, or an error message. */
export function reachabilityText(r: Reachability, table?: string): string | null {
  if (r.state === 'ok' || r.state === 'unknown') return null;
  const what = table ? `The data of ${table}` : 'Its data';
  return `${what} is ${r.state === 'gone' ? 'gone' : 'not reachable from this tab'}: ${r.reason}. To fix it, ${r.fix}.`;
}
