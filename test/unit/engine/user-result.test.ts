import { beforeAll, describe, expect, it } from 'vitest';
import { parquetRead } from 'hyparquet';
import { createNodeEngine } from '../../../src/engine/node';
import type { Engine } from '../../../src/engine/engine';
import { countSql, pageSql, viewSql } from '../../../src/app/grid/grid-view';
import { writeOutput } from '../../../src/jobs/writers';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

describe('a user query keeps its whole result (issue 19: the grid, sort, filter and downloads stopped at the first 10,000 rows)', () => {
  it('returns the first rows and a relation holding all 3,000,000, paged, sorted and filtered as SQL', () => {
    const result = engine.userQuery('SELECT range AS n, range % 7 AS k FROM range(3000000)');
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(10_000);
    expect(result.relation).toMatch(/^__epoxy_result_\d+$/);
    const rel = result.relation!;
    expect(engine.query(`SELECT count(*)::BIGINT FROM "${rel}"`).rows[0]![0]).toBe(3_000_000);
    // The last row is reachable: page 3,000,000 is n = 2,999,999.
    expect(engine.query(pageSql(rel, result.columns, { sort: [], filters: [] }, 2_999_999, 200)).rows).toEqual([[2_999_999, 2_999_999 % 7]]);
    const view = { sort: [{ column: 'n', dir: 'desc' as const }], filters: [{ column: 'k', op: '=' as const, value: '3' }] };
    expect(engine.query(pageSql(rel, result.columns, view, 0, 2, 'rowid')).rows).toEqual([[2_999_993, 3], [2_999_986, 3]]);
    expect(engine.query(countSql(rel, result.columns, view)).rows[0]![0]).toBe(428_571);
  });

  it('keeps the result out of the user connection and drops the previous one', () => {
    const first = engine.userQuery('SELECT 1 AS a').relation!;
    const second = engine.userQuery('SELECT 2 AS b').relation!;
    expect(second).not.toBe(first);
    expect(() => engine.query(`SELECT * FROM "${first}"`)).toThrow(/does not exist/);
    expect(engine.query(`SELECT * FROM "${second}"`).rows).toEqual([[2]]);
    expect(engine.userQuery('SELECT table_name FROM duckdb_tables()').rows).toEqual([]);
    expect(() => engine.userQuery(`SELECT * FROM "${second}"`)).toThrow(/is a name Epoxy keeps for its own tables/);
  });

  it('keeps an empty result with its columns, and nothing for a statement without columns', () => {
    const empty = engine.userQuery('SELECT 1::INTEGER AS a WHERE false');
    expect(empty.totalRows).toBe(0);
    expect(empty.columns).toEqual([{ name: 'a', type: 'INTEGER' }]);
    expect(engine.query(`SELECT count(*)::INTEGER FROM "${empty.relation}"`).rows).toEqual([[0]]);
    expect(() => engine.userQuery('SELECT * FROM nowhere')).toThrow(/nowhere does not exist/);
  });

  it('downloads the whole sorted, filtered result as Parquet that reads back equal', async () => {
    const result = engine.userQuery("SELECT range AS id, 'name ' || range AS label, range / 4 AS q FROM range(20000)");
    const sql = viewSql(result.relation!, result.columns, { sort: [{ column: 'id', dir: 'desc' }], filters: [{ column: 'label', op: 'contains', value: 'NAME 1999' }] });
    const bytes = engine.toParquet(sql);
    const rows: unknown[][] = [];
    await parquetRead({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, onComplete: (data) => rows.push(...(data as unknown[][])) });
    expect(rows.map((r) => Number(r[0]))).toEqual([19999, 19998, 19997, 19996, 19995, 19994, 19993, 19992, 19991, 19990, 1999]);
    expect(rows[0]![1]).toBe('name 19999');
    const [csv] = writeOutput(engine, sql, { format: 'csv' });
    expect(new TextDecoder().decode(csv!.bytes).split('\n')[1]).toBe('19999,name 19999,4999.75');
  });
});
