import { expect, test, type Page } from '@playwright/test';
import { startS3, type TestS3 } from '../support/s3';

/** Open the app and wait until DuckDB reports ready. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
}

/** Drop files on the real drop zone through a DataTransfer, as a user's drag and drop does. */
export async function dropFiles(page: Page, files: { name: string; content: string; type?: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.content], f.name, { type: f.type ?? 'text/csv' }));
    return dt;
  }, files);
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
}

/** In the Jobs editor: add a transform after the selected node and set its params through its JSON editor. */
export async function addJobStep(page: Page, kind: string, params: unknown): Promise<void> {
  await page.getByTestId('step-kind').selectOption(kind);
  await page.getByTestId('add-step').click();
  const editor = page.getByTestId('node-editor');
  await expect(editor.locator('.kind')).toHaveText(kind);
  const details = editor.locator('details.json');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  const box = page.getByTestId('node-params');
  await box.fill(JSON.stringify(params));
  await box.blur();
}

/** Create a crawler writing to `database` and crawl a folder on disk with it (through the real folder input). */
export async function crawlFolder(page: Page, database: string, folder: string, name?: string): Promise<void> {
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  if (name) await settings.getByLabel('Name').fill(name);
  await settings.getByLabel('Database').fill(database);
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await page.locator('input[webkitdirectory]').setInputFiles(folder);
  await page.getByTestId('run-crawler').click();
  await expect(page.getByTestId('crawl-report')).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
}

/** In Transform: edit the selected step's params in its JSON editor (opened when a form hides it). */
export async function setStepParams(page: Page, json: unknown): Promise<void> {
  const details = page.locator('details.json');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  const box = page.getByTestId('step-params');
  await box.fill(JSON.stringify(json));
  await box.blur();
}

/** In the Jobs editor: make the selected target write to the workspace (and register a catalog table), field by field as a user types. */
export async function setWorkspaceTarget(page: Page, t: { path: string; database: string; table: string; partitions?: string }): Promise<void> {
  await page.getByTestId('target-type').selectOption('workspace');
  const fields: [string, string][] = [['target-path', t.path], ['target-database', t.database], ['target-table', t.table]];
  if (t.partitions !== undefined) fields.push(['target-partitions', t.partitions]);
  for (const [id, value] of fields) {
    await page.getByTestId(id).fill(value);
    await page.getByTestId(id).blur();
  }
}

/** The origin the built app is served at (the e2e web server), which S3 must allow (CORS). */
export const APP_ORIGIN = `http://127.0.0.1:${process.env.EPOXY_E2E_PORT ?? 4181}`;

/**
 * An s3rver bucket that allows the app's origin and holds `objects` (key → body), started before the spec's
 * tests and closed after them. Call it at the top of a spec; the returned function gives the running bucket.
 */
export function s3Bucket(objects: Record<string, string>): () => TestS3 {
  let s3: TestS3 | undefined;
  test.beforeAll(async () => {
    s3 = await startS3({ corsOrigins: [APP_ORIGIN] });
    for (const [key, body] of Object.entries(objects)) await s3.put(key, body);
  });
  test.afterAll(async () => { await s3?.close(); });
  return () => {
    if (!s3) throw new Error('the S3 bucket is used before its beforeAll ran');
    return s3;
  };
}

/** In the Crawlers view: save crawler `crawler` into `database`, and paste and check presigned `urls` as its target. */
export async function crawlerWithUrls(page: Page, crawler: string, database: string, urls: string[]): Promise<void> {
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill(crawler);
  await settings.getByLabel('Database').fill(database);
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText(crawler);
  await page.getByRole('tab', { name: 'Presigned S3 URLs' }).click();
  await page.getByLabel('Presigned URLs').fill(urls.join('\n'));
  await page.getByTestId('check-urls').click();
}
