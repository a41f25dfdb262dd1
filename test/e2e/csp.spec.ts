import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropFiles } from './helpers';
import { StaticServer } from './static-server';

const DIST = join(import.meta.dirname, '..', '..', 'dist');

/** Record CSP violations the page reports, from before any app script runs. */
async function recordViolations(page: Page): Promise<string[]> {
  const consoleViolations: string[] = [];
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) consoleViolations.push(msg.text()); });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return consoleViolations;
}

/** The workflow that exercises the engine: start DuckDB, open a CSV, query it, scroll, load the sample. */
async function useTheApp(page: Page): Promise<void> {
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const rows = Array.from({ length: 500 }, (_, i) => `${i},${i % 7}`).join('\n');
  await dropFiles(page, [{ name: 'nums.csv', content: `n,m\n${rows}\n` }]);
  await expect(page.getByTestId('table-meta')).toContainText('500 rows');
  const grid = page.getByRole('grid', { name: 'Rows of nums' });
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(grid.locator('[aria-rowindex="500"]').getByRole('gridcell').first()).toHaveText('499');
  await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT sum(m) AS s FROM nums');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByRole('grid', { name: 'Query result' }).locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['1494']);
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('table-meta')).toContainText('4,000 rows');
}

/** A worker script that reports whether eval and WebAssembly compilation are allowed where it runs. */
const PROBE_WORKER = `
  let evalResult; try { (0, eval)('1'); evalResult = 'allowed'; } catch { evalResult = 'blocked'; }
  const emptyModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  WebAssembly.compile(emptyModule).then(() => 'compiled', () => 'blocked')
    .then((wasm) => postMessage({ eval: evalResult, wasm }));
`;

function probeWorker(): Promise<unknown> {
  return new Promise((resolve) => {
    const worker = new Worker('/csp-probe.js');
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve(`worker failed: ${e.message}`);
  });
}

/** Whether an inline script injected into the page runs (the policy refuses it and reports a violation). */
const inlineScriptRuns = (page: Page) => page.evaluate(() => {
  const script = document.createElement('script');
  script.textContent = 'window.inlineScriptRan = true';
  document.head.append(script);
  return (window as unknown as { inlineScriptRan?: boolean }).inlineScriptRan === true;
});

test('the built page carries a Content-Security-Policy and the app runs under it without violations', async ({ page }) => {
  const consoleViolations = await recordViolations(page);
  await page.goto('/');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain("'unsafe-eval'");
  await useTheApp(page);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(consoleViolations).toEqual([]);
  // The policy is really in force: an injected inline script is refused, and reported (so the recorder works).
  expect(await inlineScriptRuns(page)).toBe(false);
  await expect.poll(() => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(['script-src-elem inline']);
});

test('the same policy sent as a header, which also binds the engine worker, leaves DuckDB working', async ({ page }) => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'");
  expect(policy).toBeTruthy();
  const server = new StaticServer(DIST, { 'Content-Security-Policy': policy! });
  server.override('/csp-probe.js', PROBE_WORKER);
  const origin = await server.start();
  try {
    const consoleViolations = await recordViolations(page);
    await page.goto(origin);
    await useTheApp(page);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(consoleViolations).toEqual([]);
    // The header binds same-origin workers like the engine's: a probe worker may compile WebAssembly but not eval.
    expect(await page.evaluate(probeWorker)).toEqual({ eval: 'blocked', wasm: 'compiled' });
  } finally {
    await server.stop();
  }
});
