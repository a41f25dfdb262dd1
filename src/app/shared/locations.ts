/**
 * The tab's LocationLister: every place a catalog table's files can be in the browser. dropped:// (files
 * dropped this session), folder:// (a folder kept for a crawler, read again after one permission click),
 * opfs:// (the workspace), s3:// (saved presigned connections' GET URLs, after a reload too), http(s) URLs.
 * A place this tab cannot read throws UnreachableLocationError with the reason and the fix.
 */
import type { Table } from '../../catalog/glue-types';
import type { Catalog } from '../../catalog/store';
import { withOutputIdentity } from '../../jobs/publish';
import { UnreachableLocationError, type Unreachable } from '../../query/errors';
import type { LocationLister, ResolvedFile } from '../../query/locations';
import { presignedFiles } from '../../query/s3';
import type { ByteSource } from '../../sources/byte-source';
import { canRead, HandleStore } from '../../sources/handle-store';
import { httpSource } from '../../sources/http';
import { redactUrl } from '../../sources/presigned';
import { checkLocation } from '../../sources/reachability';
import { entryAt, listDirectoryHandle, workspaceRoot } from '../../sources/workspace';
import { locationContext, browserProbe } from '../catalog/reachability';
import { droppedFilesAt } from '../crawlers/session-files';

/** Byte sources (dropped files, folder entries, URL objects) as files the engine reads. */
export function toResolved(sources: ByteSource[]): ResolvedFile[] {
  return sources.map((s) => {
    const { file, url } = s as ByteSource & { file?: File; url?: string };
    const marks = { path: s.path, size: s.size, ...(s.lastModified !== undefined ? { lastModified: s.lastModified } : {}), ...(s.etag ? { etag: s.etag } : {}) };
    // Objects crawled through presigned URLs are read by DuckDB with ranged GETs (no HEAD), never downloaded whole.
    if (url) return { ...marks, data: { kind: 'url', url } };
    if (!file) throw new Error(`${s.path}: its bytes are not readable from this tab`);
    return { ...marks, data: { kind: 'file', file: file as File } };
  });
}

/** A workspace path from an `opfs://` location. */
export function opfsPath(location: string): string {
  return decodeURIComponent(location.replace(/^opfs:\/\/\/?/, ''));
}

/** Files under an OPFS folder (or the one file); null when nothing is there. */
async function opfsFiles(path: string): Promise<ResolvedFile[] | null> {
  const entry = await entryAt(await workspaceRoot(), path);
  if (entry.kind === 'missing') return null;
  if (entry.kind === 'folder') return toResolved(await listDirectoryHandle(entry.dir));
  const file = await entry.file.getFile();
  return [{ path: entry.file.name, size: file.size, lastModified: file.lastModified, data: { kind: 'file', file } }];
}

/** One object behind an http(s) URL (a presigned GET): its size from a one-byte ranged GET, read lazily. */
async function urlFile(location: string): Promise<ResolvedFile[]> {
  const source = await httpSource(location, decodeURIComponent(new URL(location).pathname.split('/').pop() || 'object'));
  return [{ path: source.path, size: source.size, ...(source.etag ? { etag: source.etag } : {}), data: { kind: 'url', url: location } }];
}

/** The kept folder (its crawler's handle) behind a folder:// location, and the path under it. */
async function keptFolder(catalog: Catalog, location: string): Promise<{ crawler: string; handle: FileSystemDirectoryHandle; rest: string } | null> {
  const root = location.replace(/^folder:\/\//, '').split('/')[0] ?? '';
  const rest = location.replace(/^folder:\/\/[^/]*\/?/, '');
  const crawlers = (await catalog.list('crawler')).filter((c) => (c.Targets.EpoxyTargets ?? []).some((t) => t.Path.replace(/^folder:\/\//, '').split('/')[0] === root));
  if (!crawlers.length) return null;
  const store = await HandleStore.open();
  try {
    for (const c of crawlers) {
      const handle = await store.get(c.Name);
      if (handle && encodeURIComponent(handle.name) === root) return { crawler: c.Name, handle, rest: decodeURIComponent(rest) };
    }
  } finally {
    store.close();
  }
  return null;
}

/**
 * Ask for read access to the folder behind a folder:// location again (call it from a click: browsers ask only
 * then). True when the folder can be read now. The one-click fix an UnreachableTableError offers for a kept folder.
 */
export async function grantFolderAccess(catalog: Catalog, location: string): Promise<boolean> {
  const kept = await keptFolder(catalog, location);
  return !!kept && canRead(kept.handle, true);
}

/** Options of the tab's lister. */
export interface BrowserListerOptions {
  /** Asked when a kept folder needs permission again: grant it from a click (grantFolderAccess) and say whether. Absent: never ask. */
  askFolderPermission?: (folderName: string, location: string) => Promise<boolean>;
  now?: () => number;
}

/** The tab's LocationLister over the catalog's crawlers (kept folders) and connections (presigned S3 URLs). */
export function browserLister(catalog: Catalog, options: BrowserListerOptions = {}): LocationLister {
  const now = () => options.now?.() ?? Date.now();
  /** Why a location cannot be read, as the catalog view explains it (with the crawler or connection to use). */
  const why = async (location: string, fallback: Unreachable): Promise<never> => {
    const [jobs, crawlers, connections] = await Promise.all([catalog.list('job'), catalog.list('crawler'), catalog.list('connection')]);
    const table = { Name: '', DatabaseName: '', StorageDescriptor: { Location: location } } as Table;
    const r = await checkLocation(location, browserProbe(now()), locationContext('', table, { jobs, crawlers, connections })).catch(() => null);
    throw new UnreachableLocationError(location, r && (r.state === 'gone' || r.state === 'unreachable') ? r : fallback);
  };
  return {
    async listFiles(location) {
      const session = droppedFilesAt(location);
      if (session) return toResolved(session);
      if (location.startsWith('dropped://')) return why(location, { state: 'gone', reason: 'its files were dropped in an earlier session, and a dropped file cannot be reopened after a reload', fix: 'drop the folder again in the Crawlers view and crawl it' });
      if (location.startsWith('opfs://')) {
        const files = await opfsFiles(opfsPath(location)).catch(() => null);
        if (files) return withOutputIdentity(files);
        return why(location, { state: 'gone', reason: `its workspace folder ${location} is gone`, fix: 'run the job that writes it again' });
      }
      if (location.startsWith('folder://')) {
        const kept = await keptFolder(catalog, location);
        const name = kept?.handle.name ?? decodeURIComponent(location.replace(/^folder:\/\//, '').split('/')[0] ?? '');
        // No handle to ask about: the only fix is to pick the folder again (not a permission click).
        if (!kept) throw new UnreachableLocationError(location, { state: 'unreachable', reason: `no folder ${name} is kept in this browser for a crawler`, fix: 'pick the folder again in the Crawlers view (Choose a folder to keep…) and crawl it' });
        let ok = await canRead(kept.handle, false);
        if (!ok && options.askFolderPermission) ok = await options.askFolderPermission(kept.handle.name, location);
        if (!ok) throw new UnreachableLocationError(location, { state: 'unreachable', reason: `Epoxy needs your permission again to read the folder ${kept.handle.name} (kept for crawler ${kept.crawler})`, fix: `grant access to the folder ${kept.handle.name} (one click)` });
        const all = await listDirectoryHandle(kept.handle);
        const rest = kept.rest.replace(/\/+$/, '');
        const inside = rest ? all.filter((s) => s.path === rest || s.path.startsWith(rest + '/')).map((s) => ({ ...s, path: s.path === rest ? s.path.split('/').pop()! : s.path.slice(rest.length + 1) })) : all;
        return toResolved(inside);
      }
      if (/^s3a?:\/\//i.test(location)) {
        const found = await presignedFiles(location, await catalog.list('connection'), { now: now(), origin: globalThis.location?.origin });
        if (found?.files.length) return found.files;
        return why(location, { state: 'unreachable', reason: found?.problems.length ? `none of its objects can be read through the saved presigned URLs (${found.problems[0]})` : `no saved connection holds presigned URLs under ${location}`, fix: 'paste fresh presigned GET URLs for its objects into its connection (Connections view)' });
      }
      if (/^https?:\/\//i.test(location)) return urlFile(location);
      throw new Error(`${redactUrl(location)}: this tab reads dropped files and folders, kept folders (folder://), the workspace (opfs://), s3:// through saved presigned connections, and http(s) URLs`);
    },
  };
}
