/**
 * Issue 19, the attacker's pass: a hostile catalog (an imported Glue JSON, crawled names) reaches SQL through
 * the resolver and Athena's rewrite. Names, partition values and SerDe parameters stay data; bad ones say so.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import type { Table } from '../../../src/catalog/glue-types';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { createNodeEngine } from '../../../src/engine/node';
import { listLocalFiles } from '../../../src/jobs/node-env';
import { listNodeFolder } from '../../../src/sources/node-files';
import { catalogSession, type AthenaSession } from '../../../src/query/athena-session';
import { serviceOf } from '../../support/service';

let catalog: Catalog;
let session: AthenaSession;
let orders: Table;
const HEADER = `"<img src=x onerror=alert(1)>","a""b","c'); DROP TABLE t;--"`;

beforeAll(async () => {
  const engine = serviceOf(await createNodeEngine());
  catalog = await Catalog.open({ factory: new IDBFactory(), name: 'hostile-catalog' });
  const dir = mkdtempSync(join(tmpdir(), "epoxy-o'b-"));
  for (const [p, body] of Object.entries({ "k=O'Brien/part-0.csv": `${HEADER}\n1,2,3\n`, 'k=x"y/part-0.csv': `${HEADER}\n4,5,6\n` })) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), body);
  }
  const crawler: Crawler = { Name: 'c_sales', DatabaseName: 'sales', Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] } };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'orders', locationPrefix: pathToFileURL(dir).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
  orders = (await catalog.getTables('sales'))[0]!;
  session = catalogSession(engine, catalog, { listFiles: listLocalFiles });
});
afterAll(() => catalog.close());

async function run(sql: string) {
  const out = await session.run(sql, { defaultDatabase: null });
  if (out.kind !== 'rows') throw new Error(out.reason);
  return out.result;
}

describe('a hostile catalog', () => {
  it('reads crawled column names holding quotes, HTML and SQL, and partition values with \' and ", as data', async () => {
    const all = await run(`SELECT * FROM sales.${orders.Name} ORDER BY 1`);
    expect(all.columns.map((c) => c.name)).toEqual(['<img src=x onerror=alert(1)>', 'a"b', "c'); drop table t;--", 'k']);
    expect(all.rows).toEqual([[1, 2, 3, "O'Brien"], [4, 5, 6, 'x"y']]);
    const pruned = await session.run(`SELECT k FROM sales.${orders.Name} WHERE k = 'O''Brien'`, { defaultDatabase: null });
    expect(pruned.kind === 'rows' && pruned.result.rows).toEqual([["O'Brien"]]);
    expect(pruned.kind === 'rows' && pruned.stats[0]?.files).toEqual({ read: 1, total: 2 });
  });

  async function handTable(name: string, serde: Record<string, string>, params: Record<string, string>): Promise<void> {
    const sd = orders.StorageDescriptor!;
    await catalog.createTable('sales', { Name: name, StorageDescriptor: { ...sd, SerdeInfo: { ...sd.SerdeInfo, Parameters: serde } }, Parameters: { ...orders.Parameters, ...params }, PartitionKeys: orders.PartitionKeys ?? [], TableType: 'EXTERNAL_TABLE' });
  }

  it('keeps a SerDe delimiter and NULL text holding quotes inside their literals (a read_csv option never breaks out)', async () => {
    await handTable('nasty_delim', { 'field.delim': "',header=true,x='" }, {});
    await expect(run('SELECT count(*) FROM sales.nasty_delim')).rejects.toThrow(/delimiter option cannot exceed a size of 4 bytes/);
    await handTable('nasty_null', { 'field.delim': ',', 'serialization.null.format': "'); DROP TABLE x; --" }, { 'skip.header.line.count': '1' });
    expect((await run('SELECT count(*)::INTEGER FROM sales.nasty_null')).rows).toEqual([[2]]);
  });

  it('says a skip.header.line.count of 1e30 is no line count (issue 19 attack: it reached DuckDB as "Failed to cast value … INT64")', async () => {
    await handTable('skip_huge', {}, { 'skip.header.line.count': '1e30' });
    await expect(run('SELECT count(*) FROM sales.skip_huge')).rejects.toThrow(/skip\.header\.line\.count is 1e30: a header line count is at most 2147483647/);
  });
});

describe('a catalog database named like Athena\'s own schema (issue 19 attack: database "athena$resolved" put its views among the resolved tables)', () => {
  it('keeps its views out of the resolved schema, so the next resolved table is never shadowed or refused', async () => {
    // A write drops the kept tables, so the next read resolves afresh: its number is the counter's.
    await run('CREATE TABLE forget_cache AS SELECT 1 AS x');
    await run(`SELECT * FROM sales.${orders.Name}`);
    const names = (await run("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'athena$resolved'")).rows.map((r) => Number(/#(\d+)$/.exec(String(r[0]))![1]));
    const next = Math.max(...names) + 2;
    await run('DROP TABLE forget_cache');
    await catalog.createDatabase({ Name: 'athena$resolved' });
    // Named like the relation sales.orders resolves into next: its view would take that name first.
    await catalog.createTable('athena$resolved', { Name: `sales.${orders.Name} #${next}`, StorageDescriptor: orders.StorageDescriptor!, Parameters: orders.Parameters ?? {}, PartitionKeys: orders.PartitionKeys ?? [], TableType: 'EXTERNAL_TABLE' });
    expect((await run(`SELECT count(*)::INTEGER FROM "athena$resolved"."sales.${orders.Name} #${next}"`)).rows).toEqual([[2]]);
    expect((await run(`SELECT k FROM sales.${orders.Name} ORDER BY k`)).rows).toEqual([["O'Brien"], ['x"y']]);
  });
});
