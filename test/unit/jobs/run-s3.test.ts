import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { startS3, type TestS3 } from '../../support/s3';
import { ordersFolder, ordersJob } from './fixtures';

let engine: Engine;
let s3: TestS3;
beforeAll(async () => { [engine, s3] = await Promise.all([createNodeEngine(), startS3()]); });
afterAll(async () => { await s3.close(); });

describe('a job writing to S3 through a presigned PUT URL', () => {
  it('uploads its CSV output, which reads back from the bucket', async () => {
    const f = ordersFolder();
    const job = ordersJob(f.dir);
    const put = await s3.presignPut('out/orders/part-00000.csv');
    job.nodes[job.nodes.length - 1] = { id: 'out', kind: 'target', inputs: ['flagged'], target: { type: 's3', format: 'csv', location: 's3://lake/out/orders', putUrls: put } };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), f.out));
    expect(result.error).toBeUndefined();
    expect(result.outputs[0]!.location).toBe('s3://lake/out/orders');
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'out/orders/part-00000.csv' }))).Body!.transformToString();
    expect(body).toBe('order_id,region,amount,is_eu\n1,eu,10.5,true\n2,us,3.25,false\n3,eu,7.0,true\n');
  });

  it('fails at the target, naming the missing URL by location, when an output has no PUT URL', async () => {
    const f = ordersFolder();
    const job = ordersJob(f.dir);
    job.nodes[job.nodes.length - 1] = { id: 'out', kind: 'target', inputs: ['flagged'], target: { type: 's3', format: 'csv', location: 's3://lake/out/x', putUrls: '', partitionBy: ['region'] } };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), f.out));
    expect(result.state).toBe('FAILED');
    expect(result.error).toMatch(/No presigned PUT URL for 2 output files/);
  });
});
