import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Connection, Crawler, Job, Table } from '../../../src/catalog';
import { locationContext } from '../../../src/app/catalog/reachability';
import { checkLocation, reachabilityText, type ReachabilityProbe } from '../../../src/sources/reachability';
import { s3Connection, parsePastedUrls } from '../../../src/sources/s3-connection';

/** A probe over a real folder standing for the workspace (OPFS does not exist in Node), and dropped files by prefix. */
function folderProbe(root: string, dropped: Record<string, string[]> = {}, now = Date.parse('2026-11-25T12:00:00Z')): ReachabilityProbe {
  return {
    now,
    sessionFiles: (location) => Object.entries(dropped).find(([p]) => location === p || location.startsWith(p + '/'))?.[1] ?? null,
    async workspaceEntry(path) {
      try { return statSync(join(root, path)).isDirectory() ? 'folder' : 'file'; } catch { return 'missing'; }
    },
  };
}

const presigned = (key: string, date: string, expires: number) => `https://lake.s3.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${date}&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123&x-id=GetObject`;

describe('where a table\'s data is, checked without reading it (issue 16: gone data was not shown)', () => {
  it('a workspace folder that is gone names the job that writes it; one that is there is fine', async () => {
    const root = mkdtempSync(join(tmpdir(), 'epoxy-reach-'));
    mkdirSync(join(root, 'reports', 'daily'), { recursive: true });
    writeFileSync(join(root, 'reports', 'daily', 'part-0.parquet'), 'x');
    const probe = folderProbe(root);
    expect(await checkLocation('opfs://reports/daily', probe)).toEqual({ state: 'ok' });
    rmSync(join(root, 'reports'), { recursive: true });
    const gone = await checkLocation('opfs://reports/daily', probe, { writers: ['nightly'] });
    expect(gone).toEqual({ state: 'gone', reason: "its workspace folder opfs://reports/daily is gone (the browser's site data was cleared, or the folder was deleted)", fix: 'run the job nightly that writes it again' });
    expect(reachabilityText(gone, 'sales.daily')).toBe("The data of sales.daily is gone: its workspace folder opfs://reports/daily is gone (the browser's site data was cleared, or the folder was deleted). To fix it, run the job nightly that writes it again.");
    expect(await checkLocation('opfs://reports/daily', { ...probe, workspaceEntry: async () => 'unavailable' })).toMatchObject({ state: 'unreachable' });
  });

  it('files dropped in an earlier session: drop the folder again (naming the crawler); in this session they are fine', async () => {
    const probe = folderProbe(tmpdir(), { 'dropped://raw': ['day=1/a.csv'] });
    expect(await checkLocation('dropped://raw/day=1', probe)).toEqual({ state: 'ok' });
    expect(await checkLocation('dropped://sales', probe, { crawlers: ['sales-crawler'] })).toEqual({
      state: 'gone', reason: 'its files were dropped in an earlier session, and a dropped file cannot be reopened after a reload',
      fix: 'drop the folder again in the Crawlers view and run crawler sales-crawler on it',
    });
  });

  it('an expired presigned URL says so (signature redacted): refresh the connection\'s URLs', async () => {
    const probe = folderProbe(tmpdir());
    const url = presigned('in/orders.csv', '20261125T100000Z', 3600);
    const r = await checkLocation(url, probe, { connections: [{ name: 'lake', objects: [{ location: 's3://lake/in/orders.csv', expiresAt: Date.parse('2026-11-25T11:00:00Z') }] }] });
    expect(r).toEqual({
      state: 'unreachable', reason: 'its presigned URL https://lake.s3.amazonaws.com/in/orders.csv expired 1 h ago',
      fix: "refresh the connection's URLs: presign the object again and paste it into connection lake, then give the table the new URL",
    });
    expect(JSON.stringify(r)).not.toContain('abc123');
    expect(await checkLocation(presigned('in/orders.csv', '20261125T113000Z', 3600), probe)).toEqual({ state: 'ok' });
  });

  it('an s3:// table: expired connection URLs say refresh; no URLs at all say paste some; live connection URLs read it', async () => {
    const probe = folderProbe(tmpdir());
    const objects = (date: string) => [{ location: 's3://lake/orders/part-0.csv', expiresAt: Date.parse(date) }];
    expect(await checkLocation('s3://lake/orders', probe, { connections: [{ name: 'lake', objects: objects('2026-11-25T11:00:00Z') }] })).toMatchObject({ state: 'unreachable', fix: "refresh the connection's URLs: presign them again and paste them into connection lake (Connections view), then run its crawler" });
    expect(await checkLocation('s3://lake/orders', probe)).toMatchObject({ state: 'unreachable', reason: 'this tab reads S3 only through presigned URLs, and no saved connection holds URLs under s3://lake/orders' });
    // Issue 19: a job on an S3-crawled table failed even right after a re-crawl; live connection URLs read it.
    expect(await checkLocation('s3://lake/orders', probe, { crawlers: ['orders'], connections: [{ name: 'lake', objects: objects('2026-11-25T13:00:00Z') }] })).toEqual({ state: 'ok' });
    expect(await checkLocation('s3://lake/orders', folderProbe(tmpdir(), { 's3://lake': ['orders/part-0.csv'] }), { connections: [{ name: 'lake', objects: objects('2026-11-25T13:00:00Z') }] })).toEqual({ state: 'ok' });
    expect(await checkLocation('', probe)).toEqual({ state: 'unknown' });
  });

  it('the context names the jobs whose workspace target writes the table or its folder, the crawlers over it, and the connection objects', () => {
    const target = (id: string, path: string, database?: string, table?: string) => ({ id, kind: 'target' as const, inputs: [], target: { type: 'workspace' as const, path, ...(database ? { database, table } : {}) } });
    const def = (name: string, nodes: unknown[]) => ({ Name: name, Epoxy: { definition: { version: 1, name, nodes, parameters: [], bookmark: 'job-bookmark-disable' } } }) as unknown as Job;
    const jobs = [def('nightly', [target('out', 'reports/daily', 'sales', 'daily')]), def('by-path', [target('out', '/reports/daily/')]), def('other', [target('out', 'reports/weekly')]), { Name: 'imported' } as Job];
    const crawlers = [{ Name: 'raw', Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://raw' }] } }, { Name: 'x', Targets: {} }] as unknown as Crawler[];
    const { urls } = parsePastedUrls(presigned('in/orders.csv', '20261125T100000Z', 3600));
    const connections = [{ ...s3Connection('lake', urls), CreationTime: '' } as unknown as Connection];
    const table = (location: string) => ({ Name: 'daily', StorageDescriptor: { Location: location, Columns: [] } }) as unknown as Table;
    expect(locationContext('sales', table('opfs://reports/daily'), { jobs, crawlers, connections })).toEqual({
      writers: ['nightly', 'by-path'], crawlers: [],
      connections: [{ name: 'lake', objects: [{ location: 's3://lake/in/orders.csv', expiresAt: Date.parse('2026-11-25T11:00:00Z') }] }],
    });
    expect(locationContext('raw_db', table('dropped://raw/day=1'), { jobs, crawlers, connections: [] })).toEqual({ writers: [], crawlers: ['raw'], connections: [] });
  });
});
