import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addJobStep, dropFiles, openApp } from './helpers';

const ORDERS = 'id,region,amount,note\n1,eu,10.5,a\n2,us,3.25,b\n3,eu,7,c\n4,apac,1,d\n5,us,2.5,e\n6,eu,4,f\n';

/** Rows of a Parquet file read back with native DuckDB. */
async function parquetRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(sql.replace('$FILE', `'${path.replace(/'/g, "''")}'`));
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** Record Content-Security-Policy violations (inline styles a DAG library might inject, for one). */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

test('build a 3-step job in the editor, run it, download the Parquet, then write to the workspace and the catalog', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await recordViolations(page);
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');

  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('orders_job');
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('job-name')).toHaveText('orders_job');

  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('6 rows · 4 columns');

  await addJobStep(page, 'ApplyMapping', { mappings: [
    { source: 'id', target: 'order_id', targetType: 'bigint' },
    { source: 'region', target: 'region', targetType: 'string' },
    { source: 'amount', target: 'amount', targetType: 'double' },
  ] });
  await expect(page.getByTestId('preview-meta')).toHaveText('6 rows · 3 columns');
  await addJobStep(page, 'Filter', { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: 'lots' }] } });
  // Validation before run: a value that is not a number, at the node and column.
  await expect(page.getByTestId('node-message').filter({ hasText: 'lots' })).toHaveText('amount: "lots" is not a double (amount is one)');
  await expect(page.getByTestId('dag').locator('[data-node-id="filter_1"].has-error')).toBeVisible();
  const box = page.getByTestId('node-params');
  await box.fill(JSON.stringify({ predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: '3' }] } }));
  await box.blur();
  await expect(page.getByTestId('check-summary')).toHaveText('Checked: no problems found');
  await expect(page.getByTestId('preview-meta')).toHaveText('4 rows · 3 columns');
  await addJobStep(page, 'Derived', { name: 'is_eu', sql: "region = 'eu'", type: 'boolean' });
  await expect(page.getByTestId('preview-meta')).toHaveText('4 rows · 4 columns');
  await page.getByTestId('add-target').click();
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(5);
  // Four edges, each ending in an arrowhead marker of this very drawing (ids are per drawing: several graphs share a page).
  const arrows = await page.getByTestId('dag').evaluate((svg) => [...svg.querySelectorAll('path.edge')].map((p) => {
    const id = /url\(#(.+)\)/.exec(p.getAttribute('marker-end') ?? '')?.[1];
    const marker = id ? document.getElementById(id) : null;
    return marker instanceof SVGMarkerElement && svg.contains(marker);
  }));
  expect(arrows).toEqual([true, true, true, true]);

  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('node-timings').locator('rect')).toHaveCount(5);
  await expect(page.getByTestId('dag').locator('[data-node-id="derived_1"]')).toHaveAttribute('data-state', 'done');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-output').click()]);
  expect(download.suggestedFilename()).toBe('derived_1-part-00000.parquet');
  const file = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-')), 'out.parquet');
  await download.saveAs(file);
  const rows = await parquetRows(file, 'SELECT order_id, region, amount, is_eu FROM read_parquet($FILE) ORDER BY order_id');
  expect(rows).toEqual([
    { order_id: '1', region: 'eu', amount: 10.5, is_eu: true },
    { order_id: '2', region: 'us', amount: 3.25, is_eu: false },
    { order_id: '3', region: 'eu', amount: 7, is_eu: true },
    { order_id: '6', region: 'eu', amount: 4, is_eu: true },
  ]);

  // The scripts download too.
  const [py] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pyspark').click()]);
  expect(py.suggestedFilename()).toBe('orders_job.py');
  const glueScript = readFileSync(await py.path(), 'utf8');
  expect(glueScript).toContain('glueContext.create_dynamic_frame.from_options(');
  const [spark] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-spark').click()]);
  expect(spark.suggestedFilename()).toBe('orders_job_spark.py');
  // Both scripts hold the same transform body (issue 20: what Spark runs is what Glue runs).
  const sparkScript = readFileSync(await spark.path(), 'utf8');
  const body = sparkScript.slice(sparkScript.indexOf('# ---- transforms'), sparkScript.indexOf('# ---- end of transforms'));
  expect(body).toContain('derived_1 = ');
  expect(glueScript).toContain(body);
  await expect(page.getByTestId('job-error')).toHaveCount(0);
  const [sql] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-sql').click()]);
  expect(sql.suggestedFilename()).toBe('orders_job.sql');

  // Same job, now writing Parquet into the workspace (OPFS), partitioned, registered as a catalog table.
  await page.getByTestId('dag').locator('[data-node-id="download_1"]').click();
  await page.getByTestId('target-type').selectOption('workspace');
  await page.getByTestId('target-path').fill('lake/orders_clean');
  await page.getByTestId('target-path').blur();
  await page.getByTestId('target-database').fill('lake');
  await page.getByTestId('target-database').blur();
  await page.getByTestId('target-table').fill('orders_clean');
  await page.getByTestId('target-table').blur();
  await page.getByTestId('target-partitions').fill('region');
  await page.getByTestId('target-partitions').blur();
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expect(page.getByTestId('run-log')).toContainText('registered lake.orders_clean in the catalog');

  // What OPFS holds: the run's version folder (what the catalog names), one folder per region in it, its commit marker.
  const folders = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const lake = await (await root.getDirectoryHandle('lake')).getDirectoryHandle('orders_clean');
    const list = async (dir: FileSystemDirectoryHandle) => {
      const names: string[] = [];
      for await (const [name] of (dir as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) names.push(name);
      return names.sort();
    };
    return { top: await list(lake), version: await list(await lake.getDirectoryHandle('_epoxy_v1')) };
  });
  expect(folders).toEqual({ top: ['_epoxy_v1'], version: ['_SUCCESS', 'region=eu', 'region=us'] });
  expect(await violations(page)).toEqual([]);

  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.goto('/#/catalog/lake/orders_clean');
  await expect(page.getByText('orders_clean').first()).toBeVisible();
  await expect(page.getByText('opfs://lake/orders_clean').first()).toBeVisible();
  await page.goto('/#/jobs/orders_job');
  await expect(page.getByTestId('job-name')).toHaveText('orders_job');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('save a Transform pipeline as a job and run it from the Jobs view', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Transform' }).click();
  await expect(page.getByTestId('transform-input')).toHaveValue('orders');
  await page.getByTestId('step-kind').selectOption('Filter');
  await page.getByTestId('add-step').click();
  await page.getByLabel('Condition 1 column').selectOption('region');
  await page.getByLabel('Condition 1 operator').selectOption('=');
  await page.getByLabel('Condition 1 value').fill('us');
  await page.getByLabel('Condition 1 value').blur();
  await expect(page.getByTestId('output-meta')).toContainText('2 rows');
  await page.getByTestId('save-as-job-name').fill('us_orders');
  await page.getByTestId('save-as-job').click();
  await expect(page).toHaveURL(/#\/jobs\/us_orders$/);
  await expect(page.getByTestId('job-name')).toHaveText('us_orders');
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(3);
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expect(page.getByTestId('run-row').first()).toContainText('2');
  await expect(page.getByTestId('download-output')).toHaveText('us_orders-part-00000.parquet');
});

test('stop a running job: the run ends STOPPED and is kept in the history', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('slow_job');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('6 rows · 4 columns');
  // A deliberately heavy step (hundreds of millions of rows scanned), so the run is still going when Stop is clicked.
  await addJobStep(page, 'Sql', { sql: 'SELECT count(*) AS n, sum(r.range % 7) AS s FROM input, range(400000000) r' });
  // The node's preview runs the same heavy query first: the run waits for the engine until it ends (the test
  // failed under load when the preview outlasted the wait for the node to run).
  await expect(page.getByTestId('preview-meta')).toContainText('2 columns', { timeout: 90_000 });
  await page.getByTestId('add-target').click();
  await page.getByTestId('run-job').click();
  // Stop while the heavy step runs: a Stop before the first node starts says only "stopped", which is right too.
  await expect(page.getByTestId('dag').locator('[data-node-id="sql_1"]')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('stop-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('STOPPED');
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-state', 'STOPPED');
  await expect(page.getByTestId('run-error')).toContainText('stopped at');
});

test('New job while a job is open at #/jobs/<name> creates and opens the new job; edits go to it and the old one is unchanged (issue 15 #2)', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('first_job');
  await page.getByTestId('new-job').click();
  await expect(page).toHaveURL(/#\/jobs\/first_job$/);
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await page.getByTestId('add-target').click();
  await page.getByTestId('save-job').click();
  await expect(page.getByTestId('job-unsaved')).toHaveCount(0);
  const firstVersion = (await page.getByTestId('job-version').textContent())!;
  expect(firstVersion).toMatch(/^version \d+$/);

  // Open it from its URL, as a link or the job list does, then start another job from there.
  await page.getByRole('link', { name: 'Workspace' }).click();
  await page.goto('/#/jobs/first_job');
  await expect(page.getByTestId('job-name')).toHaveText('first_job');
  await page.getByTestId('new-job-name').fill('second_job');
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('job-name')).toHaveText('second_job');
  await expect(page).toHaveURL(/#\/jobs\/second_job$/);
  await expect(page.getByTestId('new-job-name')).toHaveValue('');
  await expect(page.getByTestId('job-unsaved')).toBeVisible();
  await expect(page.getByTestId('dag')).toHaveCount(0);

  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await addJobStep(page, 'Filter', { predicate: { sql: "region = 'eu'" } });
  await page.getByTestId('add-target').click();
  await page.getByTestId('save-job').click();
  await expect(page.getByTestId('job-unsaved')).toHaveCount(0);
  await expect(page.getByTestId('job-name')).toHaveText('second_job');
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(3);
  await expect(page.getByTestId('job-list').getByRole('link')).toHaveText(['first_job', 'second_job']);

  await page.getByTestId('job-list').getByRole('link', { name: 'first_job' }).click();
  await expect(page.getByTestId('job-name')).toHaveText('first_job');
  await expect(page.getByTestId('job-version')).toHaveText(firstVersion);
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(2);
  await expect(page.getByTestId('job-steps')).not.toContainText('filter_1');
});

test('a long job draws its last node inside the canvas, a workspace target is named workspace_1, and a new job shows no output of the previous one (issue 15 #14)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('long_job');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  for (let i = 0; i < 4; i++) await addJobStep(page, 'Filter', { predicate: { sql: 'amount > 0' } });
  await page.getByTestId('add-target').click();
  await expect(page.getByTestId('dag').locator('g.node')).toHaveCount(6);
  const canvas = (await page.getByTestId('dag-canvas').boundingBox())!;
  const last = (await page.getByTestId('dag').locator('[data-node-id="download_1"]').boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  await expect(page.getByTestId('dag-overflow')).toHaveCount(0);

  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('SUCCEEDED');
  await expect(page.getByTestId('download-output')).toHaveText('filter_4-part-00000.parquet');

  // The target written to the workspace is named after it.
  await page.getByTestId('target-type').selectOption('workspace');
  await expect(page.getByTestId('dag').locator('[data-node-id="workspace_1"]')).toBeVisible();
  await expect(page.getByTestId('job-steps')).toContainText('workspace_1');
  await expect(page.getByTestId('node-editor')).toHaveAttribute('data-node-id', 'workspace_1');

  await page.getByTestId('new-job-name').fill('next_job');
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('job-name')).toHaveText('next_job');
  await expect(page.getByTestId('download-output')).toHaveCount(0);
  await expect(page.getByText('No runs yet.')).toBeVisible();
});

test('MaxRetries 2 and a Sql step that casts \'abc\' to INTEGER: one attempt, and the run says it was not retried (issue 15 #5: a deterministic error was retried 3 times in a second)', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'orders.csv', content: ORDERS }]);
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('new-job-name').fill('cast_job');
  await page.getByTestId('new-job').click();
  await page.getByTestId('source-choice').selectOption('table:orders');
  await page.getByTestId('add-source').click();
  await addJobStep(page, 'Sql', { sql: "SELECT id, CAST('abc' AS INTEGER) AS n FROM input" });
  await page.getByTestId('add-target').click();
  await page.getByLabel('Max retries').fill('2');
  await page.getByLabel('Max retries').blur();
  await page.getByTestId('run-job').click();
  await expect(page.getByTestId('run-state')).toHaveText('FAILED');
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-state', 'FAILED');
  await expect(page.getByTestId('run-row')).toContainText("Could not convert string 'abc'");
  await expect(page.getByTestId('run-not-retried')).toContainText('was not retried: the failure is in the job itself');
  await expect(page.getByTestId('run-log')).toContainText('not retried');

  // Started by a trigger, the scheduler does the same: one attempt, with the reason on its record.
  await page.getByRole('link', { name: 'Schedules' }).click();
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('go');
  await form.getByLabel('Type').selectOption('ON_DEMAND');
  await form.getByLabel('job cast_job').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  await page.getByTestId('trigger-row').filter({ hasText: 'go' }).getByRole('button', { name: 'Run now' }).click();
  const byTrigger = page.getByTestId('job-run').filter({ hasText: 'trigger go' });
  await expect(byTrigger).toHaveAttribute('data-state', 'FAILED', { timeout: 30_000 });
  await expect(page.getByTestId('queue-item')).toHaveCount(0);
  await expect(page.getByTestId('job-run')).toHaveCount(2);
  await expect(byTrigger.getByTestId('run-note')).toContainText('not retried: the failure is in the job itself');
  await expect(page.getByTestId('job-run').filter({ hasText: 'retry' })).toHaveCount(0);
});
