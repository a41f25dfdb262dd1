import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import type { Engine } from '../../../src/engine/engine';
import { pageRows } from '../../../src/engine/paging';
import { createEngineService } from '../../../src/service/engine-service';
import { RESULT_CELLS, RESULT_ROWS, resultRows, userQueryWithin } from '../../../src/service/result-budget';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

/** `SELECT <n columns>` over `rows` rows: column c<i> holds row * n + i. */
const wideSql = (n: number, rows: number) => `SELECT ${Array.from({ length: n }, (_, i) => `r * ${n} + ${i} AS c${i}`).join(', ')} FROM range(${rows}) t(r)`;

describe('resultRows: a cell budget for user results (issue 21: SELECT * of 5,000 columns carried 10,000 rows x 5,000 columns)', () => {
  it('keeps 10,000 rows of a narrow result and one grid page of a 5,000-column one', () => {
    expect(resultRows(3)).toBe(RESULT_ROWS);
    expect(resultRows(20)).toBe(10_000);
    expect(resultRows(100)).toBe(2_000);
    expect(resultRows(5000)).toBe(40);
    expect(resultRows(5000)).toBe(pageRows(5000));
    // Never less than a page, even past the budget.
    expect(resultRows(400_000)).toBe(1);
  });

  it('sends whole grid pages, and at most the cells of the budget, for every width', () => {
    for (let width = 1; width <= 12_000; width += 37) {
      const rows = resultRows(width);
      const page = pageRows(width);
      expect(rows % page, `width ${width}`).toBe(0);
      expect(rows * width <= RESULT_CELLS || rows === page, `width ${width}`).toBe(true);
      expect(rows).toBeLessThanOrEqual(RESULT_ROWS);
    }
    // 3,000 columns: pageRows is 66; the old 10,000-row seed ended on a 34-row page whose rest never showed.
    expect(resultRows(3000)).toBe(66);
  });

  it("honours the caller's own smaller limit", () => {
    expect(resultRows(3, 50)).toBe(50);
    expect(resultRows(5000, 10)).toBe(10);
    expect(resultRows(3, 0)).toBe(0);
    expect(resultRows(3, 1_000)).toBe(1_000);
  });
});

describe('userQueryWithin: the SQL box on the real engine', () => {
  it('a 5,000-column SELECT * sends 40 rows, keeps all 200 for the grid to page, and counts them', () => {
    engine.query(`CREATE OR REPLACE TABLE wide5000 AS ${wideSql(5000, 200)}`);
    const result = userQueryWithin(engine, 'SELECT * FROM wide5000');
    expect(result.columns).toHaveLength(5000);
    expect(result.totalRows).toBe(200);
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(40);
    expect(result.rows[0]!.slice(0, 2)).toEqual([0, 1]);
    expect(result.rows[39]![4999]).toBe(39 * 5000 + 4999);
    // The grid's next page comes from the kept relation, in the same order.
    expect(engine.page(result.relation!, 40, 40).rows[0]![0]).toBe(40 * 5000);
    expect(engine.page(result.relation!, 160, 40).rows.at(-1)![4999]).toBe(199 * 5000 + 4999);
  });

  it('a narrow result still sends its first 10,000 rows, a short one all of them', () => {
    const long = userQueryWithin(engine, 'SELECT range AS n FROM range(50000)');
    expect(long).toMatchObject({ totalRows: 50_000, truncated: true });
    expect(long.rows).toHaveLength(10_000);
    expect(long.rows[9_999]).toEqual([9_999]);
    const short = userQueryWithin(engine, 'SELECT 1 AS a, 2 AS b');
    expect(short).toMatchObject({ rows: [[1, 2]], totalRows: 1, truncated: false });
    expect(userQueryWithin(engine, 'SELECT 1 AS a WHERE false')).toMatchObject({ rows: [], totalRows: 0, truncated: false, columns: [{ name: 'a' }] });
  });

  it('runs SQL that writes once', () => {
    engine.userQuery('CREATE OR REPLACE TABLE hits (n INTEGER)');
    const result = userQueryWithin(engine, 'INSERT INTO hits VALUES (1), (2) RETURNING n');
    expect(result.rows).toEqual([[1], [2]]);
    expect(engine.userQuery('SELECT count(*)::INTEGER FROM hits').rows).toEqual([[2]]);
  });

  it('a result the engine could not keep: a read runs again for its first rows, a write never runs twice', () => {
    // Fault injection: the real engine, with its kept result dropped as when copying it ran out of memory.
    const calls: string[] = [];
    const unkept = { userQuery: (sql: string, limit?: number) => { calls.push(sql); const { relation: _r, ...rest } = engine.userQuery(sql, limit); return rest; }, page: engine.page.bind(engine) } as unknown as Engine;
    const read = userQueryWithin(unkept, 'SELECT range AS n FROM range(50000)');
    expect(read).toMatchObject({ totalRows: 50_000, truncated: true });
    expect(read.rows).toHaveLength(10_000);
    expect(calls).toHaveLength(2);
    engine.userQuery('CREATE OR REPLACE TABLE hits2 (n INTEGER)');
    const write = userQueryWithin(unkept, 'INSERT INTO hits2 VALUES (1), (2) RETURNING n');
    expect(write).toMatchObject({ rows: [], totalRows: 2, truncated: true });
    expect(engine.userQuery('SELECT count(*)::INTEGER FROM hits2').rows).toEqual([[2]]);
  });

  it('is what the engine service answers the SQL box with', async () => {
    const service = createEngineService(async () => engine);
    const result = await service.userQuery(wideSql(2500, 100));
    expect(result).toMatchObject({ totalRows: 100, truncated: true });
    expect(result.rows).toHaveLength(80);
    expect((await service.userQuery('SELECT range AS n FROM range(20)', 5)).rows).toHaveLength(5);
  });
});
