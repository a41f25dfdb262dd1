import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFigures } from '../support/figures';
import { dropFiles } from './helpers';

const XSS = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const SQLI = 'a"; DROP TABLE x; --';

/** Write files under a fresh temp folder named `name`; returns the folder. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-rel-')), name);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  return root;
}

/** Fail the test on any dialog (an alert() from data would be one) and record CSP violations and page errors. */
function guard(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
  return { problems };
}

/** No element that data could have smuggled in: markup from files must only ever be text. */
async function expectNoInjectedMarkup(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"], img[onerror], svg[onload]')).toHaveCount(0);
  expect(await page.locator('script').evaluateAll((els) => els.filter((e) => (e.textContent ?? '').includes('alert(')).length)).toBe(0);
}

async function newCrawler(page: Page, name: string, database: string): Promise<void> {
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill(name);
  await settings.getByLabel('Database').fill(database);
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText(name);
}

/** Table names in the catalog's IndexedDB, read directly (not through the app). */
const storedTables = (page: Page) => page.evaluate(() => new Promise<string[]>((resolve, reject) => {
  const open = indexedDB.open('epoxy-catalog');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('tables')) { db.close(); resolve([]); return; }
    const req = db.transaction('tables').objectStore('tables').getAll();
    req.onsuccess = () => { db.close(); resolve((req.result as { DatabaseName: string; Name: string }[]).map((t) => `${t.DatabaseName}.${t.Name}`)); };
    req.onerror = () => reject(req.error);
  };
}));

test('a folder of hostile files: the crawl completes, each bad file is reported, no markup from data runs', async ({ page }) => {
  const { problems } = guard(page);
  const depth = 100_000;
  const lake = folder('hostile', {
    'good/orders.csv': 'order_id,region,amount\n1,eu,10.5\n2,us,3.25\n',
    'good/more.csv': 'order_id,region,amount\n3,ap,1.5\n',
    'xml/laughs.xml': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`).join('')}]><rows><row><v>&lol9;</v></row><row><v>2</v></row></rows>`,
    'deep/deep.json': `{"id":1,"v":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`,
    'gz/truncated.csv.gz': gzipSync('id,name\n' + Array.from({ length: 500 }, (_, i) => `${i},n${i}`).join('\n')).subarray(0, 300),
    'nul/nul.csv': 'id,name\n1,a\u0000b\n2,c\u0000\u0000\n',
    'xss/values.csv': `id,note\n1,"${XSS}"\n2,"${SCRIPT}"\n`,
    'xssnames/names.csv': `id,"${XSS}","${SQLI.replace(/"/g, '""')}"\n1,x,y\n2,z,w\n`,
    'nested/nested.json': `${JSON.stringify({ id: 1, inner: { [XSS]: 1, [SQLI]: SCRIPT } })}\n`,
    'junk/empty.csv': '',
  });
  await newCrawler(page, 'hostile_crawler', 'hostile');
  await page.locator('input[webkitdirectory]').setInputFiles(lake);
  await page.getByTestId('run-crawler').click();
  const report = page.getByTestId('crawl-report');
  await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 45_000 });

  const failures = page.getByTestId('crawl-failures');
  await expect(failures).toContainText('nul/nul.csv');
  await expect(failures).toContainText('junk/empty.csv: not recognised as a supported format (empty file)');
  for (const ok of ['good', 'xml', 'deep', 'gz', 'nested', 'xss', 'xssnames']) await expect(report.getByRole('link', { name: ok, exact: true })).toBeVisible();
  await expectNoInjectedMarkup(page);

  // Glue's API takes any single-line header (issue 17): the hostile names are columns, shown as text and flagged.
  await page.goto('/#/catalog/hostile/xssnames');
  await expect(page.getByTestId('schema-row').filter({ hasText: XSS })).toHaveCount(1);
  await expect(page.getByTestId('schema-row').filter({ hasText: SQLI.toLowerCase() })).toHaveCount(1);
  await expect(page.getByTestId('needs-quotes')).toHaveCount(2);
  await expect(page.getByTestId('unsafe-names')).toContainText('2 names need quotes in Athena');
  await expectNoInjectedMarkup(page);

  // Nested names stay as written inside the struct type, shown as text in the schema tree and the DDL.
  await page.goto('/#/catalog/hostile/nested');
  await expect(page.getByTestId('schema-row').nth(1)).toContainText('inner');
  await page.getByRole('button', { name: 'Expand inner' }).click();
  await expect(page.getByTestId('schema-row').filter({ hasText: XSS })).toHaveCount(1);
  await expect(page.getByTestId('schema-row').filter({ hasText: SQLI })).toHaveCount(1);
  await expectNoInjectedMarkup(page);
  await page.goto('/#/catalog/hostile/nested/export');
  await expect(page.getByTestId('ddl-preview')).toContainText('`a"; DROP TABLE x; --`:string');
  await expect(page.getByTestId('ddl-preview')).toContainText('`<img src=x onerror=alert(1)>`:bigint');
  await expectNoInjectedMarkup(page);
  expect(problems).toEqual([]);
});

test('values and column names from files are data in the Workspace: shown as text, quoted in SQL', async ({ page }) => {
  const { problems } = guard(page);
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const header = `id,"${XSS}","${SQLI.replace(/"/g, '""')}"`;
  await dropFiles(page, [{ name: 'hostile.csv', content: `${header}\n1,"${SCRIPT}","${XSS}"\n2,x,y\n` }]);
  await expect(page.getByTestId('table-meta')).toContainText('2 rows');
  const grid = page.getByRole('grid', { name: 'Rows of hostile' });
  await expect(grid).toContainText(SCRIPT);
  await expect(grid).toContainText(SQLI);
  // The hostile column name is an identifier like any other once quoted; the DROP inside it never runs.
  await page.getByRole('textbox', { name: 'SQL query' }).fill(`SELECT "${SQLI.replace(/"/g, '""')}" AS v, count(*) OVER () AS n FROM hostile ORDER BY id`);
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText([XSS, '2']);
  await page.getByRole('textbox', { name: 'SQL query' }).fill('SELECT count(*) FROM hostile');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['2']);
  await expectNoInjectedMarkup(page);
  expect(problems).toEqual([]);
});

for (const ending of ['closed', 'crashed'] as const) test(`a tab ${ending} mid-crawl: no half-written table, and the run is marked FAILED on reopen`, async ({ page, context }) => {
  // Enough files that the crawl is still classifying when the tab goes away.
  const rows = Array.from({ length: 2000 }, (_, i) => `${i},region_${i % 7},${(i * 1.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}`).join('\n');
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) files[`orders/part=${i % 20}/f${i}.csv`] = `order_id,region,amount,day\n${rows}\n`;
  const lake = folder('big', files);
  await newCrawler(page, 'big_crawler', 'big');
  await page.locator('input[webkitdirectory]').setInputFiles(lake);
  await page.getByTestId('run-crawler').click();
  const status = page.getByRole('status').filter({ hasText: 'Classifying' });
  await expect(status).toContainText(/Classifying · [1-9]\d* of 400 files/, { timeout: 30_000 });
  const doneWhenKilled = Number(/(\d+) of 400 files/.exec((await status.textContent()) ?? '')?.[1]);
  if (ending === 'closed') await page.close();
  else {
    // The renderer process dies as in a real crash (no unload handlers); the browser frees its locks.
    const crashed = page.waitForEvent('crash');
    await page.goto('chrome://crash').catch(() => undefined);
    await crashed;
  }

  const reopened = await context.newPage();
  await reopened.goto('/#/crawlers');
  await expect(reopened.getByTestId('crawler-title')).toHaveText('big_crawler');
  const runs = reopened.getByRole('table');
  await expect(runs.getByRole('cell', { name: 'FAILED', exact: true })).toBeVisible();
  await expect(runs).toContainText('the tab was closed or crashed during the crawl');
  expect(await storedTables(reopened)).toEqual([]);

  // The crawler is usable again: a new run over the same folder completes.
  await reopened.locator('input[webkitdirectory]').setInputFiles(folder('big', { 'orders/part=0/f.csv': 'order_id,region\n1,eu\n2,us\n' }));
  await reopened.getByTestId('run-crawler').click();
  await expect(reopened.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  expect(await storedTables(reopened)).toEqual(['big.orders']);
  writeFigures(`e2e-tab-${ending}-mid-crawl`, { files: 400, classifiedWhenKilled: doneWhenKilled, tablesAfterReopen: 0, runState: 'FAILED' });
});

test.describe('a crawler worker that crashes', () => {
  // Requests for the worker script must reach page.route, not the service worker's cache.
  test.use({ serviceWorkers: 'block' });

  test('is replaced by the pool, its file is reported, the rest of the crawl completes', async ({ page }) => {
    let served = 0;
    await page.route(/crawler\.worker-[\w-]+\.js$/, async (route) => {
      // Fault injection: the first worker the pool starts dies with an uncaught error once it is given a file.
      if (served++ === 0) {
        // With the isolation headers the app's own files carry (a cross-origin isolated page loads no worker without them).
        await route.fulfill({ contentType: 'text/javascript', headers: { 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' }, body: "self.onmessage = () => setTimeout(() => { throw new Error('injected crash while classifying'); });" });
      } else {
        await route.continue();
      }
    });
    const lake = folder('crashy', Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`t${i}/data.csv`, `id,v\n${i},a\n${i + 1},b\n`])));
    await newCrawler(page, 'crash_crawler', 'crashy');
    await page.locator('input[webkitdirectory]').setInputFiles(lake);
    await page.getByTestId('run-crawler').click();
    const report = page.getByTestId('crawl-report');
    await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
    expect(served).toBeGreaterThan(1);
    const failures = page.getByTestId('crawl-failures');
    await expect(failures.getByRole('listitem')).toHaveCount(1);
    // The file is named once (bug: "t2/data.csv: t2/data.csv: the worker crashed").
    await expect(failures.getByRole('listitem')).toHaveText(/^t\d\/data\.csv: the worker crashed \(.*injected crash while classifying\)$/);
    await expect(report).toContainText('5 files read');
  });
});
