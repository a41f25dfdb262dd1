import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionRows } from '../../../../src/app/connections/connections.svelte';
import { objectRows, urlDropTarget } from '../../../../src/app/crawlers/url-target.svelte';
import { DEFAULT_RETRY } from '../../../../src/sources/http';
import { parsePastedUrls, s3Connection } from '../../../../src/sources/s3-connection';
import { inspectPaste } from '../../../../src/sources/s3-probe';
import { startS3, type TestS3 } from '../../../support/s3';

let s3: TestS3;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };

beforeAll(async () => {
  s3 = await startS3();
  await s3.put('lake/sales/year=2024/a.csv', 'id,v\n1,2\n');
  await s3.put('lake/sales/year=2025/b.csv', 'id,v\n3,4\n');
});
afterAll(async () => { await s3.close(); });

describe('the Presigned S3 URLs panel', () => {
  it('shows each object with size and expiry, expired ones flagged, and crawls the readable ones', async () => {
    const expired = (await s3.presignGet('lake/sales/year=2025/b.csv')).replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    const inspection = await inspectPaste([await s3.presignGet('lake/sales/year=2024/a.csv'), expired].join('\n'), { retry });
    expect(objectRows(inspection).map((r) => [r.key, r.size, r.expiryState, r.error ?? 'readable'])).toEqual([
      ['lake/sales/year=2024/a.csv', 9, 'ok', 'readable'],
      ['lake/sales/year=2025/b.csv', null, 'expired', 'The presigned URL expired at 2020-01-01T01:00:00.000Z; generate a new one'],
    ]);
    const target = urlDropTarget(inspection)!;
    expect(target).toMatchObject({ kind: 's3-presigned', rootName: 'year=2024', locationPrefix: 's3://lake/lake/sales/year=2024', totalBytes: 9 });
    expect(target.unreadable).toEqual([{ path: 's3://lake/lake/sales/year=2025/b.csv', error: expect.stringMatching(/^The presigned URL expired/) }]);
    expect(new TextDecoder().decode(await target.sources[0]!.read(0, 4))).toBe('id,v');
  });

  it('lists a saved connection\'s URLs redacted, with their expiry', async () => {
    const c = s3Connection('lake', parsePastedUrls(`${await s3.presignGet('lake/sales/year=2024/a.csv', 600)}\nPUT ${await s3.presignPut('out/x.csv')}`).urls);
    const rows = connectionRows({ ...c, CreationTime: '', LastUpdatedTime: '' });
    expect(rows.map((r) => [r.kind, r.expiryState, r.expiry])).toEqual([['object', 'soon', 'expires in 10 min'], ['put', 'ok', 'expires in 1 h']]);
    expect(rows.every((r) => r.redacted.includes('X-Amz-Signature=REDACTED'))).toBe(true);
  });
});
