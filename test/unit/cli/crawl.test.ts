import 'fake-indexeddb/auto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCrawlCommand } from '../../../src/cli/crawl';

describe('epoxy crawl', () => {
  it('crawls a folder into a catalog file that keeps the crawler and its policies for the next crawl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-crawl-'));
    const lake = join(dir, 'lake');
    mkdirSync(join(lake, 'orders', 'dt=2024-01-01'), { recursive: true });
    mkdirSync(join(lake, 'orders', 'dt=2024-01-02'), { recursive: true });
    writeFileSync(join(lake, 'orders', 'dt=2024-01-01', 'a.csv'), 'id|amount\n1|2.5\n2|3.0\n');
    writeFileSync(join(lake, 'orders', 'dt=2024-01-02', 'a.csv'), 'id|amount\n3|1.25\n');
    writeFileSync(join(lake, 'orders', 'dt=2024-01-02', 'notes.tmp'), 'scratch');
    const catalogFile = join(dir, 'catalog.json');

    const first = await runCrawlCommand({ catalogFile, database: 'lake', target: lake, exclude: ['**/*.tmp'], fullScan: true, newFoldersOnly: false, combine: false });
    expect(first.report).toMatchObject({ state: 'COMPLETED', tablesCreated: 1, filesClassified: 2, filesExcluded: 1, partitionsWritten: 2 });
    expect(first.text).toMatch(/tables found: orders/);
    const bundle = JSON.parse(readFileSync(catalogFile, 'utf8'));
    expect(JSON.stringify(bundle)).toContain('"field.delim":"|"');

    mkdirSync(join(lake, 'orders', 'dt=2024-01-03'));
    writeFileSync(join(lake, 'orders', 'dt=2024-01-03', 'a.csv'), 'id|amount\n4|9.5\n');
    const second = await runCrawlCommand({ catalogFile, database: 'lake', target: lake, exclude: ['**/*.tmp'], fullScan: false, newFoldersOnly: true, combine: false });
    expect(second.report).toMatchObject({ state: 'COMPLETED', filesSkipped: 2, filesClassified: 1, tablesCreated: 0, partitionsWritten: 1 });
  });

  it('names what is missing', async () => {
    await expect(runCrawlCommand({ catalogFile: '/tmp/x.json', database: 'd', target: '/nope/nothing', exclude: [], fullScan: false, newFoldersOnly: false, combine: false })).rejects.toThrow('/nope/nothing: no such file or folder');
  });
});

describe('epoxy crawl --json without a catalog file', () => {
  it('returns Glue {DatabaseName, TableInput} for each table, the same shape aws glue create-table takes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-crawl-json-'));
    mkdirSync(join(dir, 'logs'));
    const body = '{"id":1,"tags":["x"]}\n{"id":2,"tags":[]}\n';
    writeFileSync(join(dir, 'logs', 'a.json'), body);
    const { tables, report } = await runCrawlCommand({ database: 'default', target: join(dir, 'logs'), exclude: [], fullScan: true, newFoldersOnly: false, combine: false });
    expect(report.bytesClassified).toBe(Buffer.byteLength(body));
    expect(tables).toHaveLength(1);
    expect(tables[0]!.DatabaseName).toBe('default');
    expect(tables[0]!.TableInput).toMatchObject({ Name: 'logs', TableType: 'EXTERNAL_TABLE', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'tags', Type: 'array<string>' }] } });
    expect(Object.keys(tables[0]!.TableInput)).not.toContain('DatabaseName');
  });
});

describe('epoxy crawl --keep-decimals (issue 17: the decimal rule is one crawler setting)', () => {
  it('types fixed-scale prices double by default, as Glue, and decimal(18,2) with the flag, stored on the crawler', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-crawl-dec-'));
    mkdirSync(join(dir, 'prices'));
    writeFileSync(join(dir, 'prices', 'a.csv'), readFileSync(new URL('../../fixtures/numbers/prices.csv', import.meta.url)));
    const catalogFile = join(dir, 'catalog.json');
    const columns = async (keepDecimals: boolean) => {
      const { tables } = await runCrawlCommand({ catalogFile, database: 'd', target: join(dir, 'prices'), exclude: [], fullScan: false, keepDecimals, newFoldersOnly: false, combine: false });
      return tables[0]!.TableInput.StorageDescriptor!.Columns!.map((c) => `${c.Name}:${c.Type}`);
    };
    expect(await columns(false)).toEqual(['day:date', 'ticker:string', 'close:double', 'volume:bigint']);
    expect(await columns(true)).toEqual(['day:date', 'ticker:string', 'close:decimal(18,2)', 'volume:bigint']);
    expect(JSON.stringify(JSON.parse(readFileSync(catalogFile, 'utf8')))).toContain('"keepDecimals":true');
  });
});
