import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import { createEngineService } from '../../../src/service/engine-service';
import type { EngineWorkerApi } from '../../../src/service/protocol';
import { quoteIdent } from '../../../src/engine/sql';
import type { Catalog } from '../../../src/catalog';
import { AthenaSession, fixActionOf, type TableResolver } from '../../../src/query/athena-session';
import type { PartitionPredicate } from '../../../src/query/athena';
import { freshCatalog } from '../catalog/helpers';
import { fillSales } from '../catalog/fixtures';

// The resolver's own tests are resolve's; here a small one stands in for its contract (relation, pruning by
// predicates, files counted), so what is tested is the session: rewriting, views, cache, outcomes.
const FILES = [{ year: '2023', month: '12' }, { year: '2024', month: '01' }, { year: '2024', month: '02' }];
function passes(file: Record<string, string>, preds: PartitionPredicate[]): boolean {
  return preds.every((p) => {
    const v = Number(file[p.key]);
    const vals = p.values.map(Number);
    switch (p.op) {
      case '=': return v === vals[0];
      case '<>': return v !== vals[0];
      case '<': return v < vals[0]!;
      case '<=': return v <= vals[0]!;
      case '>': return v > vals[0]!;
      case '>=': return v >= vals[0]!;
      case 'in': return vals.includes(v);
      case 'between': return v >= vals[0]! && v <= vals[1]!;
    }
  });
}

let engine: EngineWorkerApi;
let catalog: Catalog;
const calls: { table: string; partitions: PartitionPredicate[] }[] = [];
const unreachable = new Set<string>();

const resolver: TableResolver = async (database, table, { relation, partitions }) => {
  calls.push({ table: `${database}.${table}`, partitions });
  const t = await catalog.getTable(database, table);
  if (unreachable.has(`${database}.${table}`)) {
    throw Object.assign(new Error('unreachable'), { name: 'UnreachableTableError', reachability: { state: 'unreachable', reason: 'the folder needs permission again', fix: 'pick the folder and allow reading' } });
  }
  const chosen = FILES.filter((f) => passes(f, partitions));
  const rows = chosen.map((f, i) => `(${i + 1}, 'c${f.year}${f.month}', ${f.year}::VARCHAR, ${f.month}::VARCHAR)`);
  const body = rows.length ? `VALUES ${rows.join(', ')}` : "SELECT 1, 'x', 'x', 'x' WHERE false";
  await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(relation)} AS SELECT * FROM (${body}) v(order_id, customer, year, month)`, 0);
  return { relation, table: t, files: { read: chosen.length, total: FILES.length }, bytes: { read: chosen.length * 100, total: FILES.length * 100 } };
};

beforeAll(async () => {
  engine = createEngineService(() => createNodeEngine());
  ({ catalog } = await freshCatalog());
  await fillSales(catalog);
  await catalog.commit([
    { op: 'createDatabase', database: { Name: 'default' } },
    { op: 'createTable', databaseName: 'default', table: { Name: 'orders', PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }], StorageDescriptor: { Location: 'folder://shop/orders/', Columns: [{ Name: 'order_id', Type: 'bigint' }, { Name: 'customer', Type: 'string' }] } } },
  ]);
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
    expect(out.stats).toEqual([{ database: 'sales', table: 'orders', files: { read: 1, total: 3 }, bytes: { read: 100, total: 300 }, partitions: calls[0]!.partitions, cached: false }]);
  });

  it('reads unqualified names in the default database, and a database named like a keyword ("default")', async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    const a = await session.run('SELECT count(*) AS n FROM orders', { defaultDatabase: 'default' });
    expect(a.kind === 'rows' && a.result.rows).toEqual([[3]]);
    const b = await session.run('SELECT count(*) AS n FROM default.orders o JOIN "default"."orders" p USING (order_id)', { defaultDatabase: null });
    expect(b.kind === 'rows' && b.result.rows).toEqual([[3]]);
  });

  it('leaves an opened table of the same name to the user, and refuses a table the catalog database lacks, naming its tables', async () => {
    await engine.userQuery('CREATE OR REPLACE TABLE orders AS SELECT 42 AS mine');
    const session = new AthenaSession(engine, catalog, resolver);
    const out = await session.run('SELECT * FROM orders', { defaultDatabase: 'sales', opened: ['orders'] });
    expect(out.kind === 'rows' && out.result.rows).toEqual([[42]]);
    await engine.userQuery('DROP TABLE orders');
    await expect(session.run('SELECT * FROM sales.ordres', { defaultDatabase: null })).rejects.toThrow('Database sales has no table ordres (its tables: events, orders)');
  });

  it('keeps a resolved table per (version, listing, predicates) and drops the least recently used', async () => {
    const athenaTables = async () => Number((await engine.query("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'athena %'")).rows[0]![0]);
    const before = await athenaTables();
    const session = new AthenaSession(engine, catalog, resolver, async () => 'listing-1');
    calls.length = 0;
    const q = (sql: string) => session.run(sql, { defaultDatabase: 'sales' });
    const first = await q("SELECT * FROM orders WHERE year = '2024'");
    const again = await q("SELECT count(*) FROM sales.orders WHERE year = '2024'");
    expect(first.kind === 'rows' && first.stats[0]!.cached).toBe(false);
    expect(again.kind === 'rows' && again.stats[0]!.cached).toBe(true);
    expect(calls.length).toBe(1);
    for (const m of ['1', '2', '3', '4', '5', '6', '7']) await q(`SELECT * FROM orders WHERE month = ${m}`);
    expect(calls.length).toBe(8);
    expect(await athenaTables() - before).toBe(6);
    await session.clear();
    expect(await athenaTables()).toBe(before);
  });

  it('reads a table named twice once, unpruned when its references disagree', async () => {
    const session = new AthenaSession(engine, catalog, resolver);
    calls.length = 0;
    const out = await session.run("SELECT count(*) FROM sales.orders a, sales.orders b WHERE a.year = '2024'", { defaultDatabase: null });
    expect(out.kind === 'rows' && out.result.rows).toEqual([[6]]);
    expect(calls).toEqual([{ table: 'sales.orders', partitions: [] }]);
  });

  it('answers SHOW TABLES from the catalog, never with internal relations, and USE sets the default database', async () => {
    await engine.query('CREATE TABLE "__epoxy_tf1_x" AS SELECT 1', 0);
    const session = new AthenaSession(engine, catalog, resolver);
    const shown = await session.run('SHOW TABLES IN sales', { defaultDatabase: null });
    expect(shown.kind === 'rows' && shown.result.rows).toEqual([['events'], ['orders']]);
    const used = await session.run('USE sales', { defaultDatabase: null });
    expect(used.kind === 'rows' && used.defaultDatabase).toBe('sales');
  });

  it('says why a table cannot be read and which fix to offer, instead of a DuckDB error (issue 19)', async () => {
    unreachable.add('default.orders');
    try {
      const session = new AthenaSession(engine, catalog, resolver);
      const out = await session.run('SELECT * FROM default.orders', { defaultDatabase: null });
      expect(out).toEqual({
        kind: 'unreachable', database: 'default', table: 'orders', location: 'folder://shop/orders/',
        reason: 'the folder needs permission again', fix: 'pick the folder and allow reading', action: { kind: 'grant-folder', location: 'folder://shop/orders/' },
      });
    } finally {
      unreachable.delete('default.orders');
    }
    expect(fixActionOf('dropped://x/').kind).toBe('drop-files');
    expect(fixActionOf('s3://bucket/p/').kind).toBe('paste-urls');
    expect(fixActionOf('opfs://curated/t/').kind).toBe('run-job');
  });
});
