import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { declaredFormat } from '../../../bench/survey/fetch';
import { refusalCategory, surveyFile } from '../../../bench/survey/run';
import { compareTypes, fromDuckDb, parseGlueType } from '../../../bench/survey/types';

// The real-file survey (bench/survey, issue 17) is a manual measurement; this pins its comparison rules
// against real DuckDB types and one real crawl, so a re-run after the fixes measures the same thing.
describe('real-file survey', () => {
  const duck = async (sql: string) => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    return (await db.run(`SELECT ${sql} LIMIT 0`)).columnTypes().map(fromDuckDb);
  };

  it('compares Glue types with DuckDB types structurally and names what differs', async () => {
    const [st, dec, ubig, dbl, time] = await duck(`{'a b': 1::BIGINT, c: [1.5]}::STRUCT("a b" BIGINT, c DOUBLE[]) s, 1.5::DECIMAL(18,1) d, 1::UBIGINT u, 1.5::DOUBLE f, '10:00'::TIME t`);
    expect(compareTypes(parseGlueType('struct<`a b`:bigint,c:array<double>>'), st!)).toEqual({ verdict: 'agree' });
    expect(compareTypes(parseGlueType('struct<`a b`:bigint,c:array<bigint>>'), st!)).toEqual({ verdict: 'disagree', kind: 'bigint vs DOUBLE', path: '.c[]' });
    expect(compareTypes(parseGlueType('decimal(18,1)'), dbl!).verdict).toBe('decimal~double');
    expect(compareTypes(parseGlueType('decimal(18,1)'), dec!).verdict).toBe('agree');
    expect(compareTypes(parseGlueType('decimal(20,0)'), ubig!).verdict).toBe('width');
    expect(compareTypes(parseGlueType('string'), time!).verdict).toBe('no-glue-type');
    expect(compareTypes(parseGlueType('string'), dbl!)).toEqual({ verdict: 'disagree', kind: 'string vs DOUBLE', path: '' });
  });

  it('crawls a file with the CLI crawler and matches its columns with read_csv by lowercased name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-survey-'));
    writeFileSync(join(dir, 'prices.csv'), 'Day,close,Volume\n2024-01-02,10.5,100\n2024-01-03,11.25,200\n2024-01-04,9.75,300\n');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const r = await surveyFile(db, { local: 'prices.csv', source: 'test', path: 'prices.csv', size: 0, format: 'csv' }, false, dir);
    expect(r.crawled).toBe(true);
    expect(r.peer).toMatchObject({ reader: 'read_csv', ok: true, columns: 3 });
    expect(r.columns.map((c) => [c.name, c.duckdb])).toEqual([['day', 'DATE'], ['close', 'DOUBLE'], ['volume', 'BIGINT']]);
    expect(r.onlyEpoxy).toEqual([]);
  });

  it('groups refusals by reason with the particulars blanked, and reads the format from the name', () => {
    expect(refusalCategory('its columns cannot be stored in the catalog: The column name "US Gross" contains " ": names may use only lowercase letters')).toBe('its columns cannot be stored in the catalog: The column name "…" contains "…" (the catalog admits [a-z0-9_] only)');
    expect(['a.csv', 'b.jsn.gz', 'server.log.2016-12-19-16', 'x.geojson', 'y.jsonl'].map(declaredFormat)).toEqual(['csv', 'gzip', 'log', 'json', 'ndjson']);
  });
});
