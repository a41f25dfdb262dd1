import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import { runCrawl, type ClassifyMany } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { ABANDONED_MESSAGE, localLocks, recoverAbandonedCrawls } from '../../../src/crawler/recovery';
import { bufferSource } from '../../../src/sources/byte-source';

const crawler: Crawler = { Name: 'sales_crawler', DatabaseName: 'sales', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'sales' }] } };
const sources = [bufferSource('orders/a.csv', new TextEncoder().encode('id,amount\n1,2.5\n2,3.5\n'))];
const real = inProcessClassifier({ customClassifiers: [], fullScan: false });

/** A classifier that classifies, then never returns: the tab stops here (closed, crashed, frozen). */
function dyingClassifier(reached: () => void): ClassifyMany {
  return async (s, onProgress, signal) => {
    await real(s, onProgress, signal);
    reached();
    return new Promise(() => {});
  };
}

describe('a crawl whose tab died', () => {
  it('is marked FAILED on reopen, with no table written; a live crawl is left alone', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'recovery' });
    await catalog.put('crawler', crawler);
    // The dead tab's locks live in its own lock manager, which the browser drops with the tab.
    const deadTabLocks = localLocks();
    let reached!: () => void;
    const midway = new Promise<void>((r) => { reached = r; });
    void runCrawl({ crawler, sources, rootName: 'sales', locationPrefix: 'file:///sales', catalog, classify: dyingClassifier(reached), locks: deadTabLocks });
    await midway;
    expect((await catalog.getCrawlerRuns('sales_crawler')).map((r) => r.State)).toEqual(['RUNNING']);

    // While the crawl's lock is held (the tab is alive), reopening elsewhere marks nothing.
    expect(await recoverAbandonedCrawls(catalog, deadTabLocks)).toEqual([]);
    expect((await catalog.getCrawlerRuns('sales_crawler'))[0]!.State).toBe('RUNNING');

    // The tab is gone: a fresh lock manager sees the lock free, so the run is abandoned.
    const recovered = await recoverAbandonedCrawls(catalog, localLocks(), () => new Date('2026-01-02T03:04:05Z'));
    expect(recovered).toHaveLength(1);
    const [run] = await catalog.getCrawlerRuns('sales_crawler');
    expect(run).toMatchObject({ State: 'FAILED', EndTime: '2026-01-02T03:04:05.000Z', ErrorMessage: ABANDONED_MESSAGE });
    await expect(catalog.getTables('sales')).resolves.toEqual([]);

    // And the crawler runs normally afterwards.
    const again = await runCrawl({ crawler, sources, rootName: 'sales', locationPrefix: 'file:///sales', catalog, classify: real, locks: localLocks() });
    expect(again.state).toBe('COMPLETED');
    expect((await catalog.getCrawlerRuns('sales_crawler')).map((r) => r.State).sort()).toEqual(['COMPLETED', 'FAILED']);
    expect(await recoverAbandonedCrawls(catalog, localLocks())).toEqual([]);
    catalog.close();
  });

  it('a second run of the same crawler while one is running is refused and records nothing', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'busy' });
    const locks = localLocks();
    let reached!: () => void;
    const midway = new Promise<void>((r) => { reached = r; });
    void runCrawl({ crawler, sources, rootName: 'sales', locationPrefix: 'file:///sales', catalog, classify: dyingClassifier(reached), locks });
    await midway;
    const second = await runCrawl({ crawler, sources, rootName: 'sales', locationPrefix: 'file:///sales', catalog, classify: real, locks });
    expect(second).toMatchObject({ state: 'FAILED', error: 'Crawler sales_crawler is already running (in this tab or another); wait for it to finish' });
    expect(await catalog.getCrawlerRuns('sales_crawler')).toHaveLength(1);
    catalog.close();
  });
});
