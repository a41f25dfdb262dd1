import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test, type Download } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecrets } from '../../src/share/secrets';
import { readShareLink } from '../../src/share/payload';
import { addJobStep, dropFiles, openApp } from './helpers';

const ORDERS = 'id,region,amount\n1,eu,10.5\n2,us,3.25\n3,eu,7\n4,apac,1\n5,us,2.5\n6,eu,4\n';

async function parquetRows(download: Download): Promise<Record<string, unknown>[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-share-')), 'out.parquet');
  await download.saveAs(file);
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file.replace(/'/g, "''")}') ORDER BY ALL`);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

test('a job shared as a link opens in a fresh browser, checks the supplied file, and runs only on click with the same result', async ({ page, browser }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('big_orders');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('6 rows · 3 columns');
  await addJobStep(page, 'Filter', { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: '3' }] } });
  await addJobStep(page, 'Derived', { name: 'is_eu', sql: "region = 'eu'", type: 'boolean' });
  await page.getByTestId('add-target').click();
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  const [original] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-output').click()]);
  const expected = await parquetRows(original);

  const link = await page.getByTestId('share-link').inputValue();
  expect(link.length).toBeLessThan(2000);
  expect(findSecrets(readShareLink(link.split('#/share/')[1]!))).toEqual([]);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('shared-job-title')).toContainText('big_orders');
  await expect(other.getByTestId('shared-job-steps')).toContainText('Filter');
  await expect(other.getByTestId('shared-job-steps')).toContainText("region = 'eu'");
  await expect(other.getByTestId('run-shared')).toBeDisabled();
  const input = other.getByTestId('shared-input');
  await expect(input).toContainText('expects id bigint, region string, amount double');

  // A file with the wrong columns is refused with the reason; the right one is accepted.
  await input.getByTestId('file-input').setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from('id,region\n1,eu\n2,us\n') });
  await expect(other.getByTestId('input-error')).toHaveText('missing column amount (double)');
  await expect(other.getByTestId('run-shared')).toBeDisabled();
  await input.getByTestId('file-input').setInputFiles({ name: 'my_orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) });
  await expect(other.getByTestId('input-error')).toHaveCount(0);
  await expect(input.getByTestId('input-reads')).toHaveText(/^Will read: 1 file \(\d+ bytes\) you dropped: my_orders\.csv$/);
  await expect(other.getByTestId('shared-output-slot').getByTestId('dest-download')).toBeChecked();
  await other.screenshot({ path: 'test-results/share-job-review.png', fullPage: true });
  await expect(other.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await other.getByTestId('run-shared').click();
  await expect(other.getByTestId('shared-run-state')).toHaveAttribute('data-state', 'SUCCEEDED', { timeout: 30_000 });
  const [copy] = await Promise.all([other.waitForEvent('download'), other.getByTestId('shared-output').first().click()]);
  expect(await parquetRows(copy)).toEqual(expected);
  await fresh.close();
});
