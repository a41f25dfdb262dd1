import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { crawlFolder, dropFiles, openApp, setStepParams } from './helpers';

function makeCsv(rows: number): string {
  const lines = ['id,city,temp_c'];
  // Every 10th temperature is missing, so the profile has nulls to count.
  for (let i = 1; i <= rows; i++) lines.push(`${i},${['Oslo', 'Lima', 'Pune'][i % 3]},${i % 10 === 0 ? '' : (i * 0.5).toFixed(1)}`);
  return lines.join('\n') + '\n';
}


async function addStep(page: Page, kind: string): Promise<void> {
  await page.getByTestId('step-kind').selectOption(kind);
  await page.getByTestId('add-step').click();
}

test('transform an opened table: steps update the preview, schema, error records and profile', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'weather.csv', content: makeCsv(3000) }]);
  await expect(page.getByTestId('table-meta')).toContainText('3,000 rows');
  await page.getByRole('link', { name: 'Transform' }).click();

  await expect(page.getByTestId('transform-input')).toHaveValue('weather');
  await expect(page.getByTestId('sample-note')).toContainText('Preview on a 10,000-row sample');
  await expect(page.getByTestId('output-meta')).toContainText('3,000 rows · 3 columns · 0 error records');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'id bigint', 'city string', 'temp_c double']);

  // Profile of temp_c: 300 of 3,000 values are missing; ids 1..3000 spread over a drawn histogram.
  await page.getByTestId('output-schema').getByRole('button', { name: /temp_c/ }).click();
  const profile = page.getByTestId('column-profile');
  await expect(profile).toHaveAttribute('data-column', 'temp_c');
  await expect(profile.getByTestId('profile-null')).toHaveText('10.0% (300)');
  await expect(profile.getByTestId('profile-max')).toHaveText('1499.5');
  await expect(profile.getByTestId('histogram').locator('rect')).toHaveCount(20);

  // A Filter step built in its form: Lima only (ids 1, 4, ..., 2998 -> 1,000 rows).
  await addStep(page, 'Filter');
  await page.getByLabel('Condition 1 column').selectOption('city');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('Lima');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('output-meta')).toContainText('1,000 rows');
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['1', 'Lima', '0.5']);
  await page.getByTestId('output-schema').getByRole('button', { name: /city/ }).click();
  await expect(page.getByTestId('column-profile').getByTestId('profile-distinct')).toHaveText('1');
  await expect(page.getByTestId('top-values')).toContainText('Lima');

  // ApplyMapping with a cast that fails for some records: they go to the error frame with the reason.
  await addStep(page, 'ApplyMapping');
  await setStepParams(page, { mappings: [
    { source: 'id', target: 'order_id', targetType: 'int' },
    { source: 'city', target: 'place.city', targetType: 'string' },
    { source: 'temp_c', target: 'temp', targetType: 'decimal(3,1)' },
  ] });
  // decimal(3,1) holds at most 99.9: temperatures from 100.0 up fail (ids >= 200 among Lima's, less the missing ones).
  await expect(page.getByTestId('output-schema')).toContainText('place struct<city:string>');
  await expect(page.getByTestId('error-records').getByRole('gridcell').filter({ hasText: 'cannot cast double to decimal(3,1)' }).first()).toBeVisible();
  const meta = await page.getByTestId('output-meta').textContent();
  const [kept, errors] = [Number(/([\d,]+) rows/.exec(meta!)![1]!.replace(/,/g, '')), Number(/(\d+) error records/.exec(meta!)![1])];
  expect(kept + errors).toBe(1000);
  expect(errors).toBeGreaterThan(0);
  await expect(page.locator('[data-step-id="apply_mapping_1"]')).toContainText(`${errors} errors`);

  // A step naming a missing column points at the step and the column.
  await addStep(page, 'DropFields');
  await page.getByTestId('step-form').getByRole('checkbox', { name: 'temp' }).check();
  await addStep(page, 'SelectFields');
  await setStepParams(page, { paths: ['temp'] });
  await expect(page.getByTestId('step-failure')).toHaveText('Step select_fields_1, column temp: no field temp in the input');
});

test('a JSON file whose records disagree opens with a choice column that ResolveChoice splits', async ({ page }) => {
  await openApp(page);
  await page.goto('/#/transform');
  const records = [{ sku: 'a', price: 3 }, { sku: 'b', price: '1.5 USD' }, { sku: 'c', price: 4 }];
  await page.getByTestId('open-json').setInputFiles({ name: 'prices.ndjson', mimeType: 'application/json', buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n')) });
  await expect(page.getByTestId('transform-input')).toHaveValue('prices');
  await expect(page.getByTestId('output-schema')).toContainText('price choice<bigint,string>');
  await addStep(page, 'ResolveChoice');
  await expect(page.getByLabel('Resolve price')).toHaveValue('make_cols');
  await expect(page.getByTestId('output-schema')).toContainText('price_bigint bigint');
  await expect(page.getByTestId('output-schema')).toContainText('price_string string');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['b', '∅', '1.5 USD']);
  // Switch the form to cast:bigint: "1.5 USD" becomes an error record with its reason.
  await page.getByLabel('Resolve price').selectOption('cast:bigint');
  await expect(page.getByTestId('output-schema')).toContainText('price bigint');
  await expect(page.getByTestId('output-meta')).toContainText('2 rows · 2 columns · 1 error records');
  await expect(page.getByTestId('error-records').getByRole('row').nth(1).getByRole('gridcell')).toHaveText(['resolve_choice_1', 'price', '1.5 USD', 'cannot cast choice<bigint,string> to bigint']);
  // stageThreshold 0: one error record fails the run at this step.
  await page.getByLabel('stageThreshold').fill('0');
  await page.getByLabel('stageThreshold').blur();
  await expect(page.getByTestId('step-failure')).toHaveText('Step resolve_choice_1: 1 error record exceeds stageThreshold 0');
});

test('nested JSON relationalizes into child tables a user can preview; Parquet opens row group by row group', async ({ page }) => {
  await openApp(page);
  await page.goto('/#/transform');
  const carts = [
    { cart: 7, items: [{ sku: 'a', tags: ['x', 'y'] }, { sku: 'b', tags: [] }] },
    { cart: 9, items: [{ sku: 'c', tags: ['z'] }] },
  ];
  await page.getByTestId('open-json').setInputFiles({ name: 'carts.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(carts)) });
  await expect(page.getByTestId('output-schema')).toContainText('items array<struct<sku:string,tags:array<string>>>');
  await addStep(page, 'Relationalize');
  const outputs = page.getByRole('group', { name: 'Outputs of this step' });
  await expect(outputs.getByRole('button')).toHaveText(['main frame', 'root_items · 3', 'root_items.val.tags · 3']);
  await outputs.getByRole('button', { name: /^root_items\.val\.tags/ }).click();
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'id bigint', 'index bigint', 'items.val.tags.val string']);
  await expect(preview.locator('[aria-rowindex="3"]').getByRole('gridcell')).toHaveText(['3', '0', 'z']);

  // A Parquet file with 3 row groups, written by parquet-wasm in this test process.
  const require = createRequire(import.meta.url);
  const pq = require('parquet-wasm');
  const ids = Int32Array.from({ length: 2500 }, (_, i) => i);
  const ipc = tableToIPC(tableFromArrays({ id: ids, half: Float64Array.from(ids, (i) => i / 2) }), 'stream');
  const bytes: Uint8Array = pq.writeParquet(pq.Table.fromIPCStream(ipc), new pq.WriterPropertiesBuilder().setMaxRowGroupSize(1000).build());
  await page.getByTestId('open-json').setInputFiles({ name: 'numbers.parquet', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('transform-input')).toHaveValue('numbers');
  await page.getByRole('button', { name: 'Input', exact: false }).first().click();
  await expect(page.getByTestId('output-meta')).toContainText('2,500 rows · 2 columns');
  await expect(page.getByTestId('column-profile').getByTestId('profile-max')).toHaveText('2499');
});

test('open a crawled catalog table: partition folders become columns; a step changes the preview and the profile', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-tf-')), 'sales');
  for (const [year, rows] of [['2024', '1,eu,10\n2,us,20\n3,eu,30\n'], ['2025', '4,us,40\n5,eu,50\n']] as const) {
    mkdirSync(join(root, `year=${year}`), { recursive: true });
    writeFileSync(join(root, `year=${year}`, 'part-0.csv'), `id,region,amount\n${rows}`);
  }
  await crawlFolder(page, 'shop', root);

  await page.getByRole('link', { name: 'Transform' }).click();
  await page.getByTestId('transform-catalog-table').selectOption({ label: 'shop.sales' });
  await expect(page.getByTestId('transform-input')).toHaveValue('catalog_shop_sales');
  await expect(page.getByTestId('output-meta')).toContainText('5 rows · 4 columns');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'id bigint', 'region string', 'amount bigint', 'year string']);
  await page.getByTestId('output-schema').getByRole('button', { name: /amount/ }).click();
  await expect(page.getByTestId('column-profile').getByTestId('profile-max')).toHaveText('50');

  await addStep(page, 'Filter');
  await page.getByLabel('Condition 1 column').selectOption('region');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('eu');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('output-meta')).toContainText('3 rows');
  await page.getByTestId('output-schema').getByRole('button', { name: /amount/ }).click();
  await expect(page.getByTestId('column-profile').getByTestId('profile-max')).toHaveText('50');
  await expect(page.getByTestId('column-profile').getByTestId('profile-min')).toHaveText('10');
});

test('after ResolveChoice and Relationalize an Aggregate groups by a flattened column like customer.name (issue 15 #3: "no field customer.name in the input")', async ({ page }) => {
  await openApp(page);
  await page.goto('/#/transform');
  const orders = [
    { id: 1, customer: { name: 'Ann', city: 'Oslo' }, amount: 3, items: [{ sku: 'a' }, { sku: 'b' }] },
    { id: 2, customer: { name: 'Bob', city: 'Lima' }, amount: '4.5', items: [{ sku: 'c' }] },
    { id: 3, customer: { name: 'Ann', city: 'Oslo' }, amount: 7, items: [] },
  ];
  await page.getByTestId('open-json').setInputFiles({ name: 'orders.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(orders)) });
  await expect(page.getByTestId('output-schema')).toContainText('amount choice<bigint,string>');
  await addStep(page, 'ResolveChoice');
  await expect(page.getByTestId('output-schema')).toContainText('amount_bigint bigint');
  await addStep(page, 'Relationalize');
  await expect(page.getByTestId('output-schema')).toContainText('customer.name string');

  // The default group-by is the first categorical column: the flattened customer.name.
  await addStep(page, 'Aggregate');
  await expect(page.getByTestId('step-failure')).toHaveCount(0);
  const form = page.getByTestId('step-form');
  await expect(form.getByRole('checkbox', { name: 'customer.name', exact: true })).toBeChecked();
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'customer.name string', 'count bigint']);
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Ann', '2']);
  await expect(preview.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['Bob', '1']);

  // Pick another flattened column in the form: group by customer.city too, and sum amount_bigint.
  await form.getByRole('checkbox', { name: 'customer.city', exact: true }).check();
  await page.getByLabel('Aggregation 1 function').selectOption('sum');
  await page.getByLabel('Aggregation 1 column').selectOption('amount_bigint');
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'customer.name string', 'customer.city string', 'sum_amount_bigint bigint']);
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Ann', 'Oslo', '10']);
  // Unticking the default group-by removes it (it was stored as a path, the checkbox shows the column).
  await form.getByRole('checkbox', { name: 'customer.name', exact: true }).uncheck();
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'customer.city string', 'sum_amount_bigint bigint']);

  // A later step's form addresses the flattened columns too: a Filter on customer.city.
  await addStep(page, 'Filter');
  await page.getByLabel('Condition 1 column').selectOption('`customer.city`');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('Lima');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('step-failure')).toHaveCount(0);
  await expect(page.getByTestId('output-meta')).toContainText('1 rows');
  await expect(preview.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Lima', '∅']);
  await page.screenshot({ path: 'test-results/issue15-3-transform.png', fullPage: true });
});

test('a Join picks its right side from Relationalize children and catalog tables, and its right key from that side\'s columns (issue 15 #9)', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-tfjoin-')), 'shop');
  mkdirSync(join(root, 'customers'), { recursive: true });
  writeFileSync(join(root, 'customers', 'part-0.csv'), 'customer_id,name\n7,Ann\n9,Bob\n');
  await crawlFolder(page, 'shop', root);
  await page.getByRole('link', { name: 'Transform' }).click();
  const orders = [
    { order_id: 1, customer_id: 7, items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }] },
    { order_id: 2, customer_id: 9, items: [{ sku: 'c', qty: 5 }] },
  ];
  await page.getByTestId('open-json').setInputFiles({ name: 'orders.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(orders)) });
  await expect(page.getByTestId('output-meta')).toContainText('2 rows · 3 columns');
  await addStep(page, 'Relationalize');
  await expect(page.getByRole('group', { name: 'Outputs of this step' })).toContainText('root_items · 3');

  await addStep(page, 'Join');
  const right = page.getByLabel('Right table');
  await expect(right.locator('optgroup')).toHaveCount(2);
  expect(await right.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toEqual(['Outputs of earlier steps', 'Catalog tables']);
  await expect(right.locator('optgroup[label="Outputs of earlier steps"] option')).toHaveText(['root_items (from relationalize_1, 3 rows)']);
  await expect(right.locator('optgroup[label="Catalog tables"] option')).toHaveText(['shop.customers']);
  await right.selectOption({ label: 'root_items (from relationalize_1, 3 rows)' });
  await page.getByLabel('Left key').selectOption('items');
  // The right key is a pick from root_items' columns.
  const rightKey = page.getByLabel('Right key');
  await expect(rightKey.locator('option')).toHaveText(['id · bigint', 'index · bigint', '`items.val.sku` · string', '`items.val.qty` · bigint']);
  await rightKey.selectOption('id');
  await expect(page.getByTestId('step-failure')).toHaveCount(0);
  await expect(page.getByTestId('output-meta')).toContainText('3 rows');
  const preview = page.getByRole('grid', { name: 'Preview' });
  await expect(preview.getByRole('columnheader')).toHaveText(['#', 'order_id bigint', 'customer_id bigint', 'items bigint', 'id bigint', 'index bigint', 'items.val.sku string', 'items.val.qty bigint']);

  // A second Join with a catalog table: opened as a job reads it; the key with the same name is preselected.
  await addStep(page, 'Join');
  await page.getByLabel('Right table').selectOption({ label: 'shop.customers' });
  await expect(page.getByLabel('Right table')).toHaveValue('catalog_shop_customers');
  await page.getByLabel('Left key').selectOption('customer_id');
  await expect(page.getByLabel('Right key')).toHaveValue('customer_id');
  await expect(page.getByTestId('step-failure')).toHaveCount(0);
  await expect(preview.getByRole('columnheader').last()).toHaveText('name string');
  await expect(preview.locator('[aria-rowindex="3"]').getByRole('gridcell').last()).toHaveText('Bob');
  await page.screenshot({ path: 'test-results/issue15-9-join.png', fullPage: true });

  // Union offers the same sides; Save as job keeps a Relationalize child as the node's extra output
  // `relationalize_1:root_items` (issue 20: a job could not express it, and Save as job refused).
  await addStep(page, 'Union');
  await expect(page.getByLabel('Other table').locator('optgroup[label="Outputs of earlier steps"] option')).toHaveText(['root_items (from relationalize_1, 3 rows)']);
  await page.getByTestId('save-as-job-name').fill('joined');
  await page.getByTestId('save-as-job').click();
  await expect(page).toHaveURL(/#\/jobs\/joined$/);
  await expect(page.getByText('← relationalize_1, relationalize_1:root_items').first()).toBeVisible();
});
