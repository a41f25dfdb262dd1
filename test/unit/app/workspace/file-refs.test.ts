import { describe, expect, it } from 'vitest';
import { rewriteFileRefs, type OpenedRef } from '../../../../src/app/workspace/file-refs';

const opened: OpenedRef[] = [
  { path: 'airports.csv', table: 'airports' },
  { path: 'Sales Q1.csv', table: 'sales_q1' },
  { path: 'a/dup.csv', table: 'dup' },
  { path: 'b/dup.csv', table: 'dup_2' },
  { path: 'trips', table: 'trips', files: ['trips/year=2024/part_0.parquet'] },
];
const sql = (text: string) => rewriteFileRefs(text, opened);

describe("naming an opened file in SQL as 'file.csv' (issue 19: \"No files found\" on a dropped file)", () => {
  it('replaces quoted file names after FROM, JOIN, a comma in a FROM list, DESCRIBE', () => {
    expect(sql("SELECT * FROM 'airports.csv' LIMIT 3").sql).toBe('SELECT * FROM "airports" LIMIT 3');
    expect(sql("select a.x from 'airports.csv' a join 'Sales Q1.csv' s on a.x = s.x").sql).toBe('select a.x from "airports" a join "sales_q1" s on a.x = s.x');
    expect(sql("SELECT * FROM 'airports.csv', './a/dup.csv' WHERE 1").sql).toBe('SELECT * FROM "airports", "dup" WHERE 1');
    expect(sql("DESCRIBE 'airports.csv'").sql).toBe('DESCRIBE "airports"');
    expect(sql("SELECT * FROM (SELECT * FROM 'AIRPORTS.CSV')").sql).toBe('SELECT * FROM (SELECT * FROM "airports")');
  });

  it('names a folder table by the folder, with a trailing slash or a glob', () => {
    for (const ref of ["'trips'", "'trips/'", "'trips/**/*.parquet'"]) expect(sql(`SELECT count(*) FROM ${ref}`).sql).toBe('SELECT count(*) FROM "trips"');
  });

  it('leaves strings that are values alone: WHERE, SELECT lists, IN lists, function arguments with FROM', () => {
    for (const text of [
      "SELECT 'airports.csv' AS f FROM airports WHERE name = 'airports.csv'",
      "SELECT * FROM airports WHERE code IN ('airports.csv', 'x')",
      "SELECT trim(BOTH 'x' FROM 'xax') FROM airports",
      "SELECT * FROM airports -- FROM 'nope.csv'",
    ]) expect(sql(text)).toEqual({ sql: text, replaced: [], problem: null });
  });

  it('refuses a file nobody opened instead of reading a path on disk, and says which of two same-named files to write', () => {
    expect(sql("SELECT * FROM '/etc/passwd'").problem).toMatch(/^'\/etc\/passwd' is not a file opened in this tab: .*never a path on disk/);
    expect(sql("SELECT * FROM 'dup.csv'").problem).toMatch(/names 2 opened files \(a\/dup.csv, b\/dup.csv\)/);
    expect(sql("SELECT * FROM 'trips/year=2024/part_0.parquet'").problem).toMatch(/one file of the folder opened as the table trips/);
  });
});
