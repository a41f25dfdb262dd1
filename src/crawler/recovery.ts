import type { Catalog, CrawlerRun } from '../catalog';

/** Returned by `CrawlLocks.tryWith` when another crawl (in this tab or another) holds the lock. */
export const LOCK_BUSY: unique symbol = Symbol('lock busy');

/** The part of the Web Locks API a crawl needs: hold a named lock while a function runs, or say it is taken. */
export interface CrawlLocks {
  tryWith<T>(name: string, fn: () => Promise<T>): Promise<T | typeof LOCK_BUSY>;
}

/** Name of the lock a crawl of `crawlerName` holds from its RUNNING record to its final one. */
export const crawlLockName = (crawlerName: string) => `epoxy-crawl-${crawlerName}`;

/**
 * What an abandoned run says: the browser released its lock, so the tab that ran it is gone, or (rarer) the
 * crawl ended but not even its FAILED record could be saved (storage full).
 */
export const ABANDONED_MESSAGE = 'The crawl did not finish: the tab was closed or crashed during the crawl, or its result could not be saved. The catalog was not changed; run the crawler again.';

/** Locks shared by every tab of the origin: the browser frees them when a tab closes or crashes. */
export function webLocks(manager: LockManager): CrawlLocks {
  return {
    tryWith: <T>(name: string, fn: () => Promise<T>) =>
      manager.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : LOCK_BUSY)) as Promise<T | typeof LOCK_BUSY>,
  };
}

/** Locks within this JS realm (Node CLI and tests, or a browser without Web Locks): the same rules, one process. */
export function localLocks(): CrawlLocks {
  const held = new Set<string>();
  return {
    async tryWith<T>(name: string, fn: () => Promise<T>) {
      if (held.has(name)) return LOCK_BUSY;
      held.add(name);
      try {
        return await fn();
      } finally {
        held.delete(name);
      }
    },
  };
}

let fallback: CrawlLocks | null = null;

/** The browser's Web Locks when there are any, else one realm-wide set. */
export function defaultLocks(): CrawlLocks {
  const manager = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  if (manager) return webLocks(manager);
  return (fallback ??= localLocks());
}

/**
 * Mark crawls left RUNNING by a tab that closed or crashed as FAILED. A crawl holds its lock for as long
 * as its run is RUNNING, and the browser releases a dead tab's locks; so a RUNNING run whose lock we can
 * take belongs to nobody. Its tables were never written (a crawl commits them with its final record).
 * Returns the runs it marked.
 */
export async function recoverAbandonedCrawls(catalog: Catalog, locks: CrawlLocks = defaultLocks(), now: () => Date = () => new Date()): Promise<CrawlerRun[]> {
  const recovered: CrawlerRun[] = [];
  for (const crawler of await catalog.list('crawler')) {
    if (!(await catalog.getCrawlerRuns(crawler.Name)).some((r) => r.State === 'RUNNING')) continue;
    await locks.tryWith(crawlLockName(crawler.Name), async () => {
      // Re-read under the lock: a crawl that finished meanwhile has already written its final state.
      const stale = (await catalog.getCrawlerRuns(crawler.Name)).filter((r) => r.State === 'RUNNING');
      const marked = stale.map((r): CrawlerRun => ({ ...r, State: 'FAILED', EndTime: now().toISOString(), ErrorMessage: ABANDONED_MESSAGE }));
      if (marked.length) await catalog.commit(marked.map((run) => ({ op: 'putCrawlerRun' as const, run })));
      recovered.push(...marked);
    });
  }
  return recovered;
}
