import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

const airports = readFileSync('node_modules/vega-datasets/data/airports.csv', 'utf8');

async function addStep(page: Page, kind: string): Promise<void> {
  await page.getByTestId('step-kind').selectOption(kind);
  await page.getByTestId('add-step').click();
}

test('DataBrew column operations from the palette: ChangeCase and Round filled in their forms update the preview', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'airports.csv', content: airports }]);
  await expect(page.getByTestId('table-meta')).toContainText('3,376 rows');
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('transform-input')).toHaveValue('airports');
  const preview = page.getByRole('grid', { name: 'Preview' });
  const firstRow = preview.locator('[aria-rowindex="1"]').getByRole('gridcell');
  await expect(firstRow).toHaveText(['00M', 'Thigpen', 'Bay Springs', 'MS', 'USA', '31.95376472', '-89.23450472']);

  // The palette groups the text kinds together.
  await expect(page.getByTestId('step-kind').locator('optgroup[label="Text & dates"] option')).toContainText(['Trim', 'ChangeCase', 'ReplaceText', 'Substring', 'DatePart']);

  // ChangeCase starts on the first string column (iata); move it to the names and cities, in capital case.
  await addStep(page, 'ChangeCase');
  const form = page.getByTestId('step-form');
  await form.getByRole('checkbox', { name: /^iata\b/ }).uncheck();
  await form.getByRole('checkbox', { name: /^name\b/ }).check();
  await form.getByRole('checkbox', { name: /^city\b/ }).check();
  await form.getByLabel('Case').selectOption('upper');
  await expect(firstRow).toHaveText(['00M', 'THIGPEN', 'BAY SPRINGS', 'MS', 'USA', '31.95376472', '-89.23450472']);

  // Round: latitude floored to one decimal into a new column.
  await addStep(page, 'Round');
  await form.getByLabel('Numeric column').selectOption('latitude');
  await form.getByLabel('Mode').selectOption('floor');
  await form.getByLabel('Decimals').fill('1');
  await form.getByLabel('Decimals').blur();
  await form.getByLabel('Output column').fill('lat_1');
  await form.getByLabel('Output column').blur();
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'iata string', 'name string', 'city string', 'state string', 'country string', 'latitude double', 'longitude double', 'lat_1 double']);
  await expect(firstRow).toHaveText(['00M', 'THIGPEN', 'BAY SPRINGS', 'MS', 'USA', '31.95376472', '-89.23450472', '31.9']);
  await expect(page.getByTestId('output-meta')).toContainText('3,376 rows · 8 columns · 0 error records');

  // A string column given to Round says so at the step.
  await form.getByLabel('Numeric column').selectOption('state');
  await expect(page.getByTestId('step-failure')).toContainText('Round reads numeric columns; state is string');
  await form.getByLabel('Numeric column').selectOption('latitude');
  await expect(firstRow).toHaveText(['00M', 'THIGPEN', 'BAY SPRINGS', 'MS', 'USA', '31.95376472', '-89.23450472', '31.9']);
  await expect(page.getByTestId('output-meta')).toContainText('3,376 rows · 8 columns · 0 error records');
  await page.screenshot({ path: 'test-results/transforms-brew.png', fullPage: true });
});
