import { expect, test } from '@playwright/test';

// The built app must open databases that older builds saved, whatever its storage code looks like now
// (issue 18 typed the catalog and queue databases). The old databases are written here with the raw
// IndexedDB API, exactly as schema version 1 of each created them, on the app's origin before the app runs.

test('the built app opens a catalog and a scheduler queue saved by their first schema versions, and upgrades them in place (issue 18: typed storage keeps old databases opening)', async ({ page }) => {
  // A static file of the app's origin: the app's code does not run, so nothing opens the databases first.
  await page.goto('/icon.svg');
  await page.evaluate(async () => {
    const open = (name: string, build: (db: IDBDatabase) => void) => new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => build(req.result);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const write = (db: IDBDatabase, puts: [string, unknown][]) => new Promise<void>((resolve, reject) => {
      const tx = db.transaction(puts.map(([store]) => store), 'readwrite');
      for (const [store, value] of puts) tx.objectStore(store).put(value);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    });
    const catalog = await open('epoxy-catalog', (db) => {
      db.createObjectStore('databases', { keyPath: 'Name' });
      db.createObjectStore('tables', { keyPath: ['DatabaseName', 'Name'] }).createIndex('byDatabase', 'DatabaseName');
      db.createObjectStore('partitions', { keyPath: ['DatabaseName', 'TableName', 'Values'] }).createIndex('byTable', ['DatabaseName', 'TableName']);
    });
    await write(catalog, [
      ['databases', { Name: 'legacy', Description: 'saved by schema version 1', CreateTime: '2025-01-01T00:00:00.000Z' }],
      ['tables', { Name: 'events', DatabaseName: 'legacy', PartitionKeys: [{ Name: 'day', Type: 'string' }], StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'kind', Type: 'string' }], Location: 's3://old/events/' } }],
      ['partitions', { DatabaseName: 'legacy', TableName: 'events', Values: ['2025-01-01'], CreationTime: '2025-01-01T00:00:00.000Z' }],
    ]);
    const queue = await open('epoxy-scheduler', (db) => {
      db.createObjectStore('queue', { keyPath: 'id' }).createIndex('notBefore', 'notBefore');
    });
    queue.close();
  });

  await page.goto('/#/catalog/legacy/events');
  await expect(page.getByText('Opening the catalog…')).toHaveCount(0);
  await expect(page.getByTestId('table-title')).toContainText('events');
  const rows = page.getByTestId('schema-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('id');
  await expect(rows.nth(2)).toContainText('partition key');
  // Version 2 of the schema gave the table its first version.
  await expect(page.getByRole('tab', { name: /Versions/ })).toContainText('(1)');

  await page.goto('/#/schedules');
  await expect(page.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await expect(page.getByTestId('db-upgrade')).toHaveCount(0);

  const stored = await page.evaluate(async () => {
    const read = (name: string) => new Promise<{ version: number; stores: string[] }>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => { const db = req.result; resolve({ version: db.version, stores: [...db.objectStoreNames].sort() }); db.close(); };
      req.onerror = () => reject(req.error);
    });
    return { catalog: await read('epoxy-catalog'), queue: await read('epoxy-scheduler') };
  });
  expect(stored.catalog).toEqual({
    version: 4,
    stores: ['classifiers', 'connections', 'crawlerRuns', 'crawlers', 'databases', 'jobRuns', 'jobs', 'objectVersions', 'partitions', 'tableVersions', 'tables', 'triggers'],
  });
  expect(stored.queue).toEqual({ version: 3, stores: ['fires', 'meta', 'queue', 'workflowRuns'] });
});
