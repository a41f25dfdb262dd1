import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { Catalog, type Crawler } from '../../../src/catalog';
import { tableDdl } from '../../../src/catalog/export-ddl';
import { glueTableInput } from '../../../src/catalog/export-glue';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { exportDuckDbSql } from '../../../src/jobs/export-duckdb';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { bufferSource } from '../../../src/sources/byte-source';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

/** A lake folder on disk: a two-sheet workbook, an Arrow file, a CSV, and a zip that is not a workbook. */
async function lake(): Promise<{ dir: string; files: { path: string; bytes: Uint8Array }[] }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'epoxy-xl-')), 'lake');
  mkdirSync(join(dir, 'books'), { recursive: true });
  mkdirSync(join(dir, 'ranks'));
  const day = (d: number) => ({ value: new Date(Date.UTC(2024, 0, d)), format: 'yyyy-mm-dd' });
  const book = new Uint8Array(await writeExcelFile([
    { sheet: 'Orders', data: [['order_id', 'region', 'amount', 'ordered'], [1, 'eu', 10.5, day(2)], [2, 'us', 3, day(5)], [3, 'eu', 7.25, day(9)]] },
    { sheet: 'Region Names', data: [['code', 'name'], ['eu', 'Europe'], ['us', 'United States']] },
  ] as never).toBuffer());
  const arrow = tableToIPC(tableFromArrays({ code: ['eu', 'us'], rank: Int32Array.from([2, 1]) }), 'file');
  const files = [
    { path: 'books/sales 2024.xlsx', bytes: book },
    { path: 'ranks/ranks.arrow', bytes: arrow },
    { path: 'notes.zip', bytes: zipSync({ 'notes.txt': new TextEncoder().encode('not a workbook') }) },
    // A real workbook with bytes of its first entry overwritten.
    { path: 'broken.xlsx', bytes: new Uint8Array(readFileSync(new URL('../../fixtures/xlsx/boolean.xlsx', import.meta.url))).map((b, i) => (i > 30 && i < 60 ? 0x41 : b)) },
  ];
  for (const f of files) writeFileSync(join(dir, f.path), f.bytes);
  return { dir, files };
}

const crawler: Crawler = {
  Name: 'xl', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'lake' }] },
  SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' },
};

describe('crawling Excel workbooks and Arrow files', () => {
  it('makes a table per sheet (<file>_<sheet>, parameter epoxy.sheet) and one per Arrow file, readable by a job', async () => {
    const { dir, files } = await lake();
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'xl-crawl' });
    const prefix = pathToFileURL(dir).href;
    const report = await runCrawl({
      crawler, rootName: 'lake', locationPrefix: prefix, catalog,
      sources: files.map((f) => bufferSource(f.path, f.bytes, 1_700_000_000_000)),
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
    });
    expect(report.state).toBe('COMPLETED');
    expect(report.tables.sort()).toEqual(['ranks', 'sales_2024_orders', 'sales_2024_region_names']);
    expect(report.filesClassified).toBe(2);
    expect(report.failures.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'broken.xlsx', error: 'looks like xlsx but its schema could not be read: a damaged workbook: unexpected EOF' },
      { path: 'notes.zip', error: expect.stringMatching(/zip compression is not supported/) },
    ]);

    const orders = await catalog.getTable('lake', 'sales_2024_orders');
    expect(orders.StorageDescriptor?.Location).toBe(`${prefix}/books/sales 2024.xlsx`);
    expect(orders.StorageDescriptor?.Columns).toEqual([{ Name: 'order_id', Type: 'bigint' }, { Name: 'region', Type: 'string' }, { Name: 'amount', Type: 'double' }, { Name: 'ordered', Type: 'date' }]);
    expect(orders.StorageDescriptor?.InputFormat).toBeUndefined();
    expect(orders.Parameters).toMatchObject({ classification: 'xlsx', 'epoxy.sheet': 'Orders', 'skip.header.line.count': '1', recordCount: '3' });
    const ranks = await catalog.getTable('lake', 'ranks');
    expect(ranks.Parameters).toMatchObject({ classification: 'arrow', recordCount: '2' });
    expect(ranks.StorageDescriptor?.Columns).toEqual([{ Name: 'code', Type: 'string' }, { Name: 'rank', Type: 'int' }]);

    // Athena has no SerDe for either: the DDL says so instead of a CREATE TABLE that would not read.
    expect(tableDdl(orders)).toMatch(/^-- lake\.sales_2024_orders is a sheet of an Excel workbook \(classification xlsx\): no Hive SerDe reads it/);
    expect(tableDdl(ranks)).not.toMatch(/CREATE (EXTERNAL )?TABLE `/);
    expect(tableDdl(ranks)).toMatch(/^-- lake\.ranks is an Arrow IPC \/ Feather file/);
    expect(glueTableInput(orders).Parameters?.['epoxy.sheet']).toBe('Orders');

    const job = {
      version: 1 as const, name: 'ranked', bookmark: 'job-bookmark-disable' as const, parameters: [],
      nodes: [
        { id: 'orders', kind: 'source' as const, source: { type: 'catalog' as const, database: 'lake', table: 'sales_2024_orders' } },
        { id: 'names', kind: 'source' as const, source: { type: 'catalog' as const, database: 'lake', table: 'sales_2024_region_names' } },
        { id: 'ranks', kind: 'source' as const, source: { type: 'catalog' as const, database: 'lake', table: 'ranks' } },
        { id: 'named', kind: 'transform' as const, inputs: ['orders', 'names'], step: { id: 'j1', kind: 'Join' as const, params: { right: '', leftKeys: ['region'], rightKeys: ['code'], how: 'inner' as const } } },
        { id: 'ranked', kind: 'transform' as const, inputs: ['named', 'ranks'], step: { id: 'j2', kind: 'Join' as const, params: { right: '', leftKeys: ['region'], rightKeys: ['code'], how: 'inner' as const } } },
        { id: 'totals', kind: 'transform' as const, inputs: ['ranked'], step: { id: 'a', kind: 'Sql' as const, params: { sql: 'SELECT name, rank, sum(amount) AS total FROM input GROUP BY ALL ORDER BY rank' } } },
      ],
    };
    const result = await executeJob(job, nodeJobEnv(serviceOf(engine), join(dir, '..', 'out'), { catalog }), { keepTables: true, prefix: '__xl_' });
    expect(result.error).toBeUndefined();
    expect(engine.query('SELECT * FROM "__xl_totals"').rows).toEqual([['United States', 1, 3], ['Europe', 2, 17.75]]);

    const script = exportDuckDbSql(job, { sources: { orders: { location: orders.StorageDescriptor!.Location!, format: 'xlsx', sheet: 'Orders' }, names: { location: '', format: 'xlsx' }, ranks: { location: ranks.StorageDescriptor!.Location!, format: 'arrow' } }, schemas: result.schemas });
    expect(script).toMatch(/read_xlsx\('.*sales 2024\.xlsx', sheet='Orders'\) \/\* needs the excel extension/);
    expect(script).toMatch(/read_arrow\('.*ranks\/\*\*\/\*\.arrow'\) \/\* needs the arrow community extension/);
    // The note is a block comment: a line comment there swallowed the statement's semicolon (avro and xml too).
    for (const line of script.split('\n').filter((l) => /read_(xlsx|arrow)/.test(l))) expect(line).toMatch(/\*\/;$/);
  });

  it('refuses one sheet whose header cannot be a column name and still makes the workbook\'s other tables', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'xl-crawl-refused' });
    const long = 'x'.repeat(300); // over Glue's 255-character limit for a column name
    const book = new Uint8Array(await writeExcelFile([
      { sheet: 'Bad', data: [[long, 'b'], [1, 2], [3, 4]] },
      { sheet: 'Good', data: [['a', 'b'], [1, 2], [3, 4]] },
    ] as never).toBuffer());
    const report = await runCrawl({
      crawler, rootName: 'lake', locationPrefix: 'file:///lake', catalog,
      sources: [bufferSource('two.xlsx', book, 1_700_000_000_000)],
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
    });
    expect(report.tables).toEqual(['two_good']);
    expect(report.failures).toEqual([{ path: 'two.xlsx', error: expect.stringMatching(/^sheet "Bad": its columns cannot be stored in the catalog/) }]);
  });
});
