import { unzipSync, zipSync } from 'fflate';
import readXlsxFile, { InvalidInputError } from 'read-excel-file/universal';
import { classifyCsv } from './csv';
import type { TypeRules } from './infer';
import { startsWith } from './text';
import type { ClassifierResult, Sample, SheetResult } from './types';
import { errorMessage } from '../util/errors';

/**
 * Excel workbooks (.xlsx, Office Open XML). A workbook is a zip of XML parts; read-excel-file (on fflate and
 * saxen) turns each sheet into rows of cells, and every sheet is then typed exactly like a CSV file (the same
 * tokenizer, header rule and type inference, run over the cells' text). Each sheet becomes a table of its own.
 */

const MiB = 1024 * 1024;

/**
 * Bounds on what one workbook may cost. The stored size bounds the read; the inflated XML is bounded by the
 * sizes the zip's central directory declares (checked before anything is inflated, and fflate never writes
 * past a declared size), so a zip bomb is refused by arithmetic, not by running out of memory.
 */
export const XLSX_LIMITS = { maxFileBytes: 64 * MiB, maxXmlBytes: 128 * MiB, maxCells: 5_000_000 } as const;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** A problem reading a workbook, worded for the user (the crawler and the Workspace show it as is). */
export class WorkbookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkbookError';
  }
}

/** One cell as text for the CSV rules, or null for an empty cell. */
export type CellText = string | null;

/** One sheet of a workbook: its name and its rows (empty rows and empty edge columns removed). */
export interface WorkbookSheet {
  name: string;
  rows: CellText[][];
}

/** Whether the bytes start like a zip whose first entries are those of an Office Open XML spreadsheet. */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ZIP_MAGIC)) return false;
  // Local headers carry the entry names in clear; Excel, LibreOffice and most writers put these parts first.
  const head = latin1(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  return head.includes('xl/workbook.xml') || (head.includes('[Content_Types].xml') && head.includes('xl/'));
}

/** Names and declared sizes of a zip's entries, from its central directory (nothing is inflated). */
function zipEntries(bytes: Uint8Array): { name: string; originalSize: number }[] {
  const entries: { name: string; originalSize: number }[] = [];
  try {
    unzipSync(bytes, { filter: (f) => { entries.push({ name: f.name, originalSize: f.originalSize }); return false; } });
  } catch (err) {
    throw new WorkbookError(`not a readable zip archive (${(err as Error).message})`);
  }
  return entries;
}

function zipReadable(bytes: Uint8Array): boolean {
  try { zipEntries(bytes); return true; } catch { return false; }
}

/** Whether a whole zip archive is an xlsx workbook (it has xl/workbook.xml). */
export function isXlsxArchive(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ZIP_MAGIC)) return false;
  try {
    return zipEntries(bytes).some((e) => e.name === 'xl/workbook.xml');
  } catch {
    return false;
  }
}

// LibreOffice writes every formatted-but-empty row (65,536 of them in real files): they hold no data, and
// read-excel-file's chunked parser overflows the stack on megabytes of them, so they are removed up front.
const EMPTY_ROW = /<row\b[^>]*?(?:\/>|>\s*<\/row>)/g;

/**
 * Read every sheet of a workbook into rows of cell text. Refuses (WorkbookError) an archive that is not a
 * workbook, one larger than the limits, a legacy .xls, an encrypted workbook. Formulas give their cached
 * values (what Excel last computed); merged cells keep their value in the top-left cell only; date cells
 * become ISO dates or timestamps (UTC, as Excel stores them without a zone).
 */
export async function readWorkbook(bytes: Uint8Array): Promise<WorkbookSheet[]> {
  if (bytes.length > XLSX_LIMITS.maxFileBytes) throw new WorkbookError(`the workbook is ${mib(bytes.length)}, more than the ${mib(XLSX_LIMITS.maxFileBytes)} Epoxy reads; save the sheets as CSV or Parquet`);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) throw new WorkbookError('a legacy .xls workbook (or an encrypted .xlsx): open it in Excel or LibreOffice and save it as .xlsx');
  const entries = zipEntries(bytes);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new WorkbookError('a zip archive that is not an Excel workbook (no xl/workbook.xml)');
  const parts = entries.filter((e) => isXmlPart(e.name));
  const declared = parts.reduce((n, e) => n + e.originalSize, 0);
  if (declared > XLSX_LIMITS.maxXmlBytes) throw new WorkbookError(`the workbook's sheets inflate to ${mib(declared)} of XML, more than the ${mib(XLSX_LIMITS.maxXmlBytes)} Epoxy reads (a very large sheet, or a zip bomb)`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => isXmlPart(f.name) });
  } catch (err) {
    throw new WorkbookError(`a damaged workbook: ${(err as Error).message}`);
  }
  for (const name of Object.keys(files)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    files[name] = new TextEncoder().encode(new TextDecoder().decode(files[name]).replace(EMPTY_ROW, ''));
  }
  // The parts go back to read-excel-file stored (not deflated): all inflating stayed under the checks above.
  const stored = zipSync(files, { level: 0 });
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = await withSteadyClock(() => readXlsxFile(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength) as ArrayBuffer));
  } catch (err) {
    throw new WorkbookError(libraryProblem(err));
  }
  let cells = 0;
  return sheets.map((s) => {
    cells += s.data.reduce((n, r) => n + r.length, 0);
    if (cells > XLSX_LIMITS.maxCells) throw new WorkbookError(`the workbook has more than ${XLSX_LIMITS.maxCells.toLocaleString('en-US')} cells, more than Epoxy reads; save the sheets as CSV or Parquet`);
    return { name: s.sheet, rows: trimGrid(s.data.map((r) => r.map(cellText))) };
  });
}

/**
 * Run the parse with Date.now standing still. read-excel-file (9.3) sizes its XML chunks by the time each took:
 * over 7 ms halves the next one. On a busy machine a GC pause starts a collapse (each chunk also re-copies the
 * rows so far) into thousands of tiny chunks, one recursive call each, until the stack overflows — a 60,000-row
 * sheet took 55 s and then failed. With the clock still, chunks only grow: the parse is the same on any
 * machine. The parse settles in microtasks (an in-memory input, no timers), so no other task sees the clock.
 */
async function withSteadyClock<T>(run: () => Promise<T>): Promise<T> {
  const now = Date.now;
  const frozen = now();
  Date.now = () => frozen;
  try {
    return await run();
  } finally {
    Date.now = now;
  }
}

function isXmlPart(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.xml.rels');
}

function libraryProblem(err: unknown): string {
  if (err instanceof InvalidInputError) {
    switch (err.code) {
      case 'XLS_FILE_NOT_SUPPORTED': return 'a legacy .xls workbook: open it in Excel or LibreOffice and save it as .xlsx';
      case 'NO_DATA': return 'the workbook has no sheets';
      default: return `not a readable workbook (${err.code})`;
    }
  }
  if (err instanceof RangeError) return 'the workbook could not be parsed (its XML is too deeply nested or too large)';
  return `not a readable workbook: ${errorMessage(err)}`;
}

/** A cell as the text the CSV rules type: numbers as JS prints them, dates ISO, booleans true/false. */
export function cellText(v: unknown): CellText {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return isoDate(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  return s === '' ? null : s;
}

function isoDate(d: Date): CellText {
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${d.getUTCMilliseconds() ? iso.slice(11, 23) : iso.slice(11, 19)}`;
}

/** Drop rows with no value and the empty columns left and right of the data (a table often starts at B3). */
function trimGrid(rows: CellText[][]): CellText[][] {
  const kept = rows.filter((r) => r.some((c) => c !== null));
  let left = Infinity, right = -1;
  for (const r of kept) {
    for (let i = 0; i < r.length; i++) if (r[i] !== null) { if (i < left) left = i; if (i > right) right = i; }
  }
  if (right < 0) return [];
  return kept.map((r) => Array.from({ length: right - left + 1 }, (_, i) => r[left + i] ?? null));
}

/** A sheet as CSV text (comma, double quotes): the input of the CSV classifier, so both type cells alike. */
export function sheetCsv(rows: CellText[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(v: CellText): string {
  if (v === null) return '';
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The table a sheet makes: header detection and types by the CSV rules; null for an empty sheet. */
export function classifySheet(sheet: WorkbookSheet, rules: TypeRules = {}): SheetResult | null {
  if (!sheet.rows.length) return null;
  const bytes = new TextEncoder().encode(sheetCsv(sheet.rows));
  const csv = classifyCsv({ name: sheet.name, bytes, totalSize: bytes.length, complete: true }, { delimiter: ',', quote: '"', allowSingleColumn: true, allRecords: true, keepDecimals: rules.keepDecimals });
  if (!csv) return null;
  const header = csv.properties['skip.header.line.count'] === '1';
  const properties: Record<string, string> = { 'epoxy.sheet': sheet.name };
  if (header) properties['skip.header.line.count'] = '1';
  const recordCount = sheet.rows.length - (header ? 1 : 0);
  // The CSV warning about ragged rows means nothing for a grid: every row of a sheet has the same width.
  const warnings = (csv.warnings ?? []).filter((w) => !/different number of fields/.test(w));
  return {
    sheet: sheet.name, schema: csv.schema, properties, recordCount,
    ...(csv.columnFormats ? { columnFormats: csv.columnFormats } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * The xlsx classifier: a zip that is an Excel workbook. The whole file is read (a zip's directory is at its
 * end) up to XLSX_LIMITS.maxFileBytes. The result carries one SheetResult per non-empty sheet; its own schema
 * is the first sheet's. Returns null for a zip that is not a workbook (the caller keeps "zip not supported").
 */
export async function classifyXlsx(sample: Sample, rules: TypeRules = {}): Promise<ClassifierResult | null> {
  if (!startsWith(sample.bytes, ZIP_MAGIC)) return null;
  const hinted = looksLikeXlsx(sample.bytes);
  if (sample.totalSize > XLSX_LIMITS.maxFileBytes) {
    if (!hinted) return null;
    return refused(`the workbook is ${mib(sample.totalSize)}, more than the ${mib(XLSX_LIMITS.maxFileBytes)} Epoxy reads; save the sheets as CSV or Parquet`);
  }
  let bytes: Uint8Array;
  if (sample.complete) bytes = sample.bytes;
  else if (sample.readRange) bytes = await sample.readRange(0, sample.totalSize);
  else return hinted ? refused('a compressed workbook (.xlsx.gz) cannot be read: decompress it first') : null;
  if (!isXlsxArchive(bytes)) {
    // Its first entries name workbook parts, but the directory at the end is unreadable: a cut-off download.
    return hinted && !zipReadable(bytes) ? refused('a damaged or truncated workbook: its zip directory cannot be read') : null;
  }
  let sheets: WorkbookSheet[];
  try {
    sheets = await readWorkbook(bytes);
  } catch (err) {
    return refused(errorMessage(err));
  }
  const results: SheetResult[] = [];
  const warnings: string[] = [];
  for (const sheet of sheets) {
    const r = classifySheet(sheet, rules);
    if (r) results.push(r);
    else warnings.push(`sheet "${sheet.name}" is empty`);
  }
  const first = results[0];
  if (!first) return refused(`the workbook has no data (${sheets.length} empty sheet${sheets.length === 1 ? '' : 's'})`);
  return {
    classification: 'xlsx', certainty: 1, schema: first.schema, properties: { ...first.properties }, recordCount: first.recordCount,
    sheets: results,
    ...(warnings.length ? { warnings } : {}),
  };
}

function refused(why: string): ClassifierResult {
  return { classification: 'xlsx', certainty: 1, schema: [], properties: {}, warnings: [why] };
}

function mib(n: number): string {
  return `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MiB`;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
