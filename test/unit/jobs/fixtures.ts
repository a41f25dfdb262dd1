import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDefinition } from '../../../src/jobs/model';

/** A folder with orders CSV files (day 1) and the path to add day 2 later. */
export function ordersFolder(): { dir: string; out: string; addDay2: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'epoxy-job-'));
  const dir = join(root, 'orders');
  mkdirSync(dir);
  writeFileSync(join(dir, 'day1.csv'), 'id,region,amount,note\n1,eu,10.5,a\n2,us,3.25,b\n3,eu,7,c\n4,apac,1,d\n');
  return {
    dir,
    out: join(root, 'out'),
    addDay2: () => writeFileSync(join(dir, 'day2.csv'), 'id,region,amount,note\n5,eu,2,e\n6,us,9.75,f\n'),
  };
}

/** A 3-step job: read orders, map types, keep amounts >= min_amount, add a flag, write Parquet partitioned by region. */
export function ordersJob(path: string): JobDefinition {
  return {
    version: 1,
    name: 'orders_daily',
    description: 'Clean orders and write them by region',
    parameters: [{ name: 'min_amount', default: '2' }],
    bookmark: 'job-bookmark-enable',
    maxRetries: 0,
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path, format: 'csv' } },
      { id: 'mapped', kind: 'transform', inputs: ['orders'], step: { id: 'm', kind: 'ApplyMapping', params: { mappings: [
        { source: 'id', target: 'order_id', targetType: 'bigint' },
        { source: 'region', target: 'region', targetType: 'string' },
        { source: 'amount', target: 'amount', targetType: 'double' },
      ] } } },
      { id: 'big', kind: 'transform', inputs: ['mapped'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: '${min_amount}' }] } } } },
      { id: 'flagged', kind: 'transform', inputs: ['big'], step: { id: 'd', kind: 'Derived', params: { name: 'is_eu', sql: "region = 'eu'", type: 'boolean' } } },
      { id: 'out', kind: 'target', inputs: ['flagged'], target: { type: 'workspace', path: 'lake/orders_clean', format: 'parquet', compression: 'zstd', partitionBy: ['region'], database: 'lake', table: 'orders_clean' } },
    ],
  };
}
