import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { hivePartitionValue, writeOutput } from '../../../src/jobs/writers';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
  engine.query(`CREATE TABLE sales AS SELECT * FROM (VALUES
    (1, 'eu', DATE '2024-01-02', 10.5::DECIMAL(8,2)),
    (2, 'us', DATE '2024-01-02', 3.25::DECIMAL(8,2)),
    (3, 'eu', DATE '2024-02-01', NULL),
    (4, NULL, DATE '2024-02-01', 1.00::DECIMAL(8,2))) t(id, region, day, amount)`);
});
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('job output writers', () => {
  it('writes CSV with a header through DuckDB', () => {
    const [file] = writeOutput(engine, 'SELECT * FROM sales ORDER BY id', { format: 'csv' });
    expect(file!.path).toBe('part-00000.csv');
    expect(file!.rows).toBe(4);
    expect(text(file!.bytes)).toBe('id,region,day,amount\n1,eu,2024-01-02,10.50\n2,us,2024-01-02,3.25\n3,eu,2024-02-01,\n4,,2024-02-01,1.00\n');
  });

  it('writes NDJSON with dates as ISO strings and nulls kept', () => {
    const [file] = writeOutput(engine, 'SELECT id, region, day FROM sales WHERE id <= 2 OR id = 4 ORDER BY id', { format: 'ndjson' });
    expect(text(file!.bytes).trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: 1, region: 'eu', day: '2024-01-02' },
      { id: 2, region: 'us', day: '2024-01-02' },
      { id: 4, region: null, day: '2024-02-01' },
    ]);
  });

  it('writes Parquet that reads back with the same rows and types', () => {
    const [file] = writeOutput(engine, 'SELECT * FROM sales', { format: 'parquet', compression: 'zstd' });
    engine.importParquet('sales_back', file!.bytes);
    const diff = engine.query('SELECT count(*) FROM ((FROM sales EXCEPT FROM sales_back) UNION ALL (FROM sales_back EXCEPT FROM sales))');
    expect(diff.rows).toEqual([[0]]);
    expect(engine.describe('sales_back').map((c) => c.type)).toEqual(['INTEGER', 'VARCHAR', 'DATE', 'DECIMAL(8,2)']);
  });

  it('partitions Hive-style, leaving partition columns out of the files, with a default partition for null', () => {
    const files = writeOutput(engine, 'SELECT * FROM sales', { format: 'csv', partitionBy: ['region'] });
    expect(files.map((f) => [f.path, f.rows])).toEqual([
      ['region=eu/part-00000.csv', 2],
      ['region=us/part-00000.csv', 1],
      ['region=__HIVE_DEFAULT_PARTITION__/part-00000.csv', 1],
    ]);
    expect(text(files[0]!.bytes).split('\n')[0]).toBe('id,day,amount');
  });

  it('escapes partition values that would break folder names', () => {
    expect(hivePartitionValue('a/b=c')).toBe('a%2Fb%3Dc');
    expect(hivePartitionValue('2024-01-02')).toBe('2024-01-02');
    expect(hivePartitionValue(null)).toBe('__HIVE_DEFAULT_PARTITION__');
  });
});
