import { expect, test } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

function makeCsv(rows: number): string {
  const lines = ['id,city,temp_c,observed_on,ok'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${['Oslo', 'Lima', 'Pune'][i % 3]},${(i * 0.5).toFixed(1)},2024-03-${String((i % 28) + 1).padStart(2, '0')},${i % 2 === 0}`);
  return lines.join('\n') + '\n';
}

test('a dropped CSV shows its rows and column types, and SQL runs over it', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'weather.csv', content: makeCsv(1000) }]);

  await expect(page.getByTestId('table-title')).toHaveText('weather');
  await expect(page.getByTestId('table-meta')).toContainText('1,000 rows');
  const grid = page.getByRole('grid', { name: 'Rows of weather' });
  const headers = grid.getByRole('columnheader');
  await expect(headers).toHaveText(['#', 'id bigint', 'city varchar', 'temp_c double', 'observed_on date', 'ok boolean']);
  const firstRow = grid.locator('[aria-rowindex="1"]').getByRole('gridcell');
  await expect(firstRow).toHaveText(['1', 'Lima', '0.5', '2024-03-02', 'false']);

  // Scrolling to the end fetches the last page from the engine.
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(grid.locator('[aria-rowindex="1000"]').getByRole('gridcell').first()).toHaveText('1000');

  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  await sqlBox.fill('SELECT city, count(*) AS n, round(avg(temp_c), 2) AS avg_temp FROM weather GROUP BY city ORDER BY city');
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  // Lima holds ids 1,4,...,1000 (334 rows, mean id 500.5); Pune ids 2,...,998 (333 rows, mean id 500).
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Lima', '334', '250.25']);
  await expect(result.locator('[aria-rowindex="3"]').getByRole('gridcell')).toHaveText(['Pune', '333', '250']);
  await expect(page.getByTestId('result-meta')).toContainText('3 rows');
});

test('bad SQL shows DuckDB\'s error and an unknown file type is reported, not fatal', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [
    { name: 'notes.bin', content: 'xx', type: 'application/octet-stream' },
    { name: 'tiny.csv', content: 'a,b\n1,2\n' },
  ]);
  await expect(page.getByRole('alert')).toContainText('notes.bin');
  await expect(page.getByTestId('table-title')).toHaveText('tiny');
  await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT nope FROM tiny');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('query-error')).toContainText('nope');
});

test('the embedded sample dataset loads with one click', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('table-title')).toHaveText('sales');
  await expect(page.getByTestId('table-meta')).toContainText('4,000 rows');
  await expect(page.getByRole('grid', { name: 'Rows of sales' }).getByRole('columnheader').nth(2)).toHaveText('order_date date');
});

test('SHOW TABLES and duckdb_tables() in the SQL box list only the user\'s tables, not Transform\'s or a job preview\'s (issue 15 #12: __epoxy_tf1_* listed)', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'weather.csv', content: makeCsv(50) }]);
  await expect(page.getByTestId('table-meta')).toContainText('50 rows');
  // A Transform preview with a step, and a job preview: both make tables in the engine.
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('output-meta')).toContainText('50 rows · 5 columns');
  await page.getByTestId('step-kind').selectOption('Filter');
  await page.getByTestId('add-step').click();
  await expect(page.getByTestId('output-meta')).toContainText('50 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('w');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:weather');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('50 rows · 5 columns');

  await page.getByRole('link', { name: 'Workspace' }).click();
  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  const result = page.getByRole('grid', { name: 'Query result' });
  await sqlBox.fill('SHOW TABLES');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByTestId('result-meta')).toContainText('1 rows');
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['weather']);
  await sqlBox.fill('SELECT count(*) AS n, string_agg(table_name) AS names FROM duckdb_tables()');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['1', 'weather']);
  await page.screenshot({ path: 'test-results/issue15-12-show-tables.png', fullPage: true });
  // The Transform preview still pages through its own tables.
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByRole('grid', { name: 'Preview' }).locator('[aria-rowindex="1"]').getByRole('gridcell').first()).toHaveText('1');
});
