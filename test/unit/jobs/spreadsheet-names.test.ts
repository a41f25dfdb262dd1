/**
 * Issue 17: a spreadsheet export's headers ("Order ID", "Unit Price ($)", "Order Region") were refused by the
 * catalog, so no table existed. Now: crawl -> catalog -> job partitioned by such a column -> DuckDB script run
 * natively with the same rows -> DDL, Glue JSON, PySpark -> one-click Athena-safe names, and the data still reads.
 */
import 'fake-indexeddb/auto';
import { DuckDBInstance } from '@duckdb/node-api';
import { IDBFactory } from 'fake-indexeddb';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, glueTableInput, normalizeStoredTable, ORIGINAL_NAME, tableDdl, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { exportDuckDbSql, exportFolders, type ExportSource } from '../../../src/jobs/export-duckdb';
import { exportPySpark } from '../../../src/jobs/export-pyspark';
import type { JobDefinition } from '../../../src/jobs/model';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { planSource } from '../../../src/jobs/sources';
import { listNodeFolder } from '../../../src/sources/node-files';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

const ORDERS = 'Order ID,Order Region,Unit Price ($),name.common,2019\n1,North East,10.5,x,a\n2,South,3.25,y,b\n3,North East,7,z,c\n4,a/b=c,1,w,d\n';
const PENGUINS = [
  { Species: 'Adelie', 'Beak Length (mm)': 39.1, 'Body Mass (g)': 3750 },
  { Species: 'Gentoo', 'Beak Length (mm)': 46.1, 'Body Mass (g)': 4500 },
].map((r) => JSON.stringify(r)).join('\n') + '\n';

function lake(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'epoxy-names-'));
  const dir = join(root, 'lake');
  mkdirSync(join(dir, 'orders'), { recursive: true });
  mkdirSync(join(dir, 'penguins', 'Study Site=Dream'), { recursive: true });
  mkdirSync(join(dir, 'penguins', 'Study Site=Biscoe'), { recursive: true });
  writeFileSync(join(dir, 'orders', 'export.csv'), ORDERS);
  writeFileSync(join(dir, 'penguins', 'Study Site=Dream', 'p.json'), PENGUINS);
  writeFileSync(join(dir, 'penguins', 'Study Site=Biscoe', 'p.json'), PENGUINS.replace('Adelie', 'Chinstrap'));
  return { root, dir };
}

async function crawlLake(dir: string, extra: Partial<Crawler> = {}, into?: Catalog): Promise<Catalog> {
  const catalog = into ?? await Catalog.open({ factory: new IDBFactory(), name: `names-${Math.random()}` });
  const crawler: Crawler = { Name: 'sheets', DatabaseName: 'sheets', Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] }, ...extra };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'lake', locationPrefix: pathToFileURL(dir).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
  expect(report.state).toBe('COMPLETED');
  return catalog;
}

const job = (table: string, partitionBy: string[], outTable: string): JobDefinition => ({
  version: 1, name: `copy_${table}`, bookmark: 'job-bookmark-disable', parameters: [],
  nodes: [
    { id: 'src', kind: 'source', source: { type: 'catalog', database: 'sheets', table } },
    { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'workspace', path: `out/${outTable}`, format: 'parquet', partitionBy, database: 'sheets', table: outTable } },
  ],
});

async function nativeRows(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();

describe('spreadsheet headers from crawl to exports (issue 17: "Order ID" made the file refused)', () => {
  it('crawls them as Glue names them, partitions by one, and the native DuckDB script writes the same rows', async () => {
    const { root, dir } = lake();
    const catalog = await crawlLake(dir);
    const orders = await catalog.getTable('sheets', 'orders');
    expect(orders.StorageDescriptor!.Columns!.map((c) => `${c.Name}:${c.Type}`)).toEqual(['order id:bigint', 'order region:string', 'unit price ($):double', 'name.common:string', '2019:string']);
    const penguins = await catalog.getTable('sheets', 'penguins');
    expect(penguins.PartitionKeys).toEqual([{ Name: 'study site', Type: 'string' }]);

    // The tab: a job partitioned by "order region", registered as a catalog table.
    const out = join(root, 'wasm');
    const def = job('orders', ['order region'], 'orders_by_region');
    const result = await executeJob(def, nodeJobEnv(serviceOf(engine), out, { catalog }));
    expect(result.error).toBeUndefined();
    expect(result.schemas['src']!.map((f) => f.name)).toEqual(['order id', 'order region', 'unit price ($)', 'name.common', '2019']);
    const version = join(out, 'out/orders_by_region/_epoxy_v1');
    // A value holding / and = is escaped, so it cannot make folders or keys of its own; a space is percent-encoded
    // as native DuckDB writes it (issue 20), which Hive, Spark and Athena decode.
    expect(readdirSync(version).sort()).toEqual(['_SUCCESS', 'order%20region=North%20East', 'order%20region=South', 'order%20region=a%2Fb%3Dc']);
    const registered = await catalog.getTable('sheets', 'orders_by_region');
    expect(registered.PartitionKeys).toEqual([{ Name: 'order region', Type: 'string' }]);
    expect((await catalog.getPartitions('sheets', 'orders_by_region')).map((p) => p.Values[0]).sort()).toEqual(['North East', 'South', 'a/b=c']);
    // DuckDB's hive_partitioning reads a percent-encoded key back encoded: decoded here, on both sides.
    const wasm = (await nativeRows(`SELECT * FROM read_parquet('${version}/**/*.parquet', hive_partitioning=true, hive_types_autocast=false)`))
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [decodeURIComponent(k), v])));
    expect(wasm).toHaveLength(4);

    // Native DuckDB runs the exported script from the same catalog facts and writes the same rows.
    const plan = await planSource(def.nodes[0] as never, catalog);
    const source: ExportSource = { location: plan.location, format: plan.format, partitionKeys: plan.partitionKeys, columns: plan.columns };
    const nativeOut = join(root, 'native');
    const script = exportDuckDbSql(def, { sources: { src: source }, schemas: result.schemas, outDir: nativeOut });
    expect(script).toContain('SELECT "order id" AS "order id", "order region" AS "order region", "unit price ($)" AS "unit price ($)"');
    for (const d of exportFolders(def, nativeOut)) mkdirSync(d, { recursive: true });
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(script);
    expect(script).toContain('-- Partition folders are percent-encoded as the tab writes them');
    // Native DuckDB percent-encodes the key in folder names and reads it back encoded (see the export's comment).
    const native = (await nativeRows(`SELECT * FROM read_parquet('${join(nativeOut, 'out/orders_by_region')}/**/*.parquet', hive_partitioning=true, hive_types_autocast=false)`))
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [decodeURIComponent(k), v])));
    expect(sorted(native)).toEqual(sorted(wasm));
    catalog.close();
  });

  it('reads a JSON table whose keys are capitalised (was: every value NULL, "Species" is not "species")', async () => {
    const { root, dir } = lake();
    const catalog = await crawlLake(dir);
    const result = await executeJob(job('penguins', [], 'penguins_copy'), nodeJobEnv(serviceOf(engine), join(root, 'wasm'), { catalog }));
    expect(result.error).toBeUndefined();
    const rows = await nativeRows(`SELECT species, "beak length (mm)" AS beak, "study site" AS site FROM read_parquet('${join(root, 'wasm/out/penguins_copy/_epoxy_v1')}/*.parquet') ORDER BY site, species`);
    expect(rows).toEqual([
      { species: 'Chinstrap', beak: 39.1, site: 'Biscoe' }, { species: 'Gentoo', beak: 46.1, site: 'Biscoe' },
      { species: 'Adelie', beak: 39.1, site: 'Dream' }, { species: 'Gentoo', beak: 46.1, site: 'Dream' },
    ]);
    catalog.close();
  });

  it('exports them quoted: Athena DDL in backquotes, Glue JSON as stored, PySpark with backquoted Spark SQL', async () => {
    const { dir } = lake();
    const catalog = await crawlLake(dir);
    const orders = await catalog.getTable('sheets', 'orders');
    const ddl = tableDdl(orders);
    expect(ddl).toContain('  `order id` bigint,\n  `order region` string,\n  `unit price ($)` double,\n  `name.common` string,\n  `2019` string\n)');
    expect(glueTableInput(orders).StorageDescriptor!.Columns![2]).toEqual({ Name: 'unit price ($)', Type: 'double' });
    const script = exportPySpark({
      version: 1, name: 'by_region', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'catalog', database: 'sheets', table: 'orders' } },
        { id: 'keep', kind: 'transform', inputs: ['src'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: '`name.common`', op: '=', value: 'x' }] } } } },
        { id: 'sum', kind: 'transform', inputs: ['keep'], step: { id: 'a', kind: 'Aggregate', params: { groupBy: ['order region'], aggregations: [{ fn: 'sum', path: 'unit price ($)', as: 'Total ($)' }] } } },
        { id: 'out', kind: 'target', inputs: ['sum'], target: { type: 'download', name: 'report', format: 'csv' } },
      ],
    });
    expect(script).toContain('_get(row, ("name.common",))');
    expect(script).toContain('SELECT `order region`, sum(`unit price ($)`) AS `Total ($)` FROM input GROUP BY `order region`');
    const py = ['/usr/bin/python3', '/usr/local/bin/python3'].find(existsSync);
    if (!py) throw new Error('python3 is needed to compile the exported script');
    const file = join(mkdtempSync(join(tmpdir(), 'epoxy-py-')), 'by_region.py');
    writeFileSync(file, script);
    execFileSync(py, ['-m', 'py_compile', file], { stdio: 'pipe' });
    catalog.close();
  });

  it('one click makes names Athena-safe; the job, the partition folders and the native script still read the data', async () => {
    const { root, dir } = lake();
    const catalog = await crawlLake(dir);
    const before = await catalog.getTable('sheets', 'penguins');
    const changes = await normalizeStoredTable(catalog, 'sheets', 'penguins', before.VersionId);
    expect(changes.map((c) => `${c.from} -> ${c.to}`)).toEqual(['beak length (mm) -> beak_length_mm', 'body mass (g) -> body_mass_g', 'study site -> study_site']);
    const after = await catalog.getTable('sheets', 'penguins');
    expect(after.VersionId).not.toBe(before.VersionId);
    expect(after.StorageDescriptor!.Columns![1]).toEqual({ Name: 'beak_length_mm', Type: 'double', Parameters: { [ORIGINAL_NAME]: 'beak length (mm)' } });
    expect(after.StorageDescriptor!.SerdeInfo!.Parameters!['mapping.beak_length_mm']).toBe('beak length (mm)');
    expect(tableDdl(after)).toContain("'mapping.beak_length_mm'='beak length (mm)'");
    expect((await catalog.getPartitions('sheets', 'penguins'))[0]!.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['species', 'beak_length_mm', 'body_mass_g']);
    // A recrawl keeps the renames: the table is unchanged, no new version.
    await crawlLake(dir, {}, catalog);
    expect((await catalog.getTable('sheets', 'penguins')).VersionId).toBe(after.VersionId);

    const def = job('penguins', [], 'penguins_safe');
    const result = await executeJob(def, nodeJobEnv(serviceOf(engine), join(root, 'wasm'), { catalog }));
    expect(result.error).toBeUndefined();
    expect(result.schemas['src']!.map((f) => f.name)).toEqual(['species', 'beak_length_mm', 'body_mass_g', 'study_site']);
    const wasm = await nativeRows(`SELECT * FROM read_parquet('${join(root, 'wasm/out/penguins_safe/_epoxy_v1')}/*.parquet')`);
    expect(wasm.map((r) => `${r['species']} ${r['beak_length_mm']} ${r['body_mass_g']} ${r['study_site']}`).sort()).toEqual(['Adelie 39.1 3750 Dream', 'Chinstrap 39.1 3750 Biscoe', 'Gentoo 46.1 4500 Biscoe', 'Gentoo 46.1 4500 Dream']);

    const plan = await planSource(def.nodes[0] as never, catalog);
    const nativeOut = join(root, 'native');
    const script = exportDuckDbSql(def, { sources: { src: { location: plan.location, format: plan.format, partitionKeys: plan.partitionKeys, columns: plan.columns, ...(plan.partitionFolderKeys ? { partitionFolderKeys: plan.partitionFolderKeys } : {}) } }, schemas: result.schemas, outDir: nativeOut });
    expect(script).toContain('TRY_CAST("beak length (mm)" AS DOUBLE) AS "beak_length_mm"');
    expect(script).toContain('"study site" AS "study_site"');
    for (const d of exportFolders(def, nativeOut)) mkdirSync(d, { recursive: true });
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(script);
    const native = await nativeRows(`SELECT * FROM read_parquet('${join(nativeOut, 'out/penguins_safe')}/**/*.parquet')`);
    expect(sorted(native)).toEqual(sorted(wasm));
    catalog.close();
  });

  it('the crawler setting writes Athena-safe names from the start', async () => {
    const { dir } = lake();
    const catalog = await crawlLake(dir, { Epoxy: { normalizeNames: true } });
    const orders = await catalog.getTable('sheets', 'orders');
    expect(orders.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['order_id', 'order_region', 'unit_price', 'name_common', 'col_2019']);
    expect(orders.StorageDescriptor!.Columns![0]!.Parameters).toEqual({ [ORIGINAL_NAME]: 'order id' });
    expect((await catalog.getTable('sheets', 'penguins')).PartitionKeys).toEqual([{ Name: 'study_site', Type: 'string', Parameters: { [ORIGINAL_NAME]: 'study site' } }]);
    catalog.close();
  });
});
