import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlFolder } from './helpers';

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
