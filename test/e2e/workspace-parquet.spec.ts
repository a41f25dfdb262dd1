import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const FLIGHTS = join(process.cwd(), 'node_modules/vega-datasets/data/flights-3m.parquet');
const GROUP_BY = 'SELECT origin, sum(delay)::BIGINT AS total, count(*)::BIGINT AS n FROM flights_3m GROUP BY origin ORDER BY total DESC, origin LIMIT 3';

test('flights-3m.parquet opens lazily in the Workspace: first rows, a GROUP BY equal to native DuckDB\'s, and a corrupt Parquet file says why (issue 21: the whole file was decoded on open)', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-e2e-pq-'));
  const broken = join(dir, 'broken.parquet');
  writeFileSync(broken, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from([0, 0, 0, 0]), Buffer.from('PAR1')]));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const expected = (await conn.runAndReadAll(GROUP_BY.replace('FROM flights_3m', `FROM '${FLIGHTS}'`))).getRows().map((r) => r.map(String));
  // The file's first row as native DuckDB reads it (origin and destination, e.g. LAS and PHL).
  const first = (await conn.runAndReadAll(`SELECT origin, destination FROM '${FLIGHTS}' LIMIT 1`)).getRows()[0]!.map(String);
  conn.closeSync();

  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([broken, FLIGHTS]);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cannot open broken.parquet: Not a readable Parquet file: its footer length is 0');
  const names = page.locator('aside .tables .tname');
  await expect(names).toHaveText(['flights_3m']);
  const grid = page.getByRole('grid', { name: 'Rows of flights_3m' });
  await expect(grid.getByRole('columnheader')).toHaveText(['#', /^date/, /^delay/, /^distance/, /^origin/, /^destination/]);
  await expect(grid.locator('[aria-rowindex="1"]')).toContainText(first[0]!);
  await expect(grid.locator('[aria-rowindex="1"]')).toContainText(first[1]!);
  await expect(page.getByTestId('table-meta')).toContainText('3,000,000 rows');

  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  await sqlBox.fill(GROUP_BY);
  await page.getByRole('button', { name: 'Run query' }).click();
  const result = page.getByRole('grid', { name: 'Query result' });
  for (let i = 0; i < expected.length; i++) {
    await expect(result.locator(`[aria-rowindex="${i + 1}"]`).getByRole('gridcell')).toHaveText(expected[i]!.map((v) => new RegExp(`^${v.replace(/\B(?=(\d{3})+(?!\d))/g, ',?')}$`)), { timeout: 60_000 });
  }
  await page.screenshot({ path: test.info().outputPath('flights.png'), fullPage: true });
});
