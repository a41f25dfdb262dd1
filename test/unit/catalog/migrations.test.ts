import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, CatalogError, SCHEMA_VERSION } from '../../../src/catalog';
import { storageError } from '../../../src/catalog/errors';
import { openDatabase } from '../../../src/catalog/store';
import './helpers';

describe('Catalog schema migrations', () => {
  it('upgrades a version 1 catalog: data kept, tables get their first version, ETL stores appear', async () => {
    const factory = new IDBFactory();
    const v1 = await openDatabase(factory, 'cat', 1);
    expect([...v1.objectStoreNames].sort()).toEqual(['databases', 'partitions', 'tables']);
    await v1.put('databases', { Name: 'shop', CreateTime: '2025-01-01T00:00:00.000Z' });
    await v1.put('tables', { Name: 'orders', DatabaseName: 'shop', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'int' }] } });
    await v1.put('partitions', { DatabaseName: 'shop', TableName: 'orders', Values: [] });
    v1.close();

    const catalog = await Catalog.open({ factory, name: 'cat' });
    expect(SCHEMA_VERSION).toBe(4);
    expect((await catalog.getDatabase('shop')).CreateTime).toBe('2025-01-01T00:00:00.000Z');
    const table = await catalog.getTable('shop', 'orders');
    expect(table.VersionId).toBe('0');
    expect(await catalog.getTableVersions('shop', 'orders')).toEqual([{ VersionId: '0', Table: table }]);
    expect(await catalog.list('job')).toEqual([]);
    await catalog.updateTable('shop', { Name: 'orders', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] } });
    expect((await catalog.getTableVersions('shop', 'orders')).map((v) => v.VersionId)).toEqual(['1', '0']);
    catalog.close();
  });

  it('upgrades a version 3 catalog holding jobs and triggers: each starts at version 0 with its definition kept (run state left out)', async () => {
    const factory = new IDBFactory();
    const v3 = await openDatabase(factory, 'cat', 3);
    expect([...v3.objectStoreNames]).not.toContain('objectVersions');
    const bookmark = { jobName: 'nightly', runId: 'jr_1', history: [] };
    await v3.put('jobs', { Name: 'nightly', MaxRetries: 1, Epoxy: { definition: { nodes: [] }, bookmark } }, 'nightly');
    await v3.put('triggers', { Name: 'at-two', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'nightly' }] }, 'at-two');
    await v3.put('connections', { Name: 'lake', ConnectionType: 'NETWORK', ConnectionProperties: {}, CreationTime: '2025-01-01T00:00:00.000Z', LastUpdatedTime: '2025-01-02T00:00:00.000Z' }, 'lake');
    v3.close();

    const catalog = await Catalog.open({ factory, name: 'cat' });
    const job = await catalog.get('job', 'nightly');
    expect(job).toEqual({ Name: 'nightly', MaxRetries: 1, Epoxy: { definition: { nodes: [] }, bookmark }, VersionId: '0' });
    expect(await catalog.getObjectVersions('job', 'nightly')).toEqual([{ VersionId: '0', Value: { Name: 'nightly', MaxRetries: 1, Epoxy: { definition: { nodes: [] } } } }]);
    expect((await catalog.get('trigger', 'at-two')).VersionId).toBe('0');
    expect((await catalog.getObjectVersions('trigger', 'at-two')).map((v) => v.VersionId)).toEqual(['0']);
    expect((await catalog.getObjectVersions('connection', 'lake'))[0]!.Value).toEqual({ Name: 'lake', ConnectionType: 'NETWORK', ConnectionProperties: {} });
    // An editor holding version 0 saves on top of the migrated record; the bookmark stays.
    expect(await catalog.put('job', { Name: 'nightly', MaxRetries: 3, Epoxy: { definition: { nodes: [] } } }, { expectedVersionId: '0' })).toBe('1');
    expect((await catalog.get('job', 'nightly')).Epoxy?.bookmark).toEqual(bookmark);
    catalog.close();
  });

  it('upgrades a version 3 classifier and crawler (typed stores, issue 18): a VersionId they carry is kept, their versions are filed under their keys', async () => {
    const factory = new IDBFactory();
    const v3 = await openDatabase(factory, 'cat', 3);
    const grok = { GrokClassifier: { Name: 'apache', Classification: 'log', GrokPattern: '%{COMMONAPACHELOG}' }, order: 1, VersionId: '2' };
    await v3.put('classifiers', grok, 'apache');
    await v3.put('crawlers', { Name: 'Nightly', DatabaseName: 'shop', Targets: { S3Targets: [{ Path: 's3://shop/' }] } }, 'Nightly');
    v3.close();

    const catalog = await Catalog.open({ factory, name: 'cat' });
    expect(await catalog.get('classifier', 'apache')).toEqual(grok);
    expect(await catalog.getObjectVersions('classifier', 'apache')).toEqual([{ VersionId: '2', Value: { GrokClassifier: grok.GrokClassifier, order: 1 } }]);
    expect((await catalog.get('crawler', 'Nightly')).VersionId).toBe('0');
    expect((await catalog.getObjectVersion('crawler', 'Nightly', '0')).Value).toEqual({ Name: 'Nightly', DatabaseName: 'shop', Targets: { S3Targets: [{ Path: 's3://shop/' }] } });
    // The next save of the classifier is version 3, on top of the migrated record.
    expect(await catalog.put('classifier', { ...grok, order: 2 }, { expectedVersionId: '2' })).toBe('3');
    catalog.close();
  });

  it('a migration that fails rolls back completely and says so', async () => {
    const factory = new IDBFactory();
    const v1 = await openDatabase(factory, 'cat', 1);
    await v1.put('databases', { Name: 'shop' });
    // A version id that is not a number cannot key a version record: migration 2 fails on it.
    await v1.put('tables', { Name: 'broken', DatabaseName: 'shop', VersionId: 'abc' });
    v1.close();
    const err = await Catalog.open({ factory, name: 'cat' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).message).toMatch(/Upgrading the catalog from version 1 failed in step 2: .*still at version 1/);
    const still = await openDatabase(factory, 'cat', 1);
    expect(still.version).toBe(1);
    expect([...still.objectStoreNames].sort()).toEqual(['databases', 'partitions', 'tables']);
    expect(await still.get('tables', ['shop', 'broken'])).toEqual({ Name: 'broken', DatabaseName: 'shop', VersionId: 'abc' });
    still.close();
  });

  it('upgrading from each older version reaches the same stores', async () => {
    const fresh = await openDatabase(new IDBFactory(), 'x', SCHEMA_VERSION);
    const stores = [...fresh.objectStoreNames].sort();
    fresh.close();
    for (let from = 1; from < SCHEMA_VERSION; from++) {
      const factory = new IDBFactory();
      (await openDatabase(factory, 'x', from)).close();
      const db = await openDatabase(factory, 'x', SCHEMA_VERSION);
      expect([...db.objectStoreNames].sort()).toEqual(stores);
      db.close();
    }
  });

  it('reports a blocked upgrade clearly, then continues once the old tab lets go', async () => {
    const factory = new IDBFactory();
    const old = await openDatabase(factory, 'cat', 1); // an old tab that does not close on versionchange
    let reportBlocked!: (e: CatalogError) => void;
    const blocked = new Promise<CatalogError>((resolve) => { reportBlocked = resolve; });
    const opening = Catalog.open({ factory, name: 'cat', onBlocked: (e) => reportBlocked(e) });
    const error = await blocked;
    expect(error.code).toBe('UpgradeBlocked');
    expect(error.message).toContain('another Epoxy tab');
    old.close();
    const catalog = await opening;
    expect(await catalog.getDatabases()).toEqual([]);
    catalog.close();
  });

  it('an open catalog steps aside for a newer tab and then says to reload', async () => {
    const factory = new IDBFactory();
    let stepped = 0;
    const older = await Catalog.open({ factory, name: 'cat', version: 2, onVersionChange: () => stepped++ });
    const newer = await Catalog.open({ factory, name: 'cat' });
    expect(stepped).toBe(1);
    await newer.createDatabase({ Name: 'a' });
    const err = await older.getDatabases().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).code).toBe('VersionTooNew');
    expect((err as CatalogError).message).toContain('Reload');
    newer.close();
  });

  it('maps a quota error to a message that says nothing was saved', () => {
    const err = storageError(new DOMException('full', 'QuotaExceededError'));
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).code).toBe('QuotaExceeded');
    expect((err as CatalogError).message).toContain('Nothing from this change was saved');
  });
});
