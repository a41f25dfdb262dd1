/**
 * Issue 19, the attacker's pass: user SQL in the Workspace runs on its own connection of the one DuckDB the
 * jobs, Transform, the grid and Athena's resolved tables share. What it may not do: change what later runs
 * read or compute. Real crawls, the real resolver, real DuckDB-WASM.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { listLocalFiles } from '../../../src/jobs/node-env';
import { listNodeFolder } from '../../../src/sources/node-files';
import { catalogSession, type AthenaSession } from '../../../src/query/athena-session';
import { serviceOf } from '../../support/service';

let raw: Engine;
let catalog: Catalog;
let session: AthenaSession;

beforeAll(async () => {
  raw = await createNodeEngine();
  const engine = serviceOf(raw);
  catalog = await Catalog.open({ factory: new IDBFactory(), name: 'athena-attacks' });
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-attack-'));
  for (const [p, body] of Object.entries({ 'year=2023/part-0.csv': 'id,secret\n1,old\n', 'year=2024/part-0.csv': 'id,secret\n2,real\n' })) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), body);
  }
  const crawler: Crawler = { Name: 'c_sales', DatabaseName: 'sales', Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] } };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'orders', locationPrefix: pathToFileURL(dir).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
  session = catalogSession(engine, catalog, { listFiles: listLocalFiles });
});
afterAll(() => catalog.close());

async function rows(sql: string): Promise<unknown[][]> {
  const out = await session.run(sql, { defaultDatabase: null });
  if (out.kind !== 'rows') throw new Error(`unreachable: ${out.reason}`);
  return out.result.rows;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The kept resolved table of sales.orders, as the user's connection can find it in duckdb_tables(). */
async function resolvedName(): Promise<string> {
  const found = await rows("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name = 'athena$resolved'");
  expect(found.length).toBe(1);
  return `"${String(found[0]![0])}".${quoted(String(found[0]![1]))}`;
}

describe('Athena cache poisoning (issue 19 attack: user SQL rewrote a kept resolved table, later queries read its fake rows)', () => {
  const attacks: [string, (rel: string) => string][] = [
    ['DELETE then INSERT into the resolved table', (rel) => `DELETE FROM ${rel}; INSERT INTO ${rel} VALUES (99, 'FAKE', 2024)`],
    ['UPDATE of the resolved table', (rel) => `UPDATE ${rel} SET secret = 'FAKE'`],
    ['DROP and re-CREATE it under the same name', (rel) => `DROP TABLE ${rel}; CREATE TABLE ${rel} AS SELECT 99 AS id, 'FAKE' AS secret, 2024 AS year`],
    ['SET search_path, then an unqualified UPDATE', (rel) => `SET search_path = 'athena$resolved'; UPDATE ${rel.slice('"athena$resolved".'.length)} SET secret = 'FAKE'; SET search_path = 'main'`],
    ['PREPARE and EXECUTE an UPDATE', (rel) => `PREPARE p AS UPDATE ${rel} SET secret = 'FAKE'; EXECUTE p; DEALLOCATE p`],
    ['a write that fails halfway', (rel) => `UPDATE ${rel} SET secret = 'FAKE'; SELECT * FROM no_such_table`],
  ];
  it.each(attacks)('%s: the next SELECT reads the catalog files again, not the fake rows', async (_name, attack) => {
    expect(await rows('SELECT id, secret FROM sales.orders ORDER BY id')).toEqual([[1, 'old'], [2, 'real']]);
    const rel = await resolvedName();
    await session.run(attack(rel), { defaultDatabase: null }).catch(() => null);
    const out = await session.run('SELECT id, secret FROM sales.orders ORDER BY id', { defaultDatabase: null });
    expect(out.kind).toBe('rows');
    if (out.kind !== 'rows') return;
    expect(out.result.rows).toEqual([[1, 'old'], [2, 'real']]);
    expect(out.stats[0]?.cached).toBe(false);
  });

  it('keeps the resolved table across read-only queries (the cache still works)', async () => {
    await rows('SELECT count(*) FROM sales.orders');
    const out = await session.run('SELECT id FROM sales.orders', { defaultDatabase: null });
    expect(out.kind === 'rows' && out.stats[0]?.cached).toBe(true);
  });
});

describe('shared macros (issue 19 attack: CREATE MACRO sum(x) AS 0 in the SQL box made every later job and grid sum 0)', () => {
  const attacks: [string, string, string, unknown][] = [
    ['sum', 'CREATE MACRO sum(x) AS 0', 'SELECT sum(i)::INTEGER FROM range(1, 4) t(i)', 6],
    ['count(*) through count_star', 'CREATE OR REPLACE MACRO count_star() AS 0', 'SELECT count(*)::INTEGER FROM range(3)', 3],
    ['the range table function a checked step may call', "CREATE MACRO range(n) AS TABLE SELECT 'pwned' AS x", 'SELECT count(*)::INTEGER FROM range(2)', 2],
    ['LIKE through its ~~ operator', 'CREATE MACRO main."~~"(a, b) AS true', "SELECT 'a' LIKE 'b'", false],
    ['a FUNCTION, hidden behind a comment', 'CREATE /* x */ FUNCTION length(s) AS 99', "SELECT length('ab')::INTEGER", 2],
    ['inside a PREPARE', 'PREPARE p AS CREATE MACRO lower(s) AS 1', "SELECT lower('A')", 'a'],
  ];
  it.each(attacks)('refuses a shared macro replacing %s, and the engine computes as before', async (_name, attack, check, expected) => {
    expect(() => raw.userQuery(attack)).toThrow(/CREATE (MACRO|FUNCTION) without TEMP is refused: .*Write CREATE TEMP/);
    expect(raw.query(check).rows[0]![0]).toBe(expected);
  });

  it('lets a TEMP macro work in the SQL box without changing the engine\'s own functions', () => {
    raw.userQuery("CREATE TEMP MACRO upper(s) AS 'mine'");
    expect(raw.userQuery("SELECT upper('a')").rows[0]![0]).toBe('mine');
    expect(raw.query("SELECT upper('a')").rows[0]![0]).toBe('A');
    raw.userQuery('CREATE OR REPLACE TEMPORARY MACRO twice(x) AS x * 2');
    expect(raw.userQuery('SELECT twice(21)').rows[0]![0]).toBe(42);
  });
});

describe('file writes from the SQL box (issue 19 attack: COPY … TO over an opened file\'s /epoxy/ path, which a lazy view re-reads)', () => {
  it.each([
    ['COPY a query TO an opened file\'s path', "COPY (SELECT 'PWNED' AS x) TO '/epoxy/1/airports.csv' (HEADER)"],
    ['COPY a table TO the scratch folder', "COPY sales_copy TO '/epoxy/out/copy-1'"],
    ['COPY hidden behind a comment, after a query', "SELECT 1; COPY /* x */ (SELECT 2) TO '/epoxy/2/x.parquet' (FORMAT parquet)"],
    ['COPY inside a PREPARE', "PREPARE p AS COPY (SELECT 1) TO '/epoxy/1/a.csv'"],
    ['EXPORT DATABASE', "EXPORT DATABASE '/epoxy/dump'"],
  ])('refuses %s, naming the downloads instead', (_name, sql) => {
    expect(() => raw.userQuery(sql)).toThrow(/is refused here: it would write a file inside the engine.*download buttons/);
  });

  it('still runs COPY … FROM (a read into the user\'s table) and a column named copy', () => {
    raw.userQuery('CREATE TABLE copy_target (x INTEGER)');
    expect(() => raw.userQuery("COPY copy_target FROM '/epoxy/none.csv'")).toThrow(/No files found|does not exist|Cannot read|ENOENT/);
    expect(() => raw.userQuery("COPY copy_target FROM '/epoxy/none.csv'")).not.toThrow(/is refused here/);
    expect(raw.userQuery('SELECT 1 AS copy, 2 AS "to"').rows).toEqual([[1, 2]]);
  });
});

describe('names the user\'s SQL takes (issue 19 attack: CREATE TABLE part_0 made every part-0.csv unreadable: "View with name "part_0" already exists!")', () => {
  it('reads a catalog table whose files are part-0.csv while the user holds a table part_0, and leaves it alone', async () => {
    await session.run("CREATE TABLE part_0 AS SELECT 'MINE' AS mine; CREATE VIEW \"Part_0_2\" AS SELECT 1 AS one", { defaultDatabase: null });
    expect(await rows('SELECT id, secret FROM sales.orders ORDER BY id')).toEqual([[1, 'old'], [2, 'real']]);
    expect(await rows('SELECT * FROM part_0')).toEqual([['MINE']]);
    expect(await rows('SELECT * FROM part_0_2')).toEqual([[1]]);
  });
});

describe('internal names from the SQL box (issue 19 attack: CREATE VIEW "__epoxy_result_<n>_in" made the next query fail with "is of type View, trying to drop type Table")', () => {
  it.each([
    ['a view named like the next result\'s staging table', (n: number) => `CREATE VIEW "__epoxy_result_${n + 1}_in" AS SELECT 1 AS x`],
    ['a table named like the next kept result', (n: number) => `CREATE TABLE __epoxy_result_${n + 1} AS SELECT 'FAKE' AS x`],
    ['a read of the kept result', (n: number) => `SELECT * FROM "__epoxy_result_${n}"`],
    ['a drop of a Transform preview, in upper case', () => 'DROP TABLE IF EXISTS "__EPOXY_TF1_INPUT"'],
    ['a job relation', () => 'CREATE TABLE __job1_source AS SELECT 1'],
  ])('refuses %s, and the next result is kept and read back', (_name, attack) => {
    const first = raw.userQuery("SELECT 'REAL' AS x");
    const n = Number(/(\d+)$/.exec(first.relation ?? '')?.[1]);
    expect(() => raw.userQuery(attack(n))).toThrow(/is a name Epoxy keeps for its own tables \(names starting with __epoxy, __job, __check_\)/);
    const next = raw.userQuery("SELECT 'REAL2' AS x");
    expect(next.relation).toBeDefined();
    expect(raw.query(`SELECT * FROM "${next.relation}"`).rows).toEqual([['REAL2']]);
  });
});
