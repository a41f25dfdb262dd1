import type { Catalog } from '../../catalog';
import { browserClassifier } from '../../crawler/browser-pool';
import { crawlerClassifiers, keepsDecimals } from '../../crawler/classify-file';
import { runCrawl } from '../../crawler/crawl';
import type { Runner } from '../../scheduler/runtime';
import { canRead, HandleStore } from '../../sources/handle-store';
import { listDirectoryHandle } from '../../sources/workspace';
import { droppedFilesAt } from '../crawlers/session-files';

const startCrawlerWorker = () => new Worker(new URL('../../../workers/crawler.worker.ts', import.meta.url), { type: 'module', name: 'epoxy-crawler' });

/**
 * Run a crawler for the scheduler over the data its target points at. Dropped files exist only in the
 * session that dropped them: when they are gone, the run fails with what to do (not a retryable error).
 */
export function crawlerRunner(catalog: Catalog): Runner {
  return async (item, signal) => {
    const crawler = await catalog.get('crawler', item.name);
    const location = crawler.Targets.EpoxyTargets?.[0]?.Path ?? '';
    let sources = location ? droppedFilesAt(location) : null;
    if (!sources && location.startsWith('folder://')) {
      const store = await HandleStore.open();
      const handle = await store.get(item.name);
      store.close();
      if (handle && (await canRead(handle, false))) sources = await listDirectoryHandle(handle);
      else return { state: 'FAILED', error: `Crawler ${item.name} needs permission to read its folder again: open the Crawlers view and click "Use remembered folder"` };
    }
    if (!sources) {
      return { state: 'FAILED', error: `Crawler ${item.name} has no files in this session (its target ${location || 'is not set'}); drop the data again in the Crawlers view` };
    }
    const root = decodeURIComponent(location.replace(/^(dropped|folder):\/\//, ''));
    const report = await runCrawl({
      crawler, sources, rootName: root === 'files' ? null : root, locationPrefix: location, catalog, signal, crawlId: item.runId,
      classify: browserClassifier(startCrawlerWorker, { customClassifiers: crawlerClassifiers(crawler, await catalog.list('classifier')), fullScan: crawler.Epoxy?.['fullScan'] === true, keepDecimals: keepsDecimals(crawler) }),
    });
    if (report.state === 'COMPLETED') return { state: 'SUCCEEDED' };
    return { state: report.state === 'STOPPED' ? 'STOPPED' : 'FAILED', error: report.error };
  };
}
