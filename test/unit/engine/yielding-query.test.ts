import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { createEngineService } from '../../../src/service/engine-service';

// Issue 21: a 2 GB CSV job blocked the engine worker for its whole scan, and the dead buffers of the
// dropped file's reads (collected only from the event loop) made most of its 1.7 GB peak. Long queries
// now run as pending queries that hand the event loop a turn between DuckDB's slices of work.
let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

// Long enough (tens of millions of rows in WASM) that DuckDB stops at least once between its ~100 ms slices.
const LONG = 'SELECT i % 7 AS k, count(*) AS n, sum(i) AS s FROM range(30000000) t(i) GROUP BY k ORDER BY k';

describe('queries that yield to the event loop (issue 21: the worker was blocked for a whole 2 GB scan)', () => {
  it('returns the rows queryIPC returns, pausing between slices of work', async () => {
    let pauses = 0;
    const ipc = await engine.queryIPCAsync(LONG, async () => { pauses++; await new Promise((r) => setImmediate(r)); });
    expect(pauses).toBeGreaterThan(0);
    const rows = (b: Uint8Array) => tableFromIPC(b).toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    expect(rows(ipc)).toEqual(rows(engine.queryIPC(LONG)));
    expect(rows(ipc)).toHaveLength(7);
  });

  it('writes the same Parquet rows as the blocking toParquet, an empty result included', async () => {
    for (const sql of [LONG, 'SELECT 1 AS a WHERE false', "SELECT 'x' AS s, [1, 2] AS l, NULL::INTEGER AS n"]) {
      const blocking = engine.toParquet(sql);
      const yielding = await engine.toParquetAsync(sql);
      const a = await engine.open('a.parquet', { kind: 'buffer', bytes: blocking });
      const b = await engine.open('b.parquet', { kind: 'buffer', bytes: yielding });
      expect(b.columns).toEqual(a.columns);
      expect(engine.query(`SELECT (SELECT count(*) FROM ${b.table}) AS n, count(*) AS differing FROM ((FROM ${a.table} EXCEPT ALL FROM ${b.table}) UNION ALL (FROM ${b.table} EXCEPT ALL FROM ${a.table}))`).rows)
        .toEqual([[a.rowCount, 0]]);
      engine.close(a.table);
      engine.close(b.table);
    }
  });

  it('fails with DuckDB\'s message and leaves the connection usable', async () => {
    await expect(engine.queryIPCAsync('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    expect(engine.query('SELECT 42 AS x').rows).toEqual([[42]]);
  });

  it('keeps other calls of the worker off the connection until the yielding query is done', async () => {
    const api = createEngineService(() => Promise.resolve(engine));
    await api.query('CREATE OR REPLACE TABLE gate_t AS SELECT 1 AS v');
    const order: string[] = [];
    const parquet = api.toParquet(LONG).then((b) => { order.push('parquet'); return b; });
    // Sent while the pending query runs: on the same connection it would cancel it.
    const queries = [api.query('SELECT 42 AS x'), api.page('gate_t', 0, 10)].map((p) => p.then((r) => { order.push('query'); return r; }));
    const [bytes, x, page] = await Promise.all([parquet, ...queries]);
    expect(order).toEqual(['parquet', 'query', 'query']);
    expect(x!.rows).toEqual([[42]]);
    expect(page!.rows).toEqual([[1]]);
    const back = await engine.open('gate.parquet', { kind: 'buffer', bytes: bytes as Uint8Array });
    expect(back.rowCount).toBe(7);
  });
});
