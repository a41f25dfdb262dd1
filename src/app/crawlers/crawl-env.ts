import type { CrawlEnv } from '../../crawler/runs';
import { browserClassifier } from '../../crawler/browser-pool';
import { canRead, HandleStore } from '../../sources/handle-store';
import { listDirectoryHandle } from '../../sources/workspace';
import { droppedFilesAt } from './session-files';

/** Start a crawler worker (one of the pool's). */
export const startCrawlerWorker = (): Worker => new Worker(new URL('../../../workers/crawler.worker.ts', import.meta.url), { type: 'module', name: 'epoxy-crawler' });

/**
 * Crawls in this tab: files classified in a pool of crawler workers; a stored target's files are those
 * dropped in this session, or the crawler's remembered folder when the browser still lets it read it
 * (the scheduler asks no permission: only a click may).
 */
export function browserCrawlEnv(): CrawlEnv {
  return {
    classifier: (options) => browserClassifier(startCrawlerWorker, options),
    files: {
      dropped: droppedFilesAt,
      async rememberedFolder(crawlerName) {
        const store = await HandleStore.open();
        const handle = await store.get(crawlerName);
        store.close();
        return handle && (await canRead(handle, false)) ? listDirectoryHandle(handle) : null;
      },
    },
  };
}
