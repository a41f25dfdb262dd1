import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runQueryCommand } from '../../../src/cli/query';
import { renderTable } from '../../../src/cli/table';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';

const dir = mkdtempSync(join(tmpdir(), 'epoxy-cli-'));
writeFileSync(join(dir, 'people.csv'), 'name,age\nana,31\nbo,27\n');
writeFileSync(join(dir, 'pets.tsv'), 'owner\tpet\nana\tcat\nana\tdog\n');
let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

describe('epoxy query', () => {
  it('joins two files opened as tables and prints JSON', async () => {
    const out = await runQueryCommand(engine, {
      files: [join(dir, 'people.csv'), join(dir, 'pets.tsv')],
      sql: 'SELECT name, age, count(pet) AS pets FROM people LEFT JOIN pets ON owner = name GROUP BY ALL ORDER BY name',
      json: true,
      limit: 100,
    });
    expect(JSON.parse(out)).toEqual([{ name: 'ana', age: 31, pets: 2 }, { name: 'bo', age: 27, pets: 0 }]);
  });

  it('prints a boxed table with types and a footer', async () => {
    const out = await runQueryCommand(engine, { files: [join(dir, 'people.csv')], json: false, limit: 1 });
    expect(out).toContain('│ name    │ age    │');
    expect(out).toContain('│ varchar │ bigint │');
    // people.csv was opened by the test before, so this second copy is people_2.
    expect(out).toMatch(/\n1 row · tables: people_2$/);
    const truncated = await runQueryCommand(engine, { files: [join(dir, 'people.csv')], sql: 'SELECT * FROM people_3', json: false, limit: 1 });
    expect(truncated).toMatch(/2 rows \(first 1 shown\) · tables: people_3$/);
  });

  it('reads JSON with spreadsheet keys and a text log like Transform does (issue 17: "unknown format (expected .csv, .tsv or .parquet)")', async () => {
    writeFileSync(join(dir, 'penguins.json'), '[{"Species":"Adelie","Beak Length (mm)":39.1},{"Species":"Gentoo","Beak Length (mm)":46.1}]');
    writeFileSync(join(dir, 'app.log'), '2015-10-18 18:01:47,978 INFO [main] org.apache.App: started\n2015-10-18 18:01:48,001 WARN [main] org.apache.App: slow\n');
    const out = await runQueryCommand(engine, { files: [join(dir, 'penguins.json'), join(dir, 'app.log')], sql: 'SELECT species AS species, "beak length (mm)" AS beak, (SELECT count(*) FROM app WHERE level = \'WARN\') AS warns FROM penguins ORDER BY 1', json: true, limit: 10 });
    expect(JSON.parse(out)).toEqual([{ species: 'Adelie', beak: 39.1, warns: 1 }, { species: 'Gentoo', beak: 46.1, warns: 1 }]);
  });

  it('reads XML with its row element inferred, Avro and gzipped NDJSON, and ORC (issue 19: "unknown format", then "no ORC reader")', async () => {
    writeFileSync(join(dir, 'books.xml'), '<books><book><t>x</t></book><book><t>y</t></book></books>');
    writeFileSync(join(dir, 'n.ndjson.gz'), gzipSync('{"n":1}\n{"n":2}\n'));
    const out = await runQueryCommand(engine, { files: [join(dir, 'books.xml'), join(dir, 'n.ndjson.gz')], sql: 'SELECT t, (SELECT sum(n)::INTEGER FROM n) AS total FROM books ORDER BY t', json: true, limit: 5 });
    expect(JSON.parse(out)).toEqual([{ t: 'x', total: 3 }, { t: 'y', total: 3 }]);
    copyFileSync(join(__dirname, '../../fixtures/orc/types_snappy.orc'), join(dir, 'types.orc'));
    const orc = await runQueryCommand(engine, { files: [join(dir, 'types.orc')], sql: 'SELECT count(*)::INTEGER AS n, sum(i16)::INTEGER AS s, max(wide)::VARCHAR AS w FROM types', json: true, limit: 5 });
    const want = JSON.parse(readFileSync(join(__dirname, '../../fixtures/orc/types.json'), 'utf8')) as { columns: { name: string }[]; rows: (string | null)[][] };
    const col = (name: string) => want.rows.map((r) => r[want.columns.findIndex((c) => c.name === name)]).filter((v): v is string => v !== null);
    // Every `wide` value has scale 10, so its digits without the point order it exactly.
    const widest = col('wide').reduce((m, v) => (BigInt(v.replace('.', '')) > BigInt(m.replace('.', '')) ? v : m));
    expect(JSON.parse(orc)).toEqual([{ n: 300, s: col('i16').reduce((a, b) => a + Number(b), 0), w: widest }]);
    writeFileSync(join(dir, 'x.png'), 'PNG');
    await expect(runQueryCommand(engine, { files: [join(dir, 'x.png')], json: false, limit: 5 })).rejects.toThrow(/x\.png: epoxy query opens CSV/);
  });

  it('names the missing file', async () => {
    await expect(runQueryCommand(engine, { files: [join(dir, 'nope.csv')], json: false, limit: 5 })).rejects.toThrow(/nope\.csv: no such file/);
  });

  it('renders NULL and right-aligns numbers', () => {
    const text = renderTable({ columns: [{ name: 'n', type: 'BIGINT' }, { name: 's', type: 'VARCHAR' }], rows: [[5, null], [100, 'x']] });
    expect(text.split('\n')[4]).toBe('│      5 │ NULL    │');
  });
});
