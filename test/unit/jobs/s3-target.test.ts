import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planS3Puts, writeOutputsToS3 } from '../../../src/jobs/s3-target';
import { startS3, type TestS3 } from '../../support/s3';

let s3: TestS3;
const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text), rows: 1 });

beforeAll(async () => { s3 = await startS3(); });
afterAll(async () => { await s3.close(); });

describe('S3 presigned job target', () => {
  it('binds outputs to PUT URLs by location, and names outputs without one', async () => {
    const putUrls = [await s3.presignPut('out/year=2024/part-00000.csv'), await s3.presignPut('out/year=2025/part-00000.csv')].join('\n');
    const target = { kind: 's3-presigned' as const, location: 's3://lake/out/', putUrls };
    const outputs = [file('year=2024/part-00000.csv', 'a\n1\n'), file('year=2025/part-00000.csv', 'a\n2\n'), file('year=2026/part-00000.csv', 'a\n3\n')];
    expect(planS3Puts(outputs, target).missing).toEqual(['s3://lake/out/year=2026/part-00000.csv']);
    await expect(writeOutputsToS3(outputs, target)).rejects.toThrow('No presigned PUT URL for 1 output file: s3://lake/out/year=2026/part-00000.csv');
    const results = await writeOutputsToS3(outputs.slice(0, 2), target);
    expect(results.map((r) => r.bytes)).toEqual([4, 4]);
    const back = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'out/year=2025/part-00000.csv' }));
    expect(await back.Body!.transformToString()).toBe('a\n2\n');
  });

  it('uses a single URL for a single output whatever its key', () => {
    const target = { kind: 's3-presigned' as const, location: 's3://lake/x', putUrls: 'PUT https://lake.s3.amazonaws.com/result.parquet?X-Amz-Signature=abc' };
    expect(planS3Puts([file('part-00000.parquet', '')], target).puts.map((p) => [p.path, p.contentType])).toEqual([['part-00000.parquet', 'application/vnd.apache.parquet']]);
  });
});
