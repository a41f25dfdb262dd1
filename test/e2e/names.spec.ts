/**
 * Issue 17: a spreadsheet export's headers ("Order ID", "Unit Price ($)") made the crawler refuse the file.
 * A newcomer's path: crawl it, see the names flagged, query it, run a job partitioned by such a column,
 * export DDL and scripts, then normalise the names in one click and run again.
 */
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlFolder, dropFiles, openApp, setWorkspaceTarget } from './helpers';

const EXPORT = 'Order ID,Order Date,Order Region,Unit Price ($),Qty,name.common\n'
  + '1001,2024-03-01,North East,10.50,2,Widget\n1002,2024-03-01,South,3.25,1,Gadget\n1003,2024-03-02,North East,7.00,5,Widget\n1004,2024-03-02,West,1.10,12,Sprocket\n';

test('spreadsheet headers: crawled as Glue names them, queried, partitioned by, exported, then made Athena-safe', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-names-')), 'sheets');
  mkdirSync(join(root, 'orders'), { recursive: true });
  writeFileSync(join(root, 'orders', 'Orders Export.csv'), EXPORT);
  await openApp(page);
  await crawlFolder(page, 'sheets', root, 'sheets_crawler');
  await expect(page.getByTestId('crawl-failures')).toHaveCount(0);

  // The catalog keeps the headers, lowercased; the ones Athena needs quoted are flagged.
  await page.goto('/#/catalog/sheets/orders');
  await expect(page.getByTestId('schema-row')).toHaveText([/order id.*bigint/, /order date.*date/, /order region.*string/, /unit price \(\$\).*double/, /qty.*bigint/, /name\.common.*string/]);
  await expect(page.getByTestId('needs-quotes')).toHaveCount(5);
  await expect(page.getByTestId('unsafe-names')).toContainText('5 names need quotes in Athena');
  await page.screenshot({ path: 'test-results/names-catalog.png' });
  await page.goto('/#/catalog/sheets/orders/export');
  await expect(page.getByTestId('ddl-preview')).toContainText('`unit price ($)` double');
  await expect(page.getByTestId('ddl-preview')).toContainText('`name.common` string');

  // The SQL box reads the same file with the names quoted.
  // (A click, not page.goto('/'): a navigation would reload the tab and forget the dropped folder.)
  await page.getByRole('link', { name: 'Workspace' }).click();
  await dropFiles(page, [{ name: 'Orders Export.csv', content: EXPORT }]);
  await expect(page.getByTestId('table-meta')).toContainText('4 rows');
  await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT "Order Region" AS region, sum("Unit Price ($)" * "Qty") AS revenue FROM orders_export GROUP BY ALL ORDER BY revenue DESC');
  await page.getByRole('button', { name: 'Run query' }).click();
  const grid = page.getByRole('grid').last();
  await expect(grid).toContainText('North East');
  await expect(grid).toContainText('56');
  await expect(page.getByTestId('query-error')).toHaveCount(0);

  // A job from the catalog table, partitioned by "order region", into the workspace and the catalog.
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('orders_by_region');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('catalog:sheets.orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('4 rows · 6 columns');
  await page.getByTestId('add-target').click();
  await setWorkspaceTarget(page, { path: 'lake/by_region', database: 'sheets', table: 'by_region', partitions: 'order region' });
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  const folders = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const version = await (await (await root.getDirectoryHandle('lake')).getDirectoryHandle('by_region')).getDirectoryHandle('_epoxy_v1');
    const names: string[] = [];
    for await (const [name] of (version as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) names.push(name);
    return names.sort();
  });
  // Percent-encoded as native DuckDB writes them (issue 20); Hive, Spark and Athena decode them.
  expect(folders).toEqual(['_SUCCESS', 'order%20region=North%20East', 'order%20region=South', 'order%20region=West']);

  // The exports quote them: DuckDB SQL and PySpark.
  const [sql] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-sql').click()]);
  const script = readFileSync(await sql.path(), 'utf8');
  expect(script).toContain('TRY_CAST("unit price ($)" AS DOUBLE) AS "unit price ($)"');
  expect(script).toContain('PARTITION_BY ("order region")');
  const [py] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pyspark').click()]);
  expect(readFileSync(await py.path(), 'utf8')).toMatch(/_write_table\(.*"parquet", \{.*\}, \["order region"\], "overwrite"\)/);

  // The registered output names the partition key as written.
  await page.goto('/#/catalog/sheets/by_region');
  await expect(page.getByTestId('schema-row').filter({ hasText: 'partition key' })).toContainText('order region');

  // One click: Athena-safe names, a new version; the files' names stay with the columns.
  await page.goto('/#/catalog/sheets/orders');
  await page.getByTestId('normalize-names').click();
  await expect(page.getByRole('status').filter({ hasText: 'Renamed' })).toContainText('Renamed 5 names: order id → order_id, order date → order_date, order region → order_region, unit price ($) → unit_price');
  await expect(page.getByTestId('unsafe-names')).toHaveCount(0);
  await expect(page.getByTestId('schema-row').filter({ hasText: 'unit_price' })).toContainText('in files: unit price ($)');
  await expect(page.getByTestId('table-version')).toHaveText('1');
  await page.screenshot({ path: 'test-results/names-normalised.png' });

  // The job reads the renamed table from the same file.
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('safe_orders');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('catalog:sheets.orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('4 rows · 6 columns');
  const preview = page.getByRole('grid', { name: 'Node preview' });
  await expect(preview.getByRole('columnheader')).toContainText(['order_id', 'order_date', 'order_region', 'unit_price', 'qty', 'name_common']);
  await expect(preview).toContainText('Sprocket');
  expect(errors).toEqual([]);
});
