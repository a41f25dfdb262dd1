import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';
import { avroFile } from '../support/avro';

const HIT = { type: 'record', name: 'Hit', fields: [{ name: 'id', type: 'long' }, { name: 'page', type: 'string' }] };


async function fixtures(): Promise<{ files: string[]; trips: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-ws-'));
  writeFileSync(join(dir, 'events.ndjson'), '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\n{"id":3,"kind":"click"}\n');
  writeFileSync(join(dir, 'hits.avro'), await avroFile(HIT, [{ id: 1, page: '/a' }, { id: 2, page: '/b' }]));
  writeFileSync(join(dir, 'books.xml'), '<?xml version="1.0"?><catalog><book><title>Dune</title><year>1965</year></book><book><title>Emma</title><year>1815</year></book></catalog>');
  writeFileSync(join(dir, 'airports.csv'), 'code,city\nOSL,Oslo\nLIM,Lima\nPNQ,Pune\n');
  const trips = join(dir, 'trips');
  const parts: [string, string, number[]][] = [['2024', '01', [1, 2]], ['2024', '02', [3]], ['2025', '01', [4, 5, 6]]];
  for (const [y, m, ids] of parts) {
    const folder = join(trips, `year=${y}`, `month=${m}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'part_0000.csv'), `id,fare\n${ids.map((i) => `${i},${i * 2}.5`).join('\n')}\n`);
  }
  return { files: ['events.ndjson', 'hits.avro', 'books.xml', 'airports.csv'].map((f) => join(dir, f)), trips };
}

test('the Workspace opens JSON, Avro, XML and a Hive folder, reads \'airports.csv\' in SQL, and a reload brings back the SQL, history and tables (issue 19)', async ({ page }) => {
  const { files, trips } = await fixtures();
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(files);
  const names = page.locator('aside .tables .tname');
  await expect(names).toHaveText(['events', 'hits', 'books', 'airports']);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await names.filter({ hasText: 'books' }).click();
  await expect(page.getByRole('grid', { name: 'Rows of books' }).getByRole('columnheader')).toHaveText(['#', 'title varchar', 'year varchar']);

  // A Hive folder: one table, year and month typed columns (issue 19: six part_0000 tables without them).
  await page.locator('input[webkitdirectory]').setInputFiles(trips);
  await expect(names).toHaveText(['events', 'hits', 'books', 'airports', 'trips']);
  await expect(page.getByTestId('table-meta')).toContainText('trips/ · 3 files · partitioned by year, month');
  await expect(page.getByTestId('table-meta')).toContainText('6 rows');

  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  const result = page.getByRole('grid', { name: 'Query result' });
  const run = async (sql: string) => { await sqlBox.fill(sql); await page.getByRole('button', { name: 'Run query' }).click(); };
  await run('SELECT year, month, count(*) AS n, typeof(year) AS t FROM trips GROUP BY ALL ORDER BY ALL');
  await expect(result.locator('[aria-rowindex="3"]').getByRole('gridcell')).toHaveText(['2025', '1', '3', 'BIGINT']);

  // A dropped file named in SQL (issue 19: "No files found"), joined with the JSON one.
  await run("SELECT a.city, (SELECT count(*) FROM 'events.ndjson' WHERE kind = 'click') AS clicks FROM 'airports.csv' a ORDER BY a.city");
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['Lima', '2']);
  await expect(page.getByTestId('result-meta')).toContainText('3 rows');
  await run("SELECT * FROM 'nowhere.csv'");
  await expect(page.getByTestId('query-error')).toContainText("'nowhere.csv' is not a file opened in this tab");

  // Keep a copy of airports in the workspace: it comes back by itself after the reload.
  await page.getByRole('button', { name: 'Keep a copy of airports in the workspace' }).click();
  await expect(page.getByTestId('kept-badge')).toHaveCount(1);
  await expect(page.getByTestId('not-kept')).toContainText('Dropped files do not come back after a reload');
  await page.screenshot({ path: test.info().outputPath('before-reload.png'), fullPage: true });
  const lastSql = "SELECT count(*) AS n FROM 'airports.csv'";
  await run(lastSql);
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['3']);

  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(sqlBox).toHaveText(lastSql);
  await expect(names).toHaveText(['airports']);
  await expect(page.getByTestId('kept-badge')).toHaveCount(1);
  const gone = page.getByTestId('gone-tables');
  await expect(gone.locator('.tname')).toHaveText(['events', 'hits', 'books', 'trips']);
  await expect(page.getByText('A browser gives a page no way back to dropped files')).toBeVisible();
  // The one query history is the editor's History menu (issue 19 newcomer: a second list in the sidebar).
  await expect(page.getByTestId('query-history')).toHaveCount(0);
  await expect(page.getByTestId('history-button')).toHaveText('History (4) ▾');
  await page.getByTestId('history-button').click();
  const history = page.getByTestId('history-menu');
  await expect(history.locator('.entry .text').first()).toHaveText(lastSql);
  await expect(history.locator('.entry.failed .text')).toHaveText(["SELECT * FROM 'nowhere.csv'"]);
  await expect(history.locator('.entry.failed .outcome')).toContainText("failed: 'nowhere.csv' is not a file opened in this tab");
  await page.keyboard.press('Escape');
  await page.screenshot({ path: test.info().outputPath('after-reload.png'), fullPage: true });

  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['3']);
  // Dropped again, the folder opens under its old name and leaves the list of what is gone.
  await page.locator('input[webkitdirectory]').setInputFiles(trips);
  await expect(names).toHaveText(['airports', 'trips']);
  await expect(gone.locator('.tname')).toHaveText(['events', 'hits', 'books']);
  await page.getByTestId('history-button').click();
  await history.getByRole('menuitem').filter({ hasText: 'typeof(year)' }).click();
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['2024', '1', '2', 'BIGINT']);
  await page.screenshot({ path: test.info().outputPath('workspace.png'), fullPage: true });
});

test('a folder opened with "keep access" reopens after a reload with one permission click (issue 19)', async ({ page }) => {
  // Headless chromium shows no folder picker and no permission prompt, so the picker returns a folder of the
  // origin-private file system (a real directory handle, kept in IndexedDB like a picked one), and the page's
  // permission starts as "prompt" after every load until requestPermission is called, as a picked folder's does.
  await page.addInitScript(() => {
    const w = window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> };
    w.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('picked');
    let granted = false;
    const proto = FileSystemHandle.prototype as unknown as { queryPermission: () => Promise<string>; requestPermission: () => Promise<string> };
    proto.queryPermission = async () => (granted ? 'granted' : 'prompt');
    proto.requestPermission = async () => { granted = true; return 'granted'; };
  });
  await openApp(page);
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const picked = await root.getDirectoryHandle('picked', { create: true });
    for (const [region, body] of [['eu', 'id,amount\n1,10\n2,20\n'], ['us', 'id,amount\n3,30\n']] as const) {
      const dir = await picked.getDirectoryHandle(`region=${region}`, { create: true });
      const w = await (await dir.getFileHandle('part.csv', { create: true })).createWritable();
      await w.write(body);
      await w.close();
    }
  });
  await page.getByTestId('keep-folder').click();
  await expect(page.getByTestId('table-meta')).toContainText('picked/ · 2 files · partitioned by region');
  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  await sqlBox.fill("SELECT region, sum(amount) AS s FROM 'picked' GROUP BY region ORDER BY region");
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  await expect(result.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['us', '30']);

  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const gone = page.getByTestId('gone-tables');
  await expect(gone.locator('.tname')).toHaveText(['picked']);
  await expect(page.locator('aside .tables .tname')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('grant.png') });
  await gone.getByRole('button', { name: 'Grant access to reopen' }).click();
  await expect(page.locator('aside .tables .tname')).toHaveText(['picked']);
  await expect(gone).toHaveCount(0);
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['eu', '30']);
});
