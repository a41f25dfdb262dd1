import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropFiles } from './helpers';
import { StaticServer } from './static-server';

const DIST = join(import.meta.dirname, '..', '..', 'dist');

/** Wait until the service worker finished installing (precache complete) and controls the page. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
}

async function waitForEngine(page: Page): Promise<void> {
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
}

async function runQuery(page: Page, sql: string): Promise<void> {
  await page.getByRole('textbox', { name: 'SQL query' }).fill(sql);
  await page.getByRole('button', { name: 'Run query' }).click();
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the web app manifest is linked, complete, and its icons exist at their stated sizes', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await request.get(href!);
  expect(res.ok()).toBe(true);
  const manifest = await res.json();
  expect(manifest).toMatchObject({
    name: expect.stringContaining('Epoxy'), short_name: 'Epoxy', description: expect.any(String),
    display: 'standalone', start_url: './', scope: './', theme_color: '#6d4aff', background_color: expect.stringMatching(/^#/),
  });
  const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
  const pngs = icons.filter((i) => i.type === 'image/png');
  expect(pngs.filter((i) => i.purpose === 'any').map((i) => i.sizes).sort()).toEqual(['192x192', '512x512']);
  expect(pngs.some((i) => i.purpose === 'maskable' && i.sizes === '512x512')).toBe(true);
  const manifestUrl = new URL(href!, page.url());
  for (const icon of icons) {
    const iconRes = await request.get(new URL(icon.src, manifestUrl).href);
    expect(iconRes.ok(), icon.src).toBe(true);
    expect(iconRes.headers()['content-type'], icon.src).toContain(icon.type);
    if (icon.type === 'image/png') expect(pngSize(await iconRes.body()), icon.src).toBe(icon.sizes);
  }
});

test('Chromium parses the manifest without errors and finds nothing blocking install', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const cdp = await context.newCDPSession(page);
  const { errors } = await cdp.send('Page.getAppManifest');
  expect(errors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito-like, and Chromium never installs apps from incognito windows.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
});

test('after one visit the app starts, opens files, queries, loads the sample, crawls and runs a job with no network at all', async ({ page, context }) => {
  const server = new StaticServer(DIST);
  const origin = await server.start();
  try {
    await page.goto(origin);
    await waitForEngine(page);
    await waitForServiceWorker(page);
    await expect(page.getByTestId('update-banner')).toHaveAttribute('data-phase', 'offline-ready');

    // Both an emulated and a real loss of network: the server is gone, so anything not cached fails.
    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await waitForEngine(page);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    await dropFiles(page, [{ name: 'trips.csv', content: 'city,km\nOslo,12\nLima,30\nOslo,8\n' }]);
    await expect(page.getByTestId('table-title')).toHaveText('trips');
    await runQuery(page, 'SELECT city, sum(km) AS km FROM trips GROUP BY city ORDER BY city');
    const result = page.getByRole('grid', { name: 'Query result' });
    await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Lima', '30']);
    await expect(result.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['Oslo', '20']);

    await page.getByTestId('load-sample').click();
    await expect(page.getByTestId('table-title')).toHaveText('sales');
    await expect(page.getByTestId('table-meta')).toContainText('4,000 rows');

    // Crawl a folder (crawler workers come from the cache too) and run a job over the crawled table, offline.
    const lake = join(mkdtempSync(join(tmpdir(), 'epoxy-offline-')), 'lake');
    mkdirSync(join(lake, 'year=2024'), { recursive: true });
    writeFileSync(join(lake, 'year=2024', 'a.csv'), 'id,km\n1,12\n2,30\n3,8\n');
    await page.getByRole('link', { name: 'Crawlers' }).click();
    const settings = page.getByRole('form', { name: 'Crawler settings' });
    await settings.getByLabel('Database').fill('offline');
    await settings.getByRole('button', { name: 'Save crawler' }).click();
    await page.locator('input[webkitdirectory]').setInputFiles(lake);
    await page.getByTestId('run-crawler').click();
    await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
    await expect(page.getByTestId('crawl-report')).toContainText('1 tables created');

    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByTestId('new-job-name').fill('offline_job');
    await page.getByTestId('new-job').click();
    await page.getByTestId('source-choice').selectOption('catalog:offline.lake');
    await page.getByTestId('add-source').click();
    await expect(page.getByTestId('preview-meta')).toHaveText('3 rows · 3 columns');
    await page.getByTestId('add-target').click();
    await page.getByTestId('run-job').click();
    await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  } finally {
    await server.stop();
  }
});

test('a new deployment shows a reload prompt, keeps the work until the user accepts, then serves the new version', async ({ page }) => {
  const server = new StaticServer(DIST);
  const origin = await server.start();
  try {
    await page.goto(origin);
    await waitForEngine(page);
    await waitForServiceWorker(page);
    await page.getByTestId('update-banner').getByRole('button', { name: 'OK' }).click();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    await dropFiles(page, [{ name: 'work.csv', content: 'a,b\n1,2\n3,4\n' }]);
    await expect(page.getByTestId('table-title')).toHaveText('work');
    await page.evaluate(() => { (window as unknown as { epoxyMark: string }).epoxyMark = 'same page'; });

    // Deploy a new version: a changed page, and a service worker whose precache lists its new revision.
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    const revision = /\{"revision":"([0-9a-f]+)","url":"index\.html"\}/.exec(sw)?.[1];
    expect(revision).toBeTruthy();
    server.override('/index.html', html.replace('<title>', '<meta name="epoxy-build" content="next" />\n    <title>'));
    server.override('/sw.js', sw.replace(`"revision":"${revision}","url":"index.html"`, '"revision":"next-build","url":"index.html"'));

    // What the app's periodic check does (and what browsers do on navigation).
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update(); });
    const banner = page.getByTestId('update-banner');
    await expect(banner).toHaveAttribute('data-phase', 'update-ready');
    await expect(banner).toContainText('A new version of Epoxy is ready');
    // Not reloaded: same page, work still open, still the old version.
    expect(await page.evaluate(() => (window as unknown as { epoxyMark?: string }).epoxyMark)).toBe('same page');
    await expect(page.getByTestId('table-title')).toHaveText('work');
    await expect(page.locator('meta[name="epoxy-build"]')).toHaveCount(0);

    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await waitForEngine(page);
    await expect(page.locator('meta[name="epoxy-build"]')).toHaveAttribute('content', 'next');
    expect(await page.evaluate(() => (window as unknown as { epoxyMark?: string }).epoxyMark)).toBeUndefined();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});

test('the storage indicator reports what the browser granted and measured', async ({ page }) => {
  await page.goto('/');
  const indicator = page.getByTestId('storage-indicator');
  await expect(indicator).not.toHaveAttribute('data-persistence', 'checking');
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  await expect(indicator).toHaveAttribute('data-persistence', persisted ? 'persistent' : 'best-effort');
  await indicator.locator('summary').click();
  await expect(page.getByTestId('storage-usage')).toContainText(/Using [\d.]+ (B|KB|MB|GB) of [\d.]+ (KB|MB|GB|TB) \((<1|\d+)%\)/);
  await expect(page.getByTestId('storage-persistence')).toContainText(persisted ? 'granted' : 'denied');
});
