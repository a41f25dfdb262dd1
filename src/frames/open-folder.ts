import type { DataSource, Engine } from '../engine/engine';
import { quoteIdent, quoteLiteral, tableNameFromFile, uniqueName } from '../engine/sql';
import { openFile, type OpenedFileTable } from './open-file';

/** One file of a folder opened as a table: where its bytes are, and its partition values (one per key). */
export interface FolderPart {
  fileName: string;
  source: DataSource;
  size: number;
  values: string[];
}

/** How Hive writes a NULL partition value. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/**
 * The DuckDB type of a partition key from its values, as DuckDB's own hive_partitioning autocast types them:
 * all integers BIGINT, all ISO dates DATE, anything else VARCHAR (so `month=01` reads as 1).
 */
export function partitionKeyType(values: string[]): 'BIGINT' | 'DATE' | 'VARCHAR' {
  const real = values.filter((v) => v !== HIVE_NULL && v !== '');
  if (!real.length) return 'VARCHAR';
  if (real.every((v) => /^-?\d{1,18}$/.test(v))) return 'BIGINT';
  if (real.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)))) return 'DATE';
  return 'VARCHAR';
}

/**
 * Open the files of a dropped folder as ONE table named after the folder, with a typed column per partition
 * key (`year=2024/month=01/…` gives year and month). Files are read as `openFile` reads them and stacked by
 * column name (a column a file lacks is NULL); a partition key wins over a file column of the same name, as
 * in Hive. The per-file tables are dropped once the folder's table exists.
 */
export async function openFolder(engine: Engine, folderName: string, keys: string[], parts: FolderPart[]): Promise<OpenedFileTable> {
  if (!parts.length) throw new Error(`Cannot open ${folderName}: the folder holds no data files`);
  for (const p of parts) if (p.values.length !== keys.length) throw new Error(`Cannot open ${folderName}: ${p.fileName} has ${p.values.length} partition values for ${keys.length} keys`);
  const types = keys.map((_, i) => partitionKeyType(parts.map((p) => p.values[i]!)));
  const opened: OpenedFileTable[] = [];
  try {
    let errorCount = 0;
    const selects: string[] = [];
    for (const part of parts) {
      const tables = await openFile(engine, part.fileName, part.source, part.size);
      opened.push(...tables);
      for (const t of tables) {
        errorCount += t.errorCount ?? 0;
        const own = t.columns.map((c) => c.name.toLowerCase());
        const clash = keys.filter((k) => own.includes(k.toLowerCase()));
        const star = clash.length ? `* EXCLUDE (${clash.map(quoteIdent).join(', ')})` : '*';
        const cols = keys.map((k, i) => {
          const v = part.values[i]!;
          return `${v === HIVE_NULL ? 'NULL' : quoteLiteral(v)}::${types[i]} AS ${quoteIdent(k)}`;
        });
        selects.push(`SELECT ${[star, ...cols].join(', ')} FROM ${quoteIdent(t.table)}`);
      }
    }
    const taken = new Set(engine.query('SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()').rows.map((r) => String(r[0])));
    const name = uniqueName(tableNameFromFile(`${folderName}.folder`), taken);
    engine.query(`CREATE TABLE ${quoteIdent(name)} AS ${selects.map((s) => `(${s})`).join('\nUNION ALL BY NAME\n')}`);
    const table = engine.adopt(name, folderName, opened[0]!.format);
    return { ...table, files: parts.length, partitionKeys: keys, ...(errorCount ? { errorCount } : {}) };
  } finally {
    for (const t of opened) engine.close(t.table);
  }
}
