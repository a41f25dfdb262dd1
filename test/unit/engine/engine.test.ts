import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';

let engine: Engine;
const dir = mkdtempSync(join(tmpdir(), 'epoxy-engine-'));
const csvPath = join(dir, 'Orders 2024.csv');
writeFileSync(csvPath, 'id,name,amount,day\n1,alice,3.5,2024-01-02\n2,bob,,2024-02-03\n3,"c, d",7.25,2024-03-04\n');

beforeAll(async () => {
  engine = await createNodeEngine();
});

describe('Engine on real DuckDB-WASM in Node', () => {
  it('reports the DuckDB version inside the WASM bundle', () => {
    expect(engine.version()).toMatch(/^v1\.\d+\.\d+/);
  });

  it('opens a CSV as a lazily-read table named after the file, with types and first rows', async () => {
    const t = await engine.open('Orders 2024.csv', { kind: 'path', path: csvPath });
    expect(t.table).toBe('orders_2024');
    expect(t.lazy).toBe(true);
    expect(t.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'day', type: 'DATE' },
    ]);
    expect(t.preview).toEqual([
      [1, 'alice', 3.5, '2024-01-02'],
      [2, 'bob', null, '2024-02-03'],
      [3, 'c, d', 7.25, '2024-03-04'],
    ]);
    const loaded = engine.materialize(t.table);
    expect(loaded).toMatchObject({ lazy: false, rowCount: 3 });
  });

  it('runs SQL over the opened CSV and bounds the rows it returns', () => {
    const r = engine.query('SELECT count(*) AS n, sum(amount) AS total FROM orders_2024');
    expect(r.columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE']);
    expect(r.rows).toEqual([[3, 10.75]]);
    const many = engine.query('SELECT * FROM range(25)', 10);
    expect(many.rows).toHaveLength(10);
    expect(many).toMatchObject({ truncated: true, totalRows: 25 });
  });

  it("bounds DuckDB's memory below the 4 GiB WASM heap and says where the memory is (issue 21)", async () => {
    const m = engine.memory();
    expect(m.memoryLimit).toBe('2.0 GiB');
    expect(m.threads).toBe(1);
    // Native DuckDB has no WASM heap: its memory is DuckDB's own, counted in duckdbBytes.
    if (engine.kind === 'wasm') expect(m.wasmHeapBytes).toBeGreaterThan(16 * 2 ** 20);
    else expect(m.wasmHeapBytes).toBe(0);
    expect(m.duckdbBytes).toBeGreaterThanOrEqual(0);
    // Locked: a query can't raise the limit again.
    expect(() => engine.query("SET memory_limit='3GB'")).toThrow(/Cannot change configuration option/);
    const own = await createNodeEngine({ memoryLimit: '256MB', trusted: true });
    expect(own.memory().memoryLimit).toBe('244.1 MiB');
  });

  it('pages through a table for the grid', () => {
    expect(engine.page('orders_2024', 1, 1).rows).toEqual([[2, 'bob', null, '2024-02-03']]);
    expect(engine.page('orders_2024', 10, 5).rows).toEqual([]);
  });

  it('round-trips a table through Parquet (parquet-wasm, no DuckDB extension)', async () => {
    const bytes = engine.toParquet('SELECT * FROM orders_2024 ORDER BY id', 'zstd');
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    const t = await engine.open('orders.parquet', { kind: 'buffer', bytes });
    expect(t).toMatchObject({ format: 'parquet', rowCount: 3, lazy: true }); // a view over the file since issue 21
    expect(t.columns.map((c) => c.type)).toEqual(['BIGINT', 'VARCHAR', 'DOUBLE', 'DATE']);
    const same = engine.query(`SELECT count(*) AS differing FROM (
      (SELECT * FROM orders_2024 EXCEPT SELECT * FROM ${t.table}) UNION ALL (SELECT * FROM ${t.table} EXCEPT SELECT * FROM orders_2024))`);
    expect(same.rows).toEqual([[0]]);
  });

  it('converts nested, decimal, big integer and timestamp values to plain JSON-safe values', () => {
    const r = engine.query(`SELECT 9007199254740993::BIGINT AS big, -12.5::DECIMAL(10,3) AS dec, [1, 2] AS list,
      {'a': 1, 'b': 'x'} AS s, TIMESTAMP '2024-05-06 07:08:09.250' AS ts, MAP {'k': 2} AS m`);
    expect(r.rows[0]).toEqual(['9007199254740993', '-12.500', [1, 2], { a: 1, b: 'x' }, '2024-05-06 07:08:09.250', { k: 2 }]);
    expect(r.columns.map((c) => c.type)).toEqual(['BIGINT', 'DECIMAL(10,3)', 'INTEGER[]', 'STRUCT(a INTEGER, b VARCHAR)', 'TIMESTAMP', 'MAP(VARCHAR, INTEGER)']);
  });

  it('returns query results as Arrow IPC', () => {
    const t = tableFromIPC(engine.queryIPC('SELECT 42 AS answer'));
    expect(t.getChild('answer')?.get(0)).toBe(42);
  });

  it('gives a clear error for bad SQL and for a corrupt Parquet file', async () => {
    expect(() => engine.query('SELEC 1')).toThrow(/syntax error at or near "SELEC"/);
    await expect(engine.open('broken.parquet', { kind: 'buffer', bytes: new TextEncoder().encode('PAR1 not really') })).rejects.toThrow(
      /Cannot open broken.parquet: Not a readable Parquet file/,
    );
  });

  it('never runs extension autoloading (offline it would hang)', () => {
    const r = engine.query("SELECT value FROM duckdb_settings() WHERE name IN ('autoload_known_extensions', 'autoinstall_known_extensions')");
    expect(r.rows).toEqual([['false'], ['false']]);
  });
});
