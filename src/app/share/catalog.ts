import { CatalogError, type Catalog } from '../../catalog';
import { parseType, type StructField } from '../../schema/types';
import { entryAt, workspaceRoot } from '../../sources/workspace';

/** One of the user's catalog tables, as an input slot offers it. */
export interface MyTable {
  database: string;
  table: string;
  location: string;
  schema: StructField[];
}

/** Every table of the user's catalog with its location and schema (columns, then partition keys). */
export async function listMyTables(catalog: Catalog): Promise<MyTable[]> {
  const out: MyTable[] = [];
  for (const db of await catalog.getDatabases()) {
    for (const t of await catalog.getTables(db.Name)) {
      const cols = [...(t.StorageDescriptor?.Columns ?? []), ...(t.PartitionKeys ?? [])];
      const schema = cols.map((c) => {
        try { return { name: c.Name, type: parseType(c.Type ?? 'string') }; } catch { return { name: c.Name, type: parseType('string') }; }
      });
      out.push({ database: db.Name, table: t.Name, location: t.StorageDescriptor?.Location ?? '', schema });
    }
  }
  return out;
}

/** Whether the user's catalog has the table. */
export async function tableExists(catalog: Catalog, database: string, table: string): Promise<boolean> {
  try {
    await catalog.getTable(database, table);
    return true;
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'EntityNotFoundException') return false;
    throw err;
  }
}

/** How many files a workspace path holds (every file under a folder, hidden ones too; 1 for a file; 0 when absent). */
export async function workspaceFilesAt(path: string): Promise<number> {
  const entry = await entryAt(await workspaceRoot(), path);
  if (entry.kind !== 'folder') return entry.kind === 'file' ? 1 : 0;
  const count = async (d: FileSystemDirectoryHandle): Promise<number> => {
    let n = 0;
    for await (const [, h] of (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) n += h.kind === 'directory' ? await count(h as FileSystemDirectoryHandle) : 1;
    return n;
  };
  return count(entry.dir);
}

/** What the folder and table a destination choice names already hold. */
export async function measureDestination(c: { path: string; register: boolean; database: string; table: string }, catalog: () => Promise<Catalog>): Promise<{ existingFiles: number; existingTable: boolean }> {
  const existingFiles = await workspaceFilesAt(c.path).catch(() => 0);
  const existingTable = c.register && c.table.trim() ? await tableExists(await catalog(), c.database.trim() || 'default', c.table.trim()) : false;
  return { existingFiles, existingTable };
}
