import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import writeExcelFile from 'write-excel-file/node';
import { crawlFolder, openApp } from './helpers';

/** A two-sheet workbook as Excel writes it: a header row, numbers, dates, and a cell that looks like markup. */
async function workbook(): Promise<Buffer> {
  const day = (d: number) => ({ value: new Date(Date.UTC(2024, 0, d)), format: 'yyyy-mm-dd' });
  return writeExcelFile([
    { sheet: 'Orders', data: [['Order ID', 'Region', 'Amount', 'Ordered'], [1, 'eu', 10.5, day(2)], [2, 'us', 3, day(5)], [3, 'eu', 7.25, day(9)]] },
    { sheet: 'Regions', data: [['code', 'name'], ['eu', '<b>Europe</b>'], ['us', 'United States']] },
  ] as never).toBuffer();
}

const ranks = () => Buffer.from(tableToIPC(tableFromArrays({ code: ['eu', 'us'], rank: Int32Array.from([2, 1]) }), 'file'));

/** Drop binary files on the drop zone (bytes travel as base64 into the page). */
async function dropBinary(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })));
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
}

test('a dropped workbook opens a table per sheet and an Arrow file one table; SQL joins them (issue 17 #4)', async ({ page }) => {
  await openApp(page);
  await dropBinary(page, [{ name: 'book.xlsx', bytes: await workbook() }, { name: 'ranks.arrow', bytes: ranks() }]);
  const tables = page.locator('.tables .tname');
  await expect(tables).toHaveText(['book_orders', 'book_regions', 'ranks']);

  await tables.filter({ hasText: 'book_orders' }).click();
  await expect(page.getByTestId('table-title')).toHaveText('book_orders');
  await expect(page.getByTestId('table-meta')).toContainText('book.xlsx · sheet “Orders” · 4 columns · 3 rows');
  const grid = page.getByRole('grid', { name: 'Rows of book_orders' });
  await expect(grid.getByRole('columnheader')).toHaveText(['#', 'order id bigint', 'region varchar', 'amount double', 'ordered date']);
  await expect(grid.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['1', 'eu', '10.5', '2024-01-02']);

  await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT g.name, r.rank, sum(o.amount) AS total FROM book_orders o JOIN book_regions g ON g.code = o.region JOIN ranks r ON r.code = o.region GROUP BY ALL ORDER BY r.rank');
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['United States', '1', '3']);
  // A shared string that looks like markup is shown as text, never rendered.
  await expect(result.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['<b>Europe</b>', '2', '17.75']);
  await expect(page.locator('b', { hasText: 'Europe' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/xlsx-arrow-workspace.png', fullPage: true });
});

test('a zip bomb named .xlsx and a compressed Feather file are refused with a reason, the rest still opens', async ({ page }) => {
  await openApp(page);
  const { zipSync } = await import('fflate');
  const bomb = Buffer.from(zipSync({ 'xl/workbook.xml': new TextEncoder().encode('<workbook/>'), 'xl/worksheets/sheet1.xml': new Uint8Array(300 * 1024 * 1024) }, { level: 1 }));
  const lz4 = readFileSync(new URL('../fixtures/arrow/generated_lz4.arrow_file', import.meta.url));
  await dropBinary(page, [{ name: 'bomb.xlsx', bytes: bomb }, { name: 'lz4.feather', bytes: lz4 }, { name: 'ranks.arrow', bytes: ranks() }]);
  await expect(page.getByTestId('table-title')).toHaveText('ranks');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('bomb.xlsx: Cannot open bomb.xlsx: the workbook\'s sheets inflate to 300 MiB of XML, more than the 128 MiB Epoxy reads');
  await expect(alert).toContainText('lz4.feather: Cannot open lz4.feather: its record batches are LZ4-compressed, which Epoxy cannot decode');
});

test('crawling a folder with a workbook and an Arrow file makes a table per sheet, and the catalog says what they are', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-xl-')), 'lake');
  mkdirSync(join(root, 'ranks'), { recursive: true });
  writeFileSync(join(root, 'book.xlsx'), await workbook());
  writeFileSync(join(root, 'ranks', 'ranks.arrow'), ranks());
  await crawlFolder(page, 'lake', root, 'xl_crawler');
  const report = page.getByTestId('crawl-report');
  await expect(report).toContainText('3 tables created');
  await report.getByRole('link', { name: 'book_regions' }).click();
  await expect(page).toHaveURL(/#\/catalog\/lake\/book_regions/);
  await expect(page.getByTestId('schema-row')).toHaveCount(2);
  await page.getByRole('tab', { name: 'Parameters' }).click();
  const params = page.locator('tbody tr');
  await expect(params.filter({ hasText: 'classification' }).first()).toContainText('xlsx');
  await expect(params.filter({ hasText: 'epoxy.sheet' })).toContainText('Regions');
  await page.getByRole('tab', { name: 'Export' }).click();
  await expect(page.getByTestId('ddl-preview')).toContainText('is a sheet of an Excel workbook (classification xlsx): no Hive SerDe reads it');
  await page.screenshot({ path: 'test-results/xlsx-arrow-catalog.png', fullPage: true });
  // A spreadsheet header ("Order ID") is a catalog column as Glue keeps it, lowercased.
  await page.getByRole('link', { name: 'book_orders' }).click();
  await expect(page.getByTestId('table-title')).toContainText('book_orders');
  await expect(page.getByTestId('schema-row').first()).toContainText('order id');
});
