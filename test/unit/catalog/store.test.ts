import { describe, expect, it } from 'vitest';
import { CatalogError, type Classifier, type Crawler, type Job, type Trigger } from '../../../src/catalog';
import { freshCatalog, ordersTable } from './helpers';

async function rejects(p: Promise<unknown>): Promise<CatalogError> {
  try { await p; } catch (err) { expect(err).toBeInstanceOf(CatalogError); return err as CatalogError; }
  throw new Error('expected a CatalogError');
}

describe('Catalog store: databases', () => {
  it('creates, lowercases, reads, updates and deletes a database', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'Shop', Description: 'the shop', Parameters: { owner: 'ann' } });
    expect(await catalog.getDatabase('shop')).toEqual({ Name: 'shop', Description: 'the shop', Parameters: { owner: 'ann' }, CreateTime: '2026-01-01T00:00:00.000Z' });
    await catalog.updateDatabase({ Name: 'shop', Description: 'our shop', LocationUri: 's3://shop/' });
    expect(await catalog.getDatabase('SHOP')).toMatchObject({ Description: 'our shop', LocationUri: 's3://shop/', CreateTime: '2026-01-01T00:00:00.000Z' });
    expect((await catalog.getDatabases()).map((d) => d.Name)).toEqual(['shop']);
    await catalog.deleteDatabase('shop');
    expect((await rejects(catalog.getDatabase('shop'))).code).toBe('EntityNotFoundException');
  });

  it('refuses duplicates and invalid names with the rule in the message', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'a' });
    expect((await rejects(catalog.createDatabase({ Name: 'A' }))).code).toBe('AlreadyExistsException');
    // Glue's API takes any single-line name (issue 17): "my-db" is a database; a line break is not.
    await catalog.createDatabase({ Name: 'My-DB' });
    expect((await catalog.getDatabase('my-db')).Name).toBe('my-db');
    const err = await rejects(catalog.createDatabase({ Name: 'my\ndb' }));
    expect(err.code).toBe('InvalidInputException');
    expect(err.message).toBe('The database name "my?db" contains the control character U+000A: Glue names are single-line text (tab allowed).');
    expect((await rejects(catalog.createDatabase({ Name: 'x'.repeat(256) }))).message).toContain('at most 255');
    expect((await rejects(catalog.createDatabase({ Name: '' }))).message).toContain('required');
    expect((await rejects(catalog.updateDatabase({ Name: 'nope' }))).code).toBe('EntityNotFoundException');
  });
});

describe('Catalog store: tables and versions', () => {
  it('creates a table as version 0 with names lowercased', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    const t = await catalog.getTable('shop', 'ORDERS');
    expect(t.Name).toBe('orders');
    expect(t.DatabaseName).toBe('shop');
    expect(t.VersionId).toBe('0');
    expect(t.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['order_id', 'customer', 'amount']);
    expect((await catalog.getTables('shop')).length).toBe(1);
    expect(await catalog.getTableVersions('shop', 'orders')).toEqual([{ VersionId: '0', Table: t }]);
  });

  it('rejects bad types with column and position, duplicate columns, missing database', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    const bad = { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'struct<x:int,y:>' }] } };
    const err = await rejects(catalog.createTable('shop', bad));
    expect(err.code).toBe('InvalidInputException');
    expect(err.message).toMatch(/column "a" has an invalid type: .*position 15/);
    const dup = { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'int' }] }, PartitionKeys: [{ Name: 'A', Type: 'string' }] };
    expect((await rejects(catalog.createTable('shop', dup))).message).toContain('"a" is used twice');
    expect((await rejects(catalog.createTable('nope', ordersTable))).code).toBe('EntityNotFoundException');
    expect((await rejects(catalog.createTable('shop', { Name: 'bad\u0007name' }))).message).toContain('table name "bad?name" contains the control character U+0007');
    expect((await rejects(catalog.createTable('shop', { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a' }] } }))).message).toContain('has no type');
  });

  it('keeps every previous version on update, and restores one as a new version', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    const v0 = await catalog.getTable('shop', 'orders');
    const cols = v0.StorageDescriptor!.Columns!;
    await catalog.updateTable('shop', { ...ordersTable, StorageDescriptor: { ...ordersTable.StorageDescriptor, Columns: [...cols, { Name: 'note', Type: 'string' }] } });
    const v1 = await catalog.getTable('shop', 'orders');
    expect(v1.VersionId).toBe('1');
    expect(v1.CreateTime).toBe(v0.CreateTime);
    expect(v1.UpdateTime).not.toBe(v0.UpdateTime);
    const versions = await catalog.getTableVersions('shop', 'orders');
    expect(versions.map((v) => v.VersionId)).toEqual(['1', '0']);
    expect(versions[1]!.Table).toEqual(v0);
    expect((await catalog.getTableVersion('shop', 'orders', '0')).Table).toEqual(v0);
    expect((await rejects(catalog.getTableVersion('shop', 'orders', '9'))).code).toBe('EntityNotFoundException');
    expect((await rejects(catalog.updateTable('shop', { Name: 'nope' }))).code).toBe('EntityNotFoundException');
  });

  it('deletes a table with its partitions and versions, and undo puts them back exactly', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    await catalog.updateTable('shop', { ...ordersTable, Description: 'v1' });
    await catalog.createPartitions('shop', 'orders', [{ Values: ['2024', '01'], Parameters: { recordCount: '10' } }]);
    const before = await catalog.snapshot();
    const removed = await catalog.deleteTable('shop', 'orders');
    expect(removed.tables.length).toBe(1);
    expect(removed.partitions.length).toBe(1);
    expect(removed.versions.length).toBe(2);
    expect(await catalog.getTables('shop')).toEqual([]);
    expect(await catalog.getPartitions('shop', 'orders')).toEqual([]);
    expect(await catalog.getTableVersions('shop', 'orders')).toEqual([]);
    await catalog.restore(removed);
    expect(await catalog.snapshot()).toEqual(before);
  });

  it('deleting a database removes its tables; undo restores the database and tables', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    const before = await catalog.snapshot();
    const removed = await catalog.deleteDatabase('shop');
    expect(removed.databases.map((d) => d.Name)).toEqual(['shop']);
    expect((await catalog.snapshot()).tables).toEqual([]);
    await catalog.restore(removed);
    expect(await catalog.snapshot()).toEqual(before);
  });
});

describe('Catalog store: partitions', () => {
  it('creates, lists in key order, updates and deletes partitions with per-partition stats', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    await catalog.createPartitions('shop', 'orders', [
      { Values: ['2024', '02'], StorageDescriptor: { Location: 's3://shop/orders/year=2024/month=02/' }, Parameters: { recordCount: '5' } },
      { Values: ['2024', '01'], StorageDescriptor: { Location: 's3://shop/orders/year=2024/month=01/' }, Parameters: { recordCount: '7' } },
    ]);
    let parts = await catalog.getPartitions('shop', 'orders');
    expect(parts.map((p) => p.Values)).toEqual([['2024', '01'], ['2024', '02']]);
    expect(parts[0]).toMatchObject({ DatabaseName: 'shop', TableName: 'orders', Parameters: { recordCount: '7' } });
    await catalog.commit([{ op: 'updatePartition', databaseName: 'shop', tableName: 'orders', values: ['2024', '01'], partition: { Values: ['2024', '01'], Parameters: { recordCount: '8' } } }]);
    parts = await catalog.getPartitions('shop', 'orders');
    expect(parts[0]!.Parameters).toEqual({ recordCount: '8' });
    expect(parts[0]!.CreationTime).toBeDefined();
    await catalog.commit([{ op: 'deletePartitions', databaseName: 'shop', tableName: 'orders', values: [['2024', '02']] }]);
    expect((await catalog.getPartitions('shop', 'orders')).length).toBe(1);
  });

  it('checks the number of values and duplicates', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    expect((await rejects(catalog.createPartitions('shop', 'orders', [{ Values: ['2024'] }]))).message).toContain('needs 2 value(s) (year, month), got 1');
    await catalog.createPartitions('shop', 'orders', [{ Values: ['2024', '01'] }]);
    expect((await rejects(catalog.createPartitions('shop', 'orders', [{ Values: ['2024', '01'] }]))).code).toBe('AlreadyExistsException');
    expect((await rejects(catalog.commit([{ op: 'deletePartitions', databaseName: 'shop', tableName: 'orders', values: [['1999', '01']] }]))).code).toBe('EntityNotFoundException');
  });
});

describe('Catalog store: ETL objects and runs', () => {
  it('stores connections, classifiers (in order), crawlers, jobs and triggers by name', async () => {
    const { catalog } = await freshCatalog();
    const grok: Classifier = { GrokClassifier: { Name: 'apache', Classification: 'apache_log', GrokPattern: '%{COMBINEDAPACHELOG}' }, order: 2 };
    const csv: Classifier = { CsvClassifier: { Name: 'pipes', Delimiter: '|', ContainsHeader: 'PRESENT' }, order: 1 };
    await catalog.put('classifier', grok);
    await catalog.put('classifier', csv);
    expect((await catalog.list('classifier')).map((c) => c.CsvClassifier?.Name ?? c.GrokClassifier?.Name)).toEqual(['pipes', 'apache']);
    expect(await catalog.get('classifier', 'apache')).toEqual({ ...grok, VersionId: '0' });
    const crawler: Crawler = { Name: 'Orders Crawler', DatabaseName: 'shop', Targets: { S3Targets: [{ Path: 's3://shop/orders/', Exclusions: ['**.tmp'] }] }, SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' }, Configuration: '{"Version":1.0}' };
    await catalog.put('crawler', crawler);
    const job: Job = { Name: 'nightly', Command: { Name: 'glueetl' }, MaxRetries: 1, Epoxy: { dag: { nodes: [] } } };
    await catalog.put('job', job);
    const trigger: Trigger = { Name: 'every-night', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'nightly' }] };
    await catalog.put('trigger', trigger);
    await catalog.put('connection', { Name: 'files', ConnectionType: 'NETWORK', ConnectionProperties: {} });
    expect(await catalog.get('crawler', 'Orders Crawler')).toEqual({ ...crawler, VersionId: '0' });
    expect(await catalog.get('job', 'nightly')).toEqual({ ...job, VersionId: '0' });
    expect(await catalog.list('trigger')).toEqual([{ ...trigger, VersionId: '0' }]);
    expect((await catalog.list('connection')).length).toBe(1);
    const removed = await catalog.delete('job', 'nightly');
    expect(removed.objects).toEqual([{ kind: 'job', value: { ...job, VersionId: '0' } }]);
    expect(removed.objectVersions.map((v) => [v.Kind, v.Name, v.VersionId])).toEqual([['job', 'nightly', '0']]);
    expect((await rejects(catalog.get('job', 'nightly'))).code).toBe('EntityNotFoundException');
    expect((await rejects(catalog.put('classifier', { GrokClassifier: grok.GrokClassifier, CsvClassifier: csv.CsvClassifier } as unknown as Classifier))).message).toContain('exactly one');
    expect((await rejects(catalog.put('job', { Name: 'a\nb' }))).message).toContain('single line');
  });

  it('stores job and crawler runs, newest first', async () => {
    const { catalog } = await freshCatalog();
    await catalog.commit([
      { op: 'putJobRun', run: { Id: 'jr_1', JobName: 'nightly', JobRunState: 'FAILED', StartedOn: '2026-01-01T02:00:00Z', Attempt: 0 } },
      { op: 'putJobRun', run: { Id: 'jr_2', JobName: 'nightly', JobRunState: 'SUCCEEDED', StartedOn: '2026-01-01T02:05:00Z', Attempt: 1, PreviousRunId: 'jr_1' } },
      { op: 'putJobRun', run: { Id: 'jr_3', JobName: 'other', JobRunState: 'RUNNING', StartedOn: '2026-01-01T03:00:00Z' } },
      { op: 'putCrawlerRun', run: { CrawlId: 'c1', CrawlerName: 'orders', State: 'COMPLETED', StartTime: '2026-01-01T01:00:00Z' } },
    ]);
    expect((await catalog.getJobRuns('nightly')).map((r) => r.Id)).toEqual(['jr_2', 'jr_1']);
    expect((await catalog.getCrawlerRuns('orders')).map((r) => r.CrawlId)).toEqual(['c1']);
    expect(await catalog.getCrawlerRuns('none')).toEqual([]);
  });
});

describe('Catalog store: atomic commits', () => {
  it('a failure mid-commit leaves nothing of the change behind', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'keep' });
    const before = await catalog.snapshot();
    // A crawl's result: a database, a table, its partitions... and then a table that already exists.
    const err = await rejects(catalog.commit([
      { op: 'createDatabase', database: { Name: 'crawled' } },
      { op: 'createTable', databaseName: 'crawled', table: ordersTable },
      { op: 'createPartitions', databaseName: 'crawled', tableName: 'orders', partitions: [{ Values: ['2024', '01'] }] },
      { op: 'updateDatabase', database: { Name: 'keep', Description: 'changed' } },
      { op: 'createTable', databaseName: 'crawled', table: ordersTable },
    ]));
    expect(err.code).toBe('AlreadyExistsException');
    expect(await catalog.snapshot()).toEqual(before);
    // The catalog is still usable afterwards.
    await catalog.createDatabase({ Name: 'crawled' });
    expect((await catalog.getDatabases()).map((d) => d.Name)).toEqual(['crawled', 'keep']);
  });

  it('a validation error in a later change rolls back earlier ones', async () => {
    const { catalog } = await freshCatalog();
    const before = await catalog.snapshot();
    await rejects(catalog.commit([
      { op: 'createDatabase', database: { Name: 'a' } },
      { op: 'createTable', databaseName: 'a', table: { Name: 't', StorageDescriptor: { Columns: [{ Name: 'x', Type: 'nope' }] } } },
    ]));
    expect(await catalog.snapshot()).toEqual(before);
  });

  it('notifies commit listeners only for committed changes', async () => {
    const { catalog } = await freshCatalog();
    const seen: string[][] = [];
    catalog.onCommit((r) => seen.push(r.changed));
    await catalog.createDatabase({ Name: 'a' });
    await rejects(catalog.createDatabase({ Name: 'a' }));
    expect(seen).toEqual([['database:a']]);
  });
});

describe('Catalog store: upserts for crawlers and imports', () => {
  it('ensureDatabase, putTable and putPartitions create, update or leave alone, and count what they did', async () => {
    const { catalog } = await freshCatalog();
    const first = await catalog.commit([
      { op: 'ensureDatabase', database: { Name: 'shop' } },
      { op: 'putTable', databaseName: 'shop', table: ordersTable },
      { op: 'putPartitions', databaseName: 'shop', tableName: 'orders', partitions: [{ Values: ['2024', '01'], Parameters: { recordCount: '1' } }] },
    ]);
    expect(first.counts).toEqual({ databasesCreated: 1, tablesCreated: 1, tablesUpdated: 0, tablesUnchanged: 0, partitionsCreated: 1, partitionsUpdated: 0 });
    const created = (await catalog.getPartitions('shop', 'orders'))[0]!.CreationTime;

    // The same definition again (fields in another order): no new version.
    const reordered = { Parameters: ordersTable.Parameters, PartitionKeys: ordersTable.PartitionKeys, StorageDescriptor: ordersTable.StorageDescriptor, TableType: ordersTable.TableType, Description: ordersTable.Description, Name: 'orders' };
    const again = await catalog.commit([
      { op: 'ensureDatabase', database: { Name: 'shop', Description: 'ignored: exists' } },
      { op: 'putTable', databaseName: 'shop', table: reordered },
      { op: 'putPartitions', databaseName: 'shop', tableName: 'orders', partitions: [{ Values: ['2024', '01'], Parameters: { recordCount: '2' } }, { Values: ['2024', '02'] }] },
    ]);
    expect(again.counts).toEqual({ databasesCreated: 0, tablesCreated: 0, tablesUpdated: 0, tablesUnchanged: 1, partitionsCreated: 1, partitionsUpdated: 1 });
    expect((await catalog.getDatabase('shop')).Description).toBeUndefined();
    expect((await catalog.getTableVersions('shop', 'orders')).length).toBe(1);
    const parts = await catalog.getPartitions('shop', 'orders');
    expect(parts[0]).toMatchObject({ Parameters: { recordCount: '2' }, CreationTime: created });

    const changed = await catalog.commit([{ op: 'putTable', databaseName: 'shop', table: { ...ordersTable, Description: 'new' } }]);
    expect(changed.counts.tablesUpdated).toBe(1);
    expect((await catalog.getTable('shop', 'orders')).VersionId).toBe('1');
    expect((await rejects(catalog.commit([{ op: 'putTable', databaseName: 'none', table: ordersTable }]))).code).toBe('EntityNotFoundException');
  });
});
