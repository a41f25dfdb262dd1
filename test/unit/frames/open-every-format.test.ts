import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openFile, openFileFormat } from '../../../src/frames/open-file';
import { partitionKeyType } from '../../../src/service/open-folder';
import { serviceOf } from '../../support/service';
import { engineOnce, rows } from './helpers';
import { avroFile } from '../../support/avro';

const HIT = { type: 'record', name: 'Hit', fields: [{ name: 'id', type: 'long' }, { name: 'page', type: 'string' }] };

const text = (s: string) => ({ kind: 'buffer' as const, bytes: new TextEncoder().encode(s) });

describe('the Workspace opens every format the crawler reads (issue 19: JSON was sent to Transform, and DuckDB suggested INSTALL json)', () => {
  it('opens NDJSON and a JSON array as tables with inferred types', async () => {
    const engine = await engineOnce();
    const [nd] = await openFile(engine, 'events.ndjson', text('{"id":1,"kind":"a","v":1.5}\n{"id":2,"kind":"b","v":2}\n'));
    expect([nd!.table, nd!.format, nd!.rowCount]).toEqual(['events', 'json', 2]);
    expect(nd!.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id BIGINT', 'kind VARCHAR', 'v DOUBLE']);
    const [arr] = await openFile(engine, 'list.json', text('[{"a":"x"},{"a":"y"},{"a":"z"}]'));
    expect(rows(engine, arr!.table)).toEqual([['x'], ['y'], ['z']]);
  });

  it('opens gzipped JSON and gzipped CSV', async () => {
    const engine = await engineOnce();
    const [j] = await openFile(engine, 'g.json.gz', { kind: 'buffer', bytes: new Uint8Array(gzipSync('{"n":1}\n{"n":2}\n{"n":3}\n')) });
    expect(engine.query(`SELECT sum(n)::INTEGER FROM "${j!.table}"`).rows).toEqual([[6]]);
    const [c] = await openFile(engine, 'cities.csv.gz', { kind: 'buffer', bytes: new Uint8Array(gzipSync('city,pop\nOslo,700\nLima,9000\n')) });
    expect(c!.format).toBe('csv');
    expect(engine.query(`SELECT city FROM "${c!.table}" ORDER BY pop DESC`).rows).toEqual([['Lima'], ['Oslo']]);
  });

  it('opens Avro with its own schema', async () => {
    const engine = await engineOnce();
    const [t] = await openFile(engine, 'hits.avro', { kind: 'buffer', bytes: await avroFile(HIT, [{ id: 1, page: '/a' }, { id: 2, page: '/b' }]) });
    expect(t!.format).toBe('avro');
    expect(rows(engine, t!.table)).toEqual([[1, '/a'], [2, '/b']]);
  });

  it('opens XML with its row element inferred as the crawler infers it', async () => {
    const engine = await engineOnce();
    const xml = '<?xml version="1.0"?><catalog><book id="1"><title>Dune</title></book><book id="2"><title>Emma</title></book><book id="3"><title>Ulysses</title></book></catalog>';
    const [t] = await openFile(engine, 'books.xml', text(xml));
    expect([t!.format, t!.rowCount]).toEqual(['xml', 3]);
    expect(t!.columns.map((c) => c.name)).toContain('title');
    expect(engine.query(`SELECT title FROM "${t!.table}" ORDER BY title`).rows).toEqual([['Dune'], ['Emma'], ['Ulysses']]);
  });

  it('opens a text log with the pattern the log classifiers find', async () => {
    const engine = await engineOnce();
    const log = '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties\n[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n';
    const [t] = await openFile(engine, 'error.log', text(log));
    expect([t!.format, t!.rowCount]).toEqual(['log', 2]);
  });

  it('opens ORC (issue 19: "no ORC reader"), gzipped too, and refuses an unknown file with the formats it reads', async () => {
    const engine = await engineOnce();
    const orc = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/orc/nested.orc')));
    const [t] = await openFile(engine, 'nested.orc', { kind: 'buffer', bytes: orc });
    expect([t!.format, t!.rowCount]).toEqual(['orc', 60]);
    const [g] = await openFile(engine, 'nested.orc.gz', { kind: 'buffer', bytes: gzipSync(orc) });
    expect([g!.format, g!.rowCount]).toEqual(['orc', 60]);
    await expect(openFile(engine, 'x.orc', text('ORC'))).rejects.toThrow(/Cannot open x\.orc: not an ORC file/);
    await expect(openFile(engine, 'photo.png', text('x'))).rejects.toThrow(/unknown format \(Epoxy reads CSV, TSV, JSON/);
  });

  it('opens NDJSON with a broken record, counting it instead of failing (or suggesting INSTALL json)', async () => {
    const engine = await engineOnce();
    const [t] = await openFile(engine, 'bad.json', text('{"a":1}\n{"a": nope}\n{"a":3}\n'));
    expect([t!.rowCount, t!.errorCount]).toEqual([2, 1]);
  });

  it('names the format of each file by its name', () => {
    expect(['a.csv', 'a.tsv', 'a.txt', 'a.parquet', 'a.json', 'a.jsonl', 'a.avro', 'a.xml', 'a.log', 'a.orc', 'a.xlsx', 'a.feather', 'a.csv.gz', 'a.png'].map(openFileFormat))
      .toEqual(['csv', 'tsv', 'csv', 'parquet', 'json', 'json', 'avro', 'xml', 'log', 'orc', 'xlsx', 'arrow', 'csv', null]);
  });
});

describe('a dropped folder opens as one table with typed partition columns (issue 19: six part_0000 tables without year/month)', () => {
  it('stacks the files and adds year/month as BIGINT, a NULL for Hive\'s default partition', async () => {
    const engine = await engineOnce();
    const part = (y: string, m: string, ids: number[]) => ({ fileName: `trips/year=${y}/month=${m}/part_0000.csv`, source: text(`id,fare\n${ids.map((i) => `${i},${i * 1.5}`).join('\n')}\n`), size: 0, values: [y, m] });
    const t = await serviceOf(engine).openFolder('trips', ['year', 'month'], [part('2024', '01', [1, 2]), part('2024', '02', [3]), part('2025', '01', [4, 5]), part('2025', '__HIVE_DEFAULT_PARTITION__', [6])]);
    expect([t.table, t.files, t.partitionKeys, t.rowCount]).toEqual(['trips', 4, ['year', 'month'], 6]);
    expect(t.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id BIGINT', 'fare DOUBLE', 'year BIGINT', 'month BIGINT']);
    expect(engine.query(`SELECT year, month, count(*)::INTEGER FROM trips GROUP BY ALL ORDER BY ALL`).rows).toEqual([[2024, 1, 2], [2024, 2, 1], [2025, 1, 2], [2025, null, 1]]);
    // The per-file tables are gone: only the folder's table is left.
    expect(engine.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'part%' UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'part%'").rows).toEqual([]);
    expect(engine.listTables().map((x) => x.table)).toContain('trips');
  });

  it('stacks files whose columns differ by name, a missing column NULL', async () => {
    const engine = await engineOnce();
    const t = await serviceOf(engine).openFolder('logs', ['day'], [
      { fileName: 'logs/day=2024-01-02/a.ndjson', source: text('{"msg":"hi"}\n'), size: 0, values: ['2024-01-02'] },
      { fileName: 'logs/day=2024-01-03/b.ndjson', source: text('{"msg":"yo","level":3}\n'), size: 0, values: ['2024-01-03'] },
    ]);
    expect(engine.query(`SELECT CAST(day AS VARCHAR), msg, level FROM "${t.table}" ORDER BY day`).rows).toEqual([['2024-01-02', 'hi', null], ['2024-01-03', 'yo', 3]]);
  });

  it('types partition keys as DuckDB autocasts them', () => {
    expect(partitionKeyType(['2024', '2025'])).toBe('bigint');
    expect(partitionKeyType(['2024-01-02', '__HIVE_DEFAULT_PARTITION__'])).toBe('date');
    expect(partitionKeyType(['eu', '1'])).toBe('string');
  });
});
