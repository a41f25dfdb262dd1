import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, CatalogError, type Crawler, type TableInput } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { ABANDONED_MESSAGE, localLocks, recoverAbandonedCrawls } from '../../../src/crawler/recovery';
import { bufferSource } from '../../../src/sources/byte-source';

/**
 * Fault injection on the real store: fake-indexeddb's record writer refuses writes past a quota, the way a
 * browser does. The failing request errors with QuotaExceededError and its transaction aborts, exactly the
 * sequence IndexedDB specifies, so the catalog's own rollback is what is under test.
 */
async function quotaDisk(factory: IDBFactory) {
  const probe = await new Promise<IDBDatabase>((resolve) => {
    const open = factory.open('quota-probe', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    open.onsuccess = () => resolve(open.result);
  });
  const raw = (probe.transaction('s').objectStore('s') as unknown as { _rawObjectStore: object })._rawObjectStore;
  probe.close();
  const proto = Object.getPrototypeOf(raw) as { storeRecord: (...args: unknown[]) => unknown };
  const original = proto.storeRecord;
  let writesLeft = Infinity;
  let refused = 0;
  proto.storeRecord = function (this: unknown, ...args: unknown[]) {
    if (writesLeft-- <= 0) { refused++; throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }
    return original.apply(this, args);
  };
  restore = () => { proto.storeRecord = original; };
  return {
    /** Allow `n` more record writes, then refuse every write. */
    fillAfter(n: number) { writesLeft = n; },
    free() { writesLeft = Infinity; },
    get refused() { return refused; },
  };
}
let restore = () => {};
afterEach(() => restore());

const table = (i: number): TableInput => ({ Name: `t${i}`, StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: `file:///t${i}` } });

describe('IndexedDB quota exhausted mid-commit', () => {
  it('a multi-table commit fails with a clear QuotaExceeded error and writes nothing', async () => {
    const factory = new IDBFactory();
    const disk = await quotaDisk(factory);
    const catalog = await Catalog.open({ factory, name: 'quota' });
    await catalog.createDatabase({ Name: 'db' });
    disk.fillAfter(7); // some table and version records go in before the disk is full
    const err = await catalog.commit(Array.from({ length: 10 }, (_, i) => ({ op: 'createTable' as const, databaseName: 'db', table: table(i) }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect(err).toMatchObject({ code: 'QuotaExceeded', message: expect.stringMatching(/storage quota exceeded\)\. Nothing from this change was saved/) });
    expect(disk.refused).toBeGreaterThan(0);
    disk.free();
    expect(await catalog.getTables('db')).toEqual([]);
    expect(await catalog.getTableVersions('db', 't0')).toEqual([]);
    // Once space is freed the same change goes through whole.
    await catalog.commit(Array.from({ length: 10 }, (_, i) => ({ op: 'createTable' as const, databaseName: 'db', table: table(i) })));
    expect(await catalog.getTables('db')).toHaveLength(10);
    catalog.close();
  });

  it('a crawl whose final commit hits the quota reports it, writes no table, and its run is settled later', async () => {
    const factory = new IDBFactory();
    const disk = await quotaDisk(factory);
    const catalog = await Catalog.open({ factory, name: 'quota-crawl' });
    const crawler: Crawler = { Name: 'q', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'lake' }] } };
    await catalog.put('crawler', crawler);
    const sources = Array.from({ length: 6 }, (_, i) => bufferSource(`t${i}/a.csv`, new TextEncoder().encode(`id,v${i}\n1,a\n2,b\n`)));
    const locks = localLocks();
    const report = await runCrawl({
      crawler, sources, rootName: 'lake', locationPrefix: 'file:///lake', catalog, locks,
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
      // The RUNNING record is written; the disk fills while the crawl classifies.
      onProgress: (p) => { if (p.phase === 'classifying' && p.done === 1) disk.fillAfter(3); },
    });
    expect(report.state).toBe('FAILED');
    expect(report.error).toMatch(/storage quota exceeded\)\. Nothing from this change was saved/);
    disk.free();
    expect(await catalog.getDatabases()).toEqual([]);
    expect(await catalog.getTables('lake')).toEqual([]);
    // Not even the FAILED record fitted: the run still says RUNNING until the crawler is next opened.
    expect((await catalog.getCrawlerRuns('q')).map((r) => r.State)).toEqual(['RUNNING']);
    expect(await recoverAbandonedCrawls(catalog, locks)).toHaveLength(1);
    expect(await catalog.getCrawlerRuns('q')).toEqual([expect.objectContaining({ State: 'FAILED', ErrorMessage: ABANDONED_MESSAGE })]);
    catalog.close();
  });
});
