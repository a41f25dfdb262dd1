import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { classify } from '../../../src/classifiers/classify';
import { classifySource } from '../../../src/classifiers/sample';
import { readWorkbook, XLSX_LIMITS } from '../../../src/classifiers/xlsx';
import { cols, memorySource, sampleOf } from './helpers';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/xlsx/${name}`, import.meta.url)));

/** A workbook written by write-excel-file (sheets of rows; a Date cell needs a format to be a date). */
async function workbook(sheets: { sheet: string; data: unknown[][] }[]): Promise<Uint8Array> {
  const cell = (v: unknown) => (v instanceof Date ? { value: v, format: 'yyyy-mm-dd hh:mm:ss' } : v);
  const buf = await writeExcelFile(sheets.map((s) => ({ sheet: s.sheet, data: s.data.map((r) => r.map(cell)) })) as never).toBuffer();
  return new Uint8Array(buf);
}

describe('xlsx classifier', () => {
  it('makes one table per sheet, with header detection and types as for CSV', async () => {
    const bytes = await workbook([
      { sheet: 'Orders', data: [['Order ID', 'Region', 'Amount', 'Ordered'], [1, 'eu', 10.5, new Date(Date.UTC(2024, 0, 2))], [2, 'us', 3, new Date(Date.UTC(2024, 0, 5))]] },
      { sheet: 'Regions 2024', data: [['code', 'name', 'active'], ['eu', 'Europe', true], ['us', 'United States', false]] },
    ]);
    const r = await classify(sampleOf(bytes, 'book.xlsx'));
    expect(r.classification).toBe('xlsx');
    expect(r.sheets?.map((s) => s.sheet)).toEqual(['Orders', 'Regions 2024']);
    expect(cols(r.sheets![0]!.schema)).toEqual(['order id:bigint', 'region:string', 'amount:double', 'ordered:date']);
    expect(r.sheets![0]!).toMatchObject({ recordCount: 2, properties: { 'epoxy.sheet': 'Orders', 'skip.header.line.count': '1' } });
    expect(cols(r.sheets![1]!.schema)).toEqual(['code:string', 'name:string', 'active:boolean']);
  });

  it('types a date-time cell as timestamp and keeps leading-zero codes typed as text strings', async () => {
    const bytes = await workbook([{ sheet: 'S', data: [['at', 'zip'], [new Date(Date.UTC(2024, 4, 1, 13, 30, 5)), '02134'], [new Date(Date.UTC(2024, 4, 2, 8, 0, 0)), '10001']] }]);
    const sheets = await readWorkbook(bytes);
    expect(sheets[0]!.rows[1]).toEqual(['2024-05-01 13:30:05', '02134']);
    const r = await classify(sampleOf(bytes, 's.xlsx'));
    expect(cols(r.schema)).toEqual(['at:timestamp', 'zip:string']);
  });

  it('reads a 60,000-row workbook past the 1 MB sample by range reads (read-excel-file timed its XML chunks: under load they collapsed and the stack overflowed after 55 s)', async () => {
    const rows: unknown[][] = [['id', 'text']];
    for (let i = 0; i < 60_000; i++) rows.push([i, `row ${i} ${'x'.repeat(20)} ${Math.random().toString(36)}`]);
    const bytes = await workbook([{ sheet: 'Big', data: rows }]);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const r = await classifySource(memorySource(bytes, 'big.xlsx'));
    expect(r).toMatchObject({ classification: 'xlsx', recordCount: 60_000 });
    expect(cols(r.schema)).toEqual(['id:bigint', 'text:string']);
  });

  it('reads real workbooks: LibreOffice multi-sheet with 65,536 empty rows, formulas as cached values, merged cells, dates', async () => {
    const multi = await classify(sampleOf(fixture('multiple-sheets.xlsx'), 'multiple-sheets.xlsx'));
    expect(multi.classification).toBe('xlsx');
    expect(multi.sheets!.length).toBeGreaterThanOrEqual(2);
    const formula = await readWorkbook(fixture('string-formula.xlsx'));
    expect(formula[0]!.rows.flat().filter((c) => c !== null).length).toBeGreaterThan(0);
    const dates = await classify(sampleOf(fixture('date.xlsx'), 'date.xlsx'));
    expect(dates.schema.some((f) => f.type.kind === 'primitive' && (f.type.name === 'date' || f.type.name === 'timestamp'))).toBe(true);
    const merged = await readWorkbook(fixture('merged-cells.xlsx'));
    expect(merged[0]!.rows.length).toBeGreaterThan(0);
    const bool = await classify(sampleOf(fixture('boolean.xlsx'), 'boolean.xlsx'));
    expect(bool.classification).toBe('xlsx');
    // A Mac workbook counting days from 1904: the same calendar dates as read-excel-file's own test expects.
    const mac = await classify(sampleOf(fixture('1904-based-dates.xlsx'), '1904.xlsx'));
    expect(cols(mac.schema)).toEqual(['date:date']);
    expect((await readWorkbook(fixture('1904-based-dates.xlsx')))[0]!.rows.slice(1).every((r) => r[0] === '2018-05-05')).toBe(true);
  });

  it('keeps "zip not supported" for a zip that is not a workbook', async () => {
    const zip = zipSync({ 'readme.txt': new TextEncoder().encode('hello'), 'data/a.csv': new TextEncoder().encode('a,b\n1,2\n') });
    const r = await classify(sampleOf(zip, 'archive.zip'));
    expect(r.classification).toBe('UNKNOWN');
    expect(r.warnings?.join(' ')).toMatch(/zip compression is not supported/);
  });

  it('refuses a zip bomb by its declared sizes before inflating it', async () => {
    // 129 MiB of one repeated byte deflates to ~130 KB: the central directory says 129 MiB.
    const huge = new Uint8Array(XLSX_LIMITS.maxXmlBytes + 1024 * 1024).fill(0x20);
    const bytes = zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'xl/workbook.xml': new TextEncoder().encode('<workbook/>'), 'xl/worksheets/sheet1.xml': huge }, { level: 1 });
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    const r = await classify(sampleOf(bytes, 'bomb.xlsx'));
    expect(r.classification).toBe('xlsx');
    expect(r.schema).toEqual([]);
    expect(r.warnings?.join(' ')).toMatch(/inflate to 129 MiB of XML, more than the 128 MiB Epoxy reads/);
  });

  it('never turns shared strings into markup: a cell holding HTML stays text', async () => {
    const bytes = await workbook([{ sheet: 'S', data: [['name', 'n'], ['<img src=x onerror=alert(1)>', 1], ['<b>bold</b>', 2]] }]);
    const sheets = await readWorkbook(bytes);
    expect(sheets[0]!.rows.map((r) => r[0])).toEqual(['name', '<img src=x onerror=alert(1)>', '<b>bold</b>']);
  });

  it('says a cut-off workbook is damaged, not "zip not supported" (a truncated download)', async () => {
    const whole = fixture('merged-cells.xlsx');
    const r = await classify(sampleOf(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut.xlsx'));
    expect(r).toMatchObject({ classification: 'xlsx', schema: [], warnings: ['a damaged or truncated workbook: its zip directory cannot be read'] });
  });

  it('says what a legacy .xls is', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const r = await classify(sampleOf(ole, 'old.xls'));
    expect(r.warnings?.join(' ')).toMatch(/legacy \.xls workbook/);
  });
});
