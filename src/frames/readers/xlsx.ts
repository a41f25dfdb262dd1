import { classifySheet, readWorkbook, WorkbookError, XLSX_LIMITS, type WorkbookSheet } from '../../classifiers/xlsx';
import type { DataSource } from '../../engine/engine';
import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { t, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { insertRecords } from './insert';
import type { ReaderEngine } from './json';
import { randomAccess } from './random-access';
import type { ReadError } from './records';

/** One sheet read into a table. */
export interface SheetRead {
  table: string;
  sheet: string;
  rows: number;
  schema: StructField[];
  errors: ReadError[];
  errorCount: number;
}

/** The workbook's bytes, refused before reading when larger than Epoxy reads. */
async function workbookBytes(source: DataSource): Promise<Uint8Array> {
  const ra = await randomAccess(source);
  try {
    if (ra.size > XLSX_LIMITS.maxFileBytes) throw new WorkbookError(`the workbook is ${(ra.size / 2 ** 20).toFixed(0)} MiB, more than the ${XLSX_LIMITS.maxFileBytes / 2 ** 20} MiB Epoxy reads; save the sheets as CSV or Parquet`);
    return await ra.read(0, ra.size);
  } finally {
    await ra.close();
  }
}

/** Read a workbook's sheets (all of them: a zip is read whole whichever sheet is wanted). */
export async function openWorkbook(source: DataSource): Promise<WorkbookSheet[]> {
  return readWorkbook(await workbookBytes(source));
}

/**
 * Load one sheet into `table`. Header and types come from the same CSV rules the crawler used (so a catalog
 * table's columns line up); with a catalog schema, its names and types are applied by position. Cells travel
 * as text and DuckDB casts them (TRY_CAST; dates in a non-ISO text format by TRY_STRPTIME), so integers stay
 * exact and a value that does not fit its type becomes null.
 */
export async function readSheetInto(engine: ReaderEngine, table: string, sheet: WorkbookSheet, catalogSchema: StructField[] | null = null): Promise<SheetRead> {
  const found = classifySheet(sheet);
  if (!found) throw new WorkbookError(`sheet "${sheet.name}" is empty`);
  const header = found.properties['skip.header.line.count'] === '1';
  const schema = catalogSchema?.length ? catalogSchema : found.schema;
  const formats = catalogSchema?.length ? {} : found.columnFormats ?? {};
  const keys = schema.map((_, i) => `c${i}`);
  const staged: StructField[] = keys.map((name) => ({ name, type: t.string }));
  const body = header ? sheet.rows.slice(1) : sheet.rows;
  function* records(): Generator<Record<string, string | null>> {
    for (const row of body) {
      const o: Record<string, string | null> = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]!] = row[i] ?? null;
      yield o;
    }
  }
  const staging = `${table}__sheet`;
  const read = await insertRecords(engine, staging, staged, records());
  const select = schema.map((f, i) => {
    const col = quoteIdent(keys[i]!);
    const format = formats[f.name];
    const duck = frameDuckType(f.type);
    const value = format && f.type.kind === 'primitive' && (f.type.name === 'date' || f.type.name === 'timestamp')
      ? `TRY_STRPTIME(${col}, ${quoteLiteral(format)})::${duck}`
      : `TRY_CAST(${col} AS ${duck})`;
    return `${value} AS ${quoteIdent(f.name)}`;
  });
  try {
    engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT ${select.join(', ')} FROM ${quoteIdent(staging)}`);
  } finally {
    engine.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  }
  return { table, sheet: sheet.name, rows: read.rows, schema, errors: read.errors, errorCount: read.errorCount };
}

/** The sheet a reader wants: by name, or the first non-empty one; an unknown name lists the sheets there are. */
export function pickSheet(sheets: WorkbookSheet[], name: string | undefined, fileName: string): WorkbookSheet {
  if (name !== undefined) {
    const s = sheets.find((x) => x.name === name);
    if (!s) throw new WorkbookError(`${fileName} has no sheet named "${name}" (its sheets: ${sheets.map((x) => `"${x.name}"`).join(', ') || 'none'})`);
    return s;
  }
  const first = sheets.find((x) => x.rows.length > 0);
  if (!first) throw new WorkbookError(`${fileName} has no sheet with data`);
  return first;
}
