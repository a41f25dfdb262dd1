import { GetObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startS3, type TestS3 } from '../support/s3';

// A real S3 API (s3rver) on 127.0.0.1 whose bucket allows the app's origin, one without CORS, and a fault proxy.
const origin = `http://127.0.0.1:${process.env.EPOXY_E2E_PORT ?? 4181}`;
let s3: TestS3;
let closed: TestS3;
let proxy: FaultProxy;

const objects: Record<string, string> = {
  'data/orders/year=2024/part-0.csv': 'order_id,region,amount\n1,eu,10.5\n2,us,3.25\n',
  'data/orders/year=2025/part-0.csv': 'order_id,region,amount\n3,eu,7.75\n',
  'data/orders/year=2026/part-0.csv': 'order_id,region,amount\n4,ap,1.5\n',
  'data/events/e1.json': '{"id":1,"user":{"name":"ana","tags":["a"]}}\n{"id":2,"user":{"name":"bo","tags":[]}}\n',
};
const expire = (url: string) => url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
const signatureMismatch = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';

test.beforeAll(async () => {
  s3 = await startS3({ corsOrigins: [origin] });
  for (const [key, body] of Object.entries(objects)) await s3.put(key, body);
  closed = await startS3({ bucket: 'private' });
  await closed.put('data/a.csv', 'a,b\n1,2\n');
  proxy = await startFaultProxy(s3.endpoint);
  proxy.corsOrigin(origin);
});
test.afterAll(async () => {
  await proxy?.close();
  await s3?.close();
  await closed?.close();
});

async function newCrawler(page: import('@playwright/test').Page, name: string, database: string) {
  await page.goto('/#/crawlers');
  const settings = page.getByRole('form', { name: 'Crawler settings' });
  await settings.getByLabel('Name').fill(name);
  await settings.getByLabel('Database').fill(database);
  await settings.getByRole('button', { name: 'Save crawler' }).click();
  await expect(page.getByTestId('crawler-title')).toHaveText(name);
  await page.getByRole('tab', { name: 'Presigned S3 URLs' }).click();
}

test('paste presigned URLs, crawl them through injected 503s into partitioned tables; an expired URL is flagged and reported', async ({ page }) => {
  await newCrawler(page, 's3_crawler', 's3lake');
  const pasted = [
    proxy.via(await s3.presignList('data/')),
    proxy.via(await s3.presignGet('data/orders/year=2024/part-0.csv')),
    proxy.via(await s3.presignGet('data/orders/year=2025/part-0.csv')),
    proxy.via(expire(await s3.presignGet('data/orders/year=2026/part-0.csv'))),
    proxy.via(await s3.presignGet('data/events/e1.json')),
    `PUT ${await s3.presignPut('out/result.csv')}`,
  ].join('\n');
  await page.getByLabel('Presigned URLs').fill(pasted);
  proxy.script([503, 'drop', 503]);
  await page.getByTestId('check-urls').click();

  const rows = page.getByTestId('url-object');
  await expect(rows).toHaveCount(4);
  const expired = rows.filter({ hasText: 'year=2026' });
  await expect(expired.locator('[data-expiry]')).toHaveAttribute('data-expiry', 'expired');
  await expect(expired).toContainText('The presigned URL expired at 2020-01-01T01:00:00.000Z');
  await expect(rows.filter({ hasText: 'year=2024' })).toContainText('readable');
  await expect(page.getByTestId('url-warnings')).toContainText('Line 4 (lake/data/orders/year=2026/part-0.csv): the URL expired');
  await expect(page.getByTestId('put-urls')).toContainText('1 PUT URL for job targets: lake/out/result.csv');
  await expect(page.getByTestId('crawl-target')).toContainText('3 objects under s3://lake/data: 3 files');
  // Nothing on the page shows a signature.
  expect(await page.content()).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/);

  await page.getByLabel('Connection name').fill('lake_urls');
  await page.getByRole('button', { name: 'Save as connection' }).click();
  await expect(page.getByText('Saved connection lake_urls')).toBeVisible();

  proxy.script([503, 'drop', 503]);
  await page.getByTestId('run-crawler').click();
  const report = page.getByTestId('crawl-report');
  await expect(report).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await expect(report).toContainText('2 tables created');
  await expect(report).toContainText('2 partitions');
  await expect(report).toContainText('3 files read');
  await expect(page.getByTestId('crawl-failures')).toContainText('orders/year=2026/part-0.csv: The presigned URL expired at 2020-01-01T01:00:00.000Z');
  expect(proxy.requests.filter((r) => r.startsWith('HEAD'))).toEqual([]);
  expect(proxy.requests.filter((r) => / (503|drop)$/.test(r)).length).toBe(6);

  await report.getByRole('link', { name: 'orders' }).click();
  await expect(page.getByTestId('table-title')).toContainText('orders');
  await expect(page.getByTestId('schema-row')).toHaveCount(4);
  await expect(page.getByTestId('schema-row').nth(3)).toContainText('year');
  await expect(page.getByText('s3://lake/data/orders').first()).toBeVisible();

  // The connection is listed with redacted URLs; an export of the catalog carries no signature.
  await page.goto('/#/connections');
  const connection = page.getByTestId('connection').filter({ hasText: 'lake_urls' });
  await expect(connection).toContainText('EPOXY_S3_PRESIGNED');
  await expect(connection).toContainText('X-Amz-Signature=REDACTED');
  await expect(connection.locator('.expiry.expired')).toHaveCount(1);
});

test('a bucket without CORS is explained with the configuration to paste', async ({ page }) => {
  await newCrawler(page, 'closed_crawler', 'closed');
  await page.getByLabel('Presigned URLs').fill(await closed.presignGet('data/a.csv'));
  await page.getByTestId('check-urls').click();
  await expect(page.getByTestId('url-object')).toContainText('does not allow this origin');
  const help = page.getByTestId('cors-help');
  await expect(help).toContainText('"AllowedOrigins"');
  await expect(help).toContainText(origin);
  await expect(help).toContainText('"GET"');
  await expect(page.getByTestId('run-crawler')).toBeDisabled();
});

test('DuckDB reads presigned CSV and Parquet objects with range GETs when HEAD is refused, and a query result is written back with a presigned PUT', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // Real S3 answers HEAD on a GET-presigned URL with 403; DuckDB's own reader would then download everything or fail.
  proxy.refuseHead(403);
  const url = proxy.via(await s3.presignGet('data/orders/year=2024/part-0.csv'));
  const before = proxy.requests.length;
  proxy.script([503]);
  const rows = await page.evaluate(async ({ url }) => {
    const api = (globalThis as unknown as { epoxy: { open: (n: string, s: unknown, size: number) => Promise<{ table: string }>; query: (sql: string) => Promise<{ rows: unknown[][] }> } }).epoxy;
    const t = await api.open('orders.csv', { kind: 'url', url }, 0);
    return (await api.query(`SELECT count(*)::INT AS n, sum(amount)::DOUBLE AS total FROM ${t.table}`)).rows;
  }, { url });
  expect(rows).toEqual([[2, 13.75]]);
  const seen = proxy.requests.slice(before);
  expect(seen).not.toContain('HEAD 403');
  expect(seen[0]).toBe('GET 503');
  expect(seen.slice(1).every((r) => r === 'GET pass')).toBe(true);

  // A Parquet object the engine decodes itself: read whole through the URL reader its creator gave it (fetch).
  const parquet = await page.evaluate(async () => {
    const api = (globalThis as unknown as { epoxy: { toParquet: (sql: string, compression: string) => Promise<Uint8Array> } }).epoxy;
    return Array.from(await api.toParquet('SELECT range::INT AS n FROM range(100)', 'snappy'));
  });
  await s3.put('data/nums.parquet', Uint8Array.from(parquet));
  const parquetUrl = proxy.via(await s3.presignGet('data/nums.parquet'));
  const beforeParquet = proxy.requests.length;
  proxy.script([503]);
  const sum = await page.evaluate(async ({ url }) => {
    const api = (globalThis as unknown as { epoxy: { open: (n: string, s: unknown, size: number) => Promise<{ table: string; rowCount: number }>; query: (sql: string) => Promise<{ rows: unknown[][] }> } }).epoxy;
    const t = await api.open('nums.parquet', { kind: 'url', url }, 0);
    return [t.rowCount, ...(await api.query(`SELECT sum(n)::INT FROM ${t.table}`)).rows[0]!];
  }, { url: parquetUrl });
  expect(sum).toEqual([100, 4950]);
  // The one-byte probe (retried once), then one ranged GET for the whole object; never a HEAD.
  expect(proxy.requests.slice(beforeParquet)).toEqual(['GET 503', 'GET pass', 'GET pass']);
  proxy.refuseHead(null);

  await page.goto('/#/connections');
  const form = page.getByRole('form', { name: 'Upload to a presigned PUT URL' });
  await form.getByLabel('PUT URL').fill(await s3.presignPut('out/summary.csv'));
  await form.getByLabel('Query').fill('SELECT region, sum(amount)::DOUBLE AS total FROM orders GROUP BY region ORDER BY region');
  await form.getByTestId('upload-query').click();
  await expect(page.getByTestId('upload-result')).toContainText('Uploaded');
  const back = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'out/summary.csv' }));
  expect(await back.Body!.transformToString()).toBe('region,total\neu,10.5\nus,3.25\n');
  expect(back.ContentType).toBe('text/csv');

  // A URL presigned for text/csv refuses a Parquet upload with 403 SignatureDoesNotMatch: said in those words.
  await form.getByLabel('PUT URL').fill(proxy.via(await s3.presignPut('out/summary.parquet', 3600, 'text/csv')));
  await form.getByLabel('Format').selectOption('parquet');
  proxy.script([{ status: 403, body: signatureMismatch }]);
  await form.getByTestId('upload-query').click();
  const error = page.getByTestId('upload-error');
  await expect(error).toContainText('Upload refused (403 SignatureDoesNotMatch): the URL was presigned with a Content-Type header and this upload sent Content-Type application/vnd.apache.parquet');
  await expect(error).toContainText('X-Amz-Signature=REDACTED');
});
