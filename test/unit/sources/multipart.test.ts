import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../../src/sources/http';
import { MIN_PART_BYTES, putMultipart } from '../../../src/sources/multipart';
import { parsePastedUrls } from '../../../src/sources/s3-connection';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
let proxy: FaultProxy;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 };
const bytes = Uint8Array.from({ length: 2 * MIN_PART_BYTES + 1000 }, (_, i) => i % 251);

beforeAll(async () => {
  s3 = await startS3();
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('multipart upload through presigned part URLs', () => {
  it('uploads 5 MiB parts through a 503, completes, and the object reads back whole', async () => {
    const { partUrls, completeUrl } = await s3.presignMultipart('out/big.bin', 4);
    expect(parsePastedUrls([...partUrls, completeUrl].join('\n')).urls.map((u) => u.kind)).toEqual(['part', 'part', 'part', 'part', 'complete']);
    proxy.script([503]);
    const r = await putMultipart(partUrls.map(proxy.via), bytes, { completeUrl: proxy.via(completeUrl), retry });
    expect(r.parts.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    expect(r.completeXml).toMatch(/^<CompleteMultipartUpload><Part><PartNumber>1<\/PartNumber><ETag>"[0-9a-f]{32}"<\/ETag><\/Part>/);
    const back = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'out/big.bin' }));
    expect(Buffer.from(await back.Body!.transformToByteArray()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('spreads the bytes over fewer part URLs in larger parts, and returns the XML to complete with when no complete URL is given', async () => {
    const { partUrls } = await s3.presignMultipart('out/two.bin', 2);
    const r = await putMultipart(partUrls, bytes, { retry });
    expect(r.parts.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(r.etag).toBeUndefined();
    expect(r.completeXml.match(/<Part>/g)).toHaveLength(2);
  });
});
