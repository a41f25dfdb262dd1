import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNativeEngine } from '../../../src/engine/native';
import { startNativeRuntime } from '../../../src/engine/native-bridge';
import { createNodeEngine as createWasmEngine } from '../../../src/engine/node';

const FLIGHTS = 'node_modules/vega-datasets/data/flights-3m.parquet';

// The native engine itself: what the shared core tests (the `native` vitest project) can't show.
describe('native DuckDB behind the Engine (issue 21: the CLI ran DuckDB-WASM, 5-7x a native process)', () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'epoxy-native-test-'));
    writeFileSync(join(dir, 'sales.csv'), 'id,amount\n1,10.5\n2,20\n');
    writeFileSync(join(dir, 'secret.csv'), 'key\nhunter2\n');
    engine = await createNativeEngine({ readable: [join(dir, 'sales.csv')], threads: 1 });
  });
  afterAll(() => undefined);

  it('runs native DuckDB and says so', () => {
    expect(engine.kind).toBe('native');
    expect(engine.build).toBe('native 1 thread');
    expect(engine.version()).toMatch(/^v1\.\d+\.\d+/);
  });

  it('reads Parquet with DuckDB\'s own reader and answers as DuckDB-WASM does', async () => {
    const wasm = await createWasmEngine();
    const sql = (t: string) => `SELECT origin, count(*) AS n, round(avg(delay), 6) AS d, min(date) AS first FROM "${t}" GROUP BY origin ORDER BY n DESC, origin LIMIT 5`;
    const n = await engine.open('flights.parquet', { kind: 'path', path: FLIGHTS });
    const w = await wasm.open('flights.parquet', { kind: 'path', path: FLIGHTS });
    expect(n.rowCount).toBe(3_000_000);
    expect(n.columns).toEqual(w.columns);
    const native = engine.query(sql(n.table));
    expect(native.rows).toEqual(wasm.query(sql(w.table)).rows);
    expect(native.columns).toEqual(wasm.query(sql(w.table)).columns);
  });

  it('reads a declared input in place, and no COPY can write over it (the link leads to the user\'s own file)', async () => {
    const t = await engine.open('sales.csv', { kind: 'path', path: join(dir, 'sales.csv') });
    expect(engine.query(`SELECT sum(amount) AS s FROM "${t.table}"`).rows).toEqual([[30.5]]);
    const registered = engine.query(`SELECT current_setting('allowed_paths') AS p`).rows[0]![0];
    expect(String(registered)).toContain(join(dir, 'sales.csv'));
    for (const target of [join(dir, 'sales.csv'), `${dir}/../${dir.split('/').pop()}/sales.csv`]) {
      expect(() => engine.query(`COPY (SELECT 'PWNED' AS x) TO '${target}' (HEADER false)`)).toThrow(/COPY … TO is refused/);
    }
    expect(() => engine.query(`EXPORT DATABASE '${dir}'`)).toThrow(/EXPORT DATABASE is refused/);
    // Locked, DuckDB attaches the path as an in-memory database: what is written there never reaches the file.
    engine.query(`ATTACH '${join(dir, 'sales.csv')}' AS v; CREATE TABLE v.t AS SELECT 'PWNED' AS x; CHECKPOINT v; DETACH v`);
    expect(readFileSync(join(dir, 'sales.csv'), 'utf8')).toBe('id,amount\n1,10.5\n2,20\n');
  });

  it('reads no file it was not given, however the path is spelled', () => {
    for (const path of [join(dir, 'secret.csv'), `${dir}/./secret.csv`, '/etc/hostname']) {
      expect(() => engine.query(`SELECT * FROM read_csv('${path}')`)).toThrow(/Cannot read|disabled by configuration/);
    }
  });

  it('an undeclared input is still read (linked, or copied across file systems), not refused', async () => {
    const other = await createNativeEngine({ threads: 1 });
    const t = await other.open('sales.csv', { kind: 'path', path: join(dir, 'sales.csv') });
    expect(other.query(`SELECT count(*)::INTEGER AS n FROM "${t.table}"`).rows).toEqual([[2]]);
    expect(() => other.query(`SELECT * FROM read_csv('${join(dir, 'sales.csv')}')`)).toThrow(/Cannot read|disabled by configuration/);
  });

  it('a corrupt Parquet file fails as on DuckDB-WASM, without the engine\'s folders in the message', async () => {
    const err = await engine.open('broken.parquet', { kind: 'buffer', bytes: new TextEncoder().encode('id,name\n1,a\n') }).catch((e: Error) => e);
    expect(String(err)).toMatch(/^Error: Cannot open broken\.parquet: Not a readable Parquet file: /);
    expect(String(err)).not.toContain(tmpdir());
  });

  it('a worker thread that ended fails the next call at once instead of blocking it forever', async () => {
    const runtime = await startNativeRuntime({ threads: 1 });
    expect(runtime.bridge.call({ op: 'connect' }).conn).toBe(0);
    await runtime.bridge.worker.terminate();
    expect(() => runtime.bridge.call({ op: 'connect' })).toThrow(/worker thread ended/);
  });
});

describe('native DuckDB in another time zone', () => {
  it('reads TIMESTAMPTZ literals in UTC as DuckDB-WASM does, whatever the machine\'s zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    try {
      const native = await createNativeEngine({ threads: 1 });
      const sql = "SELECT '2024-01-31 12:34:56'::TIMESTAMPTZ AS t, '2024-07-01 00:00:00+02'::TIMESTAMPTZ AS s";
      expect(native.query(sql).rows).toEqual((await createWasmEngine()).query(sql).rows);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
