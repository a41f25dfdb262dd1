import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_PREFIXES, type Engine } from '../../../../src/engine/engine';
import { createNodeEngine } from '../../../../src/engine/node';
import { nodeJobEnv } from '../../../../src/jobs/node-env';
import { executeJob } from '../../../../src/jobs/run';
import { chartProblem, chartSql, defaultChart } from '../../../../src/app/workspace/chart-sql';
import { exportBytes, exportName, xlsxSheet, XLSX_MAX_ROWS } from '../../../../src/app/workspace/result-export';
import { saveNameProblem, saveResultAsTable } from '../../../../src/app/workspace/save-result';
import { columnsInScope, completionSchemaOf, historyLabel, historyStep, identifierText, statementAt, tablesInStatement, toNamespace, type CompletionSchema } from '../../../../src/app/workspace/sql-editor';
import { serviceOf } from '../../../support/service';
import { freshCatalog } from '../../catalog/helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const schema: CompletionSchema = {
  databases: [{ name: 'curated', tables: [{ name: 'routes_by_state', columns: ['state', 'Route Count', 'miles'] }] }],
  tables: [{ name: 'weather', columns: ['id', 'temp_c'] }],
};

describe('SQL editor completion (issue 19: the SQL box completed nothing)', () => {
  it('turns the catalog and open tables into lang-sql\'s namespace, quoting names SQL needs quoted', () => {
    const ns = toNamespace(schema) as Record<string, { self: { label: string; detail: string }; children: unknown }>;
    expect(ns['curated']!.self).toMatchObject({ label: 'curated', detail: 'database' });
    const tables = ns['curated']!.children as Record<string, { self: { label: string }; children: { label: string; apply?: string }[] }>;
    expect(tables['routes_by_state']!.children.map((c) => c.apply ?? c.label)).toEqual(['state', '"Route Count"', 'miles']);
    expect(ns['weather']!.self.detail).toBe('open table');
    expect(identifierText('a"b')).toBe('"a""b"');
  });

  it('builds the schema from the catalog (partition keys too) and the open tables, without internal relations', () => {
    expect(completionSchemaOf({ web: { logs: ['ip', 'path', 'year'], hits: ['n'] }, empty: {} }, [{ name: 'weather', columns: ['id'] }, { name: '__epoxy_result_3', columns: ['x'] }])).toEqual({
      databases: [{ name: 'empty', tables: [] }, { name: 'web', tables: [{ name: 'hits', columns: ['n'] }, { name: 'logs', columns: ['ip', 'path', 'year'] }] }],
      tables: [{ name: 'weather', columns: ['id'] }],
    });
    for (const prefix of INTERNAL_PREFIXES) expect(completionSchemaOf({}, [{ name: `${prefix}x`, columns: [] }]).tables).toEqual([]);
  });

  it('finds the tables a statement reads, and offers their columns without a prefix', () => {
    expect(tablesInStatement('SELECT * FROM curated.routes_by_state r JOIN "weather" AS w ON 1=1 CROSS JOIN a, other')).toEqual([
      { database: 'curated', table: 'routes_by_state' }, { database: null, table: 'weather' }, { database: null, table: 'a' }, { database: null, table: 'other' },
    ]);
    // A FROM inside a string is not a table.
    expect(tablesInStatement("SELECT 'FROM nowhere' FROM weather")).toEqual([{ database: null, table: 'weather' }]);
    const cols = columnsInScope('SELECT  FROM Curated.Routes_By_State JOIN weather', schema);
    expect(cols.map((c) => [c.label, c.detail])).toEqual([['state', 'curated.routes_by_state'], ['Route Count', 'curated.routes_by_state'], ['miles', 'curated.routes_by_state'], ['id', 'weather'], ['temp_c', 'weather']]);
    expect(cols[1]!.apply).toBe('"Route Count"');
    // An unqualified catalog table is looked up in the default database.
    expect(columnsInScope('SELECT FROM routes_by_state', schema, 'curated').map((c) => c.label)).toEqual(['state', 'Route Count', 'miles']);
    expect(columnsInScope('SELECT FROM routes_by_state', schema)).toEqual([]);
  });

  it('completes within the statement under the cursor', () => {
    const text = "SELECT 1 FROM a; SELECT ';' FROM b; SELECT 3";
    expect(text.slice(statementAt(text, 20).from, statementAt(text, 20).to)).toBe(" SELECT ';' FROM b");
    expect(statementAt(text, 2)).toEqual({ from: 0, to: 15 });
  });

  it('steps through history newest first and back to the text being written', () => {
    const history = ['SELECT 3', 'SELECT 2'];
    let s = historyStep(history, -1, 'older', 'draft');
    expect(s).toEqual({ index: 0, text: 'SELECT 3' });
    s = historyStep(history, s.index, 'older', 'draft');
    expect(s).toEqual({ index: 1, text: 'SELECT 2' });
    expect(historyStep(history, 1, 'older', 'draft')).toEqual({ index: 1, text: 'SELECT 2' });
    expect(historyStep(history, 0, 'newer', 'draft')).toEqual({ index: -1, text: 'draft' });
  });

  it('labels each past query with how it ended, failures with their error (issue 19 newcomer: the one History menu shows what the sidebar list did)', () => {
    expect(historyLabel({ sql: 'SELECT *\n  FROM  cars', ok: true, rows: 1234 })).toEqual({ text: 'SELECT * FROM cars', outcome: '1,234 rows' });
    expect(historyLabel({ sql: 'SELECT 1', ok: true, rows: 1 }).outcome).toBe('1 row');
    expect(historyLabel({ sql: "SELECT * FROM 'nowhere.csv'", ok: false, error: "'nowhere.csv' is not a file opened in this tab" }).outcome).toBe("failed: 'nowhere.csv' is not a file opened in this tab");
    expect(historyLabel({ sql: 'SELECT 2', ok: false }).outcome).toBe('failed: no result');
    const long = historyLabel({ sql: 'SELECT ' + 'x, '.repeat(60) + '1', ok: true }, 20);
    expect(long.text).toHaveLength(20);
    expect(long.text.endsWith('…')).toBe(true);
    expect(long.outcome).toBe('ran');
  });
});

describe('quick charts compute their points in the engine', () => {
  it('bars count or aggregate by a category, a histogram bins numbers, a scatter samples', () => {
    const r = engine.userQuery("SELECT range AS id, ['a','b','c'][range % 3 + 1] AS cat, CAST(range * 1.5 AS DOUBLE) AS v FROM range(3000)");
    const source = `SELECT * FROM "${r.relation}"`;
    expect(defaultChart(r.columns)).toEqual({ kind: 'bar', x: 'cat', y: 'id', aggregate: 'count' });
    expect(engine.query(chartSql({ kind: 'bar', x: 'cat', y: null, aggregate: 'count' }, source)).rows.sort()).toEqual([['a', 1000], ['b', 1000], ['c', 1000]]);
    expect(engine.query(chartSql({ kind: 'bar', x: 'cat', y: 'v', aggregate: 'max' }, source)).rows[0]).toEqual(['c', 4498.5]);
    const bins = engine.query(chartSql({ kind: 'histogram', x: 'v', y: null, aggregate: 'count' }, source)).rows;
    expect(bins).toHaveLength(30);
    expect(bins.reduce((n, b) => n + Number(b[2]), 0)).toBe(3000);
    expect(bins[0]!.slice(0, 2)).toEqual([0, 149.95]);
    const line = engine.query(chartSql({ kind: 'line', x: 'id', y: 'v', aggregate: 'sum' }, source)).rows;
    expect(line).toHaveLength(2000);
    expect(line[10]).toEqual([10, 15]);
    expect(engine.query(chartSql({ kind: 'scatter', x: 'id', y: 'v', aggregate: 'count' }, source)).rows).toHaveLength(3000);
    // One value only: a single bin, not a division by zero.
    expect(engine.query(chartSql({ kind: 'histogram', x: 'v', y: null, aggregate: 'count' }, 'SELECT 5.0 AS v FROM range(4)')).rows).toEqual([[5, 6, 4]]);
  });

  it('says in words why a chart cannot be drawn', () => {
    const cols = [{ name: 'cat', type: 'VARCHAR' }, { name: 'v', type: 'DOUBLE' }];
    expect(chartProblem({ kind: 'histogram', x: 'cat', y: null, aggregate: 'count' }, cols)).toBe('A histogram counts numbers: cat is VARCHAR.');
    expect(chartProblem({ kind: 'bar', x: 'v', y: 'cat', aggregate: 'sum' }, cols)).toBe('sum needs numbers: cat is VARCHAR.');
    expect(chartProblem({ kind: 'scatter', x: 'cat', y: 'v', aggregate: 'count' }, cols)).toMatch(/two number columns/);
    expect(chartProblem({ kind: 'bar', x: 'cat', y: 'v', aggregate: 'avg' }, cols)).toBeNull();
  });
});

describe('result downloads and save as table', () => {
  it('names a download after the table it reads', () => {
    const at = new Date(Date.UTC(2026, 11, 1, 15, 4, 5));
    expect(exportName('SELECT * FROM curated.routes_by_state', 'parquet', at)).toBe('curated.routes_by_state-20261201-150405.parquet');
    expect(exportName('SELECT 1', 'xlsx', at)).toBe('result-20261201-150405.xlsx');
    expect(exportName('select * from "../../etc"', 'csv', at)).toBe('etc-20261201-150405.csv');
  });

  it('writes NDJSON and an xlsx sheet that reads back, and refuses a result larger than a sheet', async () => {
    const api = serviceOf(engine);
    const r = engine.userQuery("SELECT range AS n, 'x' || range AS s, range % 2 = 0 AS even, {'a': range} AS st FROM range(3)");
    const sql = `SELECT * FROM "${r.relation}"`;
    const nd = new TextDecoder().decode(await exportBytes(api, sql, 'ndjson', async () => new Uint8Array()));
    expect(nd.trim().split('\n').map((l) => JSON.parse(l))[2]).toEqual({ n: 2, s: 'x2', even: true, st: { a: 2 } });
    const xlsx = await exportBytes(api, sql, 'xlsx', async (rows) => {
      const buffer = await writeXlsxFile(rows).toBuffer();
      return new Uint8Array(buffer);
    });
    const sheet = await readXlsxFile(Buffer.from(xlsx));
    const rows = (Array.isArray(sheet[0]) ? sheet : (sheet as unknown as { data: unknown[][] }[])[0]!.data) as unknown[][];
    expect(rows).toEqual([['n', 's', 'even', 'st'], [0, 'x0', true, '{"a":0}'], [1, 'x1', false, '{"a":1}'], [2, 'x2', true, '{"a":2}']]);
    expect(xlsxSheet({ columns: [{ name: 'a', type: 'INTEGER' }], rows: [[null]] })).toEqual([['a'], [null]]);
    const big = engine.userQuery(`SELECT range AS n FROM range(${XLSX_MAX_ROWS + 1})`);
    await expect(exportBytes(api, `SELECT * FROM "${big.relation}"`, 'xlsx', async () => new Uint8Array())).rejects.toThrow('An Excel sheet holds at most 1,048,575 rows and this result has 1,048,576: filter it, or download CSV or Parquet.');
  });

  it('saves a result as a Parquet catalog table a job reads back, and refuses to overwrite one unasked (issue 19: a result could not be kept)', async () => {
    const { catalog } = await freshCatalog();
    const out = mkdtempSync(join(tmpdir(), 'epoxy-save-'));
    const env = { ...nodeJobEnv(serviceOf(engine), out, { catalog }), catalog };
    const r = engine.userQuery("SELECT range AS id, 'r' || range AS label FROM range(250)");
    const saved = await saveResultAsTable(env, r.relation!, { database: 'curated', table: 'ids', replace: false });
    expect(saved.rows).toBe(250);
    const table = await catalog.getTable('curated', 'ids');
    expect(table.Parameters?.['classification']).toBe('parquet');
    expect(table.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual([['id', 'bigint'], ['label', 'string']]);
    const readBack = await executeJob({
      version: 1, name: 'read back', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'catalog', database: 'curated', table: 'ids' } },
        { id: 'f', kind: 'transform', inputs: ['src'], step: { id: 'f', kind: 'Filter', params: { predicate: { sql: "label = 'r249'" } } } },
        { id: 'out', kind: 'target', inputs: ['f'], target: { type: 'download', format: 'csv' } },
      ],
    }, env);
    expect(readBack.state).toBe('SUCCEEDED');
    expect([readBack.rowsRead, readBack.rowsWritten]).toEqual([250, 1]);
    await expect(saveResultAsTable(env, r.relation!, { database: 'curated', table: 'ids', replace: false })).rejects.toThrow('curated.ids already exists: pick another name, or tick “Replace” to overwrite it.');
    const again = await saveResultAsTable(env, engine.userQuery('SELECT 7 AS id').relation!, { database: 'curated', table: 'ids', replace: true });
    expect(again.rows).toBe(1);
    expect(saveNameProblem('table', 'My Table')).toMatch(/lowercase letters, digits and _/);
    await expect(saveResultAsTable(env, r.relation!, { database: 'curated', table: '', replace: false })).rejects.toThrow('Give the table a name.');
  });
});
