import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePayload } from '../../src/share/codec';
import { crawlFolder, openApp } from './helpers';

function folder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-share-')), 'shop');
  mkdirSync(join(root, 'orders', 'year=2024'), { recursive: true });
  mkdirSync(join(root, 'orders', 'year=2025'), { recursive: true });
  writeFileSync(join(root, 'orders', 'year=2024', 'a.csv'), 'id,amount,note\n1,2.5,<script>alert(1)</script>\n2,3.5,x\n');
  writeFileSync(join(root, 'orders', 'year=2025', 'a.csv'), 'id,amount,note\n3,1.5,y\n');
  return root;
}

test('a table definition shared as a link opens read-only in a fresh browser and is added only on request', async ({ page, browser }) => {
  await crawlFolder(page, 'shop', folder());

  await page.goto('/#/catalog/shop/orders/export');
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#\/share\/e1\.[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(2000);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { name: /Shared table definition/ })).toContainText('shop.orders');
  await expect(other.getByRole('cell', { name: 'amount' })).toBeVisible();
  await expect(other.getByText('Nothing has been added to your catalog.')).toBeVisible();
  // Nothing was added by opening the link.
  await other.goto(new URL('/#/catalog', link).href);
  await expect(other.getByTestId('catalog-empty')).toBeVisible();
  await other.goto(link);
  await other.getByRole('button', { name: 'Add to my catalog' }).click();
  await other.getByRole('link', { name: 'Open it in the catalog' }).click();
  await expect(other.getByTestId('table-title')).toContainText('orders');

  // A link cut short or edited is refused with a clear message.
  await other.goto(link.slice(0, link.length - 10));
  await expect(other.getByTestId('share-error')).toContainText(/damaged|cut short|not valid/);
  await other.goto(new URL('/#/share/hello', link).href);
  await expect(other.getByTestId('share-error')).toHaveText('This is not an Epoxy share link');
  await fresh.close();
});

function shop(orders: string): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-share-wf-')), 'shop');
  mkdirSync(join(root, 'orders'), { recursive: true });
  writeFileSync(join(root, 'orders', 'a.csv'), orders);
  return root;
}

test('a workflow with a job shared as a link is added in a fresh browser bound to that user\'s own catalog table, and its job runs there', async ({ page, browser }) => {
  // The sender: a job over their catalog table, started by an on-demand trigger of workflow "nightly".
  await crawlFolder(page, 'shop', shop('id,region,amount\n1,eu,10.5\n2,us,3.25\n3,eu,7\n'));
  await page.goto('/#/jobs');
  await page.getByTestId('new-job-name').fill('clean_orders');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('catalog:shop.orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('3 rows · 3 columns');
  await page.getByTestId('add-target').click();
  await page.getByTestId('save-job').click();
  await page.goto('/#/schedules');
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('go');
  await form.getByLabel('Workflow').fill('nightly');
  await form.getByLabel('Type').selectOption('ON_DEMAND');
  await form.getByLabel('job clean_orders').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  await page.getByText('Share this workflow', { exact: true }).click();
  const link = await page.getByTestId('share-link').inputValue();

  // The receiver has their own orders, crawled into their own database; the link's shop.orders is not theirs.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await crawlFolder(other, 'mine', shop('id,region,amount\n7,eu,1\n8,apac,2\n'));
  await other.goto(link);
  await expect(other.getByTestId('shared-workflow-title')).toContainText('nightly');
  await expect(other.getByTestId('conflict')).toHaveCount(0);
  await expect(other.getByTestId('shared-triggers')).toContainText('go: on demand → job clean_orders');
  await expect(other.getByTestId('add-workflow')).toBeDisabled();
  const input = other.getByTestId('shared-input');
  await expect(input).toContainText('The link names the catalog table shop.orders');
  // The Schedules view shares workflows without measured schemas: the slot says so instead of checking nothing silently.
  await expect(input).toContainText('The link does not say which columns it expects');
  await input.getByTestId('pick-table').selectOption({ label: 'mine.orders' });
  await expect(input.getByTestId('input-reads')).toContainText('your catalog table mine.orders');
  await other.getByTestId('add-workflow').click();
  await other.getByRole('link', { name: 'Open Schedules' }).click();
  await expect(other.getByTestId('trigger-row')).toHaveCount(1);
  await expect(other.getByTestId('trigger-row').getByRole('checkbox', { name: 'enabled' })).not.toBeChecked();
  await expect(other.getByTestId('job-run')).toHaveCount(0);

  // Run it by hand: it reads the receiver's table.
  await other.getByTestId('trigger-row').getByRole('button', { name: 'Run now' }).click();
  await expect(other.getByTestId('job-run').filter({ hasText: 'clean_orders' })).toContainText('SUCCEEDED', { timeout: 30_000 });
  await fresh.close();
});

test('after Add to my catalog the shared table page no longer says "Nothing has been added" (issue 15 #15)', async ({ page }) => {
  const table = { Name: 'airports', StorageDescriptor: { Columns: [{ Name: 'iata', Type: 'string' }, { Name: 'latitude', Type: 'double' }], Location: 's3://vega/airports/' }, Parameters: { classification: 'csv' } };
  await openApp(page);
  await page.goto(`/#/share/${encodePayload({ v: 1, kind: 'table', database: 'geo', table })}`);
  const state = page.getByTestId('share-table-state');
  await expect(state).toHaveText('Review it below. Nothing has been added to your catalog.');
  // An empty database name is refused rather than added somewhere unnamed.
  await page.getByLabel('Database').fill(' ');
  await page.getByRole('button', { name: 'Add to my catalog' }).click();
  await expect(page.getByRole('alert')).toHaveText('Give the database to add the table to');
  await page.getByLabel('Database').fill('maps');
  await page.getByRole('button', { name: 'Add to my catalog' }).click();
  await expect(page.getByTestId('table-added')).toHaveText('Added as maps.airports. Open it in the catalog');
  await expect(state).toHaveText('It is in your catalog now.');
  await expect(page.getByText('Nothing has been added')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/issue15-15-added.png', fullPage: true });
  await page.getByRole('link', { name: 'Open it in the catalog' }).click();
  await expect(page.getByTestId('table-title')).toContainText('airports');
});
