import { afterEach, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import type { TableInput } from '../../../../src/catalog';
import { ordersTable } from '../../catalog/helpers';
import { models, testApp, type TestApp } from '../support';

type Model = ReturnType<typeof models.catalog>;
const open: Model[] = [];
afterEach(() => { for (const m of open.splice(0)) m.stop(); });

async function started(seed: (app: TestApp) => Promise<void> = async () => undefined): Promise<{ app: TestApp; model: Model }> {
  const app = await testApp();
  await seed(app);
  const model = models.catalog(app);
  open.push(model);
  await model.start();
  expect(model.status).toBe('ready');
  return { app, model };
}

const withShop = async (app: TestApp) => {
  await app.catalog.createDatabase({ Name: 'shop' });
  await app.catalog.createTable('shop', ordersTable);
};

describe('the Catalog model: browsing', () => {
  it('a refresh the view outlives ends quietly (issue 18 review: a commit fanned out as the view stopped rejected with "The catalog is not open")', async () => {
    const { model } = await started(withShop);
    const refreshing = model.refresh();
    model.stop();
    await expect(refreshing).resolves.toBeUndefined();
    expect(model.tables['shop']?.map((t) => t.Name)).toEqual(['orders']);
  });

  it('loads databases and their tables sorted by name, and a table\'s partitions and versions on demand', async () => {
    const { app, model } = await started(async (a) => {
      await a.catalog.createDatabase({ Name: 'zoo' });
      await withShop(a);
      await a.catalog.createTable('shop', { ...ordersTable, Name: 'Customers', PartitionKeys: [] });
      await a.catalog.createPartitions('shop', 'orders', [{ Values: ['2026', '01'], StorageDescriptor: { ...ordersTable.StorageDescriptor!, Location: 's3://shop/orders/year=2026/month=01/' } }]);
    });
    expect(model.databases.map((d) => d.Name)).toEqual(['shop', 'zoo']);
    expect(model.tables['shop']?.map((t) => t.Name)).toEqual(['customers', 'orders']);
    expect(model.table('shop', 'orders')?.StorageDescriptor?.Location).toBe('s3://shop/orders/');
    expect(model.table('shop', 'nope')).toBeUndefined();
    await model.loadDetails('shop', 'orders');
    expect(model.partitions.map((p) => p.Values)).toEqual([['2026', '01']]);
    await app.catalog.updateTable('shop', { ...ordersTable, Description: 'v2' });
    await model.refresh();
    // The open table's versions follow the other tab's update (current first, as Glue's GetTableVersions).
    expect(model.versions.map((v) => v.Table.Description)).toEqual(['v2', 'Orders by day']);
    await model.loadDetails(undefined, undefined);
    expect(model.partitions).toEqual([]);
  });

  it('follows a change another tab commits', async () => {
    const { app, model } = await started();
    await app.catalog.createDatabase({ Name: 'late' });
    await expect.poll(() => model.databases.map((d) => d.Name)).toEqual(['late']);
  });
});

describe('the Catalog model: creating', () => {
  it('creates a database under its lowercased name, and says why a second one of that name is refused', async () => {
    const { model } = await started();
    expect(await model.createDatabase('Sales', 'Sales data')).toBe('sales');
    expect(model.databases).toMatchObject([{ Name: 'sales', Description: 'Sales data' }]);
    expect(await model.createDatabase('sales', '')).toBeNull();
    expect(model.error).toMatch(/sales/i);
    expect(model.error).toMatch(/exists/i);
  });

  it('creates a table from the form\'s column lines, as a crawler would store that format', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.createDatabase({ Name: 'shop' }); });
    const name = await model.createTable('shop', { name: 'Sales', format: 'csv', location: 's3://shop/sales/', columns: 'id bigint\nregion string -- where it was sold\n', partitionKeys: 'day string', delimiter: ';', header: true });
    expect(name).toBe('sales');
    expect(model.error).toBeNull();
    const t = await app.catalog.getTable('shop', 'sales');
    expect(t.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }, { Name: 'region', Type: 'string', Comment: 'where it was sold' }]);
    expect(t.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    expect(t.Parameters).toMatchObject({ classification: 'csv', delimiter: ';' });
  });

  it('says how to write a column it cannot read, and that a table needs one', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.createDatabase({ Name: 'shop' }); });
    const form = { name: 'bad', format: 'parquet' as const, location: 's3://x/', columns: 'justaname', partitionKeys: '' };
    expect(await model.createTable('shop', form)).toBeNull();
    expect(model.error).toBe('Write each column as "name type", e.g. "id bigint" (got "justaname").');
    expect(await model.createTable('shop', { ...form, columns: '  \n' })).toBeNull();
    expect(model.error).toBe('A table needs at least one column.');
    expect(await app.catalog.getTables('shop')).toEqual([]);
  });
});

describe('the Catalog model: editing beside other tabs', () => {
  it('edits a column on the version it showed; another tab\'s edit meanwhile is a conflict, resolved by saving mine', async () => {
    const { app, model } = await started(withShop);
    const shown = model.table('shop', 'orders')!.VersionId;
    expect(await model.editColumn('shop', 'orders', 1, { Name: 'customer', Type: 'string', Comment: 'who' }, shown)).toBe(true);
    expect((await app.catalog.getTable('shop', 'orders')).StorageDescriptor?.Columns?.[1]).toEqual({ Name: 'customer', Type: 'string', Comment: 'who' });
    const mineBase = model.table('shop', 'orders')!.VersionId;
    await app.catalog.updateTable('shop', { ...ordersTable, Description: 'theirs' });
    expect(await model.editColumn('shop', 'orders', 0, { Name: 'order_id', Type: 'string' }, mineBase)).toBe(false);
    expect(model.conflict).toMatchObject({ db: 'shop', table: 'orders', theirs: { Description: 'theirs' } });
    expect(model.conflict!.mine.StorageDescriptor?.Columns?.[0]).toEqual({ Name: 'order_id', Type: 'string' });
    const epoch = model.editEpoch;
    expect(await model.saveMineAnyway()).toBe(true);
    expect(model.conflict).toBeNull();
    expect(model.editEpoch).toBe(epoch + 1);
    expect((await app.catalog.getTable('shop', 'orders')).StorageDescriptor?.Columns?.[0]).toEqual({ Name: 'order_id', Type: 'string' });
  });

  it('renames the names Athena needs quoted as a new version, saying what it renamed, or that nothing needed it', async () => {
    const spaced: TableInput = { ...ordersTable, Name: 'raw', StorageDescriptor: { ...ordersTable.StorageDescriptor!, Columns: [{ Name: 'Order ID', Type: 'bigint' }, { Name: 'amount', Type: 'double' }] }, PartitionKeys: [] };
    const { app, model } = await started(async (a) => { await a.catalog.createDatabase({ Name: 'shop' }); await a.catalog.createTable('shop', spaced); });
    expect(await model.normalizeNames('shop', 'raw', model.table('shop', 'raw')!.VersionId)).toBe(true);
    expect(model.notice).toBe('Renamed 1 name: order id → order_id. The previous definition is kept as a version.');
    expect((await app.catalog.getTable('shop', 'raw')).StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['order_id', 'amount']);
    expect(await model.normalizeNames('shop', 'raw', model.table('shop', 'raw')!.VersionId)).toBe(true);
    expect(model.notice).toBe('Every name is already Athena-safe.');
  });

  it('restores an old version as a new one', async () => {
    const { app, model } = await started(withShop);
    const first = model.table('shop', 'orders')!.VersionId!;
    await model.editColumn('shop', 'orders', 0, { Name: 'order_no', Type: 'bigint' }, first);
    expect(await model.restoreVersion('shop', 'orders', first)).toBe(true);
    expect((await app.catalog.getTable('shop', 'orders')).StorageDescriptor?.Columns?.[0]?.Name).toBe('order_id');
  });
});

describe('the Catalog model: deleting and undoing', () => {
  it('deletes a table with an undo that puts it back', async () => {
    const { app, model } = await started(withShop);
    expect(await model.deleteTable('shop', 'orders')).toBe(true);
    expect(model.undo?.message).toBe('Deleted table shop.orders.');
    expect(model.tables['shop']).toEqual([]);
    expect(await model.undoDelete()).toBe(true);
    expect(model.undo).toBeNull();
    expect((await app.catalog.getTable('shop', 'orders')).Name).toBe('orders');
  });

  it('deletes a database with its tables, counting them', async () => {
    const { model } = await started(withShop);
    expect(await model.deleteDatabase('shop')).toBe(true);
    expect(model.undo?.message).toBe('Deleted database shop (1 table).');
    expect(model.databases).toEqual([]);
  });
});

describe('the Catalog model: import and export', () => {
  const file = (name: string, doc: unknown) => ({ name, text: async () => JSON.stringify(doc) });

  it('imports a file naming its database at once, and holds one that names none until a database is chosen', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.createDatabase({ Name: 'shop' }); });
    await model.importFiles([file('named.json', { DatabaseName: 'shop', TableInput: ordersTable }), file('loose.json', { TableInput: { ...ordersTable, Name: 'loose' } })]);
    expect(model.notice).toBe('Imported named.json: 1 table created, 0 updated, 0 unchanged, 0 databases created, 0 partitions.');
    expect(model.pendingImport.map((p) => [p.name, p.missing])).toEqual([['loose.json', ['loose']]]);
    expect(await model.importPending('  ')).toBe(false);
    expect(model.error).toBe('Choose the database to import into, or type the name of a new one.');
    expect(await model.importPending('Lake')).toBe(true);
    expect(model.pendingImport).toEqual([]);
    expect(model.notice).toMatch(/^Imported into lake: loose\.json: 1 table created/);
    expect((await app.catalog.getTable('lake', 'loose')).Name).toBe('loose');
  });

  it('says which file is not JSON', async () => {
    const { model } = await started();
    await model.importFiles([{ name: 'broken.json', text: async () => '{ nope' }]);
    expect(model.error).toMatch(/broken\.json/);
  });

  it('exports the catalog as a bundle, Glue CLI files, Athena DDL, and one table\'s files', async () => {
    const { model } = await started(withShop);
    const bundle = await model.bundle();
    expect(bundle.name).toBe('epoxy-catalog.glue.json');
    expect(JSON.parse(bundle.text)).toMatchObject({ Format: 'epoxy-glue-catalog' });
    expect((await model.glueZip('shop')).name).toBe('shop.glue-files.zip');
    // The role and script folder typed in the settings go into the requests; README.txt says what to do.
    model.glueRole = 'arn:aws:iam::123456789012:role/GlueETL';
    model.glueScripts = 's3://assets/scripts/';
    const zip = unzipSync((await model.glueZip('shop')).data);
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['databases/shop.json', 'README.txt']));
    expect(strFromU8(zip['README.txt']!)).toContain('aws s3 cp scripts/ s3://assets/scripts/ --recursive');
    expect(strFromU8(zip['README.txt']!)).toMatch(/databases\/: create-database/);
    expect((await model.ddl('shop')).text).toMatch(/CREATE EXTERNAL TABLE/);
    const table = model.table('shop', 'orders')!;
    expect(JSON.parse(model.tableJson(table).text)).toMatchObject({ DatabaseName: 'shop', TableInput: { Name: 'orders' } });
    expect(model.tableDdl(table).name).toBe('shop.orders.ddl.sql');
  });

  it('forgets the last action\'s messages on navigation', async () => {
    const { model } = await started();
    await model.createDatabase('x', '');
    await model.createDatabase('x', '');
    expect(model.error).not.toBeNull();
    model.clearMessages();
    expect(model.error).toBeNull();
  });
});
