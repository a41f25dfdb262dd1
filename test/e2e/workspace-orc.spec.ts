import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

// ORC files written by pyarrow (test/fixtures/orc/make.py); the expected values are what pyarrow reads back.
const FIXTURES = join(import.meta.dirname, '../fixtures/orc');
const types = JSON.parse(readFileSync(join(FIXTURES, 'types.json'), 'utf8')) as { columns: { name: string }[]; rows: (string | number | boolean | null)[][] };
const col = (name: string) => types.rows.map((r) => r[types.columns.findIndex((c) => c.name === name)]);

test('the Workspace opens dropped ORC files and an ORC Hive folder, and queries them (issue 19: "no ORC reader")', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-orc-'));
  for (const y of ['2024', '2025']) {
    mkdirSync(join(dir, 'cities', `year=${y}`), { recursive: true });
    copyFileSync(join(FIXTURES, 'strings_stripes.orc'), join(dir, 'cities', `year=${y}`, 'part-0.orc'));
  }
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles([join(FIXTURES, 'types_snappy.orc'), join(FIXTURES, 'nested.orc')]);
  const names = page.locator('aside .tables .tname');
  await expect(names).toHaveText(['types_snappy', 'nested']);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await names.filter({ hasText: 'types_snappy' }).click();
  const grid = page.getByRole('grid', { name: 'Rows of types_snappy' });
  await expect(grid.getByRole('columnheader')).toHaveText(['#', 'b boolean', 'i8 tinyint', 'i16 smallint', 'i32 integer', 'i64 bigint', 'f32 float', 'f64 double', 's varchar', 'bin blob', 'd date', 'ts timestamp', 'dec decimal(10,2)', 'wide decimal(38,10)']);
  await expect(page.getByTestId('table-meta')).toContainText('300 rows');
  // The first row as pyarrow wrote it (the grid shows text; the 64-bit integer exact).
  await expect(grid.locator('[aria-rowindex="1"]').getByRole('gridcell').nth(4)).toHaveText(String(col('i64')[0]));
  await expect(grid.locator('[aria-rowindex="1"]').getByRole('gridcell').nth(7)).toHaveText(String(col('s')[0]));

  const sqlBox = page.getByRole('textbox', { name: 'SQL query' });
  const result = page.getByRole('grid', { name: 'Query result' });
  const run = async (sql: string) => { await sqlBox.fill(sql); await page.getByRole('button', { name: 'Run query' }).click(); };
  const sum16 = col('i16').reduce<number>((a, v) => a + (v === null ? 0 : Number(v)), 0);
  await run("SELECT count(*) AS n, sum(i16) AS s, count(s) AS strings FROM 'types_snappy.orc'");
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['300', String(sum16), String(col('s').filter((v) => v !== null).length)]);

  // A Hive folder of ORC files opens as one table with its typed partition column.
  await page.locator('input[webkitdirectory]').setInputFiles(join(dir, 'cities'));
  await expect(names).toHaveText(['types_snappy', 'nested', 'cities']);
  await expect(page.getByTestId('table-meta')).toContainText('partitioned by year');
  await run('SELECT year, count(*) AS n, count(DISTINCT city) AS c FROM cities GROUP BY year ORDER BY year');
  await expect(result.locator('[aria-rowindex="2"]').getByRole('gridcell')).toHaveText(['2025', '6000', '5']);
  await page.screenshot({ path: test.info().outputPath('orc.png'), fullPage: true });
});
