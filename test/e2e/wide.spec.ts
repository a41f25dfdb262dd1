import { expect, test } from '@playwright/test';
import { wideCsv } from '../../bench/lib/wide-data';
import { dropFiles, openApp } from './helpers';

const COLUMNS = 2000;
const ROWS = 30;
// wide-data's integer columns hold row * COLUMNS + column: c1996 is one of them.
const cell = (row: number, column: number) => String(row * COLUMNS + column);

test('a 2,000-column CSV opens with its first and last headers, scrolls sideways to the right values, and sorts and filters there (issue 21: 5,000 columns took 90 s and 2.3 GB)', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await dropFiles(page, [{ name: 'wide.csv', content: wideCsv(COLUMNS, ROWS) }]);
  await expect(page.getByTestId('table-meta')).toContainText(`${COLUMNS} columns`, { timeout: 90_000 });
  await expect(page.getByTestId('table-meta')).toContainText(`${ROWS} rows`);
  const grid = page.getByRole('grid', { name: 'Rows of wide' });
  await expect(grid).toHaveAttribute('aria-colcount', String(COLUMNS + 1));
  const headers = grid.getByRole('columnheader');
  await expect(headers.nth(1)).toHaveText('c0 bigint');
  await expect(headers.nth(4)).toHaveText('c3 date');
  // Only the columns in view are in the page, not 2,000 per row.
  expect(await headers.count()).toBeLessThan(60);
  await expect(grid.locator('[aria-rowindex="3"] [aria-colindex="2"]')).toHaveText(cell(2, 0));

  // All the way right: the last header and the values under it, from the same rows.
  await grid.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  await expect(grid.getByRole('columnheader', { name: 'c1999 date' })).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: 'c0 bigint' })).toHaveCount(0);
  await expect(grid.locator('[aria-rowindex="3"] [aria-colindex="1998"]')).toHaveText(cell(2, 1996));
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(grid.locator(`[aria-rowindex="${ROWS}"] [aria-colindex="1998"]`)).toHaveText(cell(ROWS - 1, 1996));

  // Sorting a far-right column (twice: descending) puts the last row first.
  await page.getByTestId('sort-c1996').click();
  await page.getByTestId('sort-c1996').click();
  await expect(grid.getByRole('columnheader', { name: /c1996/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(grid.locator('[aria-rowindex="1"] [aria-colindex="1998"]')).toHaveText(cell(ROWS - 1, 1996));
  // Filtering it keeps the one matching row.
  await page.getByTestId('filter-c1996').fill(cell(7, 1996));
  await page.getByTestId('filter-c1996').press('Enter');
  await expect(grid).toHaveAttribute('aria-rowcount', '1');
  await expect(grid.locator('[aria-rowindex="1"] [aria-colindex="1998"]')).toHaveText(cell(7, 1996));
  await expect(grid.locator('[aria-rowindex="1"] [aria-colindex="1999"]')).not.toBeEmpty();

  // Back to the left edge: the first columns are drawn again.
  await grid.evaluate((el) => { el.scrollLeft = 0; });
  await expect(grid.getByRole('columnheader', { name: 'c0 bigint' })).toBeVisible();
  await expect(grid.locator('[aria-rowindex="1"] [aria-colindex="2"]')).toHaveText(cell(7, 0));
});
