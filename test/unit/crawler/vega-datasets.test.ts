/**
 * Issue 17 on real files: every data file vega-datasets ships (an npm package: CSV, TSV, JSON, GeoJSON,
 * TopoJSON, Parquet, Arrow) is crawled with `epoxy crawl`'s code and compared column by column with native
 * DuckDB's DESCRIBE of the same file (bench/survey's comparison). Before the fix, penguins.json, movies.json
 * and birdstrikes.csv were refused for their headers, anscombe's `10.0` was bigint and sp500 was decimal.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredFormat } from '../../../bench/survey/fetch';
import { surveyFile, type FileResult } from '../../../bench/survey/run';

const DATA = join(__dirname, '../../../node_modules/vega-datasets/data');
const FORMATS = new Set(['csv', 'tsv', 'json', 'parquet', 'arrow']);

describe('vega-datasets, crawled and compared with native DuckDB (issue 17)', () => {
  it('crawls every file and no column type disagrees with DuckDB', async () => {
    const files = readdirSync(DATA).filter((n) => FORMATS.has(declaredFormat(n)) && statSync(join(DATA, n)).isFile());
    expect(files.length).toBeGreaterThan(60);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const results: FileResult[] = [];
    for (const name of files) results.push(await surveyFile(db, { local: name, source: 'npm:vega-datasets@3.2.1', path: name, size: statSync(join(DATA, name)).size, format: declaredFormat(name) } as never, false, DATA));

    expect(results.filter((r) => !r.crawled).map((r) => `${r.file}: ${r.refusal}`)).toEqual([]);
    // Agree, or differ only in width (bigint vs HUGEINT), a type Glue lacks, or where DuckDB says JSON (no single type).
    const wrong = results.flatMap((r) => r.columns.filter((c) => c.verdict === 'disagree' || c.verdict === 'decimal~double').map((c) => `${r.file}: ${c.name} ${c.epoxy} / ${c.duckdb}`));
    expect(wrong).toEqual([]);
    const compared = results.reduce((n, r) => n + r.columns.filter((c) => c.verdict).length, 0);
    const agree = results.reduce((n, r) => n + r.columns.filter((c) => c.verdict === 'agree').length, 0);
    expect(compared).toBeGreaterThan(300);
    expect(agree / compared).toBeGreaterThan(0.9);

    const col = (file: string, name: string) => results.find((r) => r.file === file)!.columns.find((c) => c.name === name)?.epoxy;
    expect(col('penguins.json', 'beak length (mm)')).toBe('double');
    expect(col('movies.json', 'us gross')).toBe('bigint');
    expect(col('birdstrikes.csv', 'cost total $')).toBe('bigint');
    expect(col('anscombe.json', 'x')).toBe('double');
    expect(col('sp500.csv', 'price')).toBe('double');
    expect(col('github.csv', 'time')).toBe('timestamp');
    expect(results.find((r) => r.file === 'flights-200k.arrow')).toMatchObject({ crawled: true, classification: 'arrow' });
  }, 120_000);
});
