/**
 * Issue 19: no catalog table could be queried or previewed ("Table with name routes_by_state does not exist!").
 * resolveTable is the one way from a catalog table to an engine relation: files listed, pruned by partition
 * predicates, read as the catalog says (classification, SerDe, typed partition keys). Real crawls, real DuckDB.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, storageFor, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { listLocalFiles } from '../../../src/jobs/node-env';
import { UnreachableLocationError, UnreachableTableError, resolveTable, passes, type LocationLister } from '../../../src/query/resolve';
import type { QueryEngine } from '../../../src/query/engine';
import { listNodeFolder } from '../../../src/sources/node-files';
import { serviceOf } from '../../support/service';

let engine: Engine;
let service: QueryEngine;
beforeAll(async () => { engine = await createNodeEngine(); service = serviceOf(engine); });

const lister: LocationLister = { listFiles: listLocalFiles };

/** Write files under a new temp folder: { 'a/b.csv': text }. */
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-resolve-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

const newCatalog = () => Catalog.open({ factory: new IDBFactory(), name: `resolve-${Math.random()}` });

async function crawl(dir: string, catalog: Catalog, database = 'lake'): Promise<void> {
  const crawler: Crawler = { Name: `c_${database}`, DatabaseName: database, Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] } };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'root', locationPrefix: pathToFileURL(dir).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
}

async function rowsOf(sql: string): Promise<unknown[][]> {
  return (await service.query(sql)).rows;
}

async function typesOf(relation: string): Promise<Record<string, string>> {
  return Object.fromEntries((await rowsOf(`DESCRIBE ${relation}`)).map((r) => [String(r[0]), String(r[1])]));
}

/** A table made by hand in database `hand`, as an imported Glue table or an edited one would be. */
async function handTable(catalog: Catalog, name: string, classification: string, dir: string, columns: { Name: string; Type: string }[], serde?: Record<string, string>, params?: Record<string, string>, partitionKeys: { Name: string; Type: string }[] = []): Promise<void> {
  await catalog.createDatabase({ Name: 'hand' }).catch(() => undefined);
  const storage = storageFor(classification, { location: pathToFileURL(dir).href, columns });
  if (serde) storage.StorageDescriptor.SerdeInfo = { ...storage.StorageDescriptor.SerdeInfo, Parameters: serde, ...(serde['separatorChar'] !== undefined ? { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' } : {}) };
  await catalog.createTable('hand', { Name: name, StorageDescriptor: storage.StorageDescriptor, Parameters: { ...storage.Parameters, ...params }, PartitionKeys: partitionKeys, TableType: 'EXTERNAL_TABLE' });
}

const HIVE = {
  'year=2023/month=11/part-0.csv': 'route,state,flights\nA,TX,10\nB,CA,12\n',
  'year=2023/month=12/part-0.csv': 'route,state,flights\nC,TX,7\n',
  'year=2024/month=01/part-0.csv': 'route,state,flights\nD,NY,3\nE,TX,4\n',
  'year=2024/month=02/part-0.csv': 'route,state,flights\nF,CA,9\n',
  'year=2024/month=10/part-0.csv': 'route,state,flights\nG,WA,1\n',
  'year=2024/month=10/_SUCCESS': '',
};

describe('resolveTable (issue 19: a catalog table could not be queried anywhere)', () => {
  it('reads a crawled Hive-partitioned CSV folder with its partition keys as columns', async () => {
    const catalog = await newCatalog();
    const dir = folder(HIVE);
    await crawl(dir, catalog);
    const [t] = await catalog.getTables('lake');
    expect(t!.PartitionKeys!.map((k) => k.Name)).toEqual(['year', 'month']);
    const r = await resolveTable(service, catalog, 'lake', t!.Name, lister);
    expect(r.rows).toBe(7);
    expect(r.files).toEqual({ read: 5, total: 5 });
    expect(r.bytes.read).toBe(r.bytes.total);
    expect(await rowsOf(`SELECT route, state, flights, year, month FROM ${r.sql} ORDER BY route`)).toEqual([
      ['A', 'TX', 10, '2023', '11'], ['B', 'CA', 12, '2023', '11'], ['C', 'TX', 7, '2023', '12'], ['D', 'NY', 3, '2024', '01'],
      ['E', 'TX', 4, '2024', '01'], ['F', 'CA', 9, '2024', '02'], ['G', 'WA', 1, '2024', '10'],
    ]);
  });

  it('prunes partitions: only the folders whose values pass the predicates are read, and counted', async () => {
    const catalog = await newCatalog();
    await crawl(folder(HIVE), catalog);
    const [t] = await catalog.getTables('lake');
    const r = await resolveTable(service, catalog, 'lake', t!.Name, lister, { relation: 'pruned', partitions: [{ key: 'year', op: '=', values: ['2024'] }, { key: 'month', op: 'in', values: ['01', '10'] }] });
    expect(r.files).toEqual({ read: 2, total: 5 });
    expect(r.bytes.read).toBeLessThan(r.bytes.total);
    expect(await rowsOf(`SELECT route FROM pruned ORDER BY route`)).toEqual([['D'], ['E'], ['G']]);
    // A predicate on a column that is not a partition key prunes nothing (the query filters those rows).
    const all = await resolveTable(service, catalog, 'lake', t!.Name, lister, { relation: 'unpruned', partitions: [{ key: 'state', op: '=', values: ['TX'] }] });
    expect(all.files.read).toBe(5);
  });

  it('types partition keys as the catalog says, and compares them by that type (10 > 9 for an int month)', async () => {
    const catalog = await newCatalog();
    const dir = folder(HIVE);
    await handTable(catalog, 'flights', 'csv', dir, [{ Name: 'route', Type: 'string' }, { Name: 'state', Type: 'string' }, { Name: 'flights', Type: 'int' }], undefined, { 'skip.header.line.count': '1' }, [{ Name: 'year', Type: 'int' }, { Name: 'month', Type: 'int' }]);
    const r = await resolveTable(service, catalog, 'hand', 'flights', lister, { schema: 'hand', relation: 'flights', partitions: [{ key: 'month', op: '>', values: ['9'] }] });
    expect(r.sql).toBe('"hand"."flights"');
    expect(r.files).toEqual({ read: 3, total: 5 });
    expect(await typesOf(r.sql)).toEqual({ route: 'VARCHAR', state: 'VARCHAR', flights: 'INTEGER', year: 'INTEGER', month: 'INTEGER' });
    expect(await rowsOf(`SELECT route, year, month FROM hand.flights ORDER BY route`)).toEqual([['A', 2023, 11], ['B', 2023, 11], ['C', 2023, 12], ['G', 2024, 10]]);
    const between = await resolveTable(service, catalog, 'hand', 'flights', lister, { relation: 'b', partitions: [{ key: 'month', op: 'between', values: ['1', '2'] }, { key: 'year', op: '>=', values: ['2024'] }] });
    expect(between.files.read).toBe(2);
  });

  it('compares partition values by Hive type, and the default partition passes no predicate', () => {
    expect(passes('10', { key: 'm', op: '>', values: ['9'] }, 'int')).toBe(true);
    expect(passes('10', { key: 'm', op: '>', values: ['9'] }, 'string')).toBe(false);
    expect(passes('2024-02-01', { key: 'd', op: 'between', values: ['2024-01-01', '2024-12-31'] }, 'date')).toBe(true);
    expect(passes('eu', { key: 'r', op: '<>', values: ['us'] })).toBe(true);
    expect(passes('__HIVE_DEFAULT_PARTITION__', { key: 'r', op: '<>', values: ['us'] })).toBe(false);
    expect(passes('TRUE', { key: 'b', op: '=', values: ['true'] }, 'boolean')).toBe(true);
    expect(passes('x', { key: 'n', op: '=', values: ['1'] }, 'bigint')).toBe(false);
  });

  it('reads crawled JSON and Parquet tables, partitioned', async () => {
    const catalog = await newCatalog();
    const pq = (sql: string) => engine.toParquet(sql);
    const dir = folder({
      'events/region=eu/a.json': '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\n',
      'events/region=us/a.json': '{"id":3,"kind":"click"}\n',
      'sales/region=eu/p.parquet': pq(`SELECT 1::BIGINT AS id, 9.5::DOUBLE AS amount`),
      'sales/region=us/p.parquet': pq(`SELECT * FROM (VALUES (2::BIGINT, 1.25::DOUBLE), (3, 2.0)) v(id, amount)`),
    });
    await crawl(dir, catalog);
    const events = await resolveTable(service, catalog, 'lake', 'events', lister, { partitions: [{ key: 'region', op: '=', values: ['eu'] }] });
    expect(events.files).toEqual({ read: 1, total: 2 });
    expect(await rowsOf(`SELECT id, kind, region FROM ${events.sql} ORDER BY id`)).toEqual([[1, 'click', 'eu'], [2, 'view', 'eu']]);
    const sales = await resolveTable(service, catalog, 'lake', 'sales', lister);
    expect(sales.files).toEqual({ read: 2, total: 2 });
    expect(await rowsOf(`SELECT id, amount, region FROM ${sales.sql} ORDER BY id`)).toEqual([[1, 9.5, 'eu'], [2, 1.25, 'us'], [3, 2, 'us']]);
  });

  it('says why a table cannot be read and the fix (UnreachableTableError), from the lister', async () => {
    const catalog = await newCatalog();
    await crawl(folder(HIVE), catalog);
    const [t] = await catalog.getTables('lake');
    const gone: LocationLister = { listFiles: async (location) => { throw new UnreachableLocationError(location, { state: 'gone', reason: 'its files were dropped in an earlier session', fix: 'drop the folder again' }); } };
    const err = await resolveTable(service, catalog, 'lake', t!.Name, gone).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableTableError);
    expect((err as UnreachableTableError).reachability.fix).toBe('drop the folder again');
    expect((err as Error).message).toBe(`The data of lake.${t!.Name} is gone: its files were dropped in an earlier session. To fix it, drop the folder again.`);
  });
});
