import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { DEFAULT_RETRY, knownSizeHttpSource } from '../../../src/sources/http';
import { inspectPaste } from '../../../src/sources/s3-probe';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
let proxy: FaultProxy;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };
const keys: Record<string, string> = {
  'lake/orders/year=2024/part-0.csv': 'id,region,amount\n1,eu,2.5\n2,us,1.25\n',
  'lake/orders/year=2025/part-0.csv': 'id,region,amount\n3,eu,7\n',
  'lake/events/e1.json': '{"id":1,"user":{"name":"ana"}}\n{"id":2,"user":{"name":"bo"}}\n',
};

beforeAll(async () => {
  s3 = await startS3();
  for (const [k, v] of Object.entries(keys)) await s3.put(k, v);
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('crawling presigned S3 objects', () => {
  it('crawls through 503s and dropped connections into partitioned tables at s3:// locations', async () => {
    const urls = [proxy.via(await s3.presignList('lake/')), ...(await Promise.all(Object.keys(keys).map((k) => s3.presignGet(k)))).map(proxy.via)];
    proxy.script([503, 'drop', 503, 503, 'drop']);
    const inspection = await inspectPaste(urls.join('\n'), { retry });
    expect(inspection.warnings).toEqual([]);
    const target = inspection.target!;
    proxy.script(['drop', 503, 503]);
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 's3-crawl' });
    const report = await runCrawl({
      crawler: { Name: 's3_lake', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 's3-presigned', Path: target.locationPrefix }] } },
      sources: target.sources.map((s) => knownSizeHttpSource(s.url, s, retry)),
      rootName: target.rootName,
      locationPrefix: target.locationPrefix,
      catalog,
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
    });
    expect(report).toMatchObject({ state: 'COMPLETED', tablesCreated: 2, filesClassified: 3, partitionsWritten: 2, failures: [] });
    const orders = await catalog.getTable('lake', 'orders');
    expect(orders.StorageDescriptor!.Location).toBe('s3://lake/lake/orders');
    expect(orders.PartitionKeys).toEqual([{ Name: 'year', Type: 'string' }]);
    expect((await catalog.getPartitions('lake', 'orders')).map((p) => p.StorageDescriptor?.Location)).toEqual(['s3://lake/lake/orders/year=2024', 's3://lake/lake/orders/year=2025']);
    expect(proxy.requests.filter((r) => r.startsWith('HEAD'))).toEqual([]);
    expect(proxy.requests.filter((r) => / (503|drop)$/.test(r)).length).toBe(8);
    catalog.close();
  });
});
