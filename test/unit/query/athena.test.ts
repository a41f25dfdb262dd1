import { describe, expect, it } from 'vitest';
import {
  analyzeSql, answerCatalogStatement, likePattern, parseCatalogStatement, partitionPredicates, rewriteReferences, targetOf,
  type NameScope, type PartitionKey, type TableReference,
} from '../../../src/query/athena';
import { freshCatalog } from '../catalog/helpers';
import { fillSales } from '../catalog/fixtures';

const names = (sql: string) => analyzeSql(sql).references.map((r) => (r.database ? `${r.database}.${r.table}` : r.table));

describe('table references in relation positions', () => {
  it('finds db.table, "db"."table", awsdatacatalog.db.table and unqualified names in FROM and JOIN', () => {
    expect(names('SELECT * FROM sales.orders')).toEqual(['sales.orders']);
    expect(names('SELECT * FROM "Sales"."Orders" o')).toEqual(['sales.orders']);
    expect(names('SELECT * FROM awsdatacatalog.sales.orders')).toEqual(['sales.orders']);
    expect(names('SELECT * FROM orders o LEFT OUTER JOIN sales.events e ON o.id = e.id CROSS JOIN x')).toEqual(['orders', 'sales.events', 'x']);
    expect(names('FROM sales.orders SELECT 1')).toEqual(['sales.orders']);
  });

  it('reads a comma FROM list and subqueries, but not the columns of a select list or GROUP BY', () => {
    expect(names('SELECT a, b FROM s.t1, s.t2 AS y, (SELECT * FROM s.t3) z WHERE a IN (1, 2) GROUP BY a, b')).toEqual(['s.t1', 's.t2', 's.t3']);
    expect(names('SELECT * FROM s.a UNION ALL SELECT * FROM s.b')).toEqual(['s.a', 's.b']);
  });

  it('takes no column for a table: FROM inside a call (extract, substring, trim) is not a relation', () => {
    expect(names("SELECT extract(year FROM ts), substring(name FROM 2), trim(both 'x' FROM name) FROM s.t")).toEqual(['s.t']);
  });

  it('skips table functions, file strings and names hidden in strings or comments', () => {
    expect(names("SELECT * FROM range(10) r, 'airports.csv' a, s.t -- FROM s.hidden\n/* JOIN s.no */ WHERE x = 'FROM s.nope'")).toEqual(['s.t']);
  });

  it('keeps positions and aliases for the rewrite', () => {
    const sql = 'SELECT o.year FROM sales.orders AS o JOIN "sales"."events" ev ON true';
    const refs = analyzeSql(sql).references;
    expect(refs.map((r) => [sql.slice(r.start, r.end), r.alias])).toEqual([['sales.orders', 'o'], ['"sales"."events"', 'ev']]);
    expect(rewriteReferences(sql, refs, (r) => `"memory"."${r.database}"."${r.table}"`)).toBe('SELECT o.year FROM "memory"."sales"."orders" AS o JOIN "memory"."sales"."events" ev ON true');
  });

  it('knows the names of common table expressions', () => {
    const a = analyzeSql('WITH recent AS (SELECT * FROM sales.orders), b (x) AS (SELECT 1) SELECT * FROM recent, b');
    expect([...a.cteNames].sort()).toEqual(['b', 'recent']);
    expect(a.references.map((r) => r.table)).toEqual(['orders', 'recent', 'b']);
  });
});

describe('where a reference points', () => {
  const scope: NameScope = { tables: new Map([['sales', new Set(['orders', 'events'])]]), defaultDatabase: 'sales', opened: new Set(['airports']) };
  const target = (sql: string, s: NameScope = scope) => { const a = analyzeSql(sql); return a.references.map((r) => targetOf(r, a, s)); };

  it('resolves unqualified names in the default database, unless an opened table or a CTE has the name', () => {
    expect(target('SELECT * FROM orders, airports')).toEqual([{ kind: 'catalog', database: 'sales', table: 'orders' }, { kind: 'other' }]);
    expect(target('WITH orders AS (SELECT 1) SELECT * FROM orders')).toEqual([{ kind: 'other' }]);
    expect(target('SELECT * FROM orders', { ...scope, defaultDatabase: null })).toEqual([{ kind: 'other' }]);
    expect(target('SELECT * FROM orders', { ...scope, opened: new Set(['Orders']) })).toEqual([{ kind: 'other' }]);
  });

  it('says which tables a catalog database has when the named one is not there', () => {
    const [t] = target('SELECT * FROM sales.order');
    expect(t).toEqual({ kind: 'missing', message: 'Database sales has no table order (its tables: events, orders)' });
    expect(target('SELECT * FROM elsewhere.t')).toEqual([{ kind: 'other' }]);
  });
});

describe('partition predicates from WHERE', () => {
  const preds = (sql: string, keys: PartitionKey[] = ['year', 'month'], index = 0, keysOf?: (r: TableReference) => string[]) => {
    const a = analyzeSql(sql);
    return partitionPredicates(a, a.references[index]!, keys, keysOf);
  };

  it('reads key op literal, reversed literals, IN and BETWEEN from top-level AND conjuncts', () => {
    const typed = [{ name: 'year', type: 'int' }, { name: 'month', type: 'string' }];
    expect(preds("SELECT * FROM s.t WHERE year = 2024 AND '03' >= month AND amount > 5", typed)).toEqual([
      { key: 'year', op: '=', values: ['2024'] },
      { key: 'month', op: '<=', values: ['03'] },
    ]);
    expect(preds("SELECT * FROM s.t WHERE year IN ('2023', 2024) AND month BETWEEN '01' AND '06' AND year <> -1 AND month != 'x'", typed)).toEqual([
      { key: 'year', op: 'in', values: ['2023', '2024'] },
      { key: 'month', op: 'between', values: ['01', '06'] },
      { key: 'year', op: '<>', values: ['-1'] },
      { key: 'month', op: '<>', values: ['x'] },
    ]);
    expect(preds("SELECT * FROM s.t WHERE (year = '2024') AND year >= '2020'")).toEqual([{ key: 'year', op: '=', values: ['2024'] }, { key: 'year', op: '>=', values: ['2020'] }]);
  });

  it("takes no number compared with a text key, no typed literal and no cast: DuckDB casts ('02' = 2 holds) where folder text would not", () => {
    expect(preds('SELECT * FROM s.t WHERE month = 2 AND year IN (2023, 2024)')).toEqual([]);
    expect(preds("SELECT * FROM s.t WHERE year = DATE '2024-01-01' AND month = '2'::INT", [{ name: 'year', type: 'date' }, 'month'])).toEqual([]);
    expect(preds('SELECT * FROM s.t WHERE month = 2', [{ name: 'month', type: 'bigint' }])).toEqual([{ key: 'month', op: '=', values: ['2'] }]);
  });

  it('takes nothing when the reference renames its columns or the scope pivots', () => {
    expect(preds("SELECT * FROM s.t AS x(year, b) WHERE year = '1'", ['year'])).toEqual([]);
    expect(preds("SELECT * FROM s.t UNPIVOT (v FOR year IN (a, b)) WHERE year = 'a'", ['year'])).toEqual([]);
  });

  it("reads an OR of equalities on one key as an IN, and db.table.key, as written in Athena (issue 19 walk: both read every folder)", () => {
    expect(preds("SELECT * FROM s.t WHERE year = '2014' OR year = '2015'")).toEqual([{ key: 'year', op: 'in', values: ['2014', '2015'] }]);
    expect(preds("SELECT * FROM s.t WHERE (year = '2014' OR (year IN ('2016', '2017'))) AND month = '1'")).toEqual([
      { key: 'year', op: 'in', values: ['2014', '2016', '2017'] },
      { key: 'month', op: '=', values: ['1'] },
    ]);
    expect(preds("SELECT * FROM s.t WHERE s.t.year = '2014'")).toEqual([{ key: 'year', op: '=', values: ['2014'] }]);
    // Not the reference's table, or an alias hides the full name: nothing.
    expect(preds("SELECT * FROM s.t WHERE s.u.year = '2014'")).toEqual([]);
    expect(preds("SELECT * FROM s.t AS x WHERE s.t.year = '2014'")).toEqual([]);
    // An OR over two keys, or with a range, bounds no folder set: nothing.
    expect(preds("SELECT * FROM s.t WHERE year = '2014' OR month = '1'")).toEqual([]);
    expect(preds("SELECT * FROM s.t WHERE year = '2014' OR year > '2016'")).toEqual([]);
  });

  it('takes nothing from a WHERE joined by a top-level OR (issue 19: pruning must never drop rows the query keeps)', () => {
    expect(preds("SELECT * FROM s.t WHERE year = '2024' AND month = '1' OR amount > 5")).toEqual([]);
    expect(preds("SELECT * FROM s.t WHERE (year = '2024' OR month = '1') AND month = '2'")).toEqual([{ key: 'month', op: '=', values: ['2'] }]);
    expect(preds("SELECT * FROM s.t WHERE NOT year = '2024' AND year NOT IN ('1') AND year IS NULL AND year = other")).toEqual([]);
  });

  it('matches qualified keys by alias or table name, and keeps each scope to its own WHERE', () => {
    expect(preds("SELECT * FROM s.t AS x WHERE x.year = '1' AND t.month = '2'")).toEqual([{ key: 'year', op: '=', values: ['1'] }]);
    expect(preds("SELECT * FROM s.t WHERE t.year = '1'")).toEqual([{ key: 'year', op: '=', values: ['1'] }]);
    const sql = "SELECT * FROM s.t WHERE id IN (SELECT id FROM s.u WHERE year = '9') AND month = '4'";
    expect(preds(sql)).toEqual([{ key: 'month', op: '=', values: ['4'] }]);
    expect(preds(sql, ['year'], 1)).toEqual([{ key: 'year', op: '=', values: ['9'] }]);
    expect(preds("SELECT * FROM s.a WHERE year = '1' UNION ALL SELECT * FROM s.b", ['year'], 1)).toEqual([]);
    expect(preds("SELECT * FROM s.t WHERE year = '1' GROUP BY year HAVING month = '3'")).toEqual([{ key: 'year', op: '=', values: ['1'] }]);
  });

  it('leaves an unqualified key alone when another reference has it too or columns are merged by USING', () => {
    expect(preds("SELECT * FROM s.a, s.b WHERE year = '1'", ['year'], 0, () => ['year'])).toEqual([]);
    expect(preds("SELECT * FROM s.a, s.b WHERE a.year = '1'", ['year'], 0, () => ['year'])).toEqual([{ key: 'year', op: '=', values: ['1'] }]);
    expect(preds("SELECT * FROM s.a JOIN s.b USING (year) WHERE year = '1'", ['year'])).toEqual([]);
  });
});

describe('catalog statements', () => {
  it('parses the Athena statements answered from the catalog, and leaves queries to DuckDB', () => {
    expect(parseCatalogStatement('SHOW DATABASES')).toEqual({ kind: 'databases', like: null });
    expect(parseCatalogStatement("show schemas like 'sa*';")).toEqual({ kind: 'databases', like: 'sa*' });
    expect(parseCatalogStatement("SHOW TABLES IN sales 'ord*'")).toEqual({ kind: 'tables', database: 'sales', like: 'ord*' });
    expect(parseCatalogStatement('SHOW TABLES')).toEqual({ kind: 'tables', database: null, like: null });
    expect(parseCatalogStatement('DESCRIBE sales.orders')).toEqual({ kind: 'columns', database: 'sales', table: 'orders' });
    expect(parseCatalogStatement('DESCRIBE FORMATTED `x`')).toEqual(null);
    expect(parseCatalogStatement('SHOW COLUMNS IN orders FROM sales')).toEqual({ kind: 'columns', database: 'sales', table: 'orders' });
    expect(parseCatalogStatement('SHOW PARTITIONS awsdatacatalog.sales.orders')).toEqual({ kind: 'partitions', database: 'sales', table: 'orders' });
    expect(parseCatalogStatement('SHOW CREATE TABLE "sales"."orders"')).toEqual({ kind: 'create', database: 'sales', table: 'orders' });
    expect(parseCatalogStatement('SHOW TBLPROPERTIES orders')).toEqual({ kind: 'properties', database: null, table: 'orders' });
    expect(parseCatalogStatement('USE sales')).toEqual({ kind: 'use', database: 'sales' });
    expect(parseCatalogStatement('DESCRIBE SELECT * FROM sales.orders')).toBeNull();
    expect(parseCatalogStatement('DESCRIBE airports', new Set(['airports']))).toBeNull();
    expect(parseCatalogStatement('SELECT 1')).toBeNull();
    expect(() => parseCatalogStatement('SHOW CREATE VIEW v')).toThrow('SHOW CREATE TABLE db.table');
    expect(() => parseCatalogStatement('SHOW PARTITIONS')).toThrow('SHOW PARTITIONS needs one table');
  });

  it("reads Athena's SHOW TABLES patterns: * and |, case-insensitive", () => {
    expect(['orders', 'events', 'ord'].filter((t) => likePattern('ORD*|ev*').test(t))).toEqual(['orders', 'events', 'ord']);
    expect(likePattern('a.b').test('axb')).toBe(false);
  });

  it('answers SHOW, DESCRIBE, SHOW PARTITIONS and SHOW CREATE TABLE from the catalog', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    const ask = async (sql: string, db: string | null = 'sales') => answerCatalogStatement(parseCatalogStatement(sql)!, catalog, db);
    expect((await ask('SHOW DATABASES')).result.rows).toEqual([['sales']]);
    expect((await ask('SHOW TABLES')).result).toEqual({ columns: [{ name: 'tab_name', type: 'VARCHAR' }], rows: [['events'], ['orders']] });
    expect((await ask("SHOW TABLES IN sales 'ord*'")).result.rows).toEqual([['orders']]);
    const described = (await ask('DESCRIBE orders')).result;
    expect(described.columns.map((c) => c.name)).toEqual(['col_name', 'data_type', 'comment']);
    expect(described.rows.slice(0, 6)).toEqual([
      ['order_id', 'bigint', 'unique per order'], ['customer', 'string', ''], ['amount', 'decimal(10,2)', ''],
      ['ordered_at', 'timestamp', ''], ['year', 'string', ''], ['month', 'string', ''],
    ]);
    expect(described.rows).toContainEqual(['# Partition Information', '', '']);
    const parts = (await ask('SHOW PARTITIONS sales.orders')).result.rows;
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((r) => /^year=[^/]+\/month=[^/]+$/.test(String(r[0])))).toBe(true);
    const ddl = (await ask('SHOW CREATE TABLE sales.orders')).result.rows.map((r) => r[0]).join('\n');
    expect(ddl).toContain('CREATE EXTERNAL TABLE');
    expect(ddl).toContain('PARTITIONED BY');
    expect((await ask('SHOW TBLPROPERTIES sales.orders')).result.rows).toContainEqual(['classification', 'csv']);
    expect(await ask('USE sales', null)).toMatchObject({ defaultDatabase: 'sales' });
    catalog.close();
  });

  it('names what exists when a database or table is not in the catalog, or no database is chosen', async () => {
    const { catalog } = await freshCatalog();
    await fillSales(catalog);
    const ask = (sql: string, db: string | null = 'sales') => answerCatalogStatement(parseCatalogStatement(sql)!, catalog, db);
    await expect(ask('SHOW TABLES IN nope')).rejects.toThrow('The catalog has no database nope (it has: sales)');
    await expect(ask('DESCRIBE sales.nope')).rejects.toThrow('Database sales has no table nope (its tables: events, orders)');
    await expect(ask('SHOW TABLES', null)).rejects.toThrow('No database chosen');
    await expect(ask('SHOW PARTITIONS sales.events')).rejects.toThrow('sales.events is not partitioned');
    catalog.close();
  });
});
