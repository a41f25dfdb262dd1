import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { SparkSqlError, toSparkSql, type SqlColumn } from '../../../src/jobs/spark-sql';
import { startSpark, type Spark } from '../../support/spark';

/*
 * Every translation runs on DuckDB-WASM (the tab) and on local Spark 3.5 (Glue 5.0's line) over the same
 * table (DuckDB writes it as Parquet, Spark reads that file): names, types and rows must agree.
 */
let engine: Engine;
let spark: Spark;
let columns: SqlColumn[];
const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-sql-'));
const parquet = join(dir, 'input.parquet');

const INPUT = `CREATE TABLE input AS SELECT * FROM (VALUES
  (1, 'abc', 2.5::DOUBLE, DATE '2024-03-17', TIMESTAMP '2024-03-17 10:15:30', 2.50::DECIMAL(10,2), 'g1', '42', [1, 2, 3]),
  (2, 'a\\b_c', -2.5::DOUBLE, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', -3.50::DECIMAL(10,2), 'g2', ' 7 ', [4]),
  (3, NULL, 3.5::DOUBLE, NULL, NULL, NULL, 'g1', '2.5', []::INTEGER[]),
  (4, 'Hello World', NULL, DATE '2023-12-31', TIMESTAMP '2023-12-31 23:59:59.25', 0.13::DECIMAL(10,2), NULL, NULL, NULL)
) t(id, s, x, d, ts, dec, "group", num, l)`;

beforeAll(async () => {
  const started = startSpark();
  engine = await createNodeEngine();
  engine.query(INPUT);
  columns = engine.describe('input').map((c) => ({ name: c.name, type: c.type }));
  writeFileSync(parquet, engine.toParquet('SELECT * FROM input'));
  spark = await started;
  // The first Parquet read warms Spark up (seconds on a loaded machine): here, not in the first test.
  await spark.sql('SELECT count(*) AS n FROM input', { input: { parquet } });
}, 240_000);
afterAll(async () => {
  await spark?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** DuckDB's type name as Spark's simpleString. */
function sparkTypeOf(duck: string): string {
  const t = duck.toUpperCase();
  if (t.endsWith('[]')) return `array<${sparkTypeOf(t.slice(0, -2))}>`;
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  return ({ INTEGER: 'int', BIGINT: 'bigint', SMALLINT: 'smallint', TINYINT: 'tinyint', DOUBLE: 'double', FLOAT: 'float', VARCHAR: 'string', BOOLEAN: 'boolean', DATE: 'date', TIMESTAMP: 'timestamp_ntz', 'TIMESTAMP WITH TIME ZONE': 'timestamp' } as Record<string, string>)[t] ?? `(DuckDB ${t})`;
}

/** One cell in a form both engines' JSON can be compared in. */
function norm(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(norm);
  // -0 and 0 compare equal in both engines (ceil(-0.8) is -0.0 in DuckDB, 0.0 via Spark's BIGINT ceil).
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/.test(v)) return v.replace('T', ' ').replace(/Z$/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return v;
}

async function bothRun(duckSql: string, sparkSql: string) {
  const duck = engine.query(duckSql);
  const sp = await spark.sql(sparkSql, { input: { parquet } });
  return {
    duck: { columns: duck.columns.map((c) => ({ name: c.name, type: sparkTypeOf(c.type) })), rows: duck.rows.map((r) => r.map(norm)) },
    spark: { columns: sp.columns, rows: sp.rows.map((r) => r.map(norm)) },
  };
}

/** Translate a query, run it on both engines and expect the same names, types and rows. */
async function sameQuery(sql: string): Promise<string> {
  const out = toSparkSql(sql, 'query', 'sql_1', { columns }).sql;
  const { duck, spark: sp } = await bothRun(sql, out);
  expect(sp, `Spark SQL: ${out}`).toEqual(duck);
  expect(duck.rows.length).toBeGreaterThan(0);
  return out;
}

/** Translate an expression (a Derived column, a Filter predicate) and compare it per row. */
async function sameExpression(expr: string): Promise<string> {
  const out = toSparkSql(expr, 'expression', 'derived_1', { columns }).sql;
  const { duck, spark: sp } = await bothRun(`SELECT id, (${expr}) AS v FROM input ORDER BY id`, `SELECT id, (${out}) AS v FROM input ORDER BY id`);
  expect(sp, `Spark SQL: ${out}`).toEqual(duck);
  return out;
}

// Spark answers in a second or so, much slower when the machine is shared: the timeout is generous.
describe('DuckDB SQL → Spark SQL, the same result on both engines', { timeout: 180_000 }, () => {
  it('double-quoted names become backquoted, GROUP BY ALL stays, ORDER BY keeps DuckDB\'s NULLS LAST', async () => {
    const out = await sameQuery('SELECT "group", count(*) AS n FROM input GROUP BY ALL ORDER BY "group"');
    expect(out).toBe('SELECT `group`, count(*) AS n FROM input GROUP BY ALL ORDER BY `group` NULLS LAST');
    await sameQuery('SELECT id, x FROM input ORDER BY x');
    await sameQuery('SELECT id, x FROM input ORDER BY x DESC, id');
    await sameQuery('SELECT id, s FROM input ORDER BY s NULLS FIRST, id');
  });

  it('"::" casts become CAST, rounding to integers as DuckDB does (2.5 → 3 from decimals and strings, half to even from doubles)', async () => {
    const out = await sameQuery('SELECT id, num::INT AS n, x::INT AS xi, dec::INT AS di, x::BIGINT AS xb, id::VARCHAR AS v, x::DECIMAL(10,1) AS xd, num::DOUBLE AS nd, round(x)::INT AS rx FROM input ORDER BY id');
    expect(out).toContain('CAST(CAST(num AS DECIMAL(38,0)) AS INT) AS n');
    expect(out).toContain('CAST(bround(x) AS INT) AS xi');
  });

  it('CAST and TRY_CAST map DuckDB type names (VARCHAR, bare DECIMAL, TIMESTAMP as TIMESTAMP_NTZ)', async () => {
    await sameQuery("SELECT id, CAST(id AS VARCHAR) AS a, CAST(dec AS DECIMAL) AS b, CAST(d AS TIMESTAMP) AS c, CAST(ts AS DATE) AS e, CAST('2024-02-03' AS DATE) AS f, CAST(id > 2 AS VARCHAR) AS g, TRY_CAST(s AS INTEGER) AS h, CAST(CAST(x AS DECIMAL(18,2)) AS VARCHAR) AS i, CAST(dec AS VARCHAR) AS i2, CAST(id AS TEXT) AS j, CAST(id AS DOUBLE) AS k, CAST(dec AS DOUBLE) AS m FROM input ORDER BY id");
  });

  it('* EXCLUDE and * REPLACE over input alone become its column list', async () => {
    const out = await sameQuery('SELECT * EXCLUDE (l, ts) FROM input WHERE id > 1 ORDER BY id');
    expect(out).toBe('SELECT `id`, `s`, `x`, `d`, `dec`, `group`, `num` FROM input WHERE id > 1 ORDER BY id NULLS LAST');
    await sameQuery("SELECT * REPLACE (upper(s) AS s, id * 10 AS id) FROM input i ORDER BY id");
    await sameQuery('SELECT * EXCLUDE l FROM input ORDER BY id');
  });

  it('a column selected as ID is named as the table spells it (id), as DuckDB does', async () => {
    const out = await sameQuery('SELECT ID, "S", i.X FROM input i ORDER BY ID');
    expect(out).toBe('SELECT ID AS `id`, `S` AS `s`, i.X AS `x` FROM input i ORDER BY ID NULLS LAST');
  });

  it('result types follow DuckDB: sum as HUGEINT/DECIMAL(38,s), avg as DOUBLE, ceil/floor as DOUBLE or DECIMAL(p,0)', async () => {
    await sameQuery(`SELECT "group", sum(id) AS si, sum(x) AS sx, sum(dec) AS sd, avg(dec) AS ad, avg(id) AS ai, median(x) mx, min(dec) mn, max(s) ms,
      sum(DISTINCT id) sdi FROM input GROUP BY "group" ORDER BY "group"`);
    await sameQuery(`SELECT id, ceil(x) a, floor(x) b, ceil(dec) c, floor(id) d, round(dec) r, round(x, 1) r1, sum(id) OVER () so, ceil(x / 3) cd,
      floor(CAST(num AS DOUBLE)) fc FROM input ORDER BY id`);
  });

  it('string functions and literals (quotes and backslashes re-escaped for Spark)', async () => {
    await sameQuery(`SELECT id, s || '-' || "group" AS a, concat(s, '-', id) AS b, concat_ws('/', s, "group") AS c, upper(s) AS u, lower(s) l,
      length(s) AS n, left(s, 2) AS le, right(s, 2) ri, substring(s, 2, 3) AS sub, substr(s, 2) AS sub2, replace(s, 'a', 'A') AS r,
      strpos(s, 'l') AS p, contains(s, 'b') AS co, starts_with(s, 'a') AS sw, ends_with(s, 'c') AS ew, trim('  x ') AS t,
      lpad(s, 5, '*') AS lp, split_part(s, ' ', 2) AS sp, reverse(s) AS rv, repeat('ab', 2) AS rp, 'it''s' AS q,
      'back\\slash' AS bs, NULL::INT AS nothing, md5(s) AS h, ucase(s) AS uc, position('b' IN s) AS pos FROM input ORDER BY id`);
  });

  it('LIKE and ILIKE: a backslash is an ordinary character in DuckDB patterns', async () => {
    const out = await sameQuery("SELECT id FROM input WHERE s LIKE 'a\\b%' OR s ILIKE 'hello%' OR s LIKE '%!_c' ESCAPE '!' ORDER BY id");
    expect(out).toContain("LIKE 'a\\\\\\\\b%'");
  });

  it('regular expressions: regexp_matches → RLIKE, regexp_extract group 0, regexp_replace with g', async () => {
    await sameQuery("SELECT id, regexp_matches(s, '^a') AS m, regexp_extract(s, '([a-z]+)') AS e0, regexp_extract(s, '(l+)(o)', 2) AS e2, regexp_replace(s, '[aeiou]', '_', 'g') AS r FROM input ORDER BY id");
  });

  it('dates and timestamps: parts as BIGINT, dayofweek from Sunday = 0, date_trunc, date_diff, strftime, strptime', async () => {
    await sameQuery(`SELECT id, year(d) AS y, month(d) AS m, day(d) AS dd, dayofweek(d) AS dw, isodow(d) iso, dayofyear(d) AS dy, quarter(d) q,
      week(d) AS w, hour(ts) h, minute(ts) mi, second(ts) se, date_trunc('month', d) AS tm, date_trunc('week', ts) tw, date_trunc('hour', ts) AS th,
      date_diff('day', d, DATE '2024-12-25') AS dd2, datediff('month', d, DATE '2024-12-25') dm, date_diff('year', d, DATE '2025-01-01') dyy,
      strftime(ts, '%Y-%m-%d %H:%M:%S') AS f, strftime(d, '%d/%m/%y (%a %b) %j') AS f2, extract(year FROM d) AS ey, extract(dow FROM d) AS edow,
      d + 1 AS next_day, make_date(2024, 2, 29) AS md, last_day(d) AS ld, strptime('2024-05-06 07:08:09', '%Y-%m-%d %H:%M:%S') AS sp FROM input ORDER BY id`);
  });

  it('arithmetic and numeric functions', async () => {
    await sameQuery(`SELECT id, x / 2 AS a, id % 3 AS b, round(x) AS r, round(dec, 1) AS rd, abs(x) ab, greatest(x, 0) g, least(x, id) le,
      coalesce(x, -1) co, nullif(id, 2) ni, sqrt(id) sq, power(id, 2) pw, 1_000 AS th, 5 / 0 AS z, id / 2 AS half, -id AS neg,
      dec / 2 AS dd, dec / dec AS dd2, -x / (id - 1) AS inf, x * 2 / id % 2 AS chain, 0 / (id - 1) AS nan FROM input ORDER BY id`);
  });

  it('aggregates, FILTER and windows (row_number and rank as BIGINT, NULLs last in OVER)', async () => {
    await sameQuery(`SELECT "group", count(*) AS n, count(x) AS nx, avg(x) AS a, min(s) AS mn, max(d) AS mx, stddev(id) sd, median(id) AS md,
      count(DISTINCT s) cd, bool_or(x > 3) bo, count(*) FILTER (WHERE x > 0) AS cf FROM input GROUP BY "group" ORDER BY "group"`);
    await sameQuery(`SELECT id, row_number() OVER (ORDER BY x) AS rn, rank() OVER (PARTITION BY "group" ORDER BY id DESC) AS rk, lag(id) OVER (ORDER BY id) AS lg,
      lead(id, 1, 0) OVER (ORDER BY id) ld, count(*) OVER (PARTITION BY "group") AS cg, first_value(id) OVER (ORDER BY x DESC) fv FROM input ORDER BY id`);
  });

  it('CTEs, joins, subqueries, set operations, LIMIT/OFFSET', async () => {
    await sameQuery(`WITH g AS (SELECT "group" AS k, max(id) AS top FROM input GROUP BY "group") SELECT i.id, g.top FROM input i JOIN g ON i."group" = g.k
      WHERE i.id IN (SELECT id FROM input WHERE x > 0) ORDER BY i.id`);
    await sameQuery('SELECT id FROM input WHERE id < 3 UNION ALL SELECT id FROM input WHERE id > 2 ORDER BY id DESC LIMIT 2 OFFSET 1');
    await sameQuery(`SELECT "group" AS g FROM input EXCEPT SELECT 'g2' ORDER BY g`);
    await sameQuery('SELECT t.* FROM (SELECT id, s FROM input) t ORDER BY t.id');
    await sameQuery('WITH c(k) AS (SELECT id FROM input) SELECT k FROM c ORDER BY k');
    await sameQuery('SELECT DISTINCT "group" FROM input ORDER BY "group" DESC');
  });

  it('lists: literal indexes from 1 (element_at) and [a, b] literals (array)', async () => {
    const out = await sameQuery('SELECT id, l[1] AS head, l[-1] AS tail, [id, id * 2] AS pair FROM input ORDER BY id');
    expect(out).toContain('element_at(l, 1) AS head');
  });

  it('CASE, if, IS NOT DISTINCT FROM, BETWEEN, DATE and TIMESTAMP literals', async () => {
    await sameQuery(`SELECT id, CASE WHEN x > 0 THEN 'pos' WHEN x < 0 THEN 'neg' ELSE 'none' END AS sign_name, (id * 2)::VARCHAR AS twice,
      if(id > 2, 'big', 'small') AS size, id IS NOT DISTINCT FROM 3 AS is3, x BETWEEN 0 AND 3 AS btw, s IS NULL AS nos FROM input ORDER BY id`);
    await sameQuery("SELECT id FROM input WHERE d >= DATE '2024-01-01' AND ts < TIMESTAMP '2024-03-17 10:15:31' ORDER BY id");
  });

  it('expressions of Derived and Filter steps', async () => {
    expect(await sameExpression(`"group" || '/' || s`)).toBe("`group` || '/' || s");
    await sameExpression('num::INT * 2');
    await sameExpression("x > 2 AND s ILIKE '%B%'");
    await sameExpression("coalesce(s, 'none')");
    await sameExpression("strftime(d, '%Y')");
    await sameExpression('id::DOUBLE / 3');
    await sameExpression("s LIKE '%o%' OR \"group\" = 'g2'");
    await sameExpression("s NOT LIKE 'a%' AND s NOT ILIKE '%WORLD' OR id NOT IN (1, 2) OR x IS NOT NULL");
    await sameExpression('id * 2 + 1 > 4 AND NOT (id = 3)');
  });

  it('keeps job parameters ${name} where they are (the export substitutes them)', () => {
    expect(toSparkSql("SELECT * FROM input WHERE s = '${who}' AND id > ${min}", 'query', 'sql_1').sql).toBe("SELECT * FROM input WHERE s = '${who}' AND id > ${min}");
  });
});

describe('DuckDB SQL the Spark export refuses, naming the construct and the step', () => {
  it('pins why DOUBLE → text is refused: the engines print large doubles differently', async () => {
    const duck = engine.query("SELECT CAST(1e20 AS VARCHAR) AS a, CAST(12345678.9::DOUBLE AS VARCHAR) AS b").rows;
    const sp = (await spark.sql('SELECT CAST(1e20 AS STRING) AS a, CAST(CAST(12345678.9 AS DOUBLE) AS STRING) AS b')).rows;
    expect(duck).toEqual([['1e+20', '12345678.9']]);
    expect(sp).toEqual([['1.0E20', '1.23456789E7']]);
  });


  const refusals: [string, string, RegExp][] = [
    ['SELECT * EXCLUDE (x) FROM input a JOIN input b USING (id)', 'query', /^sql_1: DuckDB's "\* EXCLUDE" is not translated to Spark SQL: .*list the columns you keep .*reads input alone/],
    ['SELECT * EXCLUDE (nope) FROM input', 'query', /"\* EXCLUDE" of nope .*no such column/],
    ['SELECT * RENAME (id AS k) FROM input', 'query', /"\* RENAME"/],
    ['SELECT * FROM input QUALIFY row_number() OVER (ORDER BY id) = 1', 'query', /QUALIFY .*outer query/],
    ['SELECT id + 1 FROM input', 'query', /unnamed column "id \+ 1" .*name it with AS/],
    ['SELECT list_sum(l) AS s FROM input', 'query', /function list_sum\(\)/],
    ['SELECT list_transform(l, v -> v + 1) AS t FROM input', 'query', /function list_transform\(\)/],
    ["SELECT string_agg(s, ',') AS s FROM input", 'query', /function string_agg\(\) .*order/],
    ['SELECT (id + 1)::INT AS v FROM input', 'query', /cast of \(id \+ 1\) to INT .*rounds/],
    ['SELECT CAST(x * 2 AS INT) AS v FROM input', 'query', /cast of x \* 2 to INT/],
    ['SELECT id // 2 AS q FROM input', 'query', /operator "\/\/"/],
    ['SELECT id ** 2 AS q FROM input', 'query', /operator "\*\*" .*power/],
    ['SELECT id ^ 2 AS q FROM input', 'query', /operator "\^" .*XOR/],
    ['SELECT d + INTERVAL 1 DAY AS n FROM input', 'query', /INTERVAL .*TIMESTAMP in DuckDB and a DATE in Spark/],
    ["SELECT regexp_replace(s, 'a', 'b') AS r FROM input", 'query', /first match only/],
    ["SELECT regexp_replace(s, '(a)', '\\1\\1', 'g') AS r FROM input", 'query', /group references differ/],
    ["SELECT regexp_extract(s, '[[:alpha:]]+') AS r FROM input", 'query', /regular expression '\[\[:alpha:\]\]\+' .*POSIX classes/],
    ['SELECT regexp_matches(s, "group") AS r FROM input', 'query', /only a literal pattern/],
    ['SELECT current_timestamp AS t', 'query', /CURRENT_TIMESTAMP .*time zones/],
    ['SELECT substring(s, 0, 2) AS r FROM input', 'query', /substring\(s, 0, 2\) .*start ≥ 1/],
    ['SELECT CAST(id AS HUGEINT) AS h FROM input', 'query', /type HUGEINT .*Spark has no such type/],
    ["SELECT 'a' || id + 1 AS v FROM input", 'query', /"\|\|" next to "\+" or "-"/],
    ['FROM input SELECT id', 'query', /"FROM …" query/],
    ['SELECT DISTINCT ON (s) s FROM input', 'query', /DISTINCT ON/],
    ['SELECT id FROM input ORDER BY ALL', 'query', /ORDER BY ALL/],
    ['SELECT id FROM input UNION BY NAME SELECT id FROM input', 'query', /UNION BY NAME/],
    ['SELECT l[id] AS v FROM input', 'query', /subscript \[id\] .*from 1 in DuckDB and from 0 in Spark/],
    ['SELECT id FROM input WHERE s LIKE "group"', 'query', /LIKE with the pattern "group" .*ESCAPE/],
    ['SELECT now() AS t', 'query', /function now\(\) .*time zones/],
    ["SELECT E'a\\nb' AS e", 'query', /escape string/],
    ['SELECT $1 AS p', 'query', /parameter "\$1"/],
    ['SELECT 1 AS a; SELECT 2 AS b', 'query', /";" between statements/],
    ['SELECT 0xFF AS h', 'query', /number "0xFF"/],
    ["SELECT strftime(d, '%Q') AS f FROM input", 'query', /format "%Q"/],
    ["SELECT {'a': 1} AS s", 'query', /struct literal/],
    ['SELECT a.id FROM input a ASOF JOIN input b ON a.id >= b.id', 'query', /ASOF JOIN/],
    ["SELECT 'abc", 'query', /^sql_1: the SQL cannot be read: A string starting at character 8 is never closed/],
    ['id, s', 'expression', /^derived_1: DuckDB's "," in an expression/],
    ['SELECT CAST(x AS VARCHAR) AS v FROM input', 'query', /cast of x \(a DOUBLE\) to VARCHAR .*1\.0E20/],
    ["SELECT x || 'm' AS v FROM input", 'query', /"\|\|" of x \(a DOUBLE\)/],
    ["SELECT concat(s, x) AS v FROM input", 'query', /concat\(\) of x \(a DOUBLE\)/],
    ['SELECT sum(id * 2) AS v FROM input', 'query', /sum\(\) of id \* 2 .*HUGEINT/],
    ['SELECT ceil(x * 2) AS v FROM input', 'query', /ceil\(\) of x \* 2 .*BIGINT/],
    ['SELECT median(dec) AS v FROM input', 'query', /median\(\) of dec .*DECIMAL/],
    ['z::INT', 'expression', /^derived_1: .*cast of z to INT/],
    ['count_if(id > 1)', 'expression', /function count_if\(\) .*count\(\*\) FILTER/],
    ["date_trunc('decade', d)", 'expression', /date_trunc\('decade', d\)/],
    ['epoch(ts)', 'expression', /function epoch\(\)/],
    ['first(s)', 'expression', /function first\(\) .*arbitrary row/],
  ];
  for (const [sql, kind, message] of refusals) {
    it(`refuses ${sql}`, () => {
      const where = kind === 'query' ? 'sql_1' : 'derived_1';
      let err: unknown;
      try { toSparkSql(sql, kind as 'query' | 'expression', where, { columns }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(SparkSqlError);
      expect((err as SparkSqlError).message).toMatch(message);
      expect((err as SparkSqlError).where).toBe(where);
    });
  }
});
