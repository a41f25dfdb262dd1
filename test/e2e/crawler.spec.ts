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

/** A folder of logs a grok pattern reads, and a headerless ;-separated file a custom CSV classifier names. */
function makeCustomLake(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-custom-')), 'custom');
  mkdirSync(join(root, 'logs'), { recursive: true });
  mkdirSync(join(root, 'scores'), { recursive: true });
  writeFileSync(join(root, 'logs', 'app.log'), '2024-01-02T10:00:00Z INFO started the nightly load\n2024-01-02T10:00:05Z WARN slow disk on /data\n2024-01-02T10:01:00Z ERROR lost connection to the warehouse\n');
  writeFileSync(join(root, 'scores', 'scores.txt'), '1;ana;10.5\n2;bo;3.25\n3;cy;7\n');
  return root;
}

test('custom Grok and CSV classifiers attach to a crawler in New crawler and Settings, and classify the crawl (issue 15 #1: "could not be cloned", nothing saved)', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#/crawlers');
  const newClassifier = async (fill: (form: import('@playwright/test').Locator) => Promise<void>) => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const form = page.getByRole('form', { name: 'New classifier' });
    await fill(form);
    await form.getByRole('button', { name: 'Save classifier' }).click();
    await expect(form).toBeHidden();
  };
  await newClassifier(async (form) => {
    await form.getByLabel('Kind').selectOption('GrokClassifier');
    await form.getByLabel('Name', { exact: true }).fill('applog_grok');
    await form.getByLabel('Classification').fill('applog');
    await form.getByLabel('Grok pattern').fill('%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:msg}');
  });
  await newClassifier(async (form) => {
    await form.getByLabel('Kind').selectOption('CsvClassifier');
    await form.getByLabel('Name', { exact: true }).fill('scores_csv');
    await form.getByLabel('Delimiter').fill(';');
    await form.getByLabel('Header row').selectOption('ABSENT');
    await form.getByLabel('Column names').fill('id, player, score');
  });
  await expect(page.locator('li.classifier')).toHaveCount(2);

  // New crawler: tick the grok classifier and save.
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill('custom_crawler');
  await settings.getByLabel('Database').fill('custom');
  await settings.getByLabel('applog_grok').check();
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText('custom_crawler');

  // Settings: the grok one is still ticked; add the CSV one and save.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings.getByLabel('applog_grok')).toBeChecked();
  await settings.getByLabel('scores_csv').check();
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText('custom_crawler');
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings.getByLabel('applog_grok')).toBeChecked();
  await expect(settings.getByLabel('scores_csv')).toBeChecked();
  await settings.getByRole('button', { name: 'Cancel' }).click();

  await page.locator('input[webkitdirectory]').setInputFiles(makeCustomLake());
  await page.getByTestId('run-crawler').click();
  const report = page.getByTestId('crawl-report');
  await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await expect(report).toContainText('2 tables created');

  await page.goto('/#/catalog/custom/logs');
  await expect(page.getByTestId('table-title')).toContainText('logs');
  await expect(page.getByText(/^applog · /)).toBeVisible();
  const logRows = page.getByTestId('schema-row');
  await expect(logRows).toHaveCount(3);
  await expect(logRows.nth(0)).toContainText('ts');
  await expect(logRows.nth(1)).toContainText('level');
  await expect(logRows.nth(2)).toContainText('msg');

  await page.goto('/#/catalog/custom/scores');
  const scoreRows = page.getByTestId('schema-row');
  await expect(scoreRows).toHaveCount(3);
  await expect(scoreRows.nth(0)).toContainText('id');
  await expect(scoreRows.nth(1)).toContainText('player');
  await expect(scoreRows.nth(2)).toContainText('score');
  await expect(scoreRows.nth(2)).toContainText('double');
  expect(errors).toEqual([]);
});

test('the Exclude box starts empty with its example as help text, and the classifier form gets the main pane (issue 15 #16: a placeholder that looked set, a form squeezed into the sidebar)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  const exclude = settings.getByLabel('Exclude (one glob per line)');
  await expect(exclude).toHaveValue('');
  expect(await exclude.getAttribute('placeholder')).toBeNull();
  await expect(exclude).toHaveAccessibleDescription(/Nothing is excluded unless you write it here\. Example: \*\*\/_tmp\/\*\*/);

  await page.getByRole('button', { name: 'New', exact: true }).click();
  const form = page.getByRole('form', { name: 'New classifier' });
  await expect(form.getByLabel('Grok pattern')).toHaveAccessibleDescription(/named captures become columns/);
  const box = (await form.boundingBox())!;
  const aside = (await page.locator('aside').boundingBox())!;
  // In the main pane, right of the sidebar, and wider than the whole sidebar.
  expect(box.x).toBeGreaterThanOrEqual(aside.x + aside.width);
  expect(box.width).toBeGreaterThan(aside.width * 2);
});

test('the decimal rule is one crawler setting: off (double, as in Glue) unless "Keep fixed-scale numbers as decimals" is ticked (issue 17)', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-dec-')), 'prices');
  mkdirSync(root);
  writeFileSync(join(root, 'a.csv'), 'day,ticker,close\n2024-01-02,ACME,12.50\n2024-01-03,ACME,13.10\n');
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  const keep = settings.getByLabel(/Keep fixed-scale numbers as decimals/);
  await expect(keep).not.toBeChecked();
  await expect(keep).toHaveAccessibleDescription(/numbers with a fraction are double, as in Glue/);
  await settings.getByLabel('Name').fill('prices_crawler');
  await settings.getByLabel('Database').fill('money');
  await keep.check();
  await page.screenshot({ path: test.info().outputPath('keep-decimals.png') });
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText('prices_crawler');

  await page.locator('input[webkitdirectory]').setInputFiles(root);
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await page.goto('/#/catalog/money/prices');
  const rows = page.getByTestId('schema-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText('close');
  await expect(rows.nth(2)).toContainText('decimal(18,2)');
});
