import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay, corsHelp, DEFAULT_RETRY, explainStatus, httpSource, HttpReadError } from '../../../src/sources/http';
import { describeExpiry, parseListObjectsV2, parsePresignedUrl, redactUrl } from '../../../src/sources/presigned';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
let proxy: FaultProxy;
const fast = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1000 };
const text = (b: Uint8Array) => new TextDecoder().decode(b);

beforeAll(async () => {
  s3 = await startS3();
  await s3.put('sales/year=2024/a.csv', 'id,name\n1,ana\n2,bo\n');
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('presigned URLs', () => {
  it('parse bucket, key and SigV4 expiry, and redact the signature and credential', async () => {
    const url = await s3.presignGet('sales/year=2024/a.csv', 600);
    const info = parsePresignedUrl(url);
    expect(info).toMatchObject({ bucket: 'lake', key: 'sales/year=2024/a.csv', signed: true });
    expect(Math.abs(info.expiresAt! - (Date.now() + 600_000))).toBeLessThan(5_000);
    const redacted = redactUrl(`failed: ${url}`);
    expect(redacted).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    expect(redacted).not.toContain('S3RVER');
    expect(redacted).toContain('X-Amz-Signature=REDACTED');
    expect(redacted).toContain('X-Amz-Expires=600');
  });

  it('reads virtual-hosted URLs and SigV2 expiry, and describes expiry', () => {
    const info = parsePresignedUrl('https://my-bucket.s3.eu-west-1.amazonaws.com/a/b.json?AWSAccessKeyId=AK&Expires=1700000000&Signature=x');
    expect(info).toMatchObject({ bucket: 'my-bucket', key: 'a/b.json', expiresAt: 1_700_000_000_000, signed: true });
    expect(describeExpiry(1000 + 2 * 3_600_000, 1000)).toBe('expires in 2 h');
    expect(describeExpiry(0, 90_000)).toBe('expired 2 min ago');
    expect(() => parsePresignedUrl('ftp://x/y')).toThrow('Only http(s) URLs can be read, not ftp:');
  });

  it('parse a real ListObjectsV2 answer from the S3 server', async () => {
    const res = await fetch(await s3.presignList('sales/'));
    const page = parseListObjectsV2(await res.text());
    expect(page).toMatchObject({ bucket: 'lake', prefix: 'sales/', truncated: false, nextContinuationToken: null });
    expect(page.objects.map((o) => [o.key, o.size])).toEqual([['sales/year=2024/a.csv', 19]]);
    expect(() => parseListObjectsV2('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')).toThrow('S3 error AccessDenied: Request has expired');
  });
});

describe('HTTP byte source', () => {
  it('reads ranges with GET only and learns the size from Content-Range', async () => {
    const src = await httpSource(await s3.presignGet('sales/year=2024/a.csv'), 'a.csv', fast);
    expect(src.size).toBe(19);
    expect(text(await src.read(8, 5))).toBe('1,ana');
    expect(text(await src.read(14, 100))).toBe('2,bo\n');
    expect(src.etag).toMatch(/^[0-9a-f]{32}$/);
  });

  it('retries 503s, dropped connections and stalls, then succeeds', async () => {
    const url = proxy.via(await s3.presignGet('sales/year=2024/a.csv'));
    proxy.script([503, 'drop', 'stall', 500]);
    const src = await httpSource(url, 'a.csv', fast);
    expect(text(await src.read(0, 7))).toBe('id,name');
    expect(proxy.requests.slice(-6)).toEqual(['GET 503', 'GET drop', 'GET stall', 'GET 500', 'GET pass', 'GET pass']);
  });

  it('gives up after MaxRetries with the last error, and fails at once on 403/404', async () => {
    const url = proxy.via(await s3.presignGet('sales/year=2024/a.csv'));
    proxy.script([503, 503, 503]);
    await expect(httpSource(url, 'a.csv', { ...fast, maxRetries: 2 })).rejects.toThrow(/The server answered 503; retrying/);
    proxy.script([403]);
    const before = proxy.requests.length;
    await expect(httpSource(url, 'a.csv', fast)).rejects.toThrow(/Access denied \(403\)/);
    expect(proxy.requests.length - before).toBe(1);
    await expect(httpSource(await s3.presignGet('nope.csv'), 'nope.csv', fast)).rejects.toThrow(/No such object \(404\)/);
  });

  it('explains an expired URL and never shows its signature', async () => {
    const url = await s3.presignGet('sales/year=2024/a.csv', 1);
    const err = explainStatus(403, url, Date.now() + 10_000);
    expect(err).toBeInstanceOf(HttpReadError);
    expect(err.message).toMatch(/^The presigned URL expired at /);
    expect(err.message).not.toMatch(/Signature=[0-9a-f]/);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, fast, () => 1)).toBe(5);
    expect(backoffDelay(3, fast, () => 1)).toBe(20);
    expect(backoffDelay(3, fast, () => 0.5)).toBe(10);
    expect(JSON.parse(corsHelp('http://127.0.0.1:4173')).CORSRules[0].AllowedOrigins).toEqual(['http://127.0.0.1:4173']);
  });
});
