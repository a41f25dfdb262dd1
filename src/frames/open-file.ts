import type { DataSource, Engine, OpenedTable } from '../engine/engine';
import { tableFileFormat } from '../engine/formats';
import { openTables } from './open-records';
import { errorMessage } from '../util/errors';

/**
 * Open a file as the tables it holds, for the Workspace grid and `epoxy query`: a CSV/TSV/Parquet file as
 * one table (the engine's `open`), an Excel workbook as one table per sheet, an Arrow file as one table.
 */
export async function openFile(engine: Engine, fileName: string, source: DataSource, size = 0): Promise<OpenedTable[]> {
  const format = tableFileFormat(fileName);
  if (format === 'xlsx' || format === 'arrow') {
    let opened;
    try {
      opened = await openTables(engine, fileName, source);
    } catch (err) {
      const message = errorMessage(err);
      throw new Error(message.startsWith('Cannot open') ? message : `Cannot open ${fileName}: ${message}`);
    }
    return opened.map((r) => engine.adopt(r.table, fileName, format, r.sheet));
  }
  return [await engine.open(fileName, source, size)];
}
