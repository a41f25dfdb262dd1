/**
 * Issue 19: no catalog table could be queried or previewed ("Table with name routes_by_state does not exist!").
 * resolveTable is the one way from a catalog table to an engine relation: files listed, pruned by partition
 * predicates, read as the catalog says (classification, SerDe, typed partition keys). Real crawls, real DuckDB.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { UnreachableLocationError, UnreachableTableError, fixOf, resolveTable, passes, type LocationLister } from '../../../src/query/resolve';
import type { QueryEngine } from '../../../src/query/engine';
import { listNodeFolder } from '../../../src/sources/node-files';
import { serviceOf } from '../../support/service';
import { avroFile } from '../../support/avro';

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

  it('reads only as many files as a preview sample needs (sampleRows), and counts those', async () => {
    const catalog = await newCatalog();
    await crawl(folder(HIVE), catalog);
    const [t] = await catalog.getTables('lake');
    const r = await resolveTable(service, catalog, 'lake', t!.Name, lister, { relation: 'sampled', sampleRows: 2 });
    expect(r.files.read).toBe(1);
    expect(r.rows).toBeGreaterThanOrEqual(2);
    expect(r.read).toHaveLength(1);
    expect(r.bytes.read).toBe(r.read[0]!.size);
  });

  it('reads positional partition keys: plain folders, and a k=v level whose key is also a column (partition_0)', async () => {
    const { partitionValuesOf } = await import('../../../src/query/read');
    expect(partitionValuesOf('2024/05/x.csv', ['partition_0', 'partition_1'])).toEqual({ partition_0: '2024', partition_1: '05' });
    expect(partitionValuesOf('state=TX/x.csv', ['partition_0'])).toEqual({ partition_0: 'TX' });
    const catalog = await newCatalog();
    await crawl(folder({ 'logs/2024/05/a.csv': 'id,v\n1,a\n', 'logs/2024/06/a.csv': 'id,v\n2,b\n' }), catalog);
    const r = await resolveTable(service, catalog, 'lake', 'logs', lister, { relation: 'by_level', partitions: [{ key: 'partition_1', op: '=', values: ['06'] }] });
    expect(r.files).toEqual({ read: 1, total: 2 });
    expect(await rowsOf('SELECT id, partition_0, partition_1 FROM by_level')).toEqual([[2, '2024', '06']]);
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
    expect((err as UnreachableTableError).location).toBe(t!.StorageDescriptor!.Location);
  });

  it('offers one fix per kind of place: grant a kept folder, drop again, paste fresh URLs, rerun the writer', () => {
    const err = (location: string, reason = 'x') => new UnreachableTableError('db', 't', { state: 'unreachable', reason, fix: 'y' }, location);
    expect(fixOf(err('folder://lake/flights', 'Epoxy needs your permission again to read the folder lake'))).toEqual({ kind: 'grant-folder', location: 'folder://lake/flights', label: 'Grant access to the folder' });
    expect(fixOf(err('folder://lake/flights', 'no folder lake is kept in this browser'))).toMatchObject({ kind: 'link', href: '#/crawlers' });
    expect(fixOf(err('dropped://lake/flights'))).toMatchObject({ kind: 'link', href: '#/crawlers' });
    expect(fixOf(err('s3://bucket/sales'))).toMatchObject({ kind: 'link', href: '#/connections', label: 'Paste fresh presigned URLs (Connections)' });
    expect(fixOf(err('opfs://curated/routes'))).toMatchObject({ kind: 'link', href: '#/jobs' });
  });
});

const ID_NAME = [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }];

describe('resolveTable reads every classification and SerDe option as the catalog says (issue 19)', () => {
  it('LazySimpleSerDe: field.delim, no header (columns by position), quotes kept as data, serialization.null.format', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'd/a.txt.csv': '1|"Ann"|x\n2|\\N|y\n3||z\n' });
    await handTable(catalog, 'pipes', 'csv', join(dir, 'd'), [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'tag', Type: 'string' }], { 'field.delim': '|' });
    const r = await resolveTable(service, catalog, 'hand', 'pipes', lister);
    expect(await rowsOf(`SELECT id, name, tag FROM ${r.sql} ORDER BY id`)).toEqual([[1, '"Ann"', 'x'], [2, null, 'y'], [3, '', 'z']]);
    // Another NULL text, as the table says.
    const custom = await newCatalog();
    await handTable(custom, 'pipes', 'csv', join(dir, 'd'), [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'tag', Type: 'string' }], { 'field.delim': '|', 'serialization.null.format': '' });
    const c = await resolveTable(service, custom, 'hand', 'pipes', lister, { relation: 'pipes2' });
    expect(await rowsOf(`SELECT name FROM ${c.sql} ORDER BY id`)).toEqual([['"Ann"'], ['\\N'], [null]]);
  });

  it('OpenCSVSerde: separatorChar, quoteChar, escapeChar and a header row matched by name', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'q/a.csv': "name;id\n'Smith; J';1\n'O\\'Neil';2\n" });
    await handTable(catalog, 'quoted', 'csv', join(dir, 'q'), ID_NAME, { separatorChar: ';', quoteChar: "'", escapeChar: '\\' }, { 'skip.header.line.count': '1' });
    const r = await resolveTable(service, catalog, 'hand', 'quoted', lister);
    expect(await typesOf(r.sql)).toEqual({ id: 'BIGINT', name: 'VARCHAR' });
    expect(await rowsOf(`SELECT id, name FROM ${r.sql} ORDER BY id`)).toEqual([[1, 'Smith; J'], [2, "O'Neil"]]);
  });

  it('skip.header.line.count above 1 skips that many lines and reads columns by position', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 's/a.csv': 'exported by tool\nid,name\n1,a\n2,b\n' });
    await handTable(catalog, 'skipped', 'csv', join(dir, 's'), ID_NAME, { 'field.delim': ',' }, { 'skip.header.line.count': '2' });
    const r = await resolveTable(service, catalog, 'hand', 'skipped', lister);
    expect(await rowsOf(`SELECT id, name FROM ${r.sql} ORDER BY id`)).toEqual([[1, 'a'], [2, 'b']]);
  });

  it('gzip-compressed CSV and JSON, TSV; values that do not fit the catalog type read as NULL, extra file columns are left out', async () => {
    const catalog = await newCatalog();
    const dir = folder({
      'gz/a.csv.gz': gzipSync('id,name,extra\n1,a,e\nnot-a-number,b,e\n'),
      'jgz/a.json.gz': gzipSync('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n'),
      'tabs/a.tsv': 'id\tname\n7\tseven\n',
    });
    await handTable(catalog, 'gz', 'csv', join(dir, 'gz'), ID_NAME, { 'field.delim': ',' }, { 'skip.header.line.count': '1', compressionType: 'gzip' });
    const gz = await resolveTable(service, catalog, 'hand', 'gz', lister);
    expect(await rowsOf(`SELECT * FROM ${gz.sql} ORDER BY name`)).toEqual([[1, 'a'], [null, 'b']]);
    await handTable(catalog, 'jgz', 'json', join(dir, 'jgz'), ID_NAME);
    expect(await rowsOf(`SELECT * FROM ${(await resolveTable(service, catalog, 'hand', 'jgz', lister)).sql} ORDER BY id`)).toEqual([[1, 'a'], [2, 'b']]);
    await handTable(catalog, 'tabs', 'csv', join(dir, 'tabs'), ID_NAME, { 'field.delim': '\t' }, { 'skip.header.line.count': '1' });
    expect(await rowsOf(`SELECT * FROM ${(await resolveTable(service, catalog, 'hand', 'tabs', lister)).sql}`)).toEqual([[7, 'seven']]);
  });

  it('JSON with a jsonPath ($.records[*]) reads the records under it, big integers exact', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'j/a.json': '{"meta":{"n":2},"records":[{"id":9007199254740993,"name":"a"},{"id":2,"name":"b"}]}' });
    await handTable(catalog, 'nested', 'json', join(dir, 'j'), ID_NAME, undefined, { jsonPath: '$.records[*]' });
    const r = await resolveTable(service, catalog, 'hand', 'nested', lister);
    expect(await rowsOf(`SELECT id::VARCHAR, name FROM ${r.sql} ORDER BY name`)).toEqual([['9007199254740993', 'a'], ['2', 'b']]);
  });

  it('crawled XML (rowTag), Avro and Parquet tables', async () => {
    const catalog = await newCatalog();
    const dir = folder({
      'books/a.xml': '<catalog><book><id>1</id><title>Dune</title></book><book><id>2</id><title>Emma</title></book></catalog>',
      'people/a.avro': await avroFile({ type: 'record', name: 'R', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] }, [{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }]),
      'nums/a.parquet': engine.toParquet('SELECT range AS n FROM range(3)'),
    });
    await crawl(dir, catalog);
    const books = await catalog.getTable('lake', 'books');
    expect(books.Parameters?.['rowTag']).toBe('book');
    expect(await rowsOf(`SELECT id, title FROM ${(await resolveTable(service, catalog, 'lake', 'books', lister)).sql} ORDER BY id`)).toEqual([[1, 'Dune'], [2, 'Emma']]);
    expect(await rowsOf(`SELECT id, name FROM ${(await resolveTable(service, catalog, 'lake', 'people', lister)).sql} ORDER BY id`)).toEqual([[1, 'ann'], [2, 'bob']]);
    expect(await rowsOf(`SELECT sum(n)::INTEGER FROM ${(await resolveTable(service, catalog, 'lake', 'nums', lister)).sql}`)).toEqual([[3]]);
  });

  it('a crawled log (grok) table', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'logs/error.log': '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties\n[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n' });
    await crawl(dir, catalog);
    const [t] = await catalog.getTables('lake');
    const r = await resolveTable(service, catalog, 'lake', t!.Name, lister);
    expect(r.rows).toBe(2);
  });

  it('bzip2 and other Hadoop codecs say which codec, instead of an empty table', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'b/a.csv.bz2': 'BZh9' });
    await handTable(catalog, 'bz', 'csv', join(dir, 'b'), ID_NAME, { 'field.delim': ',' }, { compressionType: 'bzip2' });
    await expect(resolveTable(service, catalog, 'hand', 'bz', lister)).rejects.toThrow('hand.bz: a.csv.bz2 is compressed with bz2, which Epoxy does not read (gzip .gz is read)');
  });

  it('reads a crawled ORC table (pyarrow-written files) with its typed partitions, pruned (issue 19: ORC had no reader)', async () => {
    const catalog = await newCatalog();
    const orc = readFileSync(join(__dirname, '../../fixtures/orc/strings_stripes.orc'));
    await crawl(folder({ 'year=2024/a.orc': orc, 'year=2025/b.orc': orc }), catalog, 'orcs');
    const [t] = await catalog.getTables('orcs');
    expect(t!.Parameters?.['classification']).toBe('orc');
    const r = await resolveTable(service, catalog, 'orcs', t!.Name, lister, { relation: 'orc_2025', partitions: [{ key: 'year', op: '=', values: ['2025'] }] });
    expect(r.files).toEqual({ read: 1, total: 2 });
    expect(await typesOf('orc_2025')).toMatchObject({ id: 'BIGINT', city: 'VARCHAR', uniq: 'VARCHAR' });
    expect(await rowsOf(`SELECT count(*)::INTEGER, count(city)::INTEGER, min(id)::INTEGER, max(id)::INTEGER, min(year)::VARCHAR FROM orc_2025`)).toEqual([[6000, 5454, 0, 5999, '2025']]);
  });

  it('a corrupt ORC file says it is not ORC, naming the file', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'o/a.orc': new Uint8Array([79, 82, 67]) });
    await handTable(catalog, 'orc', 'orc', join(dir, 'o'), ID_NAME);
    await expect(resolveTable(service, catalog, 'hand', 'orc', lister)).rejects.toThrow(/a\.orc.*not an ORC file \(too short\)/);
  });

  it('a table with no files of its format and no columns says so; with columns it is empty', async () => {
    const catalog = await newCatalog();
    const dir = folder({ 'e/readme.txt': 'nothing here' });
    await handTable(catalog, 'empty', 'csv', join(dir, 'e'), ID_NAME, { 'field.delim': ',' });
    const r = await resolveTable(service, catalog, 'hand', 'empty', lister);
    expect(r.rows).toBe(0);
    expect(await typesOf(r.sql)).toEqual({ id: 'BIGINT', name: 'VARCHAR' });
  });
});

describe('folderPlan + loadFiles: a dropped folder as one table (issue 19: a Hive tree opened as six part_0000 tables)', () => {
  it('takes the common k=v levels as partition columns and the folder\'s data format', async () => {
    const { folderPlan, loadFiles, dataFiles } = await import('../../../src/query/read');
    const dir = folder(HIVE);
    const files = await listLocalFiles(dir);
    const plan = folderPlan(pathToFileURL(dir).href, files);
    expect(plan).toMatchObject({ format: 'csv', partitionKeys: ['year', 'month'] });
    expect(folderPlan('x', [{ path: 'a=1/f.csv' }, { path: 'b=2/f.csv' }]).partitionKeys).toEqual([]);
    const rows = await loadFiles(service, 'dropped_folder', dataFiles(files, plan.format), plan);
    expect(rows).toBe(7);
    expect(await rowsOf('SELECT count(DISTINCT year)::INT, count(DISTINCT month)::INT FROM dropped_folder')).toEqual([[2, 5]]);
  });
});
