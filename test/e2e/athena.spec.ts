import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlerWithUrls, crawlFolder, openApp, s3Bucket } from './helpers';

// Issue 19: after crawling, `SELECT * FROM db.table` said "Table with name … does not exist!" — no catalog
// table could be queried in the Workspace. Now the SQL box is Athena in the tab, with partition pruning.
const objects: Record<string, string> = {
  'sales/orders/year=2024/part-0.csv': 'order_id,region,amount\n1,eu,10.5\n2,us,3.25\n',
  'sales/orders/year=2025/part-0.csv': 'order_id,region,amount\n3,eu,7.75\n',
};
const s3 = s3Bucket(objects);

async function runSql(page: Page, sql: string): Promise<void> {
  await page.goto('/#/workspace');
  await page.getByLabel('SQL query').fill(sql);
  await page.getByRole('button', { name: 'Run query' }).click();
}

test('query a crawled Hive folder as db.table with partition pruning; SHOW TABLES and DESCRIBE answer from the catalog', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-athena-')), 'trips');
  for (const [year, rows] of [['2023', ['1,ams,12.5', '2,ber,7']], ['2024', ['3,ams,3.25']], ['2025', ['4,rom,9', '5,ams,1']]] as const) {
    mkdirSync(join(root, `year=${year}`), { recursive: true });
    writeFileSync(join(root, `year=${year}`, 'part-0.csv'), ['trip_id,city,km', ...rows].join('\n') + '\n');
  }
  await openApp(page);
  await crawlFolder(page, 'hive_db', root, 'trips_crawler');

  await runSql(page, "SELECT city, km FROM hive_db.trips WHERE year = '2024'");
  await expect(page.getByTestId('result-meta')).toContainText('1 rows');
  await expect(page.getByTestId('result-grid')).toContainText('ams');
  const stat = page.getByTestId('query-stats').locator('li');
  await expect(stat).toHaveAttribute('data-table', 'hive_db.trips');
  await expect(stat).toHaveAttribute('data-files-read', '1');
  await expect(stat).toHaveAttribute('data-files-total', '3');
  await expect(stat).toContainText("hive_db.trips: 1 of 3 files");
  await expect(stat).toContainText("(partitions: year = '2024')");
  await page.screenshot({ path: 'test-results/athena-pruned.png' });

  // The whole table: every file, and the typed partition column.
  await runSql(page, 'SELECT count(*) AS n, max(year) AS last FROM hive_db.trips');
  await expect(page.getByTestId('result-grid')).toContainText('5');
  await expect(stat).toHaveAttribute('data-files-read', '3');

  // Unqualified names read the chosen default database (the only one is chosen for a new user).
  await expect(page.getByTestId('default-database')).toHaveValue('hive_db');
  await runSql(page, "SELECT count(*) AS n FROM trips WHERE year BETWEEN '2024' AND '2025'");
  await expect(page.getByTestId('result-grid')).toContainText('3');
  await expect(stat).toHaveAttribute('data-files-read', '2');

  await runSql(page, 'SHOW TABLES IN hive_db');
  await expect(page.getByTestId('result-grid')).toContainText('trips');
  await expect(page.getByTestId('result-grid')).not.toContainText('__epoxy');
  // A catalog listing is not kept in the engine: Chart says so instead of opening nothing (issue 19 newcomer).
  await expect(page.getByTestId('chart-button')).toBeDisabled();
  await expect(page.getByTestId('chart-button')).toHaveAttribute('title', /nothing to chart/);
  await runSql(page, 'SHOW DATABASES');
  await expect(page.getByTestId('result-grid')).toContainText('hive_db');
  await runSql(page, 'DESCRIBE hive_db.trips');
  await expect(page.getByTestId('result-grid')).toContainText('# Partition Information');
  await runSql(page, 'SELECT * FROM hive_db.trip');
  await expect(page.getByTestId('query-error')).toHaveText('Database hive_db has no table trip (its tables: trips)');

  // After a reload the dropped folder is gone: the query says why and offers the fix, not a listing error.
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await runSql(page, 'SELECT count(*) FROM hive_db.trips');
  const notice = page.getByTestId('unreachable');
  await expect(notice).toContainText("hive_db.trips can't be read from this tab: its files were dropped in an earlier session");
  await expect(notice).toContainText('trips_crawler');
  await expect(page.getByTestId('unreachable-fix')).toHaveAttribute('data-action', 'link');
  await expect(page.getByTestId('unreachable-fix')).toHaveText('Drop or pick the folder again (Crawlers)');
  await page.screenshot({ path: 'test-results/athena-unreachable.png' });
  await page.getByTestId('unreachable-fix').click();
  await expect(page).toHaveURL(/#\/crawlers/);
});

test('query an S3 bucket crawled through presigned URLs as db.table, reading only the partition the WHERE allows', async ({ page }) => {
  await openApp(page);
  await crawlerWithUrls(page, 's3_sales', 's3db', [await s3().presignList('sales/'), ...await Promise.all(Object.keys(objects).map((k) => s3().presignGet(k)))]);
  await expect(page.getByTestId('url-object')).toHaveCount(2);
  await page.getByLabel('Connection name').fill('sales_urls');
  await page.getByRole('button', { name: 'Save as connection' }).click();
  await expect(page.getByText('Saved connection sales_urls')).toBeVisible();
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });

  await runSql(page, "SELECT sum(amount) AS total FROM s3db.orders WHERE year = '2025'");
  await expect(page.getByTestId('result-grid')).toContainText('7.75');
  const stat = page.getByTestId('query-stats').locator('li');
  await expect(stat).toHaveAttribute('data-table', 's3db.orders');
  await expect(stat).toHaveAttribute('data-files-read', '1');
  await expect(stat).toHaveAttribute('data-files-total', '2');
  await page.screenshot({ path: 'test-results/athena-s3.png' });

  // After a reload the saved connection's URLs still read the table (issue 19: "even right after a re-crawl" it failed).
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await runSql(page, 'SELECT count(*) AS n FROM s3db.orders');
  await expect(page.getByTestId('result-grid')).toContainText('3');
  await expect(stat).toHaveAttribute('data-files-read', '2');
});
