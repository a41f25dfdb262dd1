import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

async function addStep(page: Page, kind: string): Promise<void> {
  await page.getByTestId('step-kind').selectOption(kind);
  await page.getByTestId('add-step').click();
}

/** Type into a form field as a user does: the form applies a value when the field loses focus. */
async function type(page: Page, label: string | RegExp, value: string): Promise<void> {
  const input = page.getByTestId('step-form').getByLabel(label, { exact: typeof label === 'string' });
  await input.fill(value);
  await input.blur();
}

test('the text and date kinds from the palette on a real vega file: ToTimestamp and RegexExtract through their generic forms', async ({ page }) => {
  await openApp(page);
  const cars = readFileSync('node_modules/vega-datasets/data/cars.json', 'utf8');
  await dropFiles(page, [{ name: 'cars.json', content: cars, type: 'application/json' }]);
  await expect(page.getByTestId('table-meta')).toContainText('406 rows');
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('transform-input')).toHaveValue('cars');
  const kinds = page.getByTestId('step-kind').locator('option');
  for (const k of ['SplitString', 'Concatenate', 'RegexExtract', 'ToTimestamp', 'FormatTimestamp']) await expect(kinds.filter({ hasText: new RegExp(`^${k}$`) })).toHaveCount(1);

  // ToTimestamp: the car's Year text ("1970-01-01") as a timestamp in a new column.
  await addStep(page, 'ToTimestamp');
  const form = page.getByTestId('step-form');
  await form.getByLabel('Column to convert').selectOption('Year');
  await type(page, 'Column name', 'year_ts');
  await expect(page.getByTestId('output-schema')).toContainText('year_ts timestamp');
  await expect(page.getByTestId('output-meta')).toContainText('406 rows · 10 columns · 0 error records');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader').last()).toHaveText('year_ts timestamp');
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell').last()).toHaveText(/^1970-01-01/);

  // The pattern field appears with the pattern format; a two-digit year is refused with the reason.
  await expect(form.getByLabel(/^Pattern/)).toHaveCount(0);
  await form.getByLabel('Time format').selectOption('pattern');
  await type(page, /^Pattern/, 'dd/MM/yy');
  await expect(page.getByTestId('step-failure')).toContainText('yy cannot be read: Spark reads two-digit years as 2000-2099, DuckDB as 1969-2068 (use yyyy)');
  // A pattern of another shape than the text: every record is an error record, with its value and why.
  await type(page, /^Pattern/, 'yyyy/MM/dd');
  await expect(page.getByTestId('output-meta')).toContainText('0 rows · 10 columns · 406 error records');
  await expect(page.getByTestId('error-records').getByRole('row').nth(1).getByRole('gridcell')).toHaveText(['to_timestamp_1', 'Year', '1970-01-01', 'does not read as yyyy/MM/dd']);
  await type(page, /^Pattern/, 'yyyy-MM-dd');
  await expect(page.getByTestId('output-meta')).toContainText('406 rows · 10 columns · 0 error records');
  await page.screenshot({ path: 'test-results/transforms-text-to-timestamp.png', fullPage: true });

  // RegexExtract: make and model out of the name, one column per capture group.
  await addStep(page, 'RegexExtract');
  await form.getByLabel('Column to extract from').selectOption('Name');
  await type(page, 'Regular expression', '^(\\S+) (.*)$');
  await type(page, /^Column names/, 'make,model');
  await expect(page.getByTestId('output-meta')).toContainText('406 rows · 12 columns · 0 error records');
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'Name string', 'Miles_per_Gallon double', 'Cylinders bigint', 'Displacement double', 'Horsepower bigint', 'Weight_in_lbs bigint', 'Acceleration double', 'Year string', 'Origin string', 'year_ts timestamp', 'make string', 'model string']);
  const first = preview.locator('[aria-rowindex="1"]').getByRole('gridcell');
  await expect(first.nth(10)).toHaveText('chevrolet');
  await expect(first.nth(11)).toHaveText('chevelle malibu');
  // Names that do not fit the groups say so at the step.
  await type(page, /^Column names/, 'make');
  await expect(page.getByTestId('step-failure')).toContainText('the regex has 2 capture groups but 1 column name');
  await type(page, /^Column names/, 'make,model');
  await expect(page.getByTestId('output-meta')).toContainText('406 rows · 12 columns');
  await page.screenshot({ path: 'test-results/transforms-text-regex.png', fullPage: true });
});
