import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { crawlFolder, openApp } from './helpers';

const FIXTURES = fileURLToPath(new URL('../fixtures/logs', import.meta.url));

test('crawled logs are tables: a log4j table and a text log open in Transform and filter (issue 17: loghub logs rejected or read as CSV/JSON)', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-logs-')), 'logs');
  for (const [folder, file] of [['hadoop', 'hadoop.log'], ['proxy', 'proxifier.log'], ['web', 'apache_error.log']] as const) {
    mkdirSync(join(root, folder), { recursive: true });
    copyFileSync(join(FIXTURES, file), join(root, folder, file));
  }
  await openApp(page);
  await crawlFolder(page, 'ops', root);
  await expect(page.getByTestId('crawl-report')).toContainText('3 tables created');

  await page.goto('/#/catalog/ops/hadoop');
  await expect(page.getByText(/^log4j · /)).toBeVisible();

  await page.getByRole('link', { name: 'Transform' }).click();
  await page.getByTestId('transform-catalog-table').selectOption({ label: 'ops.hadoop' });
  await expect(page.getByTestId('transform-input')).toHaveValue('catalog_ops_hadoop');
  // 14 lines, 11 records: the stack trace belongs to the ERROR record.
  await expect(page.getByTestId('output-meta')).toContainText('11 rows · 5 columns');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'timestamp string', 'thread string', 'level string', 'logger string', 'message string']);
  await page.getByTestId('step-kind').selectOption('Filter');
  await page.getByTestId('add-step').click();
  await page.getByLabel('Condition 1 column').selectOption('level');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('ERROR');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('output-meta')).toContainText('1 rows');
  await expect(preview).toContainText('ERROR IN CONTACTING RM.');

  await page.getByTestId('transform-catalog-table').selectOption({ label: 'ops.proxy' });
  await expect(page.getByTestId('transform-input')).toHaveValue('catalog_ops_proxy');
  await expect(page.getByTestId('output-meta')).toContainText('10 rows · 2 columns');

  // A .log opened directly in Transform is classified by its lines.
  await page.getByTestId('open-json').setInputFiles({ name: 'spark.log', mimeType: 'text/plain', buffer: readFileSync(join(FIXTURES, 'spark.log')) });
  await expect(page.getByTestId('transform-input')).toHaveValue('spark');
  await expect(page.getByTestId('output-meta')).toContainText('10 rows · 5 columns');
  await page.screenshot({ path: join(tmpdir(), 'epoxy-logs-e2e.png'), fullPage: true });
});
