import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storageFor, type Catalog, type TableInput } from '../../../src/catalog';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/catalog');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** The partitioned CSV table, built the way a crawler will build it (storageFor). */
export function ordersInput(): TableInput {
  const { StorageDescriptor, Parameters } = storageFor('csv', {
    location: 's3://acme-data/sales/orders/', delimiter: ',', header: true,
    columns: [
      { Name: 'order_id', Type: 'bigint', Comment: 'unique per order' },
      { Name: 'customer', Type: 'string' },
      { Name: 'amount', Type: 'decimal(10,2)' },
      { Name: 'ordered_at', Type: 'timestamp' },
    ],
  });
  return {
    Name: 'orders', Description: 'Orders, one CSV file per month', StorageDescriptor,
    PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }], TableType: 'EXTERNAL_TABLE', Parameters,
  };
}

/** The nested JSON table. */
export function eventsInput(): TableInput {
  const { StorageDescriptor, Parameters } = storageFor('json', {
    location: 's3://acme-data/sales/events/',
    columns: [
      { Name: 'event_id', Type: 'string' },
      { Name: 'user', Type: 'struct<id:bigint,name:string,tags:array<string>>' },
      { Name: 'items', Type: 'array<struct<sku:string,qty:int,price:double>>' },
      { Name: 'attributes', Type: 'map<string,string>', Comment: 'free-form key/value pairs' },
    ],
  });
  return { Name: 'events', StorageDescriptor, TableType: 'EXTERNAL_TABLE', Parameters };
}

/** Fill a catalog with the sales database, both tables and two partitions. */
export async function fillSales(catalog: Catalog): Promise<void> {
  await catalog.commit([
    { op: 'createDatabase', database: { Name: 'sales', Description: 'Shop sales data', LocationUri: 's3://acme-data/sales/' } },
    { op: 'createTable', databaseName: 'sales', table: ordersInput() },
    { op: 'createTable', databaseName: 'sales', table: eventsInput() },
    {
      op: 'createPartitions', databaseName: 'sales', tableName: 'orders', partitions: ['01', '02'].map((m, i) => ({
        Values: ['2024', m],
        StorageDescriptor: { Location: `s3://acme-data/sales/orders/year=2024/month=${m}/` },
        Parameters: { recordCount: ['1200', '980'][i]!, objectCount: '1' },
      })),
    },
  ]);
}
