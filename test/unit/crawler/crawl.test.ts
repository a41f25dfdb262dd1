import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { bufferSource, type ByteSource } from '../../../src/sources/byte-source';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string | Uint8Array): ByteSource => bufferSource(path, typeof text === 'string' ? enc(text) : text, 1_700_000_000_000);
const orders = (rows: [number, string, number, string][]) => 'order_id,region,amount,order_date\n' + rows.map((r) => r.join(',')).join('\n') + '\n';

const lake = (): ByteSource[] => [
  file('orders/year=2024/month=01/part-0.csv', orders([[1, 'eu', 10.5, '2024-01-02'], [2, 'us', 3.25, '2024-01-05']])),
  file('orders/year=2024/month=02/part-0.csv', orders([[3, 'eu', 7.75, '2024-02-01']])),
  file('orders/year=2024/month=02/part-1.csv.gz', gzipSync(enc(orders([[4, 'ap', 1.5, '2024-02-09']])))),
  file('events/day=1/e.json', '{"id":1,"user":{"name":"ana","tags":["a"]},"ts":"2024-01-02T10:00:00Z"}\n{"id":2,"user":{"name":"bo","tags":[]},"ts":"2024-01-02T11:00:00Z"}\n'),
  file('events/day=2/e.json', '{"id":3,"user":{"name":"cy","tags":["b","c"]},"ts":"2024-01-03T09:30:00Z"}\n'),
  file('junk/corrupt.parquet', 'PAR1 this is not parquet at all PAR1'),
  file('_tmp/ignore.csv', 'a,b\n1,2\n'),
];

const crawler = (over: Partial<Crawler> = {}): Crawler => ({
  Name: 'lake_crawler', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'lake', Exclusions: ['_tmp/**'] }] },
  SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' }, ...over,
});

async function setup() {
  return Catalog.open({ factory: new IDBFactory(), name: 'crawl-test' });
}
const crawl = (catalog: Catalog, sources: ByteSource[], c = crawler(), extra: Partial<Parameters<typeof runCrawl>[0]> = {}) =>
  runCrawl({ crawler: c, sources, rootName: 'lake', locationPrefix: 'file:///data/lake', catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }), ...extra });

describe('crawler end to end (real classifiers, real catalog on fake-indexeddb)', () => {
  it('reports a new partition folder on re-crawl (issue 15: 8 -> 9 partitions was counted "unchanged" with nothing in the log)', async () => {
    const catalog = await setup();
    await crawl(catalog, lake());
    const again = await crawl(catalog, [...lake(), file('orders/year=2024/month=04/part-0.csv', orders([[9, 'eu', 2.5, '2024-04-03']]))]);
    expect(again).toMatchObject({ state: 'COMPLETED', tablesCreated: 0, tablesUpdated: 0, partitionsWritten: 5, partitionsAdded: 1 });
    expect(again.log).toContain('Added 1 partition to table orders: year=2024/month=04');
    expect((await catalog.getPartitions('lake', 'orders')).map((p) => p.Values)).toContainEqual(['2024', '04']);
    const quiet = await crawl(catalog, [...lake(), file('orders/year=2024/month=04/part-0.csv', orders([[9, 'eu', 2.5, '2024-04-03']]))]);
    expect(quiet.partitionsAdded).toBe(0);
    expect(quiet.log.some((l) => l.startsWith('Added'))).toBe(false);
  });

  it('turns a folder into partitioned tables, reports the corrupt file, skips exclusions, and records the run', async () => {
    const catalog = await setup();
    const report = await crawl(catalog, lake());
    expect(report).toMatchObject({ state: 'COMPLETED', tablesCreated: 2, filesClassified: 5, filesExcluded: 1, partitionsWritten: 4 });
    expect(report.failures.map((f) => f.path)).toEqual(['junk/corrupt.parquet']);
    expect(report.failures[0]!.error).toMatch(/corrupt\.parquet|not recognised|Parquet/i);

    const orders = await catalog.getTable('lake', 'orders');
    expect(orders.StorageDescriptor!.Columns).toEqual([
      { Name: 'order_id', Type: 'bigint' }, { Name: 'region', Type: 'string' }, { Name: 'amount', Type: 'double' }, { Name: 'order_date', Type: 'date' },
    ]);
    expect(orders.PartitionKeys).toEqual([{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }]);
    expect(orders.StorageDescriptor!.Location).toBe('file:///data/lake/orders');
    expect(orders.Parameters).toMatchObject({ classification: 'csv', delimiter: ',', 'skip.header.line.count': '1', objectCount: '3', recordCount: '4', UPDATED_BY_CRAWLER: 'lake_crawler' });
    const parts = await catalog.getPartitions('lake', 'orders');
    expect(parts.map((p) => [p.Values, p.StorageDescriptor!.Location, p.Parameters!['recordCount']])).toEqual([
      [['2024', '01'], 'file:///data/lake/orders/year=2024/month=01', '2'],
      [['2024', '02'], 'file:///data/lake/orders/year=2024/month=02', '2'],
    ]);

    const events = await catalog.getTable('lake', 'events');
    expect(events.StorageDescriptor!.Columns).toEqual([
      { Name: 'id', Type: 'bigint' }, { Name: 'user', Type: 'struct<name:string,tags:array<string>>' }, { Name: 'ts', Type: 'timestamp' },
    ]);
    expect(events.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    const runs = await catalog.getCrawlerRuns('lake_crawler');
    expect(runs.map((r) => r.State)).toEqual(['COMPLETED']);
    expect(runs[0]!.Summary).toBe('Tables: 2 created, 0 updated, 4 partitions, 5 files, 1 unreadable');
    catalog.close();
  });

  it('re-crawls: unchanged data changes nothing; a new column makes a new version; LOG keeps the old one', async () => {
    const catalog = await setup();
    await crawl(catalog, lake());
    const again = await crawl(catalog, lake());
    expect(again).toMatchObject({ tablesCreated: 0, tablesUpdated: 0, tablesUnchanged: 2 });
    expect(await catalog.getTableVersions('lake', 'orders')).toHaveLength(1);

    const wider = lake().map((f) => (f.path.endsWith('month=01/part-0.csv') ? file(f.path, 'order_id,region,amount,order_date,channel\n1,eu,10.5,2024-01-02,web\n') : f));
    const logged = await crawl(catalog, wider, crawler({ SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' } }));
    expect(logged.log).toContain('Table orders changed but the policy is LOG: the catalog keeps the old definition');
    expect((await catalog.getTable('lake', 'orders')).StorageDescriptor!.Columns).toHaveLength(4);

    const updated = await crawl(catalog, wider);
    expect(updated.tablesUpdated).toBe(1);
    expect((await catalog.getTable('lake', 'orders')).StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['order_id', 'region', 'amount', 'order_date', 'channel']);
    expect(await catalog.getTableVersions('lake', 'orders')).toHaveLength(2);
    catalog.close();
  });

  it('applies the delete behaviour to tables whose data is gone', async () => {
    const catalog = await setup();
    await crawl(catalog, lake());
    const withoutEvents = lake().filter((f) => !f.path.startsWith('events/'));
    const deprecated = await crawl(catalog, withoutEvents);
    expect(deprecated.tablesDeprecated).toBe(1);
    expect((await catalog.getTable('lake', 'events')).Parameters!['DEPRECATED_BY_CRAWLER']).toBeDefined();
    const deleted = await crawl(catalog, withoutEvents, crawler({ SchemaChangePolicy: { DeleteBehavior: 'DELETE_FROM_DATABASE' } }));
    expect(deleted.tablesDeleted).toBe(1);
    expect((await catalog.getTables('lake')).map((t) => t.Name)).toEqual(['orders']);
    catalog.close();
  });

  it('crawls only new folders when asked', async () => {
    const catalog = await setup();
    await crawl(catalog, lake());
    const more = [...lake(), file('orders/year=2024/month=03/part-0.csv', orders([[9, 'eu', 1, '2024-03-01']]))];
    const report = await crawl(catalog, more, crawler({ RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' } }));
    expect(report.filesSkipped).toBe(5);
    expect((await catalog.getPartitions('lake', 'orders')).map((p) => p.Values.join('/'))).toEqual(['2024/01', '2024/02', '2024/03']);
    catalog.close();
  });

  it('fails cleanly over the table threshold and when cancelled: no table is written', async () => {
    const catalog = await setup();
    const failed = await crawl(catalog, lake(), crawler({ Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { TableThreshold: 1 } } }) }));
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toMatch(/more than the table threshold of 1; nothing was written/);
    const controller = new AbortController();
    controller.abort();
    const stopped = await crawl(catalog, lake(), crawler(), { signal: controller.signal });
    expect(stopped.state).toBe('STOPPED');
    await expect(catalog.getTables('lake')).resolves.toEqual([]);
    expect((await catalog.getCrawlerRuns('lake_crawler')).map((r) => r.State).sort()).toEqual(['FAILED', 'STOPPED']);
    catalog.close();
  });
});
