import { describe, expect, it } from 'vitest';
import { commonPrefix, connectionUrls, expiryState, expiryWarnings, parsePastedUrls, resolveObjects, s3Connection, urlCrawlTarget } from '../../../src/sources/s3-connection';
import type { ListingPage } from '../../../src/sources/presigned';

const sig = (extra = '') => `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261125T120000Z&X-Amz-Expires=3600&X-Amz-Signature=${'ab'.repeat(32)}&X-Amz-SignedHeaders=host${extra}`;
const now = Date.UTC(2026, 10, 25, 12, 30);

describe('pasted URLs', () => {
  it('tell objects, listings, PUTs and parts apart, skip comments, and report bad lines without signatures', () => {
    const text = [
      '# sales lake',
      `https://lake.s3.us-east-1.amazonaws.com/sales/year=2024/a.csv?${sig('&x-id=GetObject')}`,
      `https://s3.us-east-1.amazonaws.com/lake?${sig('&list-type=2&prefix=sales%2F')}`,
      `https://lake.s3.amazonaws.com/out/part-0.parquet?${sig('&x-id=PutObject')}`,
      `PUT https://lake.s3.amazonaws.com/out/b.csv?${sig()}`,
      `https://lake.s3.amazonaws.com/out/big.bin?${sig('&partNumber=2&uploadId=abc&x-id=UploadPart')}`,
      '',
      `not a url ?X-Amz-Signature=${'cd'.repeat(32)}`,
      'https://example.com/',
    ].join('\n');
    const { urls, problems } = parsePastedUrls(text);
    expect(urls.map((u) => [u.line, u.kind, u.bucket, u.key])).toEqual([
      [2, 'object', 'lake', 'sales/year=2024/a.csv'],
      [3, 'listing', 'lake', null],
      [4, 'put', 'lake', 'out/part-0.parquet'],
      [5, 'put', 'lake', 'out/b.csv'],
      [6, 'part', 'lake', 'out/big.bin'],
    ]);
    expect(urls[1]).toMatchObject({ prefix: 'sales/' });
    expect(urls[4]).toMatchObject({ partNumber: 2, uploadId: 'abc' });
    expect(problems.map((p) => p.line)).toEqual([8, 9]);
    expect(problems[0]!.message).toBe('not a URL: paste a presigned https:// URL, optionally after GET, PUT or LIST');
    expect(JSON.stringify(problems)).not.toContain('cdcdcdcd');
    expect(parsePastedUrls(`https://lake.s3.amazonaws.com/a.csv?${sig()} https://lake.s3.amazonaws.com/b.csv?${sig()}`).problems[0]!.message).toBe('one URL per line (this line has a space in it)');
  });

  it('classify expiry: ok, soon (15 min), expired, and warn by line', () => {
    expect(expiryState(null, now)).toBe('ok');
    expect(expiryState(now + 3_600_000, now)).toBe('ok');
    expect(expiryState(now + 60_000, now)).toBe('soon');
    expect(expiryState(now, now)).toBe('expired');
    const { urls } = parsePastedUrls(`https://lake.s3.amazonaws.com/a.csv?${sig()}`);
    expect(expiryWarnings(urls, now + 3_600_000)).toEqual(['Line 1 (lake/a.csv): the URL expired at 2026-11-25T13:00:00.000Z; presign it again']);
    expect(expiryWarnings(urls, now + 20 * 60_000)[0]).toMatch(/expires at 2026-11-25T13:00:00.000Z, within 15 min/);
  });
});

const page = (keys: [string, number][], extra: Partial<ListingPage> = {}): ListingPage => ({
  bucket: 'lake', prefix: 'sales/', truncated: false, nextContinuationToken: null,
  objects: keys.map(([key, size]) => ({ key, size, lastModified: 0, etag: 'e' })), ...extra,
});

describe('resolving listings', () => {
  it('match listed keys to pasted GET URLs by bucket and key, and report keys without one', () => {
    const { urls } = parsePastedUrls([
      `https://lake.s3.amazonaws.com/sales/year=2024/a.csv?${sig()}`,
      `https://s3.amazonaws.com/lake?${sig('&list-type=2&prefix=sales%2F')}`,
    ].join('\n'));
    const r = resolveObjects(urls, [{ listing: urls[1]!, page: page([['sales/year=2024/a.csv', 19], ['sales/year=2025/b.csv', 7]]) }]);
    expect(r.objects).toEqual([expect.objectContaining({ location: 's3://lake/sales/year=2024/a.csv', size: 19, listed: true })]);
    expect(r.unmatched).toEqual(['s3://lake/sales/year=2025/b.csv']);
    expect(r.warnings[0]).toMatch(/1 listed object has no presigned GET URL/);
  });

  it('read every listed key of a public (unsigned) listing through plain URLs, in the listing\'s addressing style', () => {
    const { urls } = parsePastedUrls('http://127.0.0.1:9000/lake?list-type=2&prefix=sales%2F');
    const r = resolveObjects(urls, [{ listing: urls[0]!, page: page([['sales/k=v/a b.csv', 3]]) }]);
    expect(r.objects[0]).toMatchObject({ url: 'http://127.0.0.1:9000/lake/sales/k%3Dv/a%20b.csv', size: 3, location: 's3://lake/sales/k=v/a b.csv' });
    expect(r.unmatched).toEqual([]);
  });

  it('say when a listing is truncated and no continuation URL was pasted', () => {
    const { urls } = parsePastedUrls(`https://s3.amazonaws.com/lake?${sig('&list-type=2&prefix=sales%2F')}`);
    const r = resolveObjects(urls, [{ listing: urls[0]!, page: page([], { truncated: true, nextContinuationToken: 'tok1' }) }]);
    expect(r.warnings[0]).toMatch(/truncated: presign another ListObjectsV2 URL with continuation-token=tok1/);
    const both = parsePastedUrls(`https://s3.amazonaws.com/lake?${sig('&list-type=2&prefix=sales%2F')}\nhttps://s3.amazonaws.com/lake?${sig('&list-type=2&prefix=sales%2F&continuation-token=tok1')}`).urls;
    expect(resolveObjects(both, [{ listing: both[0]!, page: page([], { truncated: true, nextContinuationToken: 'tok1' }) }]).warnings).toEqual([]);
  });
});

describe('crawl targets and connections', () => {
  it('make paths relative to the common folder so k=v folders become partitions', () => {
    expect(commonPrefix(['s3://lake/data/orders/year=2024/a.csv', 's3://lake/data/events/e.json'])).toBe('s3://lake/data/');
    expect(commonPrefix(['s3://a/x.csv', 's3://b/y.csv'])).toBe('s3://');
    const t = urlCrawlTarget([
      { bucket: 'lake', key: 'data/orders/year=2024/a.csv', location: 's3://lake/data/orders/year=2024/a.csv', url: 'u1', size: 10, expiresAt: null, listed: false },
      { bucket: 'lake', key: 'data/events/e.json', location: 's3://lake/data/events/e.json', url: 'u2', size: 5, expiresAt: null, listed: false },
    ]);
    expect(t).toMatchObject({ rootName: 'data', locationPrefix: 's3://lake/data', totalBytes: 15 });
    expect(t.sources.map((s) => s.path)).toEqual(['orders/year=2024/a.csv', 'events/e.json']);
    expect(() => urlCrawlTarget([
      { bucket: 'a', key: 'x.csv', location: 's3://a/x.csv', url: 'u1', size: 1, expiresAt: null, listed: false },
      { bucket: 'b', key: 'y.csv', location: 's3://b/y.csv', url: 'u2', size: 1, expiresAt: null, listed: false },
    ])).toThrow('These objects live in several buckets or hosts (s3://a, s3://b): crawl one bucket at a time');
    const bucketRoot = urlCrawlTarget([{ bucket: 'a', key: 'x.csv', location: 's3://a/x.csv', url: 'u1', size: 1, expiresAt: null, listed: false }]);
    expect(bucketRoot).toMatchObject({ rootName: 'a', locationPrefix: 's3://a' });
    expect(bucketRoot.sources[0]!.path).toBe('x.csv');
  });

  it('store URLs in a Glue Connection and read them back', () => {
    const text = `https://lake.s3.amazonaws.com/a.csv?${sig()}\nPUT https://lake.s3.amazonaws.com/out/a.csv?${sig()}`;
    const c = s3Connection('lake_urls', parsePastedUrls(text).urls);
    expect(c).toMatchObject({ Name: 'lake_urls', ConnectionType: 'EPOXY_S3_PRESIGNED', ConnectionProperties: { BUCKETS: 'lake', EARLIEST_EXPIRY: '2026-11-25T13:00:00.000Z' } });
    expect(connectionUrls(c).urls.map((u) => u.kind)).toEqual(['object', 'put']);
    expect(() => connectionUrls({ ConnectionType: 'JDBC', ConnectionProperties: {} })).toThrow(/Not an S3 presigned connection/);
  });
});

describe('plain http', () => {
  it('is accepted on this machine only (the page may not reach other http hosts)', () => {
    const { urls, problems } = parsePastedUrls('http://127.0.0.1:9000/lake/a.csv\nhttp://localhost:9000/lake/b.csv\nhttp://data.example.com/lake/c.csv');
    expect(urls.map((u) => u.key)).toEqual(['a.csv', 'b.csv']);
    expect(problems).toEqual([{ line: 3, message: 'plain http is only read from this machine (localhost); use the https URL of data.example.com' }]);
  });
});
