import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dictionary, Int32, Table, tableFromArrays, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { runQueryCommand } from '../../../src/cli/query';
import { openFile } from '../../../src/frames/open-file';
import { openRecords } from '../../../src/frames/open-records';
import { engineOnce, rows } from './helpers';

const fixture = (dir: string, name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${dir}/${name}`, import.meta.url)));

async function book(): Promise<Uint8Array> {
  const day = (d: number) => ({ value: new Date(Date.UTC(2024, 0, d)), format: 'yyyy-mm-dd' });
  return new Uint8Array(await writeExcelFile([
    { sheet: 'Orders', data: [['Order ID', 'Region', 'Amount', 'Ordered'], [1, 'eu', 10.5, day(2)], [2, 'us', 3, day(5)], [3, 'eu', 7.25, day(9)]] },
    { sheet: 'Regions', data: [['code', 'name'], ['eu', 'Europe'], ['us', 'United States']] },
  ] as never).toBuffer());
}

describe('Excel and Arrow readers (real DuckDB-WASM)', () => {
  it('opens every sheet of a workbook as its own table, typed as the crawler types it', async () => {
    const engine = await engineOnce();
    const opened = await openFile(engine, 'Sales Book.xlsx', { kind: 'buffer', bytes: await book() });
    expect(opened.map((t) => [t.table, t.fileName, t.sheet, t.rowCount, t.format])).toEqual([
      ['sales_book_orders', 'Sales Book.xlsx', 'Orders', 3, 'xlsx'],
      ['sales_book_regions', 'Sales Book.xlsx', 'Regions', 2, 'xlsx'],
    ]);
    expect(opened[0]!.columns).toEqual([{ name: 'order id', type: 'BIGINT' }, { name: 'region', type: 'VARCHAR' }, { name: 'amount', type: 'DOUBLE' }, { name: 'ordered', type: 'DATE' }]);
    const joined = engine.query(`SELECT r.name, sum(amount) AS total FROM sales_book_orders o JOIN sales_book_regions r ON r.code = o.region GROUP BY ALL ORDER BY total DESC`);
    expect(joined.rows).toEqual([['Europe', 17.75], ['United States', 3]]);
    engine.close('sales_book_orders');
    expect(engine.listTables().map((t) => t.table)).not.toContain('sales_book_orders');
  });

  it('reads one named sheet with the catalog schema (a job source), and names the sheets when one is missing', async () => {
    const engine = await engineOnce();
    const bytes = await book();
    const r = await openRecords(engine, 'book.xlsx', { kind: 'buffer', bytes }, { sheet: 'Regions', schema: [{ name: 'code', type: { kind: 'primitive', name: 'string' } }, { name: 'name', type: { kind: 'primitive', name: 'string' } }] });
    expect(rows(engine, r.table)).toEqual([['eu', 'Europe'], ['us', 'United States']]);
    await expect(openRecords(engine, 'book.xlsx', { kind: 'buffer', bytes }, { sheet: 'Nope' })).rejects.toThrow(/book\.xlsx has no sheet named "Nope" \(its sheets: "Orders", "Regions"\)/);
  });

  it('reads a real LibreOffice workbook with two sheets and 65,536 empty rows', async () => {
    const engine = await engineOnce();
    const opened = await openFile(engine, 'multiple-sheets.xlsx', { kind: 'buffer', bytes: fixture('xlsx', 'multiple-sheets.xlsx') });
    expect(opened.map((t) => [t.table, t.preview])).toEqual([['multiple_sheets_sheet_1', [['First sheet']]], ['multiple_sheets_sheet_2', [['Second sheet']]]]);
  });

  it('reads an Arrow file written by apache-arrow (schema only in its footer) with several batches, re-framed as streams', async () => {
    const engine = await engineOnce();
    const part = (from: number) => tableFromArrays({ id: Int32Array.from({ length: 3 }, (_, i) => from + i), score: Float64Array.from({ length: 3 }, (_, i) => (from + i) / 2) });
    const table = part(0).concat(part(3));
    expect(table.batches.length).toBe(2);
    const opened = await openFile(engine, 'events.arrow', { kind: 'buffer', bytes: tableToIPC(table, 'file') });
    expect(opened[0]).toMatchObject({ table: 'events', rowCount: 6, format: 'arrow' });
    expect(engine.query('SELECT id, score FROM events ORDER BY id').rows).toEqual([[0, 0], [1, 0.5], [2, 1], [3, 1.5], [4, 2], [5, 2.5]]);
  });

  it('keeps each batch with the dictionary in force when a stream replaces its dictionary', async () => {
    const engine = await engineOnce();
    // One dictionary type (same id), two batches with different dictionaries: the stream writer replaces it.
    const type = new Dictionary(new Utf8(), new Int32(), 7);
    const part = (ids: number[], kinds: string[]) => new Table({ id: vectorFromArray(Int32Array.from(ids)), kind: vectorFromArray(kinds, type) });
    const a = part([1, 2], ['x', 'y']), b = part([3, 4], ['z', 'x']);
    const stream = tableToIPC(new Table([...a.batches, ...b.batches]), 'stream');
    const s = await openRecords(engine, 'kinds.arrows', { kind: 'buffer', bytes: stream });
    expect(s.rows).toBe(4);
    expect(engine.query(`SELECT id, kind::VARCHAR FROM ${s.table} ORDER BY id`).rows).toEqual([[1, 'x'], [2, 'y'], [3, 'z'], [4, 'x']]);
  });

  it('reads the Arrow integration files (apache/arrow-testing): primitive types as file and stream, dates and times', async () => {
    const engine = await engineOnce();
    const f = await openRecords(engine, 'generated_primitive.arrow', { kind: 'buffer', bytes: fixture('arrow', 'generated_primitive.arrow_file') });
    const s = await openRecords(engine, 'generated_primitive.arrows', { kind: 'buffer', bytes: fixture('arrow', 'generated_primitive.stream') });
    expect(f.rows).toBe(37);
    expect(s.rows).toBe(37);
    const same = engine.query(`SELECT count(*)::INT FROM (SELECT * FROM ${f.table} EXCEPT ALL SELECT * FROM ${s.table})`).rows;
    expect(same).toEqual([[0]]);
    const d = await openRecords(engine, 'generated_datetime.arrow', { kind: 'buffer', bytes: fixture('arrow', 'generated_datetime.arrow_file') });
    expect(d.schema.map((c) => c.name).slice(0, 2)).toEqual(['f0', 'f1']);
  });

  it('reads nested, map, dictionary and decimal Arrow C++ files, and says which type stops the others (never DuckDB\'s JSON)', async () => {
    const engine = await engineOnce();
    const counts: Record<string, number> = {};
    for (const name of ['nested', 'map', 'dictionary', 'decimal']) {
      const r = await openRecords(engine, `${name}.arrow`, { kind: 'buffer', bytes: fixture('arrow', `generated_${name}.arrow_file`) });
      counts[name] = r.rows;
    }
    expect(counts).toEqual({ nested: 17, map: 17, dictionary: 17, decimal: 7 });
    const problem = (name: string) => openRecords(engine, `${name}.arrow`, { kind: 'buffer', bytes: fixture('arrow', `generated_${name}.arrow_file`) }).then(() => 'opened', (e: Error) => e.message);
    // DuckDB 1.4.3 (WASM) can't scan this interval unit; native DuckDB's load (native-arrow.ts) reads it.
    expect(await problem('interval')).toBe(engine.kind === 'wasm' ? 'DuckDB cannot load it: Could not convert Interval to Microsecond' : 'opened');
    expect(await problem('union')).toMatch(engine.kind === 'wasm' ? /^DuckDB cannot load it: Unsupported Internal Arrow Type: "d" Union$/ : /^DuckDB cannot load it: Cannot load column "dense" \(Union<Int16 \| Binary>\): DuckDB-WASM refuses dense unions too \(Unsupported Internal Arrow Type: "d" Union\)$/);
    expect(await problem('nested_large_offsets')).toBe("it uses the Arrow type LargeList, which Epoxy's Arrow reader (apache-arrow 17) does not decode");
  });

  it('refuses an LZ4-compressed Arrow file and Feather v1 with what to do instead', async () => {
    const engine = await engineOnce();
    await expect(openRecords(engine, 'lz4.arrow', { kind: 'buffer', bytes: fixture('arrow', 'generated_lz4.arrow_file') })).rejects.toThrow(/LZ4-compressed, which Epoxy cannot decode.*compression="uncompressed"/);
    const v1 = new Uint8Array(64);
    v1.set(new TextEncoder().encode('FEA1'));
    await expect(openRecords(engine, 'old.feather', { kind: 'buffer', bytes: v1 })).rejects.toThrow(/Feather v1 .* is not supported/);
  });

  it('epoxy query reads a workbook sheet and an Arrow file from disk', async () => {
    const engine = await engineOnce();
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-xlsx-'));
    writeFileSync(join(dir, 'book.xlsx'), await book());
    writeFileSync(join(dir, 'codes.feather'), tableToIPC(tableFromArrays({ code: ['eu', 'us'], rank: Int32Array.from([1, 2]) }), 'file'));
    const out = await runQueryCommand(engine, { files: [join(dir, 'book.xlsx'), join(dir, 'codes.feather')], sql: 'SELECT region, rank, count(*)::INT AS n FROM book_orders JOIN codes ON code = region GROUP BY ALL ORDER BY rank', json: true, limit: 10 });
    expect(JSON.parse(out)).toEqual([{ region: 'eu', rank: 1, n: 2 }, { region: 'us', rank: 2, n: 1 }]);
  });
});
