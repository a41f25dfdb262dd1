import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { openApp } from './helpers';
import { StaticServer } from './static-server';

// Issue 21 goal 6: the app is served cross-origin isolated, so DuckDB-WASM's multi-threaded coi build can run.

test('the app is cross-origin isolated and runs the single-threaded eh build unless asked for coi', async ({ page }) => {
  await openApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('engine-build')).toHaveText(/^eh, 1 thread/);
});

test('?duckdb=coi runs DuckDB\'s multi-threaded build, one thread per core, behind the same engine', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/?duckdb=coi');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 150_000 });
  const cores = await page.evaluate(() => Math.min(navigator.hardwareConcurrency || 1, 8));
  await expect(page.getByTestId('engine-build')).toHaveText(`coi, ${cores} thread${cores > 1 ? 's' : ''}`);
  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  await sqlBox.fill("SELECT current_setting('threads') AS t, count(*) AS n, sum(i) AS s FROM range(2000000) r(i) WHERE i % 3 = 0");
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText([String(cores), '666667', '666666333333']);
});

test('on a host that sends no isolation headers, the service worker makes the app cross-origin isolated, offline too (auto hung offline: emscripten never settled without the coi WASM)', async ({ page, context }) => {
  test.setTimeout(240_000);
  const server = new StaticServer(join(import.meta.dirname, '..', '..', 'dist'));
  const origin = await server.start();
  try {
    await page.goto(origin);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('engine-build')).toHaveText('eh, 1 thread (single-threaded build)', { timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 120_000 });
    await context.setOffline(true);
    await server.stop();
    // The coi WASM was never fetched, so offline `auto` cannot start it and falls back to eh, saying why.
    await page.goto(`${origin}/?duckdb=auto`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 150_000 });
    await expect(page.getByTestId('engine-build')).toContainText('eh, 1 thread (coi build failed to start');
  } finally {
    await server.stop();
  }
});
