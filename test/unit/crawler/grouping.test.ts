import { describe, expect, it } from 'vitest';
import { groupIntoTables, TableThresholdExceeded } from '../../../src/crawler/grouping';
import type { ClassifiedFile } from '../../../src/crawler/types';
import { renderType, t, type StructField } from '../../../src/schema/types';

const orders: StructField[] = [{ name: 'id', type: t.bigint }, { name: 'amount', type: t.double }, { name: 'day', type: t.date }];
const csv = (path: string, schema = orders, records = 10, size = 300): ClassifiedFile => ({
  path, size, classification: 'csv', schema, properties: { delimiter: ',', 'skip.header.line.count': '1' }, recordCount: records,
});
const json = (path: string, schema: StructField[]): ClassifiedFile => ({ path, size: 100, classification: 'json', schema, properties: {}, recordCount: 5 });
const cols = (table: { columns: StructField[] }) => table.columns.map((c) => `${c.name}:${renderType(c.type)}`);

describe('grouping files into tables (Glue rules)', () => {
  it('makes Hive k=v folders partitions of one table named after the root', () => {
    const tables = groupIntoTables([
      csv('year=2023/month=12/a.csv'),
      csv('year=2024/month=01/a.csv'),
      csv('year=2024/month=02/b.csv', orders, 7, 200),
    ], { rootName: 'Sales' });
    expect(tables).toHaveLength(1);
    const [sales] = tables;
    expect(sales).toMatchObject({ name: 'sales', location: '', classification: 'csv', partitionKeys: ['year', 'month'], schemaCount: 1 });
    expect(sales!.partitions.map((p) => [p.values, p.location, p.recordCount])).toEqual([
      [['2023', '12'], 'year=2023/month=12', 10],
      [['2024', '01'], 'year=2024/month=01', 10],
      [['2024', '02'], 'year=2024/month=02', 7],
    ]);
    expect(sales!.parameters).toMatchObject({ classification: 'csv', delimiter: ',', objectCount: '3', recordCount: '27', sizeKey: '800', averageRecordSize: '30', 'skip.header.line.count': '1' });
  });

  it('names plain folders partition_0.. and merges similar schemas (>70%) widening types', () => {
    const wider = [...orders.slice(0, 1).map((f) => ({ ...f, type: t.int })), ...orders.slice(1), { name: 'note', type: t.string }];
    const tables = groupIntoTables([csv('2024/01/a.csv'), csv('2024/02/a.csv', wider)], { rootName: 'logs' });
    expect(tables).toHaveLength(1);
    expect(tables[0]!.partitionKeys).toEqual(['partition_0', 'partition_1']);
    expect(cols(tables[0]!)).toEqual(['id:bigint', 'amount:double', 'day:date', 'note:string']);
    expect(tables[0]!.schemaCount).toBe(2);
  });

  it('makes a table per folder when schemas are not similar enough', () => {
    const users: StructField[] = [{ name: 'user', type: t.string }, { name: 'email', type: t.string }];
    const tables = groupIntoTables([csv('orders/a.csv'), csv('orders/b.csv'), csv('users/u.csv', users)], { rootName: 'lake' });
    expect(tables.map((x) => [x.name, x.location, x.partitionKeys.length])).toEqual([['orders', 'orders', 0], ['users', 'users', 0]]);
  });

  it('keeps different formats apart, and CombineCompatibleSchemas ignores similarity but not format', () => {
    const a: StructField[] = [{ name: 'a', type: t.bigint }];
    const b: StructField[] = [{ name: 'b', type: t.string }];
    expect(groupIntoTables([json('x/1.json', a), json('y/1.json', b)], { rootName: 'r' }).map((x) => x.name)).toEqual(['x', 'y']);
    const combined = groupIntoTables([json('x/1.json', a), json('y/1.json', b)], { rootName: 'r', combineCompatibleSchemas: true });
    expect(combined.map((x) => [x.name, cols(x)])).toEqual([['r', ['a:bigint', 'b:string']]]);
    expect(groupIntoTables([json('x/1.json', a), csv('y/1.csv')], { rootName: 'r', combineCompatibleSchemas: true })).toHaveLength(2);
  });

  it('refuses more than 5 distinct schemas in one table', () => {
    // 13 shared columns keep every schema over 70% similar to the merged one, so only the count decides.
    const shared: StructField[] = [...orders, ...Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, type: t.string }))];
    const files = Array.from({ length: 6 }, (_, i) => csv(`p${i}/f.csv`, [...shared, { name: `extra${i}`, type: t.string }]));
    expect(groupIntoTables(files, { rootName: 'r' })).toHaveLength(6);
    expect(groupIntoTables(files.slice(0, 5), { rootName: 'r' })).toHaveLength(1);
  });

  it('turns loose dropped files into a table each, named after the file, prefixed and de-duplicated', () => {
    const tables = groupIntoTables([csv('Sales Q1.csv'), csv('sales_q1.csv'), csv('x.csv'), csv('dir/y.csv')], { rootName: null, tablePrefix: 'raw_', takenNames: new Set(['raw_x']) });
    expect(tables.map((x) => [x.name, x.location])).toEqual([
      ['raw_dir', 'dir'], ['raw_sales_q1', 'Sales Q1.csv'], ['raw_sales_q1_2', 'sales_q1.csv'], ['raw_x_2', 'x.csv'],
    ]);
  });

  it('splits incompatible files of one folder into separate tables named after the files', () => {
    const other: StructField[] = [{ name: 'k', type: t.string }];
    const tables = groupIntoTables([csv('d/a.csv'), csv('d/b.csv'), csv('d/weird.csv', other)], { rootName: 'd' });
    expect(tables.map((x) => [x.name, x.files.length])).toEqual([['d', 2], ['weird', 1]]);
  });

  it('leaves unclassified files out and enforces the table threshold', () => {
    const bad: ClassifiedFile = { path: 'q/x.bin', size: 3, classification: 'UNKNOWN', schema: [], properties: {} };
    expect(groupIntoTables([csv('a/1.csv'), csv('b/1.csv'), bad], { rootName: 'r' }).map((x) => x.name)).toEqual(['r']);
    const users: StructField[] = [{ name: 'user', type: t.string }];
    expect(() => groupIntoTables([csv('a/1.csv'), csv('b/1.csv', users)], { rootName: 'r', tableThreshold: 1 })).toThrow(TableThresholdExceeded);
  });

  it('keeps a lone word-named folder a table (Glue would make it partition_0), but not a lone value-named one', () => {
    expect(groupIntoTables([csv('orders/year=2024/a.csv'), csv('orders/year=2025/a.csv')], { rootName: 'lake' }).map((x) => [x.name, x.partitionKeys])).toEqual([['orders', ['year']]]);
    expect(groupIntoTables([csv('2024/01/a.csv'), csv('2024/02/a.csv')], { rootName: 'logs' }).map((x) => [x.name, x.partitionKeys])).toEqual([['logs', ['partition_0', 'partition_1']]]);
  });

  it('never names a partition key like a column', () => {
    const tables = groupIntoTables([csv('id=1/a.csv'), csv('id=2/a.csv')], { rootName: 'r' });
    expect(tables[0]!.partitionKeys).toEqual(['partition_0']);
  });
});
