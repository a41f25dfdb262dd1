import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../../src/sources/http';
import { contentTypeFor, putPresigned } from '../../../src/sources/put';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
let proxy: FaultProxy;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };
const read = async (key: string) => {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return { text: await out.Body!.transformToString(), type: out.ContentType };
};

beforeAll(async () => {
  s3 = await startS3();
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('presigned PUT', () => {
  it('uploads bytes with the Content-Type and returns the ETag; the S3 client reads them back', async () => {
    const url = await s3.presignPut('out/a.csv');
    const r = await putPresigned(url, new TextEncoder().encode('id\n1\n'), { contentType: contentTypeFor('out/a.csv'), retry });
    expect(r).toMatchObject({ status: 200, bytes: 5 });
    expect(r.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(r.location).toContain('X-Amz-Signature=REDACTED');
    expect(await read('out/a.csv')).toEqual({ text: 'id\n1\n', type: 'text/csv' });
  });

  it('retries 503s and dropped connections', async () => {
    proxy.script([503, 'drop', 500]);
    await putPresigned(proxy.via(await s3.presignPut('out/b.json')), new TextEncoder().encode('{"a":1}\n'), { retry });
    expect(proxy.requests.slice(-4)).toEqual(['PUT 503', 'PUT drop', 'PUT 500', 'PUT pass']);
    expect((await read('out/b.json')).text).toBe('{"a":1}\n');
  });

  it('explains a 403 SignatureDoesNotMatch as a Content-Type mismatch, and an expired URL before sending', async () => {
    const url = (await s3.presignPut('out/c.parquet')).replace('X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=content-type%3Bhost');
    proxy.script([{ status: 403, body: '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>' }]);
    const err = await putPresigned(proxy.via(url), new Uint8Array([1]), { contentType: 'application/vnd.apache.parquet', retry }).then(() => new Error('the upload succeeded'), (e: Error) => e);
    expect(err.message).toMatch(/^Upload refused \(403 SignatureDoesNotMatch\): the URL was presigned with a Content-Type header and this upload sent Content-Type application\/vnd.apache.parquet/);
    expect(err.message).not.toMatch(/Signature=[0-9a-f]/);
    const expired = (await s3.presignPut('out/d.csv')).replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    const before = proxy.requests.length;
    await expect(putPresigned(proxy.via(expired), new Uint8Array([1]), { retry })).rejects.toThrow(/^The presigned PUT URL expired at 2020-01-01T01:00:00.000Z/);
    expect(proxy.requests.length).toBe(before);
  });
});
