import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFigures } from '../support/figures';
import { openApp, setWorkspaceTarget } from './helpers';

// Issue 16 #2-#4: a workspace target is published as a new version folder that the catalog switches to in
// one transaction with the run record and the bookmark. These tests kill the tab (close, renderer crash)
// while a Hive-partitioned target is written, and after the commit while the old version is removed.

const REGIONS = 200;

/** Orders as CSV: `n` rows from id `from`, over REGIONS regions. */
function orders(from: number, n: number): string {
  let text = 'id,region,amount\n';
  for (let i = from; i < from + n; i++) text += `${i},r${String(i % REGIONS).padStart(3, '0')},${i % 97}\n`;
  return text;
}

async function writeOpfs(page: Page, path: string, text: string): Promise<void> {
  await page.evaluate(async ({ path, text }) => {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split('/');
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
    const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await w.write(text);
    await w.close();
  }, { path, text });
}

/** The entries of an OPFS folder (none when it is missing). */
const opfsEntries = (page: Page, path: string) => page.evaluate(async (path) => {
  let dir = await navigator.storage.getDirectory();
  try { for (const p of path.split('/')) dir = await dir.getDirectoryHandle(p); } catch { return []; }
  const names: string[] = [];
  for await (const [name] of (dir as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) names.push(name);
  return names.sort();
}, path);

/** Every file under an OPFS folder with its bytes (base64), to read back with native DuckDB. */
const opfsFiles = (page: Page, path: string) => page.evaluate(async (path) => {
  let dir = await navigator.storage.getDirectory();
  for (const p of path.split('/')) dir = await dir.getDirectoryHandle(p);
  const out: { path: string; data: string }[] = [];
  const walk = async (d: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
    for await (const [name, h] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, rel);
      else {
        const bytes = new Uint8Array(await (await (h as FileSystemFileHandle).getFile()).arrayBuffer());
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        out.push({ path: rel, data: btoa(bin) });
      }
    }
  };
  await walk(dir, '');
  return out;
}, path);

/** A record of the catalog's IndexedDB, read directly (not through the app). */
async function stored<T>(page: Page, store: string, key: string | string[]): Promise<T | undefined> {
  const value: unknown = await page.evaluate(({ store, key }) => new Promise<unknown>((resolve, reject) => {
    const open = indexedDB.open('epoxy-catalog');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(store).objectStore(store).get(key);
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }), { store, key });
  return value as T | undefined;
}

interface TableRecord { StorageDescriptor?: { Location?: string }; Parameters?: Record<string, string> }
interface JobRecord { Epoxy?: { bookmark?: { runId: string; sources: Record<string, { files: Record<string, unknown> }> } } }

/** What the catalog's table names, and what its files hold (read with native DuckDB). */
async function catalogOutput(page: Page): Promise<{ location: string; recordCount: number; rows: number; minId: number; maxId: number }> {
  const table = await stored<TableRecord>(page, 'tables', ['lake', 'orders']);
  const location = table?.StorageDescriptor?.Location ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-e2e-publish-'));
  for (const f of await opfsFiles(page, location.replace(/^opfs:\/\//, ''))) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), Buffer.from(f.data, 'base64'));
  }
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const r = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, min(id)::INTEGER AS lo, max(id)::INTEGER AS hi FROM read_parquet('${dir}/**/*.parquet', hive_partitioning=true)`)).getRowObjectsJson()[0]!;
  return { location, recordCount: Number(table?.Parameters?.['recordCount']), rows: Number(r['n']), minId: Number(r['lo']), maxId: Number(r['hi']) };
}

/** A job reading opfs://in/orders, writing Parquet partitioned by region to lake/orders, registered as lake.orders. */
async function createJob(page: Page, name: string, bookmark: boolean): Promise<void> {
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill(name);
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('job-name')).toHaveText(name);
  if (bookmark) await page.getByTestId('bookmark-option').selectOption('job-bookmark-enable');
  await page.getByTestId('source-location').fill('opfs://in/orders');
  await page.getByTestId('add-location-source').click();
  await expect(page.getByTestId('preview-meta')).toContainText('3 columns');
  await page.getByTestId('add-target').click();
  await page.getByTestId('dag').locator('[data-node-id="download_1"]').click();
  await setWorkspaceTarget(page, { path: 'lake/orders', database: 'lake', table: 'orders', partitions: 'region' });
  await expect(page.getByTestId('target-mode')).toContainText(bookmark ? 'Default: append' : 'Default: overwrite');
  await page.getByTestId('save-job').click();
  await expect(page.getByTestId('job-unsaved')).toHaveCount(0);
}

/** Run the open job (which has `before` runs in its history) and wait until it SUCCEEDED. */
async function runAndWait(page: Page, before: number): Promise<void> {
  await expect(page.getByTestId('run-row')).toHaveCount(before);
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-row')).toHaveCount(before + 1, { timeout: 60_000 });
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED', { timeout: 90_000 });
}

/** Slow the tab's OPFS writes (each file's close waits), so a kill lands while the new version is written. */
const slowWrites = (page: Page, ms: number) => page.evaluate((ms) => {
  const proto = FileSystemWritableFileStream.prototype;
  const close = proto.close;
  proto.close = async function (this: FileSystemWritableFileStream) { await new Promise((r) => setTimeout(r, ms)); return close.call(this); };
}, ms);

/** Slow the removal of folders, so a kill lands after the commit while the replaced version is removed. */
const slowRemovals = (page: Page, ms: number) => page.evaluate((ms) => {
  const proto = FileSystemDirectoryHandle.prototype;
  const remove = proto.removeEntry;
  proto.removeEntry = async function (this: FileSystemDirectoryHandle, name: string, o?: FileSystemRemoveOptions) { await new Promise((r) => setTimeout(r, ms)); return remove.call(this, name, o); };
}, ms);

/** Wait (in the page) until `_epoxy_v2` holds `min` data files and no commit marker; returns how many it holds. */
const midWrite = (page: Page, min: number) => page.evaluate(async (min) => {
  const root = await navigator.storage.getDirectory();
  const count = async () => {
    let n = 0;
    let marker = false;
    try {
      const v = await (await (await root.getDirectoryHandle('lake')).getDirectoryHandle('orders')).getDirectoryHandle('_epoxy_v2');
      const walk = async (d: FileSystemDirectoryHandle): Promise<void> => {
        for await (const [name, h] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
          if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle);
          else if (name === '_SUCCESS') marker = true;
          else n++;
        }
      };
      await walk(v);
    } catch { /* not there yet */ }
    return { n, marker };
  };
  const until = Date.now() + 80_000;
  for (;;) {
    const c = await count();
    if (c.marker) throw new Error('the new version was complete before the kill');
    if (c.n >= min) return c.n;
    if (Date.now() > until) throw new Error('the run never started writing its new version');
    await new Promise((r) => setTimeout(r, 5));
  }
}, min);

/** Wait (in the page) until the catalog names `_epoxy_v2` while `_epoxy_v1` is still there. */
const afterCommit = (page: Page) => page.evaluate(async () => {
  const location = () => new Promise<string>((resolve, reject) => {
    const open = indexedDB.open('epoxy-catalog');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('tables').objectStore('tables').get(['lake', 'orders']);
      req.onsuccess = () => { db.close(); resolve((req.result as { StorageDescriptor?: { Location?: string } } | undefined)?.StorageDescriptor?.Location ?? ''); };
      req.onerror = () => reject(req.error);
    };
  });
  const until = Date.now() + 80_000;
  while (!(await location()).endsWith('/_epoxy_v2')) {
    if (Date.now() > until) throw new Error('the run never committed');
    await new Promise((r) => setTimeout(r, 5));
  }
  const orders = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('lake')).getDirectoryHandle('orders');
  await orders.getDirectoryHandle('_epoxy_v1');
});

async function kill(page: Page, ending: 'closed' | 'crashed'): Promise<void> {
  if (ending === 'closed') await page.close();
  else {
    // The renderer dies as in a real crash (no unload handlers); the browser frees its locks.
    const crashed = page.waitForEvent('crash');
    await page.goto('chrome://crash').catch(() => undefined);
    await crashed;
    await page.close().catch(() => undefined);
  }
}

for (const ending of ['closed', 'crashed'] as const) {
  for (const phase of ['mid-write', 'after-commit'] as const) {
    test(`a tab ${ending} ${phase === 'mid-write' ? 'while a partitioned workspace target is written' : 'after the commit, while the replaced version is removed'}: the catalog names a complete output, and the start cleans the rest (issue 16 #2)`, async ({ page, context }) => {
      test.setTimeout(240_000);
      await openApp(page);
      await writeOpfs(page, 'in/orders/day1.csv', orders(0, 20_000));
      await createJob(page, 'lake_load', false);
      await runAndWait(page, 0);
      const old = await catalogOutput(page);
      expect(old).toMatchObject({ recordCount: 20_000, rows: 20_000, minId: 0 });
      expect(old.location).toBe('opfs://lake/orders/_epoxy_v1');

      await writeOpfs(page, 'in/orders/day1.csv', orders(100_000, 20_000));
      if (phase === 'mid-write') await slowWrites(page, 15);
      else await slowRemovals(page, 5_000);
      await page.getByTestId('run-job').click();
      const writtenAtKill = phase === 'mid-write' ? await midWrite(page, 25) : (await afterCommit(page), REGIONS);
      await kill(page, ending);

      const again = await context.newPage();
      await openApp(again);
      const keep = phase === 'mid-write' ? '_epoxy_v1' : '_epoxy_v2';
      // The start removes the half-written version (or the replaced one the kill kept): one version stays.
      await expect.poll(() => opfsEntries(again, 'lake/orders'), { timeout: 30_000 }).toEqual([keep]);
      const now = await catalogOutput(again);
      expect(now.location).toBe(`opfs://lake/orders/${keep}`);
      expect(now.rows).toBe(now.recordCount);
      expect(now.rows).toBe(20_000);
      expect(now.minId).toBe(phase === 'mid-write' ? 0 : 100_000);

      // The job runs again at once (the dead tab's run is not taken for a live one) and replaces the output.
      await again.goto('/#/jobs/lake_load');
      await expect(again.getByTestId('job-name')).toHaveText('lake_load');
      // Two runs so far: the first, and the killed one.
      await runAndWait(again, 2);
      // Killed before its commit the run is FAILED (its tab is gone); killed after it, it was SUCCEEDED in that commit.
      await expect(again.locator('[data-testid="run-row"][data-state="FAILED"]')).toHaveCount(phase === 'mid-write' ? 1 : 0);
      await expect(again.locator('[data-testid="run-row"][data-state="SUCCEEDED"]')).toHaveCount(phase === 'mid-write' ? 2 : 3);
      const rerun = await catalogOutput(again);
      expect(rerun).toMatchObject({ rows: 20_000, recordCount: 20_000, minId: 100_000 });
      expect(await opfsEntries(again, 'lake/orders')).toHaveLength(1);
      writeFigures(`i16-e2e-${ending}-${phase}`, {
        ending, phase, partitions: REGIONS, filesOfNewVersionAtKill: writtenAtKill,
        rowsBefore: old.rows, catalogAfterReopen: now.location.replace('opfs://', ''), rowsAfterReopen: now.rows, recordCountAfterReopen: now.recordCount,
        outputAfterReopen: phase === 'mid-write' ? 'old' : 'new', foldersAfterCleanup: [keep], rowsAfterRerun: rerun.rows,
      });
    });
  }
}

test('a bookmarked run killed mid-write leaves the bookmark unmoved and the old rows; the next run appends the new file once (issue 16 #3, #4)', async ({ page, context }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await writeOpfs(page, 'in/orders/day1.csv', orders(0, 20_000));
  await createJob(page, 'lake_append', true);
  await runAndWait(page, 0);
  const first = await stored<JobRecord>(page, 'jobs', 'lake_append');
  const firstRun = first?.Epoxy?.bookmark?.runId ?? '';
  expect(firstRun).toMatch(/^jr_/);

  await writeOpfs(page, 'in/orders/day2.csv', orders(100_000, 20_000));
  await slowWrites(page, 15);
  await page.getByTestId('run-job').click();
  // Append carries run 1's files into the new version first, then writes run 2's: kill once some of those are there.
  const writtenAtKill = await midWrite(page, REGIONS + 25);
  await kill(page, 'crashed');

  const again = await context.newPage();
  await openApp(again);
  await expect.poll(() => opfsEntries(again, 'lake/orders'), { timeout: 30_000 }).toEqual(['_epoxy_v1']);
  const job = await stored<JobRecord>(again, 'jobs', 'lake_append');
  expect(job?.Epoxy?.bookmark?.runId).toBe(firstRun);
  expect(Object.keys(Object.values(job?.Epoxy?.bookmark?.sources ?? {})[0]?.files ?? {})).toEqual(['day1.csv']);
  const afterKill = await catalogOutput(again);
  expect(afterKill).toMatchObject({ rows: 20_000, recordCount: 20_000, location: 'opfs://lake/orders/_epoxy_v1' });

  await again.goto('/#/jobs/lake_append');
  await expect(again.getByTestId('job-name')).toHaveText('lake_append');
  await runAndWait(again, 2);
  const appended = await catalogOutput(again);
  expect(appended).toMatchObject({ rows: 40_000, recordCount: 40_000, minId: 0, maxId: 119_999 });
  const moved = await stored<JobRecord>(again, 'jobs', 'lake_append');
  expect(moved?.Epoxy?.bookmark?.runId).not.toBe(firstRun);
  expect(Object.keys(Object.values(moved?.Epoxy?.bookmark?.sources ?? {})[0]?.files ?? {}).sort()).toEqual(['day1.csv', 'day2.csv']);
  writeFigures('i16-e2e-bookmarked-run-crashed', {
    rowsBefore: 20_000, filesOfNewVersionAtKill: writtenAtKill, bookmarkUnmoved: true, rowsAfterReopen: afterKill.rows, rowsAfterNextRun: appended.rows,
  });
});
