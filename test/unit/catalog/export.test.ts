import { describe, expect, it } from 'vitest';
import {
  bundleFromSnapshot, catalogDdl, databaseDdl, glueFiles, importGlueJson, partitionsDdl, hiveString, tableDdl, toJsonText,
} from '../../../src/catalog';
import { freshCatalog } from './helpers';
import { glueJobFacts } from '../../../src/jobs/script-args';
import { findSecrets } from '../../../src/share/secrets';
import { parsePastedUrls, s3Connection } from '../../../src/sources/s3-connection';
import { fillSales, fixture } from './fixtures';

describe('Glue JSON export', () => {
  it('writes create-database, create-table and batch-create-partition inputs identical to the hand-written files', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    const files = glueFiles(bundleFromSnapshot(await catalog.snapshot()));
    const byPath = new Map(files.map((f) => [f.path, toJsonText(f.json)]));
    expect([...byPath.keys()]).toEqual(['databases/sales.json', 'tables/sales/events.json', 'tables/sales/orders.json', 'partitions/sales/orders.json']);
    expect(byPath.get('databases/sales.json')).toBe(fixture('sales.create-database.json'));
    expect(byPath.get('tables/sales/orders.json')).toBe(fixture('sales.orders.create-table.json'));
    expect(byPath.get('tables/sales/events.json')).toBe(fixture('sales.events.create-table.json'));
    expect(byPath.get('partitions/sales/orders.json')).toBe(fixture('sales.orders.batch-create-partition.json'));
  });

  it('splits more than 100 partitions into batch-create-partition files of 100', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    await catalog.createPartitions('sales', 'orders', Array.from({ length: 150 }, (_, i) => ({ Values: ['1900', String(i).padStart(3, '0')] })));
    const files = glueFiles(bundleFromSnapshot(await catalog.snapshot())).filter((f) => f.path.startsWith('partitions/'));
    expect(files.map((f) => f.path)).toEqual(['partitions/sales/orders-1.json', 'partitions/sales/orders-2.json']);
    expect((files[0]!.json as { PartitionInputList: unknown[] }).PartitionInputList.length).toBe(100);
  });
});

describe('Athena DDL export', () => {
  it('renders the partitioned CSV table and the nested JSON table exactly as the hand-written DDL', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    const orders = await catalog.getTable('sales', 'orders');
    const events = await catalog.getTable('sales', 'events');
    expect(tableDdl(orders) + '\n' + partitionsDdl(orders, await catalog.getPartitions('sales', 'orders'))).toBe(fixture('sales.orders.ddl.sql'));
    expect(tableDdl(events)).toBe(fixture('sales.events.ddl.sql'));
    expect(databaseDdl(await catalog.getDatabase('sales'))).toBe(fixture('sales.database.ddl.sql'));
    expect(catalogDdl(await catalog.snapshot())).toBe([fixture('sales.database.ddl.sql'), fixture('sales.events.ddl.sql'), fixture('sales.orders.ddl.sql')].join('\n'));
  });

  it('uses OpenCSVSerde for quoted CSV, SERDE form for Parquet, and escapes strings and identifiers', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'd' });
    await catalog.createTable('d', {
      Name: 'q', Description: "it's \"quoted\"",
      StorageDescriptor: {
        Columns: [{ Name: 'a', Type: 'string' }],
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: '\t', quoteChar: '"', escapeChar: '\\' } },
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat', OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      },
    });
    const ddl = tableDdl(await catalog.getTable('d', 'q'));
    expect(ddl).toContain("COMMENT 'it\\'s \"quoted\"'");
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\nWITH SERDEPROPERTIES (\n  'escapeChar'='\\\\',\n  'quoteChar'='\"',\n  'separatorChar'='\\t'\n)");
    expect(hiveString('\u0001')).toBe("'\\u0001'");
  });
});

describe('Glue JSON import and round trips', () => {
  it('imports `aws glue get-tables` output; exporting gives the hand-written create-table inputs', async () => {
    const { catalog } = await freshCatalog();
    const summary = await importGlueJson(catalog, JSON.parse(fixture('get-tables.sales.json')));
    expect(summary).toMatchObject({ databases: 1, tablesCreated: 2, tablesUpdated: 0 });
    const files = new Map(glueFiles(bundleFromSnapshot(await catalog.snapshot())).map((f) => [f.path, toJsonText(f.json)]));
    expect(files.get('tables/sales/orders.json')).toBe(fixture('sales.orders.create-table.json'));
    expect(files.get('tables/sales/events.json')).toBe(fixture('sales.events.create-table.json'));
  });

  it('importing a table that exists updates it and keeps the old definition as a version', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    const doc = JSON.parse(fixture('sales.events.create-table.json'));
    doc.TableInput.Description = 'imported again';
    expect(await importGlueJson(catalog, doc)).toMatchObject({ tablesCreated: 0, tablesUpdated: 1, tablesUnchanged: 0 });
    expect((await catalog.getTableVersions('sales', 'events')).map((v) => v.VersionId)).toEqual(['1', '0']);
    // Importing the same definition again is not a new version.
    expect(await importGlueJson(catalog, doc)).toMatchObject({ tablesUpdated: 0, tablesUnchanged: 1 });
    expect((await catalog.getTableVersions('sales', 'events')).length).toBe(2);
  });

  it('imports get-table, get-database and batch-create-partition documents, into a chosen database', async () => {
    const { catalog } = await freshCatalog();
    await importGlueJson(catalog, JSON.parse(fixture('sales.create-database.json')));
    const table = JSON.parse(fixture('get-tables.sales.json')).TableList[1];
    await importGlueJson(catalog, { Table: table });
    await importGlueJson(catalog, JSON.parse(fixture('sales.orders.batch-create-partition.json')));
    expect((await catalog.getPartitions('sales', 'orders')).length).toBe(2);
    await importGlueJson(catalog, { Table: table }, { database: 'copy' });
    expect((await catalog.getTable('copy', 'orders')).StorageDescriptor?.Location).toBe('s3://acme-data/sales/orders/');
    await expect(importGlueJson(catalog, { Hello: 1 })).rejects.toThrow(/get-table/);
  });

  it('a document without DatabaseName says which tables need a database, and imports them into the one chosen (issue 15 #8: no control to choose)', async () => {
    const { withoutDatabase } = await import('../../../src/catalog/import-glue');
    const { catalog } = await freshCatalog();
    const listed = JSON.parse(fixture('get-tables.sales.json')).TableList as Record<string, unknown>[];
    const doc = { TableList: [{ ...listed[0], DatabaseName: undefined }, listed[1]] };
    expect(withoutDatabase(doc)).toEqual([String(listed[0]!.Name)]);
    expect(withoutDatabase({ TableInput: { Name: 'x' } })).toEqual(['x']);
    expect(withoutDatabase({ TableName: 't', PartitionInputList: [{ Values: ['1'] }] })).toEqual(['partitions of t']);
    expect(withoutDatabase(JSON.parse(fixture('get-tables.sales.json')))).toEqual([]);
    await expect(importGlueJson(catalog, doc)).rejects.toThrow(`Table ${String(listed[0]!.Name)} has no DatabaseName; choose the database to import into.`);
    // The choice fills only what names no database; the other table stays in its own.
    expect(await importGlueJson(catalog, doc, { fallbackDatabase: ' Imported ' })).toMatchObject({ tablesCreated: 2 });
    expect((await catalog.getTables('imported')).map((t) => t.Name)).toEqual([String(listed[0]!.Name)]);
    expect((await catalog.getTables('sales')).map((t) => t.Name)).toEqual([String(listed[1]!.Name)]);
  });

  it('export bundle -> import into an empty catalog -> identical catalog, history included', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    await catalog.updateTable('sales', { ...(await catalog.getTable('sales', 'events')), Description: 'v1' });
    await catalog.put('classifier', { CsvClassifier: { Name: 'pipes', Delimiter: '|' }, order: 1 });
    await catalog.put('job', { Name: 'nightly', Epoxy: { dag: [] } });
    await catalog.put('connection', { Name: 'files', ConnectionType: 'NETWORK', ConnectionProperties: {}, CreationTime: '2026-01-01T00:00:00.000Z' });
    await catalog.commit([{ op: 'putJobRun', run: { Id: 'jr_1', JobName: 'nightly', JobRunState: 'SUCCEEDED' } }]);
    const before = await catalog.snapshot();
    const text = toJsonText(bundleFromSnapshot(before));

    const { catalog: other } = await freshCatalog();
    await importGlueJson(other, JSON.parse(text));
    const after = await other.snapshot();
    expect(after).toEqual(before);
    expect(toJsonText(bundleFromSnapshot(after))).toBe(text);
  });

  it('imports a bundle that spells a table in mixed case, partitions and versions too (issue 18: restore lowercased tables with catalogName but filed partitions and versions as written)', async () => {
    const table = { Name: 'Orders', DatabaseName: 'Shop', PartitionKeys: [{ Name: 'Day', Type: 'string' }], StorageDescriptor: { Columns: [{ Name: 'Id', Type: 'int' }] } };
    const bundle = {
      Format: 'epoxy-glue-catalog', Version: 1,
      Databases: [{ DatabaseInput: { Name: 'Shop' } }],
      Tables: [{ DatabaseName: 'Shop', TableInput: { Name: 'Orders', PartitionKeys: table.PartitionKeys, StorageDescriptor: table.StorageDescriptor } }],
      Partitions: [{ DatabaseName: 'Shop', TableName: 'Orders', PartitionInputList: [{ Values: ['2026-01-01'] }] }],
      History: {
        Databases: [], Partitions: [], Connections: [], JobRuns: [], CrawlerRuns: [], ObjectVersions: [],
        TableVersions: [{ DatabaseName: 'Shop', TableName: 'Orders', TableVersions: [{ VersionId: '1', Table: { ...table, Description: 'now' } }, { VersionId: '0', Table: table }] }],
      },
    };
    const { catalog } = await freshCatalog();
    await importGlueJson(catalog, bundle, { now: '2026-01-02T00:00:00.000Z' });
    expect((await catalog.getTable('shop', 'orders')).VersionId).toBe('1');
    expect((await catalog.getPartitions('Shop', 'ORDERS')).map((p) => [p.DatabaseName, p.TableName, p.Values])).toEqual([['shop', 'orders', ['2026-01-01']]]);
    const versions = await catalog.getTableVersions('shop', 'orders');
    expect(versions.map((v) => [v.VersionId, v.Table.DatabaseName, v.Table.Name])).toEqual([['1', 'shop', 'orders'], ['0', 'shop', 'orders']]);
    // What was filed under the keys can be deleted under them: nothing is left behind.
    await catalog.deleteTable('shop', 'orders');
    const left = await catalog.snapshot();
    expect([left.tables, left.partitions, left.versions]).toEqual([[], [], []]);
  });

  it('redacts presigned URL signatures and passwords in connections, crawlers and jobs (the local catalog keeps them)', async () => {
    const { catalog } = await freshCatalog();
    const url = `https://lake.s3.amazonaws.com/a.csv?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261125&X-Amz-Date=20261125T120000Z&X-Amz-Expires=3600&X-Amz-Signature=${'ab'.repeat(32)}&X-Amz-SignedHeaders=host`;
    await catalog.put('connection', s3Connection('lake_urls', parsePastedUrls(`${url}\nPUT ${url}`).urls));
    await catalog.put('connection', { Name: 'db', ConnectionType: 'JDBC', ConnectionProperties: { JDBC_CONNECTION_URL: 'jdbc:postgresql://h/db', USERNAME: 'u', PASSWORD: 'hunter2' } });
    await catalog.put('job', { Name: 'upload', Epoxy: { target: { putUrls: url } } });
    const bundle = bundleFromSnapshot(await catalog.snapshot());
    const text = toJsonText(bundle) + JSON.stringify(glueFiles(bundle));
    expect(text).not.toContain('abababab');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('hunter2');
    expect(bundle.Connections!.find((c) => c.ConnectionInput.Name === 'lake_urls')!.ConnectionInput.ConnectionProperties['URLS']).toContain('a.csv?X-Amz-Credential=REDACTED&X-Amz-Date=20261125T120000Z&X-Amz-Expires=3600&X-Amz-Signature=REDACTED');
    expect(findSecrets(JSON.parse(toJsonText(bundle)))).toEqual([]);
    expect((await catalog.get('connection', 'lake_urls'))?.ConnectionProperties['URLS']).toContain('ab'.repeat(32));
  });

  it('one database exports alone', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    await catalog.createDatabase({ Name: 'other' });
    await catalog.createTable('other', { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'int' }] } });
    const bundle = bundleFromSnapshot(await catalog.snapshot('sales'));
    expect(bundle.Databases.map((d) => d.DatabaseInput.Name)).toEqual(['sales']);
    expect(bundle.Tables.map((t) => t.TableInput.Name)).toEqual(['events', 'orders']);
  });
});

describe('Glue files for ETL objects', () => {
  it('writes create-* inputs without Epoxy-only fields, with safe file names', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('job', { Name: 'etl/nightly', Command: { Name: 'glueetl' }, Epoxy: { dag: [] } });
    await catalog.put('classifier', { CsvClassifier: { Name: 'pipes', Delimiter: '|' }, order: 3 });
    const files = glueFiles(bundleFromSnapshot(await catalog.snapshot()), { role: 'GlueETL', scriptLocation: 's3://assets/scripts', jobFacts: glueJobFacts });
    expect(files).toEqual([
      { path: 'classifiers/pipes.json', operation: 'CreateClassifier', json: { CsvClassifier: { Name: 'pipes', Delimiter: '|' } } },
      {
        path: 'jobs/etl_nightly.json', operation: 'CreateJob',
        json: { Name: 'etl/nightly', Role: 'GlueETL', Command: { Name: 'glueetl', ScriptLocation: 's3://assets/scripts/etl_nightly.py', PythonVersion: '3' }, GlueVersion: '5.0', WorkerType: 'G.1X', NumberOfWorkers: 2 },
      },
    ]);
  });
});
