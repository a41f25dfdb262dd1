import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Catalog, type OpenOptions, type TableInput } from '../../../src/catalog';

/** A catalog on a fresh, isolated fake-indexeddb with a clock that ticks one second per call. */
export async function freshCatalog(opts: OpenOptions = {}): Promise<{ catalog: Catalog; factory: IDBFactory }> {
  const factory = (opts.factory as IDBFactory | undefined) ?? new IDBFactory();
  let tick = 0;
  const clock = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
  const catalog = await Catalog.open({ clock, ...opts, factory });
  return { catalog, factory };
}

/** A partitioned CSV table, as a Glue crawler would write it. */
export const ordersTable: TableInput = {
  Name: 'Orders',
  Description: 'Orders by day',
  TableType: 'EXTERNAL_TABLE',
  Parameters: { classification: 'csv', delimiter: ',', 'skip.header.line.count': '1' },
  StorageDescriptor: {
    Columns: [
      { Name: 'order_id', Type: 'bigint', Comment: 'unique per order' },
      { Name: 'Customer', Type: 'string' },
      { Name: 'amount', Type: 'decimal(10,2)' },
    ],
    Location: 's3://shop/orders/',
    InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    Compressed: false,
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } },
  },
  PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }],
};
