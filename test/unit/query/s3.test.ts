/**
 * Issue 19: a job reading the S3-crawled table s3db.sales failed ("this tab reads dropped files, the workspace
 * ..."), even right after a re-crawl. s3:// locations now list through the saved presigned connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/catalog';
import { presignedFiles } from '../../../src/query/s3';
import { parsePastedUrls, s3Connection } from '../../../src/sources/s3-connection';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
  await s3.put('sales/year=2024/a.csv', 'id,amount\n1,2\n');
  await s3.put('sales/year=2025/b.csv', 'id,amount\n3,4\n5,6\n');
  await s3.put('other/c.csv', 'x\n1\n');
});
afterAll(async () => { await s3.close(); });

const connection = (name: string, text: string) => s3Connection(name, parsePastedUrls(text).urls) as unknown as Connection;

describe('presignedFiles (s3:// through saved presigned connections)', () => {
  it('lists the objects under a table location from GET URLs, with sizes from ranged GETs, paths relative to it', async () => {
    const urls = await Promise.all(['sales/year=2024/a.csv', 'sales/year=2025/b.csv', 'other/c.csv'].map((k) => s3.presignGet(k)));
    const found = await presignedFiles('s3://lake/sales', [connection('lake', urls.join('\n'))]);
    expect(found!.problems).toEqual([]);
    expect(found!.files.map((f) => [f.path, f.size, f.data.kind])).toEqual([['year=2024/a.csv', 14, 'url'], ['year=2025/b.csv', 18, 'url']]);
  });

  it('takes sizes from a presigned listing, and matches its keys to the GET URLs', async () => {
    const text = [await s3.presignList('sales/'), await s3.presignGet('sales/year=2024/a.csv'), await s3.presignGet('sales/year=2025/b.csv')].join('\n');
    const found = await presignedFiles('s3://lake/sales/', [connection('lake', text)]);
    expect(found!.files.map((f) => [f.path, f.size])).toEqual([['year=2024/a.csv', 14], ['year=2025/b.csv', 18]]);
  });

  it('leaves expired URLs out and says why; null when no connection names the location', async () => {
    const url = await s3.presignGet('sales/year=2024/a.csv', 60);
    const found = await presignedFiles('s3://lake/sales', [connection('lake', url)], { now: Date.now() + 3_600_000 });
    expect(found!.files).toEqual([]);
    expect(found!.problems[0]).toMatch(/^s3:\/\/lake\/sales\/year=2024\/a.csv: The presigned URL expired at/);
    expect(found!.problems[0]).not.toMatch(/Signature/i);
    expect(await presignedFiles('s3://lake/elsewhere', [connection('lake', url)])).toBeNull();
  });
});
