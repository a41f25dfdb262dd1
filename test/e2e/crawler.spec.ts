import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A small data lake on disk: partitioned CSV (one part gzipped), nested JSON, and one corrupt file. */
function makeLake(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-lake-')), 'lake');
  const put = (path: string, data: string | Buffer) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  };
  put('orders/year=2024/month=01/part-0.csv', 'order_id,region,amount,ordered_on\n1,eu,10.5,2024-01-02\n2,us,3.25,2024-01-05\n');
  put('orders/year=2024/month=02/part-0.csv', 'order_id,region,amount,ordered_on\n3,eu,7.75,2024-02-01\n');
  put('orders/year=2024/month=02/part-1.csv.gz', gzipSync('order_id,region,amount,ordered_on\n4,ap,1.5,2024-02-09\n'));
  put('events/e1.json', '{"id":1,"user":{"name":"ana","tags":["a"]}}\n{"id":2,"user":{"name":"<b>bo</b>","tags":[]}}\n');
  put('events/e2.json', '{"id":3,"user":{"name":"cy","tags":["b"]}}\n');
  put('broken/data.parquet', 'PAR1 not really parquet PAR1');
  return root;
}

test('crawl a dropped folder into the catalog: tables, partitions, a reported corrupt file, persisted runs', async ({ page }) => {
  const lake = makeLake();
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill('lake_crawler');
  await settings.getByLabel('Database').fill('Lake DB');
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(settings.getByText(/only lowercase letters/)).toBeVisible();
  await settings.getByLabel('Database').fill('lake');
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText('lake_crawler');

  await page.locator('input[webkitdirectory]').setInputFiles(lake);
  await expect(page.getByTestId('crawl-target')).toContainText('folder lake: 6 files');
  await page.getByTestId('run-crawler').click();

  const report = page.getByTestId('crawl-report');
  await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await expect(report).toContainText('2 tables created');
  await expect(report).toContainText('2 partitions');
  await expect(report).toContainText('5 files read');
  await expect(page.getByTestId('crawl-failures')).toContainText('broken/data.parquet');
  await expect(page.getByTestId('crawl-failures')).toContainText('schema could not be read');

  await report.getByRole('link', { name: 'orders' }).click();
  await expect(page).toHaveURL(/#\/catalog\/lake\/orders/);
  await expect(page.getByTestId('table-title')).toContainText('orders');
  const rows = page.getByTestId('schema-row');
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(2)).toContainText('amount');
  await expect(rows.nth(2)).toContainText('double');
  await expect(rows.nth(3)).toContainText('date');
  await expect(rows.nth(4)).toContainText('year');

  await page.goto('/#/catalog/lake/events');
  await expect(page.getByTestId('schema-row').nth(1)).toContainText('struct');
  // A value that looks like markup is never rendered as HTML anywhere.
  await expect(page.locator('b', { hasText: 'bo' })).toHaveCount(0);

  await page.goto('/#/crawlers');
  await page.reload();
  await expect(page.getByTestId('crawler-title')).toHaveText('lake_crawler');
  await expect(page.getByRole('table').getByRole('cell', { name: 'COMPLETED' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Tables: 2 created, 0 updated, 2 partitions, 5 files, 1 unreadable');
});

test('cancelling a crawl writes nothing, and a second crawl of the same data changes nothing', async ({ page }) => {
  const lake = makeLake();
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Database').fill('again');
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await page.locator('input[webkitdirectory]').setInputFiles(lake);
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('crawl-report')).toContainText('0 tables created');
  await expect(page.getByTestId('crawl-report')).toContainText('2 unchanged');
});
