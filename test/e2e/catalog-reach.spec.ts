import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlFolder, dropFiles, openApp, setWorkspaceTarget } from './helpers';

const ORDERS = 'id,region,amount\n1,eu,10.5\n2,us,3.25\n3,eu,7\n';

/** Open orders_clean in the Catalog through the nav and check it carries no reachability mark. */
async function expectReachable(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByTestId('nav-table').filter({ hasText: 'orders_clean' }).click();
  await expect(page.getByTestId('table-title')).toContainText('orders_clean');
  await expect(page.getByTestId('table-unreachable')).toHaveCount(0);
  await expect(page.getByTestId('table-reach')).toHaveCount(0);
}

test('the Catalog marks a table whose workspace folder is gone (OPFS cleared) with the job that writes it, and clears the mark once the job ran again (issue 16: gone data was not shown)', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('3 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('orders_job');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await page.getByTestId('add-target').click();
  await setWorkspaceTarget(page, { path: 'lake/orders_clean', database: 'lake', table: 'orders_clean' });
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');

  await expectReachable(page);

  // The site's storage for the workspace is cleared (as "Clear site data" or the browser under disk pressure does).
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    for await (const [name] of (root as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) await root.removeEntry(name, { recursive: true });
  });
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByTestId('nav-table').filter({ hasText: 'orders_clean' }).click();
  const mark = page.getByTestId('table-unreachable');
  await expect(mark).toHaveAttribute('data-state', 'gone');
  await expect(mark).toContainText('Its data is gone: its workspace folder opfs://lake/orders_clean');
  await expect(mark).toContainText('Fix: run the job orders_job that writes it again.');
  await expect(page.getByTestId('table-reach')).toHaveText('data gone');
  await page.screenshot({ path: 'test-results/catalog-data-gone.png' });

  // Running the job again brings the data back; the mark goes.
  await page.goto('/#/jobs/orders_job');
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expectReachable(page);
});

test('a table crawled from a dropped folder is marked after a reload (drop the folder again, naming its crawler); an expired presigned URL says refresh the URLs', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-reach-')), 'raw');
  mkdirSync(join(root, 'day=1'), { recursive: true });
  writeFileSync(join(root, 'day=1', 'a.csv'), 'id,v\n1,2\n2,3\n');
  await openApp(page);
  await crawlFolder(page, 'raw_db', root, 'raw_crawler');
  await page.goto('/#/catalog/raw_db/raw');
  await expect(page.getByTestId('table-title')).toContainText('raw');
  await expect(page.getByTestId('table-unreachable')).toHaveCount(0);

  await page.reload();
  const mark = page.getByTestId('table-unreachable');
  await expect(mark).toHaveAttribute('data-state', 'gone');
  await expect(mark).toContainText('its files were dropped in an earlier session, and a dropped file cannot be reopened after a reload');
  await expect(mark).toContainText('Fix: drop the folder again in the Crawlers view and run crawler raw_crawler on it.');

  // A table pointing at a presigned URL that expired an hour ago (the signature never shows).
  const date = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const url = `https://lake.s3.amazonaws.com/in/orders.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef`;
  await page.goto('/#/catalog/raw_db');
  await page.getByRole('button', { name: 'Create table' }).click();
  await page.getByTestId('table-name').fill('orders_url');
  await page.getByTestId('table-location').fill(url);
  await page.getByTestId('table-columns').fill('id bigint\nregion string');
  await page.getByRole('form', { name: 'Create table' }).getByRole('button', { name: 'Create table' }).click();
  await expect(page.getByTestId('table-title')).toContainText('orders_url');
  await expect(mark).toHaveAttribute('data-state', 'unreachable');
  await expect(mark).toContainText('Its data is not reachable from this tab: its presigned URL https://lake.s3.amazonaws.com/in/orders.csv expired 1 h ago');
  await expect(mark).toContainText("Fix: refresh the connection's URLs");
  await expect(mark).not.toContainText('deadbeef');
  await expect(page.getByTestId('table-reach')).toHaveText(['unreachable here', 'data gone']) // orders_url, raw;
  await page.screenshot({ path: 'test-results/catalog-unreachable.png' });
});
