import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import type { Engine } from '../../../src/engine/engine';
import { openRecords } from '../../../src/frames/open-records';
import { classifyParquet } from '../../../src/classifiers/parquet';

const require = createRequire(import.meta.url);
const FLIGHTS = join(process.cwd(), 'node_modules/vega-datasets/data/flights-3m.parquet');

let dir: string;
let engine: Engine;
const files: Record<string, string> = {};

async function native(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(sql);
  const rows = reader.getRowsJS();
  conn.closeSync();
  return rows as unknown[][];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'epoxy-pq-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const at = (n: string) => (files[n] = join(dir, `${n}.parquet`));
  // 50 row groups of 1,000 rows: id ascending, so min/max statistics of each group are disjoint.
  await conn.run(`COPY (SELECT range AS id, range % 7 AS k, 'name ' || (range % 13) AS s, (range * 0.5)::DOUBLE AS x FROM range(50000)) TO '${at('many')}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  await conn.run(`COPY (SELECT range AS id, {'a': range, 'b': 'v' || range} AS st, [range, range + 1] AS li, MAP {'k' || (range % 3): range} AS m FROM range(3000)) TO '${at('nested')}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  await conn.run(`COPY (SELECT ['red', 'green', 'blue'][1 + range % 3] AS colour, range AS n FROM range(20000)) TO '${at('dict')}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
  const cols = Array.from({ length: 2000 }, (_, i) => `range + ${i} AS c${i}`).join(', ');
  await conn.run(`COPY (SELECT ${cols} FROM range(50)) TO '${at('wide')}' (FORMAT parquet)`);
  conn.closeSync();
  const good = readFileSync(files.many!);
  writeFileSync(at('truncated'), good.subarray(0, good.length - 100));
  const magic = Buffer.from(good); magic.write('XXXX', 0); writeFileSync(at('badmagic'), magic);
  const zero = Buffer.from(good); zero.writeUInt32LE(0, zero.length - 8); writeFileSync(at('zerolen'), zero);
  writeFileSync(at('text'), 'id,name\n1,a\n');
  const db2 = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn2 = await db2.connect();
  await conn2.run(`COPY (SELECT range AS id, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(1000000)) TO '${at('big')}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
  conn2.closeSync();
  engine = await createNodeEngine();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (name: string) => engine.open(`${name}.parquet`, { kind: 'path', path: files[name]! });

describe('lazy Parquet relations (issue 21: Parquet was decoded whole on open)', () => {
  it('opens from the footer and the first row group only, with the exact row count', async () => {
    const t = await open('many');
    const rel = engine.lazyRelation(t.table)!;
    expect(t.rowCount).toBe(50000);
    expect(t.preview.length).toBe(200);
    expect(t.preview[0]).toEqual([0, 0, 'name 0', 0]);
    expect(rel.stats.rowGroupsRead).toBe(1);
    expect(engine.query(`SELECT count(*) FROM ${t.table}`).rows[0]![0]).toBe(50000);
    expect(rel.stats.rowGroupsRead).toBe(1); // count(*) reads no column data
    engine.close(t.table);
  });

  it('reads only the row groups whose statistics can satisfy the filter, and only the columns used', async () => {
    const t = await open('many');
    const rel = engine.lazyRelation(t.table)!;
    const before = rel.stats.rowGroupsRead;
    const r = engine.query(`SELECT sum(x) FROM ${t.table} WHERE id >= 10500 AND id < 12000`);
    expect(Number(r.rows[0]![0])).toBe(Array.from({ length: 1500 }, (_, i) => (10500 + i) * 0.5).reduce((a, b) => a + b, 0));
    // The groups native DuckDB's own metadata says can hold 10500 <= id < 12000, out of all of them.
    const [[total, matching]] = await native(`SELECT count(*), count(*) FILTER (WHERE stats_max_value::BIGINT >= 10500 AND stats_min_value::BIGINT < 12000) FROM parquet_metadata('${files.many}') WHERE path_in_schema = 'id'`) as [[bigint, bigint]];
    expect(Number(total)).toBe(rel.rowGroups);
    expect(Number(matching)).toBeLessThan(Number(total) / 4);
    expect(rel.stats.rowGroupsRead - before).toBe(Number(matching));
    expect(rel.stats.columnChunksRead).toBe(4 + 2 * Number(matching)); // preview: 4 columns of group 0; the query: id and x
    // A later query needing a subset loads nothing.
    const loaded = rel.stats.rowGroupsRead;
    engine.query(`SELECT max(id) FROM ${t.table} WHERE id BETWEEN 11000 AND 11100`);
    expect(rel.stats.rowGroupsRead).toBe(loaded);
    // IS NOT NULL and string equality prune nothing here, and the answer is the whole file's.
    expect(engine.query(`SELECT count(*) FROM ${t.table} WHERE s = 'name 3' AND k IS NOT NULL`).rows[0]![0]).toBe(Number((await native(`SELECT count(*) FROM '${files.many}' WHERE s = 'name 3'`))[0]![0]));
    engine.close(t.table);
  });

  it('pages across row groups in file order, decoding only the groups that cover the page', async () => {
    const t = await open('many');
    const rel = engine.lazyRelation(t.table)!;
    const before = rel.stats.rowGroupsRead;
    const [[rows]] = await native(`SELECT row_group_num_rows FROM parquet_metadata('${files.many}') WHERE row_group_id = 1 AND path_in_schema = 'id'`) as [[bigint]];
    const boundary = 2 * Number(rows); // the end of row group 1 (DuckDB writes groups of equal size)
    const page = engine.page(t.table, boundary - 10, 20);
    expect(page.rows.map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => boundary - 10 + i));
    expect(rel.stats.rowGroupsRead - before).toBe(2); // groups 1 and 2 of many
    engine.close(t.table);
  });

  for (const name of ['many', 'nested', 'dict', 'wide']) {
    it(`gives native DuckDB's rows for ${name}.parquet (EXCEPT ALL both ways)`, async () => {
      const t = await open(name);
      const ipcCount = engine.query(`SELECT count(*) FROM ${t.table}`).rows[0]![0];
      expect(ipcCount).toBe(Number((await native(`SELECT count(*) FROM '${files[name]}'`))[0]![0]));
      // Native DuckDB's rows as JSON text, compared against ours in the engine.
      const nat = await native(`SELECT p::VARCHAR FROM (SELECT * FROM '${files[name]}') p`);
      engine.query('CREATE OR REPLACE TEMP TABLE __epoxy_native (j VARCHAR)');
      const values = nat.map((r) => `(${"'" + String(r[0]).replace(/'/g, "''") + "'"})`);
      for (let i = 0; i < values.length; i += 5000) engine.query(`INSERT INTO __epoxy_native VALUES ${values.slice(i, i + 5000).join(', ')}`);
      const diff = (a: string, b: string) => Number(engine.query(`SELECT count(*) FROM (${a} EXCEPT ALL ${b})`).rows[0]![0]);
      const ours = `SELECT p::VARCHAR FROM (SELECT * FROM ${t.table}) p`;
      expect(diff(ours, 'SELECT j FROM __epoxy_native')).toBe(0);
      expect(diff('SELECT j FROM __epoxy_native', ours)).toBe(0);
      engine.close(t.table);
    }, 120_000);
  }

  it('loads for statements it cannot explain (several at once) and for the user\'s own views over the relation (several statements reading it only through a view counted 0 rows)', async () => {
    const t = await open('many');
    const total = Array.from({ length: 50000 }, (_, i) => i * 0.5).reduce((a, b) => a + b, 0);
    // Two statements are not explained (prepare would run the first one twice): the relation they name loads whole.
    engine.query(`CREATE TABLE __epoxy_sum AS SELECT sum(x) AS s FROM ${t.table}; SELECT 1`);
    expect(Number(engine.query('SELECT s FROM __epoxy_sum').rows[0]![0])).toBe(total);
    engine.userQuery(`CREATE OR REPLACE TEMP VIEW mine AS SELECT x, id FROM ${t.table} WHERE id >= 49000`);
    // The view's name is not the relation's: the plan (a scan of the stub) finds it, and prunes by id.
    const rel = engine.lazyRelation(t.table)!;
    engine.close(t.table);
    const again = await open('many');
    engine.userQuery(`CREATE OR REPLACE TEMP VIEW mine AS SELECT x, id FROM ${again.table} WHERE id >= 49000`);
    const before = engine.lazyRelation(again.table)!.stats.rowGroupsRead;
    const r = engine.userQuery('SELECT sum(x)::DOUBLE FROM mine');
    expect(Number(r.rows[0]![0])).toBe(Array.from({ length: 1000 }, (_, i) => (49000 + i) * 0.5).reduce((a, b) => a + b, 0));
    expect(engine.lazyRelation(again.table)!.stats.rowGroupsRead - before).toBeLessThan(rel.rowGroups);
    engine.userQuery('DROP VIEW mine');
    // Several statements that read the relation only through a view: it must load too (it stayed on its
    // empty stub, so the count came out 0).
    engine.userQuery(`CREATE OR REPLACE TEMP VIEW ids AS SELECT id FROM ${again.table}`);
    engine.userQuery('CREATE TEMP TABLE counted AS SELECT count(id) AS n FROM ids; SELECT 1');
    expect(Number(engine.userQuery('SELECT n FROM counted').rows[0]![0])).toBe(50000);
    engine.userQuery('DROP TABLE counted; DROP VIEW ids');
    engine.close(again.table);
  });

  it('projects one column of a 2,000-column file', async () => {
    const t = await open('wide');
    const rel = engine.lazyRelation(t.table)!;
    const before = rel.stats.columnChunksRead;
    expect(Number(engine.query(`SELECT sum(c1999) FROM ${t.table}`).rows[0]![0])).toBe(Array.from({ length: 50 }, (_, i) => i + 1999).reduce((a, b) => a + b, 0));
    expect(rel.stats.columnChunksRead - before).toBe(1);
    engine.close(t.table);
  });

  for (const [name, problem] of [['truncated', /truncated/], ['badmagic', /Not a readable Parquet file: it does not start with "PAR1"/], ['zerolen', /footer length is 0/], ['text', /does not start with "PAR1"/]] as const) {
    it(`refuses ${name}.parquet with a clear "Cannot open" error and keeps the other tables`, async () => {
      const ok = await open('dict');
      await expect(open(name)).rejects.toThrow(new RegExp(`^Cannot open ${name}\\.parquet: .*${problem.source}`));
      expect(engine.query(`SELECT count(*) FROM ${ok.table}`).rows[0]![0]).toBe(20000);
      engine.close(ok.table);
    });
  }

  it('serves openRecords (catalog queries, jobs, Transform) lazily too', async () => {
    const read = await openRecords(engine, 'many.parquet', { kind: 'path', path: files.many! });
    expect(read.rows).toBe(50000);
    expect(read.schema.map((f) => f.name)).toEqual(['id', 'k', 's', 'x']);
    const rel = engine.lazyRelation(read.table)!;
    expect(rel.stats.rowGroupsRead).toBe(0);
    expect(engine.query(`SELECT count(DISTINCT k) FROM ${read.table} WHERE id < 1000`).rows[0]![0]).toBe(7);
    expect(rel.stats.rowGroupsRead).toBe(1);
  });

  it('keeps createChecked refusing reads outside a step\'s inputs (a lazy read\'s stub and data count as its own)', async () => {
    const a = await open('many');
    const b = await open('dict');
    engine.createChecked('__epoxy_step_ok', `SELECT id FROM ${a.table} WHERE id < 5`, [a.table]);
    expect(engine.query('SELECT count(*) FROM __epoxy_step_ok').rows[0]![0]).toBe(5);
    expect(() => engine.createChecked('__epoxy_step_bad', `SELECT * FROM ${b.table}`, [a.table])).toThrow(/not one of its inputs/);
    // Another read's internal data table is not this step's.
    engine.query(`SELECT count(colour) FROM ${b.table}`);
    const other = engine.lazyRelation(b.table)!.data;
    expect(() => engine.createChecked('__epoxy_step_bad', `SELECT * FROM __epoxy_lazy.${other}`, [a.table])).toThrow(/not one of its inputs/);
  });

  it('reads flights-3m.parquet: a GROUP BY gives native DuckDB\'s answer reading two of five columns', async () => {
    const t = await engine.open('flights-3m.parquet', { kind: 'path', path: FLIGHTS });
    expect(t.rowCount).toBe(3_000_000);
    expect(t.preview.length).toBe(200);
    const rel = engine.lazyRelation(t.table)!;
    const sql = (from: string) => `SELECT origin, sum(delay)::BIGINT AS d, count(*)::BIGINT AS n FROM ${from} GROUP BY origin ORDER BY origin`;
    const ours = engine.query(sql(t.table), 100_000).rows.map((r) => r.map(String));
    const theirs = (await native(sql(`'${FLIGHTS}'`))).map((r) => r.map(String));
    expect(ours).toEqual(theirs);
    expect(rel.stats.columnChunksRead).toBe(5 + 2 * 11);
    // A TIMESTAMP filter prunes by the footer's statistics: only the groups native DuckDB's metadata says can match.
    // (A fresh relation: on one that has columns cached, a new column is loaded for the cached groups too.)
    engine.close(t.table);
    const fresh = await engine.open('flights-3m.parquet', { kind: 'path', path: FLIGHTS });
    const lazy = engine.lazyRelation(fresh.table)!;
    const before = lazy.stats.rowGroupsRead;
    const since = `date >= TIMESTAMP '2001-06-01'`;
    const count = engine.query(`SELECT count(*)::BIGINT FROM ${fresh.table} WHERE ${since}`).rows[0]![0];
    expect(String(count)).toBe(String((await native(`SELECT count(*) FROM '${FLIGHTS}' WHERE ${since}`))[0]![0]));
    const [[matching]] = await native(`SELECT count(*) FROM parquet_metadata('${FLIGHTS}') WHERE path_in_schema = 'date' AND stats_max_value::TIMESTAMP >= TIMESTAMP '2001-06-01'`) as [[bigint]];
    expect(Number(matching)).toBeLessThan(11);
    expect(lazy.stats.rowGroupsRead - before).toBe(Number(matching));
    const classified = await classifyParquet({ bytes: new Uint8Array(readFileSync(FLIGHTS)), name: 'flights-3m.parquet', totalSize: readFileSync(FLIGHTS).length, complete: true } as never);
    expect(classified?.recordCount).toBe(3_000_000);
  }, 120_000);

  it('says a statement needs more than the engine holds, loads nothing half (a failed load left rows a later statement read), and counts groups not loaded (count(*) after a partial load bound a loaded column to range())', async () => {
    const small = await createNodeEngine({ memoryLimit: '24MB' });
    const t = await small.open('big.parquet', { kind: 'path', path: files.big! });
    expect(() => small.query(`SELECT count(DISTINCT s) FROM ${t.table}`)).toThrow(/big is too big to load for this statement: it reads the column s of 10 row groups .*Read fewer columns/);
    // What fits still runs, with the right answer: nothing of the failed load is left behind.
    expect(Number(small.query(`SELECT sum(id) FROM ${t.table} WHERE id < 1000`).rows[0]![0])).toBe(499500);
    expect(Number(small.query(`SELECT count(*) FROM ${t.table}`).rows[0]![0])).toBe(1000000);
    expect(Number(small.query(`SELECT count(*) FROM ${t.table} WHERE id >= 999000`).rows[0]![0])).toBe(1000);
  }, 120_000);
});
