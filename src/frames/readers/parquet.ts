import type { DataSource } from '../../engine/engine';
import type { ParquetModule } from '../../engine/parquet';
import type { ReaderEngine } from './json';

/**
 * Read a Parquet file into a DuckDB table one row group at a time through parquet-wasm's ParquetFile,
 * which reads a Blob (a dropped File, a Node `openAsBlob`) or a URL lazily by byte range: only the footer
 * and the current row group are ever in memory, never the whole file.
 */
export async function readParquetInto(engine: ReaderEngine, table: string, source: DataSource, pq: Pick<ParquetModule, 'ParquetFile'>): Promise<{ table: string; rows: number; rowGroups: number }> {
  const file = await openParquetFile(source, pq);
  try {
    const meta = file.metadata();
    const groups = meta.numRowGroups();
    let rows = 0;
    if (groups === 0) {
      engine.insertArrowIPC(table, (await file.read({ limit: 0 })).intoIPCStream(), true);
    }
    for (let i = 0; i < groups; i++) {
      const batch = await file.read({ rowGroups: [i] });
      rows += meta.rowGroup(i).numRows();
      engine.insertArrowIPC(table, batch.intoIPCStream(), i === 0);
    }
    return { table, rows, rowGroups: groups };
  } finally {
    file.free();
  }
}

async function openParquetFile(source: DataSource, pq: Pick<ParquetModule, 'ParquetFile'>) {
  switch (source.kind) {
    case 'file': return pq.ParquetFile.fromFile(source.file);
    case 'buffer': return pq.ParquetFile.fromFile(new Blob([source.bytes as Uint8Array<ArrayBuffer>]));
    case 'url': return pq.ParquetFile.fromUrl(source.url);
    case 'path': {
      const fs = await import('node:fs');
      return pq.ParquetFile.fromFile(await fs.openAsBlob(source.path));
    }
  }
}
