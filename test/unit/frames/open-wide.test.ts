import { beforeAll, describe, expect, it } from 'vitest';
import { wideCsv } from '../../../bench/lib/wide-data';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { pageRows } from '../../../src/engine/paging';
import { openFile, WIDE_CSV_COLUMNS, wideCsvDialect } from '../../../src/frames/open-file';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });
const bytes = (text: string) => ({ kind: 'buffer' as const, bytes: new TextEncoder().encode(text) });

describe('wide CSV files (issue 21: 5,000 columns took 90 s to open, most of it DuckDB sniffing the dialect again per query)', () => {
  it('finds the dialect of a wide file only, with its header', async () => {
    const wide = wideCsv(WIDE_CSV_COLUMNS, 3);
    expect(await wideCsvDialect('w.csv', bytes(wide), wide.length)).toEqual({ delimiter: ',', header: true, quote: '"', escape: '"', pin: true });
    const semi = wide.replace(/,/g, ';');
    expect(await wideCsvDialect('w.csv', bytes(semi), semi.length)).toMatchObject({ delimiter: ';', header: true });
    const narrow = wideCsv(WIDE_CSV_COLUMNS - 1, 3);
    expect(await wideCsvDialect('n.csv', bytes(narrow), narrow.length)).toBeNull();
  });

  it('opens 1,200 columns loaded at once, with DuckDB\'s types, a page-sized preview and the right last column', async () => {
    const cols = 1200, rows = 30;
    const text = wideCsv(cols, rows);
    const [t] = await openFile(engine, 'wide_1200.csv', bytes(text), text.length);
    expect(t!.lazy).toBe(false);
    expect(t!.rowCount).toBe(rows);
    expect(t!.columns).toHaveLength(cols);
    expect(t!.columns.slice(0, 4)).toEqual([{ name: 'c0', type: 'BIGINT' }, { name: 'c1', type: 'DOUBLE' }, { name: 'c2', type: 'VARCHAR' }, { name: 'c3', type: 'DATE' }]);
    expect(t!.columns[cols - 1]).toEqual({ name: `c${cols - 1}`, type: 'DATE' });
    expect(t!.preview).toHaveLength(Math.min(rows, pageRows(cols)));
    // Integer cells are row * columns + column (bench/lib/wide-data.ts).
    expect(t!.preview[2]![1196]).toBe(2 * cols + 1196);
    const last = engine.page(t!.table, rows - 1, 5);
    expect(last.rows).toHaveLength(1);
    expect(last.rows[0]![1196]).toBe((rows - 1) * cols + 1196);
    expect(String(last.rows[0]![cols - 1])).toMatch(/^2024-\d\d-\d\d$/);
  });

  it('keeps a sniffed format: a wide file of d/m/Y dates still reads them as dates', async () => {
    const cols = 600;
    const header = Array.from({ length: cols }, (_, c) => `k${c}`).join(',');
    const line = (r: number) => Array.from({ length: cols }, (_, c) => (c % 2 ? `${String(13 + (r % 10)).padStart(2, '0')}/0${1 + (c % 9)}/2024` : String(r))).join(',');
    const text = [header, ...Array.from({ length: 12 }, (_, r) => line(r))].join('\n') + '\n';
    const [t] = await openFile(engine, 'dmy.csv', bytes(text), text.length);
    expect(t!.columns[1]).toEqual({ name: 'k1', type: 'DATE' });
    expect(t!.preview[0]![1]).toBe('2024-02-13');
  });

  it('types what DuckDB\'s sniffer types: text past the first MiB makes an integer-looking column VARCHAR', async () => {
    const cols = 500;
    const lines = wideCsv(cols, 1100).split('\n');
    // Row 1,050 (past the first MiB the dialect is found in) holds text in c0, an integer column until then.
    lines[1051] = lines[1051]!.replace(/^\d+,/, 'oops,');
    const text = lines.join('\n');
    const [t] = await openFile(engine, 'late_text.csv', bytes(text), text.length);
    expect(t!.columns[0]).toEqual({ name: 'c0', type: 'VARCHAR' });
    expect(t!.columns[1]).toEqual({ name: 'c1', type: 'DOUBLE' });
    expect(t!.rowCount).toBe(1100);
    expect(engine.page(t!.table, 1050, 1).rows[0]![0]).toBe('oops');
  });

  it('leaves a narrow CSV as it was: a lazy view sniffed by DuckDB, 200-row preview', async () => {
    const text = wideCsv(8, 300);
    const [t] = await openFile(engine, 'narrow.csv', bytes(text), text.length);
    expect(t!.lazy).toBe(true);
    expect(t!.rowCount).toBeNull();
    expect(t!.preview).toHaveLength(200);
  });
});
