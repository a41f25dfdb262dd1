import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { readUrlBytes } from '../../../src/sources/http';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { startS3, type TestS3 } from '../../support/s3';

let engine: Engine;
let s3: TestS3;
let proxy: FaultProxy;

beforeAll(async () => {
  engine = await createNodeEngine({ readUrl: readUrlBytes });
  s3 = await startS3();
  await s3.put('t/nums.parquet', engine.toParquet('SELECT range AS n FROM range(100)', 'snappy'));
  proxy = await startFaultProxy(s3.endpoint);
  proxy.refuseHead(403);
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

describe('opening a presigned Parquet object', () => {
  it('reads it with ranged GETs through a 503 and a refused HEAD', async () => {
    const url = proxy.via(await s3.presignGet('t/nums.parquet'));
    const before = proxy.requests.length;
    proxy.script([503]);
    const opened = await engine.open('nums.parquet', { kind: 'url', url });
    expect(opened.rowCount).toBe(100);
    expect(engine.query(`SELECT sum(n)::INT AS s FROM ${opened.table}`).rows).toEqual([[4950]]);
    // The one-byte probe (retried once), then one ranged GET for the whole object.
    expect(proxy.requests.slice(before)).toEqual(['GET 503', 'GET pass', 'GET pass']);
  });

  it('is refused, without the signed URL, by an engine started without a URL reader (engine/ has no HTTP code)', async () => {
    const bare = await createNodeEngine();
    const url = proxy.via(await s3.presignGet('t/nums.parquet'));
    const before = proxy.requests.length;
    await expect(bare.open('nums.parquet', { kind: 'url', url })).rejects.toThrow(/^Cannot open nums\.parquet: this engine was started without a URL reader, so it reads no URLs$/);
    expect(proxy.requests.length).toBe(before);
  });
});
