import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { crawlerWithUrls, crawlFolder, s3Bucket } from './helpers';

// Issue 19: no catalog table could be read outside the session that crawled it; a job on an S3-crawled table
// failed even right after a re-crawl. One resolver reads every catalog table, in Transform and Jobs alike.

const objects: Record<string, string> = {
  'data/sales/year=2024/part-0.csv': 'id,state,amount\n1,TX,10\n2,CA,20\n',
  'data/sales/year=2025/part-0.csv': 'id,state,amount\n3,TX,30\n',
  'data/sales/year=2026/part-0.csv': 'id,state,amount\n4,NY,40\n5,TX,50\n',
};

const s3 = s3Bucket(objects);

async function openInTransform(page: Page, label: string): Promise<void> {
  await page.getByRole('link', { name: 'Transform' }).click();
  await page.getByTestId('transform-catalog-table').selectOption({ label });
}

test('an S3-crawled table previews in Transform after a reload, and a job runs on it (issue 19: "this tab reads dropped files ...")', async ({ page }) => {
  await crawlerWithUrls(page, 's3_sales', 's3db', [await s3().presignList('data/sales/'), ...(await Promise.all(Object.keys(objects).map((k) => s3().presignGet(k))))]);
  await expect(page.getByTestId('crawl-target')).toContainText('3 objects under s3://lake/data/sales');
  await page.getByLabel('Connection name').fill('sales_urls');
  await page.getByRole('button', { name: 'Save as connection' }).click();
  await expect(page.getByText('Saved connection sales_urls')).toBeVisible();
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });

  // A reload forgets everything the crawl saw: the table reads through the saved connection's GET URLs.
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openInTransform(page, 's3db.sales');
  await expect(page.getByTestId('transform-input')).toHaveValue('catalog_s3db_sales');
  await expect(page.getByTestId('output-meta')).toContainText('5 rows · 4 columns');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'id bigint', 'state string', 'amount bigint', 'year string']);

  await page.getByTestId('step-kind').selectOption('Filter');
  await page.getByTestId('add-step').click();
  await page.getByLabel('Condition 1 column').selectOption('state');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('TX');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('output-meta')).toContainText('3 rows');

  // Saved as a job, the input stays the catalog table: the run reads S3 through the same resolver.
  await page.getByTestId('save-as-job-name').fill('s3_sales_copy');
  await page.getByTestId('save-as-job').click();
  await expect(page).toHaveURL(/#\/jobs\/s3_sales_copy$/);
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED', { timeout: 30_000 });
  await expect(page.getByTestId('run-row').first()).toContainText('3');
  await page.screenshot({ path: 'test-results/issue19-s3-job.png', fullPage: true });
});

test('a Hive-partitioned folder previews in Transform, and a job joins it with another catalog table', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-resolve-')), 'lake');
  const flights = { '2023/11': 'A,TX,10\nB,CA,12\n', '2024/01': 'C,TX,7\n', '2024/02': 'D,NY,3\nE,TX,4\n' };
  for (const [ym, rows] of Object.entries(flights)) {
    const [y, m] = ym.split('/');
    mkdirSync(join(root, 'flights', `year=${y}`, `month=${m}`), { recursive: true });
    writeFileSync(join(root, 'flights', `year=${y}`, `month=${m}`, 'part-0.csv'), `route,state,n\n${rows}`);
  }
  mkdirSync(join(root, 'states'), { recursive: true });
  writeFileSync(join(root, 'states', 'states.csv'), 'state,state_name\nTX,Texas\nCA,California\nNY,New York\n');
  await crawlFolder(page, 'lake', root);

  await openInTransform(page, 'lake.flights');
  await expect(page.getByTestId('output-meta')).toContainText('5 rows · 5 columns');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'route string', 'state string', 'n bigint', 'year string', 'month string']);

  await page.getByTestId('step-kind').selectOption('Join');
  await page.getByTestId('add-step').click();
  await page.getByLabel('Right table').selectOption({ label: 'lake.states' });
  await page.getByLabel('Left key').selectOption('state');
  await expect(page.getByLabel('Right key')).toHaveValue('state');
  await expect(page.getByTestId('output-meta')).toContainText('5 rows');
  await expect(preview.getByRole('columnheader').last()).toHaveText('state_name string');

  await page.getByTestId('save-as-job-name').fill('flights_named');
  await page.getByTestId('save-as-job').click();
  await expect(page).toHaveURL(/#\/jobs\/flights_named$/);
  // Both sides are catalog sources of the job, not tables open in this tab.
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(4);
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED', { timeout: 30_000 });
  await expect(page.getByTestId('run-row').first()).toContainText('5');

  // After a reload the dropped folder is gone: Transform says why and links to the fix.
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openInTransform(page, 'lake.flights');
  await expect(page.getByRole('alert').filter({ hasText: 'lake.flights' })).toContainText('The data of lake.flights is gone: its files were dropped in an earlier session');
  const fix = page.getByTestId('open-fix');
  await expect(fix).toHaveText('Drop or pick the folder again (Crawlers)');
  await fix.click();
  await expect(page).toHaveURL(/#\/crawlers$/);
});

test('a table crawled from a kept folder reads again after a reload through its crawler\'s handle, and after one permission click when the browser asks again', async ({ page }) => {
  // The folder picker is the browser's dialog: here it hands back a real directory handle (in the origin's
  // private file system) holding a Hive tree, as a user's pick would.
  await page.addInitScript(() => {
    (globalThis as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => {
      const root = await navigator.storage.getDirectory();
      const lake = await root.getDirectoryHandle('picked-lake', { create: true });
      for (const [year, body] of [['2024', 'id,v\n1,a\n2,b\n'], ['2025', 'id,v\n3,c\n']] as const) {
        const sales = await lake.getDirectoryHandle('sales', { create: true });
        const dir = await sales.getDirectoryHandle(`year=${year}`, { create: true });
        const w = await (await dir.getFileHandle('part-0.csv', { create: true })).createWritable();
        await w.write(body);
        await w.close();
      }
      return lake;
    };
  });
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill('kept');
  await settings.getByLabel('Database').fill('kept');
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText('kept');
  await page.getByRole('button', { name: 'Choose a folder to keep…' }).click();
  await page.getByTestId('run-crawler').click();
  const report = page.getByTestId('crawl-report');
  await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await report.getByRole('link', { name: 'sales' }).click();
  await expect(page.getByText('folder://picked-lake/sales').first()).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openInTransform(page, 'kept.sales');
  await expect(page.getByTestId('output-meta')).toContainText('3 rows · 3 columns');
  await expect(page.getByRole('grid', { name: 'Preview' }).getByRole('columnheader')).toHaveText(['#', 'id bigint', 'v string', 'year string']);

  // After the next reload the browser wants the permission asked again, and the first prompt is dismissed:
  // the table says so and offers the one click that asks again.
  await page.addInitScript(() => {
    let asked = 0;
    const proto = FileSystemHandle.prototype as unknown as { queryPermission: () => Promise<string>; requestPermission: () => Promise<string> };
    let granted = false;
    proto.queryPermission = async () => (granted ? 'granted' : 'prompt');
    proto.requestPermission = async () => { granted = ++asked > 1; return granted ? 'granted' : 'denied'; };
  });
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openInTransform(page, 'kept.sales');
  await expect(page.getByRole('alert').filter({ hasText: 'kept.sales' })).toContainText('Epoxy needs your permission again to read the folder picked-lake (kept for crawler kept)');
  await page.screenshot({ path: 'test-results/issue19-grant-folder.png' });
  await page.getByTestId('open-fix').click();
  await expect(page.getByTestId('transform-input')).toHaveValue('catalog_kept_sales');
  await expect(page.getByTestId('output-meta')).toContainText('3 rows · 3 columns');
  await expect(page.getByRole('alert').filter({ hasText: 'kept.sales' })).toHaveCount(0);
});
