import type { Connection, Crawler, Job, Table } from '../../catalog';
import { fromGlueJob } from '../../jobs/store';
import { checkLocation, type LocationContext, type Reachability, type ReachabilityProbe } from '../../sources/reachability';
import { connectionUrls, objectLocation, S3_PRESIGNED_CONNECTION } from '../../sources/s3-connection';
import { entryAt, workspaceRoot } from '../../sources/workspace';
import { droppedFilesAt } from '../crawlers/session-files';

/** What the catalog holds that names the fix: jobs (their workspace targets), crawlers, S3 connections. */
export interface CatalogObjects {
  jobs: Job[];
  crawlers: Crawler[];
  connections: Connection[];
}

const strip = (l: string) => l.replace(/\/+$/, '');
const covers = (prefix: string, location: string) => !!prefix && (strip(location) === strip(prefix) || location.startsWith(strip(prefix) + '/'));

/**
 * The context that makes a table's fix specific (pure): the jobs whose workspace target writes the table or its
 * folder, the crawlers whose target covers its location, and the objects of saved S3 presigned connections.
 */
export function locationContext(database: string, table: Table, objects: CatalogObjects): LocationContext {
  const location = table.StorageDescriptor?.Location ?? '';
  const writers: string[] = [];
  for (const job of objects.jobs) {
    let def;
    try { def = fromGlueJob(job); } catch { continue; }
    const writes = def.nodes.some((n) => n.kind === 'target' && n.target.type === 'workspace'
      && ((n.target.database === database && n.target.table === table.Name) || (location.startsWith('opfs://') && covers(`opfs://${n.target.path.split('/').filter(Boolean).join('/')}`, location))));
    if (writes) writers.push(job.Name);
  }
  const crawlers = objects.crawlers.filter((c) => (c.Targets.EpoxyTargets ?? []).some((t) => covers(t.Path, location))).map((c) => c.Name);
  const connections = objects.connections.filter((c) => c.ConnectionType === S3_PRESIGNED_CONNECTION).map((c) => {
    let urls: ReturnType<typeof connectionUrls>['urls'] = [];
    try { urls = connectionUrls(c).urls; } catch { /* a connection that does not parse names nothing */ }
    return { name: c.Name, objects: urls.filter((u) => u.kind === 'object').map((u) => ({ location: objectLocation(u), expiresAt: u.expiresAt })) };
  });
  return { writers, crawlers, connections };
}

/** The tab's probe: files dropped this session, and the workspace's folders (walked by name; no file is opened). */
export function browserProbe(now = Date.now()): ReachabilityProbe {
  return {
    now,
    sessionFiles: (location) => droppedFilesAt(location),
    async workspaceEntry(path) {
      let root: FileSystemDirectoryHandle;
      try { root = await workspaceRoot(); } catch { return 'unavailable'; }
      return (await entryAt(root, path)).kind;
    },
  };
}

/** Check every table (key `db.table`) with the tab's probe; a check that fails says unknown rather than guess. */
export async function checkTables(tables: Record<string, Table[]>, objects: CatalogObjects, probe: ReachabilityProbe = browserProbe()): Promise<Record<string, Reachability>> {
  const out: Record<string, Reachability> = {};
  for (const [db, list] of Object.entries(tables)) {
    for (const t of list) {
      out[`${db}.${t.Name}`] = await checkLocation(t.StorageDescriptor?.Location, probe, locationContext(db, t, objects)).catch(() => ({ state: 'unknown' as const }));
    }
  }
  return out;
}
