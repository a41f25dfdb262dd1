import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

const WEATHER = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8');

async function addStep(page: Page, kind: string): Promise<void> {
  await page.getByTestId('step-kind').selectOption(kind);
  await page.getByTestId('add-step').click();
}

test('route the seattle weather into named groups and unpivot the rest, all through the generic form', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'seattle-weather.csv', content: WEATHER }]);
  await expect(page.getByTestId('table-meta')).toContainText('1,461 rows');
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('output-meta')).toContainText('1,461 rows · 6 columns');

  // A ConditionalRouter starts with one group taking every record (its first column is never null).
  await addStep(page, 'ConditionalRouter');
  const outputs = page.getByRole('group', { name: 'Outputs of this step' });
  await expect(outputs.getByRole('button')).toHaveText(['main frame', 'output_group_1 · 1,461']);
  await expect(page.getByTestId('output-meta')).toContainText('0 rows');

  // Group 1: rainy days, built in the condition builder of the list item.
  const form = page.getByTestId('step-form');
  const group1 = form.getByTestId('list-item').nth(0);
  await group1.getByLabel('Group 1 name').fill('rainy');
  await group1.getByLabel('Group 1 name').blur();
  await group1.getByLabel('Condition 1 column').selectOption('weather');
  await group1.getByLabel('Condition 1 operator').selectOption('=');
  await group1.getByLabel('Condition 1 value').fill('rain');
  await group1.getByLabel('Condition 1 value').blur();
  await expect(outputs.getByRole('button')).toHaveText(['main frame', 'rainy · 641']);

  // Group 2: windy days; a rainy windy day is in both groups (Glue's semantics), the rest stay in the main frame.
  await form.getByRole('button', { name: 'Add group' }).click();
  const group2 = form.getByTestId('list-item').nth(1);
  await group2.getByLabel('Group 2 name').fill('windy');
  await group2.getByLabel('Group 2 name').blur();
  await group2.getByLabel('Condition 1 column').selectOption('wind');
  await group2.getByLabel('Condition 1 operator').selectOption('>=');
  await group2.getByLabel('Condition 1 value').fill('6');
  await group2.getByLabel('Condition 1 value').blur();
  await expect(outputs.getByRole('button')).toHaveText(['main frame', 'rainy · 641', 'windy · 80']);
  await expect(page.getByTestId('output-meta')).toContainText('804 rows · 6 columns · 0 error records');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['2012-01-01', '0', '12.8', '5', '4.7', 'drizzle']);

  // The windy group's own preview.
  await outputs.getByRole('button', { name: 'windy · 80' }).click();
  await expect(page.getByTestId('output-meta')).toContainText('80 rows');
  await page.screenshot({ path: 'test-results/transforms-shape-router.png', fullPage: true });
  await outputs.getByRole('button', { name: 'main frame' }).click();

  // Unpivot the default group's measures into rows: its defaults take every numeric column.
  await addStep(page, 'Unpivot');
  await expect(page.getByTestId('output-meta')).toContainText(`${(804 * 4).toLocaleString('en-US')} rows · 4 columns`);
  await page.getByTestId('step-form').getByLabel('Names column').fill('measure');
  await page.getByTestId('step-form').getByLabel('Names column').blur();
  await page.getByTestId('step-form').getByRole('checkbox', { name: 'wind' }).uncheck();
  await expect(page.getByTestId('output-meta')).toContainText(`${(804 * 3).toLocaleString('en-US')} rows · 5 columns`);
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'date date', 'wind double', 'weather string', 'measure string', 'value double']);
  await expect(preview.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['2012-01-01', '4.7', 'drizzle', 'temp_max', '12.8']);
  await page.screenshot({ path: 'test-results/transforms-shape-unpivot.png', fullPage: true });
});

test('pivot barley yields by year through the form: the listed values become columns', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'barley.json', content: readFileSync('node_modules/vega-datasets/data/barley.json', 'utf8'), type: 'application/json' }]);
  await expect(page.getByTestId('table-meta')).toContainText('120 rows');
  await page.getByRole('link', { name: 'Transform' }).click();
  await addStep(page, 'Pivot');
  const form = page.getByTestId('step-form');
  // A new Pivot runs at once and says what it still needs.
  await expect(page.getByText('list the values of variety that become columns')).toBeVisible();
  await form.getByLabel('Column to convert').selectOption('year');
  await form.getByRole('button', { name: 'Add value' }).click();
  await form.getByLabel('Value 1 value').fill('1931');
  await form.getByLabel('Value 1 value').blur();
  await form.getByRole('button', { name: 'Add value' }).click();
  await form.getByLabel('Value 2 value').fill('1932');
  await form.getByLabel('Value 2 value').blur();
  await form.getByRole('checkbox', { name: 'variety' }).check();
  await form.getByRole('checkbox', { name: 'site' }).check();
  await expect(page.getByTestId('output-meta')).toContainText('60 rows · 4 columns');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'variety string', 'site string', '1931 double', '1932 double']);
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Glabron', 'Crookston', '38.13333', '26.16667']);
  await page.screenshot({ path: 'test-results/transforms-shape-pivot.png', fullPage: true });
});
