import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../../src/sources/http';
import { inspectPaste } from '../../../src/sources/s3-probe';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
let proxy: FaultProxy;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };

beforeAll(async () => {
  s3 = await startS3();
  await s3.put('data/orders/year=2024/part-0.csv', 'id,amount\n1,2.5\n');
  await s3.put('data/orders/year=2025/part-0.csv', 'id,amount\n2,3.5\n3,1\n');
  await s3.put('data/events/e1.json', '{"id":1}\n');
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('inspecting a pasted block against a real S3 server', () => {
  it('fetches the listing, probes sizes with one-byte GETs, reports unmatched keys, and builds the crawl target', async () => {
    const text = [
      await s3.presignList('data/'),
      await s3.presignGet('data/orders/year=2024/part-0.csv'),
      await s3.presignGet('data/orders/year=2025/part-0.csv'),
    ].join('\n');
    const r = await inspectPaste(text, { retry });
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => [o.key, o.size, o.listed, o.error])).toEqual([
      ['data/orders/year=2024/part-0.csv', 16, true, undefined],
      ['data/orders/year=2025/part-0.csv', 20, true, undefined],
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^1 listed object has no presigned GET URL .*s3:\/\/lake\/data\/events\/e1.json/)]);
    expect(r.target).toMatchObject({ rootName: 'orders', locationPrefix: 's3://lake/data/orders', totalBytes: 36 });
    expect(r.target!.sources.map((s) => s.path)).toEqual(['year=2024/part-0.csv', 'year=2025/part-0.csv']);
  });

  it('survives 503s and dropped connections on the listing and the probes', async () => {
    const text = [proxy.via(await s3.presignList('data/events/')), proxy.via(await s3.presignGet('data/events/e1.json'))].join('\n');
    proxy.script([503, 'drop', 503]);
    const r = await inspectPaste(text, { retry });
    expect(r.objects).toEqual([expect.objectContaining({ key: 'data/events/e1.json', size: 9, listed: true })]);
    expect(r.objects[0]!.error).toBeUndefined();
  });

  it('names expiry for an expired URL and 404 for a missing key, without signatures', async () => {
    const expired = (await s3.presignGet('data/events/e1.json')).replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    const before = proxy.requests.length;
    const r = await inspectPaste([proxy.via(expired), await s3.presignGet('data/nope.csv')].join('\n'), { retry });
    expect(proxy.requests.length).toBe(before); // an expired URL is not even tried
    expect(r.warnings[0]).toMatch(/^Line 1 \(lake\/data\/events\/e1.json\): the URL expired at 2020-01-01T01:00:00.000Z/);
    expect(r.objects.find((o) => o.key === 'data/events/e1.json')!.error).toMatch(/^The presigned URL expired at 2020-01-01T01:00:00.000Z/);
    expect(r.objects.find((o) => o.key === 'data/nope.csv')!.error).toMatch(/No such object \(404\)/);
    expect(JSON.stringify(r.objects.map((o) => o.error))).not.toMatch(/Signature=[0-9a-f]/);
    expect(r.target?.sources.length ?? 0).toBe(0);
  });
});
