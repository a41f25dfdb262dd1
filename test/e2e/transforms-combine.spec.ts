import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addJobStep, dropFiles, openApp } from './helpers';

const vega = (name: string) => ({ name, content: readFileSync(`node_modules/vega-datasets/data/${name}`, 'utf8') });

test('a job with two sources and a Lookup, set up in its form, previews and runs (Glue Studio\'s Lookup)', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page);
  await dropFiles(page, [vega('lookup_groups.csv'), vega('lookup_people.csv')]);
  await expect(page.getByTestId('table-meta')).toContainText('9 rows');

  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('groups_people');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:lookup_groups');
  await page.getByTestId('add-source').click();
  await page.getByTestId('source-choice').selectOption('table:lookup_people');
  await page.getByTestId('add-source').click();

  // The step reads the selected node first; its second input (the lookup table) is the other source.
  await page.getByTestId('job-steps').getByRole('button', { name: /lookup_groups_1/ }).click();
  await page.getByTestId('step-kind').selectOption('Lookup');
  await page.getByTestId('add-step').click();
  const editor = page.getByTestId('node-editor');
  await expect(editor.locator('.kind')).toHaveText('Lookup');
  await expect(editor.getByLabel('Input 1 of lookup_1')).toHaveValue('lookup_groups_1');
  await expect(editor.getByLabel('Input 2 of lookup_1')).toHaveValue('lookup_people_1');

  // Glue's "Lookup key columns to match" (person = name) and "Lookup columns to take" (age, height as height_cm).
  await editor.getByLabel('Key 1 column').selectOption('person');
  await editor.getByLabel('Key 1 = lookup column').selectOption('name');
  await editor.getByRole('button', { name: 'Add column to take' }).click();
  await editor.getByLabel('Column to take 1 lookup column').selectOption('age');
  await editor.getByRole('button', { name: 'Add column to take' }).click();
  await editor.getByLabel('Column to take 2 lookup column').selectOption('height');
  await editor.getByLabel('Column to take 2 as').fill('height_cm');
  await editor.getByLabel('Column to take 2 as').blur();
  await expect(page.getByTestId('check-summary')).toHaveText('Checked: no problems found');
  await expect(page.getByTestId('preview-meta')).toHaveText('9 rows · 4 columns');
  const grid = page.getByRole('grid', { name: 'Node preview' });
  await expect(grid.getByRole('columnheader')).toContainText(['group', 'person', 'age', 'height_cm']);
  await expect(grid).toContainText('George');
  await expect(grid).toContainText('174');
  await page.screenshot({ path: 'test-results/transforms-combine-lookup-form.png', fullPage: true });

  // Limit the run to the first 5 looked-up records, then write them.
  await addJobStep(page, 'Limit', { count: 5 });
  await expect(page.getByTestId('preview-meta')).toHaveText('5 rows · 4 columns');
  await page.getByTestId('add-target').click();
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expect(page.getByTestId('dag').locator('[data-node-id="lookup_1"]')).toHaveAttribute('data-state', 'done');
  await page.screenshot({ path: 'test-results/transforms-combine-lookup.png', fullPage: true });

  // What the run wrote, read back with native DuckDB: the first five groups' members with their age and height.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-output').click()]);
  const file = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-')), 'out.parquet');
  await download.saveAs(file);
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
  expect(rows).toEqual([
    { group: '1', person: 'Alan', age: '25', height_cm: '180' },
    { group: '1', person: 'George', age: '32', height_cm: '174' },
    { group: '1', person: 'Fred', age: '39', height_cm: '182' },
    { group: '2', person: 'Steve', age: '42', height_cm: '161' },
    { group: '2', person: 'Nick', age: '23', height_cm: '180' },
  ]);
  expect(errors).toEqual([]);
});
