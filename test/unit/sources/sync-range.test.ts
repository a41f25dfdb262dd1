import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../../src/sources/http';
import { syncOpen, syncRangeReader, syncRead, type SyncRangeGet } from '../../../src/sources/sync-range';
import { startRemoteS3, type RemoteS3 } from '../../support/s3-remote';

// A truly synchronous GET in Node, as a worker's synchronous XHR is: a child process does the request.
const CHILD = `const [url, range, timeout] = process.argv.slice(1);
fetch(url, { headers: { Range: range }, signal: AbortSignal.timeout(Number(timeout)) })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, headers: Object.fromEntries(r.headers), body: Buffer.from(await r.arrayBuffer()).toString('base64') })))
  .catch(() => process.exit(3));`;
const childGet: SyncRangeGet = (url, range, timeoutMs) => {
  const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD, url, range, String(timeoutMs)], { encoding: 'utf8' })) as { status: number; headers: Record<string, string>; body: string };
  return { status: out.status, header: (n) => out.headers[n.toLowerCase()] ?? null, body: new Uint8Array(Buffer.from(out.body, 'base64')) };
};

// The servers run in another process: a synchronous read blocks this one.
let remote: RemoteS3;
const retry = { ...DEFAULT_RETRY, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 3000 };
const text = (b: Uint8Array) => new TextDecoder().decode(b);

beforeAll(async () => {
  remote = await startRemoteS3();
  await remote.s3.put('t/a.csv', 'id,name\n1,ana\n2,bo\n');
  await remote.control({ refuseHead: 403 });
});
afterAll(async () => {
  await remote.close();
});

describe('synchronous range reads (what DuckDB-WASM reads presigned URLs through)', () => {
  it('open with a one-byte GET (never HEAD, which answers 403 here as on S3), then read ranges', async () => {
    const url = remote.via(await remote.s3.presignGet('t/a.csv'));
    const before = (await remote.control({})).length;
    expect(syncOpen(url, childGet, retry)).toMatchObject({ size: 19 });
    expect(text(syncRead(url, childGet, 8, 5, retry))).toBe('1,ana');
    expect((await remote.control({})).slice(before)).toEqual(['GET pass', 'GET pass']);
  });

  it('retry 503s and dropped connections, and explain an expired URL without its signature', async () => {
    const url = remote.via(await remote.s3.presignGet('t/a.csv'));
    await remote.control({ faults: [503, 'drop'] });
    expect(text(syncRead(url, childGet, 0, 2, retry))).toBe('id');
    expect((await remote.control({})).slice(-3)).toEqual(['GET 503', 'GET drop', 'GET pass']);
    const expired = url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    await remote.control({ faults: [403] });
    expect(() => syncOpen(expired, childGet, retry)).toThrow(/^The presigned URL expired at 2020-01-01T01:00:00.000Z; generate a new one \(.*X-Amz-Signature=REDACTED/);
  });

  it('bind the request and retry policy for the engine, which asks only for a URL and a range', async () => {
    const url = remote.via(await remote.s3.presignGet('t/a.csv'));
    const reader = syncRangeReader(childGet, retry);
    await remote.control({ faults: [503] });
    expect(reader.open(url)).toMatchObject({ size: 19 });
    expect(text(reader.read(url, 8, 5))).toBe('1,ana');
    expect((await remote.control({})).slice(-3)).toEqual(['GET 503', 'GET pass', 'GET pass']);
  });
});
