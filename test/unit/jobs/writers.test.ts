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

  it('names partition folders as native DuckDB COPY ... PARTITION_BY does for ASCII (issue 20: "North East" vs North%20East)', () => {
    // Measured on DuckDB 1.5.6: every ASCII character but letters, digits and _ . ~ - is percent-encoded.
    expect(hivePartitionValue('North East')).toBe('North%20East');
    expect(hivePartitionValue("a+b,c;d(e)f!g'h@i")).toBe('a%2Bb%2Cc%3Bd%28e%29f%21g%27h%40i');
    expect(hivePartitionValue('v1.2_x~y-z')).toBe('v1.2_x~y-z');
    // Non-ASCII stays raw: Spark 3.5 decodes %C3%A9 byte by byte as "Ã©", and writes é itself.
    expect(hivePartitionValue('Zürich')).toBe('Zürich');
  });

  it('writes a whole DOUBLE as 3.0 in NDJSON, as DuckDB does, and DECIMAL and big BIGINT as numbers (issue 20: 0 read back BIGINT)', () => {
    const [file] = writeOutput(engine, `SELECT 0::DOUBLE AS d, 2.5::DOUBLE AS h, 3::FLOAT AS f, 1.50::DECIMAL(8,2) AS m, 9007199254740993::BIGINT AS big,
      [1.0::DOUBLE, 2.5] AS l, {'x': 4::DOUBLE, 'n': 4} AS s, NULL::DOUBLE AS z`, { format: 'ndjson' });
    expect(text(file!.bytes)).toBe('{"d":0.0,"h":2.5,"f":3.0,"m":1.50,"big":9007199254740993,"l":[1.0,2.5],"s":{"x":4.0,"n":4},"z":null}\n');
    // A choice column (UNION): an integral number of its DOUBLE member is 7.0, of its BIGINT member 7.
    const [choice] = writeOutput(engine, `SELECT union_value(d := 7::DOUBLE)::UNION(d DOUBLE, s VARCHAR) AS a, union_value(b := 7::BIGINT)::UNION(b BIGINT, d DOUBLE) AS b`, { format: 'ndjson' });
    expect(text(choice!.bytes)).toBe('{"a":7.0,"b":7}\n');
    // Every byte of a BLOB (the grid's preview stops at 64), spelled as DuckDB's text; a UTC instant with its offset.
    const [blob] = writeOutput(engine, String.raw`SELECT repeat('ab', 40)::BLOB || '\x01\x22\x5C\xFF'::BLOB AS b, TIMESTAMPTZ '2024-01-01 10:00:00+00' AS t, TIMESTAMP '1969-12-31 23:59:59.010010' AS us`, { format: 'ndjson' });
    // Microseconds kept (Arrow's getter rounds to milliseconds), trailing zeros cut as DuckDB prints them.
    expect(JSON.parse(text(blob!.bytes))).toEqual({ b: `${'ab'.repeat(40)}\\x01\\x22\\x5C\\xFF`, t: '2024-01-01 10:00:00+00', us: '1969-12-31 23:59:59.01001' });
  });
});
