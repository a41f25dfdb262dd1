/**
 * Issue 19: `SELECT * FROM curated.routes_by_state` said "Table with name routes_by_state does not exist!".
 * The session runs user SQL over catalog tables: real crawls of a Hive folder, the real resolver, real DuckDB.
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
import { createNodeEngine } from '../../../src/engine/node';
import { listLocalFiles } from '../../../src/jobs/node-env';
import { listNodeFolder } from '../../../src/sources/node-files';
import type { EngineWorkerApi } from '../../../src/service/protocol';
import { AthenaSession, catalogResolver, listingOf, type TableResolver } from '../../../src/query/athena-session';
import { UnreachableLocationError, type LocationLister, type PartitionPredicate } from '../../../src/query/resolve';
import { serviceOf } from '../../support/service';

let engine: EngineWorkerApi;
let catalog: Catalog;
let ordersDir: string;
const calls: { table: string; partitions: PartitionPredicate[] }[] = [];
const unreachable = new Set<string>();

/** Write files under a new temp folder: { 'a/b.csv': text }. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-athena-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

async function crawl(dir: string, database: string): Promise<void> {
  const crawler: Crawler = { Name: `c_${database}`, DatabaseName: database, Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] } };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'orders', locationPrefix: pathToFileURL(dir).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
}

// The lister of a Node run, with one place this "tab" cannot reach (a folder whose permission lapsed).
const lister: LocationLister = {
  async listFiles(location) {
    if (unreachable.has(location)) throw new UnreachableLocationError(location, { state: 'unreachable', reason: 'the folder needs permission again', fix: 'pick the folder and allow reading' });
    return listLocalFiles(location);
  },
};
let resolver: TableResolver;

const csv = (rows: string[]) => ['order_id,customer', ...rows].join('\n') + '\n';

beforeAll(async () => {
  engine = serviceOf(await createNodeEngine());
  catalog = await Catalog.open({ factory: new IDBFactory(), name: 'athena-session' });
  ordersDir = folder({
    'year=2023/month=12/part-0.csv': csv(['1,c202312', '2,c202312b']),
    'year=2024/month=01/part-0.csv': csv(['3,c202401']),
    'year=2024/month=02/part-0.csv': csv(['4,c202402']),
  });
  await crawl(ordersDir, 'sales');
  await crawl(ordersDir, 'default');
  const real = catalogResolver(engine, catalog, lister);
  resolver = async (database, table, options) => { calls.push({ table: `${database}.${table}`, partitions: options.partitions }); return real(database, table, options); };
});
afterAll(() => catalog.close());

describe('Athena session', () => {
  it('runs SELECT … FROM db.table verbatim, pruned by the WHERE on partition keys, with what it read (issue 19)', async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    calls.length = 0;
    const out = await session.run("SELECT customer FROM sales.orders WHERE year = '2024' AND month >= '02' ORDER BY 1", { defaultDatabase: null });
    expect(out.kind).toBe('rows');
    if (out.kind !== 'rows') return;
    expect(out.result.rows).toEqual([['c202402']]);
    expect(calls).toEqual([{ table: 'sales.orders', partitions: [{ key: 'year', op: '=', values: ['2024'] }, { key: 'month', op: '>=', values: ['02'] }] }]);
    expect(out.stats).toMatchObject([{ database: 'sales', table: 'orders', files: { read: 1, total: 3 }, partitions: calls[0]!.partitions, cached: false }]);
    expect(out.stats[0]!.bytes.read).toBeGreaterThan(0);
    expect(out.stats[0]!.bytes.read).toBeLessThan(out.stats[0]!.bytes.total);
  });

  it('reads unqualified names in the default database, and a database named like a keyword ("default")', async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    const a = await session.run('SELECT count(*) AS n FROM orders', { defaultDatabase: 'default' });
    expect(a.kind === 'rows' && a.result.rows).toEqual([[4]]);
    const b = await session.run('SELECT count(*) AS n FROM default.orders o JOIN "default"."orders" p USING (order_id)', { defaultDatabase: null });
    expect(b.kind === 'rows' && b.result.rows).toEqual([[4]]);
  });

  it('leaves an opened table of the same name to the user, and refuses a table the catalog database lacks, naming its tables', async () => {
    await engine.userQuery('CREATE OR REPLACE TABLE orders AS SELECT 42 AS mine');
    const session = new AthenaSession(engine, catalog, resolver);
    const out = await session.run('SELECT * FROM orders', { defaultDatabase: 'sales', opened: ['orders'] });
    expect(out.kind === 'rows' && out.result.rows).toEqual([[42]]);
    await engine.userQuery('DROP TABLE orders');
    await expect(session.run('SELECT * FROM sales.ordres', { defaultDatabase: null })).rejects.toThrow('Database sales has no table ordres (its tables: orders)');
  });

  it('keeps a resolved table per (version, files chosen), whatever predicates chose them, and drops the least recently used', async () => {
    const athenaTables = async () => Number((await engine.query("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '% #%'")).rows[0]![0]);
    const before = await athenaTables();
    const session = new AthenaSession(engine, catalog, resolver, listingOf(lister));
    calls.length = 0;
    const q = (sql: string) => session.run(sql, { defaultDatabase: 'sales' });
    const first = await q("SELECT * FROM orders WHERE year = '2024'");
    const again = await q("SELECT count(*) FROM sales.orders WHERE year = '2024'");
    const same = await q("SELECT count(*) FROM sales.orders WHERE year >= '2024' AND month IN ('01', '02')");
    expect(first.kind === 'rows' && first.stats[0]!.cached).toBe(false);
    expect(again.kind === 'rows' && again.stats[0]!.cached).toBe(true);
    expect(same.kind === 'rows' && same.stats[0]!).toMatchObject({ cached: true, files: { read: 2, total: 3 } });
    expect(same.kind === 'rows' && same.result.rows).toEqual([[2]]);
    expect(calls.length).toBe(1);
    // Seven other sets of files (of the 8 a 3-file table has): the cache keeps the six most recent.
    for (const where of ["month = '12'", "month = '01'", "month = '02'", "month IN ('12', '01')", "month IN ('12', '02')", 'true', "month = '05'"]) await q(`SELECT * FROM orders WHERE ${where}`);
    expect(calls.length).toBe(8);
    expect(await athenaTables() - before).toBe(6);
    await session.clear();
    expect(await athenaTables()).toBe(before);
  });

  it('reads a table named twice once, unpruned when its references disagree', async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    calls.length = 0;
    const out = await session.run("SELECT count(*) FROM sales.orders a, sales.orders b WHERE a.year = '2024'", { defaultDatabase: null });
    expect(out.kind === 'rows' && out.result.rows).toEqual([[8]]);
    expect(calls).toEqual([{ table: 'sales.orders', partitions: [] }]);
  });

  it('answers SHOW TABLES from the catalog, never with internal relations, and USE sets the default database', async () => {
    await engine.query('CREATE TABLE "__epoxy_tf1_x" AS SELECT 1', 0);
    await catalog.createTable('sales', { Name: 'events', StorageDescriptor: { Location: 'opfs://events/', Columns: [{ Name: 'id', Type: 'string' }] } });
    const session = new AthenaSession(engine, catalog, resolver);
    const shown = await session.run('SHOW TABLES IN sales', { defaultDatabase: null });
    expect(shown.kind === 'rows' && shown.result.rows).toEqual([['events'], ['orders']]);
    const used = await session.run('USE sales', { defaultDatabase: null });
    expect(used.kind === 'rows' && used.defaultDatabase).toBe('sales');
  });

  it('says why a table cannot be read and which fix to offer, instead of a DuckDB error (issue 19)', async () => {
    const location = (await catalog.getTable('default', 'orders')).StorageDescriptor!.Location!;
    unreachable.add(location);
    try {
      const session = new AthenaSession(engine, catalog, resolver);
      const out = await session.run('SELECT * FROM default.orders', { defaultDatabase: null });
      expect(out).toEqual({
        kind: 'unreachable', database: 'default', table: 'orders', location,
        reason: 'the folder needs permission again', fix: 'pick the folder and allow reading', action: { kind: 'link', href: '#/catalog', label: 'See the table in the Catalog' },
      });
    } finally {
      unreachable.delete(location);
    }
  });
});

describe('query stats text', () => {
  it('says files and bytes read of the total, the partitions that chose them, and a cached read', async () => {
    const { statsLine, formatBytes } = await import('../../../src/query/athena-session');
    expect(formatBytes(950)).toBe('950 B');
    expect(formatBytes(1234)).toBe('1.2 kB');
    expect(formatBytes(45_600_000)).toBe('46 MB');
    const s = { database: 'sales', table: 'orders', files: { read: 2, total: 6 }, bytes: { read: 1200, total: 3600 }, cached: false };
    expect(statsLine({ ...s, partitions: [{ key: 'year', op: '=', values: ['2024'] }, { key: 'month', op: 'in', values: ["0'1", '02'] }] }))
      .toBe("sales.orders: 2 of 6 files, 1.2 kB of 3.6 kB read (partitions: year = '2024' AND month IN ('0''1', '02'))");
    expect(statsLine({ ...s, files: { read: 1, total: 1 }, partitions: [], cached: true })).toBe('sales.orders: 1 of 1 file, 1.2 kB of 3.6 kB already read in this tab');
  });
});

describe('statements DuckDB answers', () => {
  it("leaves SHOW TABLES with no database chosen, and DESCRIBE of the user's own table, to DuckDB (the opened tables, never internal ones)", async () => {
    await engine.userQuery('CREATE OR REPLACE TABLE my_notes AS SELECT 1 AS id');
    await engine.query('CREATE OR REPLACE TABLE "__epoxy_tf9_hidden" AS SELECT 1', 0);
    const session = new AthenaSession(engine, catalog, resolver);
    const shown = await session.run('SHOW TABLES', { defaultDatabase: null });
    expect(shown.kind === 'rows' && shown.result.rows.map((r) => r[0])).toContain('my_notes');
    expect(shown.kind === 'rows' && shown.result.rows.map((r) => String(r[0])).some((n) => n.startsWith('__epoxy'))).toBe(false);
    const described = await session.run('DESCRIBE my_notes', { defaultDatabase: 'sales' });
    expect(described.kind === 'rows' && described.result.rows[0]?.slice(0, 2)).toEqual(['id', 'INTEGER']);
    const catalogs = await session.run('DESCRIBE orders', { defaultDatabase: 'sales' });
    expect(catalogs.kind === 'rows' && catalogs.result.columns[0]!.name).toBe('col_name');
    await engine.userQuery('DROP TABLE my_notes');
  });
});

describe('one listing per query', () => {
  it('lists a location once per run for the fingerprint and the read, and again on the next run', async () => {
    const { catalogSession } = await import('../../../src/query/athena-session');
    const listed: string[] = [];
    const counting: LocationLister = { listFiles: async (l) => { listed.push(l); return listLocalFiles(l); } };
    const session = catalogSession(engine, catalog, counting);
    await session.run("SELECT * FROM sales.orders WHERE year = '2023'", { defaultDatabase: null });
    expect(listed.length).toBe(1);
    const again = await session.run("SELECT * FROM sales.orders WHERE year = '2023'", { defaultDatabase: null });
    expect(listed.length).toBe(2);
    expect(again.kind === 'rows' && again.stats[0]!.cached).toBe(true);
    await session.clear();
  });
});

describe('names as Athena writes them', () => {
  it("reads awsdatacatalog.db.table and quoted names, and DuckDB's errors name the table as written", async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    const out = await session.run('SELECT count(*) FROM awsdatacatalog."SALES"."Orders"', { defaultDatabase: null });
    expect(out.kind === 'rows' && out.result.rows).toEqual([[4]]);
    await expect(session.run('SELECT nope FROM sales.orders', { defaultDatabase: null })).rejects.toThrow(/nope/);
    await expect(session.run('SELECT nope FROM sales.orders', { defaultDatabase: null })).rejects.not.toThrow(/#\d/);
    await session.clear();
  });
});
