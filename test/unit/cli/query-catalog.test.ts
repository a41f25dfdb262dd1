/**
 * Issue 19: `epoxy query` read only the files it was given; a crawled catalog table could not be queried from
 * the CLI. `epoxy query --catalog catalog.json --sql "SELECT … FROM db.table"` reads it like Athena.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCrawlCommand } from '../../../src/cli/crawl';
import { runCatalogQueryCommand } from '../../../src/cli/query-catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';

const dir = mkdtempSync(join(tmpdir(), 'epoxy-cli-athena-'));
const lake = join(dir, 'trips');
for (const [year, rows] of [['2023', ['1,ams,12.5', '2,ber,7']], ['2024', ['3,ams,3.25']]] as const) {
  mkdirSync(join(lake, `year=${year}`), { recursive: true });
  writeFileSync(join(lake, `year=${year}`, 'part-0.csv'), ['trip_id,city,km', ...rows].join('\n') + '\n');
}
const catalogFile = join(dir, 'catalog.json');
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
  const crawled = await runCrawlCommand({ catalogFile, database: 'lake', target: lake, exclude: [], fullScan: false, newFoldersOnly: false, combine: false });
  expect(crawled.report.state).toBe('COMPLETED');
});

describe('epoxy query --catalog', () => {
  it('queries a crawled table as db.table, reading only the partitions the WHERE allows, and says so', async () => {
    const out = await runCatalogQueryCommand(engine, { catalogFile, sql: "SELECT city, km FROM lake.trips WHERE year = '2024'", json: false, limit: 100 });
    expect(out).toMatch(/│ ams +│ +3.25 │/);
    expect(out).not.toContain('ber');
    expect(out).toMatch(/\n1 row\nlake\.trips: 1 of 2 files, \d+ B of \d+ B read \(partitions: year = '2024'\)$/);
  });

  it('reads unqualified names in --database and prints JSON', async () => {
    const out = await runCatalogQueryCommand(engine, { catalogFile, sql: 'SELECT count(*)::INT AS n, sum(km) AS km FROM trips', database: 'lake', json: true, limit: 10 });
    expect(JSON.parse(out)).toEqual([{ n: 3, km: 22.75 }]);
  });

  it('answers SHOW TABLES and DESCRIBE from the catalog file', async () => {
    const shown = await runCatalogQueryCommand(engine, { catalogFile, sql: 'SHOW TABLES IN lake', json: true, limit: 10 });
    expect(JSON.parse(shown)).toEqual([{ tab_name: 'trips' }]);
    const described = JSON.parse(await runCatalogQueryCommand(engine, { catalogFile, sql: 'DESCRIBE lake.trips', json: true, limit: 10 }));
    expect(described.slice(0, 4).map((r: { col_name: string }) => r.col_name)).toEqual(['trip_id', 'city', 'km', 'year']);
  });

  it('names the missing catalog file, and the tables of a database when one is misspelled', async () => {
    await expect(runCatalogQueryCommand(engine, { catalogFile: join(dir, 'nope.json'), sql: 'SELECT 1', json: false, limit: 1 })).rejects.toThrow(`catalog file ${join(dir, 'nope.json')} does not exist`);
    await expect(runCatalogQueryCommand(engine, { catalogFile, sql: 'SELECT * FROM lake.trip', json: false, limit: 1 })).rejects.toThrow('Database lake has no table trip (its tables: trips)');
  });
});
