import { expect, test, type Page } from '@playwright/test';
import { encodePayload } from '../../src/share/codec';
import { openApp } from './helpers';

type Json = Record<string, unknown>;
const job = (name: string, nodes: Json[], parameters: Json[] = []) => ({ version: 1, name, nodes, parameters, bookmark: 'job-bookmark-disable' });
// A link made before the sender previewed the job lists no columns for its input.
const jobLink = (def: Json & { name: string }) => `/#/share/${encodePayload({ v: 1, kind: 'job', name: def.name, definition: def, inputs: [{ name: 'orders', columns: [] }] })}`;
const slot = (page: Page, nodeId: string) => page.locator(`[data-testid="shared-input"][data-node="${nodeId}"]`);
const file = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

const ORDERS = 'id,region,amount\n1,eu,10.5\n2,us,3.25\n3,eu,7\n4,us,1\n';
// vega-datasets' penguins, as a CSV: nothing in it is called region or amount.
const PENGUINS = 'species,island,bill_length_mm\nAdelie,Torgersen,39.1\nGentoo,Biscoe,46.1\n';

test('a shared job whose link declares no columns refuses a wrong file, even when only SQL names the columns (issue 15 #7: accepted, failed at Run)', async ({ page }) => {
  const def = job('totals', [
    { id: 'orders', kind: 'source', source: { type: 'file', path: 'data/orders.csv' } },
    { id: 'by_region', kind: 'transform', inputs: ['orders'], step: { id: 'by_region', kind: 'Sql', params: { sql: 'SELECT region, sum(amount) AS total FROM input WHERE amount >= ${min_amount} GROUP BY region ORDER BY region' } } },
    { id: 'out', kind: 'target', inputs: ['by_region'], target: { type: 'download', format: 'csv' } },
  ], [{ name: 'min_amount', default: '3', description: 'smallest order kept' }]);
  await openApp(page);
  await page.goto(jobLink(def));
  await expect(page.getByTestId('shared-job-title')).toContainText('totals');
  const input = slot(page, 'orders');
  await expect(input).toContainText('The link does not say which columns it expects');

  await input.getByTestId('file-input').setInputFiles(file('penguins.csv', PENGUINS));
  await expect(input.getByTestId('input-error')).toHaveText('by_region: its SQL uses a column amount that its input does not have (it has species, island, bill_length_mm)');
  await expect(page.getByTestId('run-blockers')).toContainText('orders: by_region: its SQL uses a column amount');
  await expect(page.getByTestId('run-shared')).toBeDisabled();
  await page.screenshot({ path: 'test-results/issue15-7-wrong-file.png', fullPage: true });

  // The right file binds: the check says so, Run is on, and the run gives the totals.
  await input.getByTestId('file-input').setInputFiles(file('orders.csv', ORDERS));
  await expect(input.getByTestId('dry-check')).toContainText('Every step, its SQL included, binds to these columns');
  await expect(input.getByTestId('input-error')).toHaveCount(0);
  await expect(page.getByTestId('run-shared')).toBeEnabled();
  await page.getByTestId('run-shared').click();
  await expect(page.getByTestId('shared-run-state')).toHaveAttribute('data-state', 'SUCCEEDED', { timeout: 30_000 });
  await expect(page.getByTestId('shared-run-state')).toContainText('4 rows read, 2 written');
});

test('a shared job shows its parameters in words: in the step they are used by, with their value and description (issue 15 #7: parameters as JSON)', async ({ page }) => {
  const def = job('big_orders', [
    { id: 'orders', kind: 'source', source: { type: 'file', path: 'data/orders.csv' } },
    { id: 'big', kind: 'transform', inputs: ['orders'], step: { id: 'big', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: '${min_amount}' }] } } } },
    { id: 'tagged', kind: 'transform', inputs: ['big'], step: { id: 'tagged', kind: 'Derived', params: { name: 'is_home', sql: "region = '${home}'", type: 'boolean' } } },
    { id: 'out', kind: 'target', inputs: ['tagged'], target: { type: 'download', format: 'csv' } },
  ], [{ name: 'min_amount', default: '3', description: 'smallest order kept' }, { name: 'home', default: 'eu' }, { name: 'unused', default: 'x' }]);
  await openApp(page);
  await page.goto(jobLink(def));
  const big = page.locator('[data-testid="shared-step"][data-node="big"]');
  await expect(big.locator('.what')).toHaveText("Filter: keep records where amount ≥ '3'");
  await expect(big.getByTestId('step-params')).toHaveText('with the parameter min_amount = 3');
  const tagged = page.locator('[data-testid="shared-step"][data-node="tagged"]');
  await expect(tagged.getByTestId('sql-fragment')).toHaveText("region = 'eu'");
  await expect(tagged.getByTestId('step-params')).toHaveText('with the parameter home = eu');
  await expect(page.getByTestId('shared-params').locator('li')).toHaveText([
    'min_amount = 3 — smallest order kept · used by big',
    'home = eu · used by tagged',
    'unused = x · not used by any step',
  ]);
  // A wrong file is refused at its input by the steps' own column names.
  await slot(page, 'orders').getByTestId('file-input').setInputFiles(file('penguins.csv', PENGUINS));
  await expect(slot(page, 'orders').getByTestId('input-error')).toHaveText('missing column amount (the steps use it)');
  await expect(page.getByTestId('run-shared')).toBeDisabled();
  await page.screenshot({ path: 'test-results/issue15-7-params.png', fullPage: true });
});
