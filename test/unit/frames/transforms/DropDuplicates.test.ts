import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { createNodeEngine } from '../../../../src/engine/node';
import { dropDuplicatesSql } from '../../../../src/frames/transforms/DropDuplicates';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

// A BIGINT before a DOUBLE, duplicates, NULL keys: the shape that broke the export (issue 20).
const TABLE = `CREATE OR REPLACE TABLE t AS SELECT * FROM (VALUES (1::BIGINT, 1.5::DOUBLE, 'a'), (1, 1.5, 'b'), (2, 2.5, 'c'), (NULL, 3.5, 'd'), (NULL, 4.5, 'e'), (2, 9.5, 'f')) v(id, x, label)`;
const OLD = `SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY "id" ORDER BY rowid) = 1 ORDER BY rowid`;
const EXPECTED = [['1', 1.5, 'a'], ['2', 2.5, 'c'], [null, 3.5, 'd']];

async function native(sql: string): Promise<unknown[][]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(TABLE);
  return (await conn.runAndReadAll(sql)).getRowsJson() as unknown[][];
}

describe('DropDuplicates SQL on native DuckDB and DuckDB-WASM (issue 20: QUALIFY ... ORDER BY rowid raised an internal error natively)', () => {
  it('reproduces the internal error of the old SQL on native DuckDB 1.5', async () => {
    await expect(native(OLD)).rejects.toThrow(/INTERNAL Error: ExpressionExecutor::Execute called with a result vector of type/);
  });

  it('keeps the first row of each key, in input order, on native DuckDB', async () => {
    expect(await native(dropDuplicatesSql('t', ['"id"']))).toEqual(EXPECTED);
    expect(await native(dropDuplicatesSql('t', ['"id"', '"x"']))).toHaveLength(5);
  });

  it('keeps the same rows in the tab (DuckDB-WASM), where the old SQL ran', () => {
    engine.query(TABLE, 0);
    const rows = (sql: string) => engine.query(sql).rows.map((r) => r.map((v) => (typeof v === 'number' && Number.isInteger(v) && v < 3 ? String(v) : v)));
    expect(rows(dropDuplicatesSql('t', ['"id"']))).toEqual(EXPECTED);
    expect(rows(dropDuplicatesSql('t', ['"id"']))).toEqual(rows(OLD));
    expect(engine.query(`SELECT * FROM (${dropDuplicatesSql('t', ['"label"'])}) LIMIT 0`).columns.map((c) => c.name)).toEqual(['id', 'x', 'label']);
  });
});
