// TEMPORARY (lead's stand-in until the arrow helper's module lands): minimal conversion for bridge tests.
import { tableFromArrays, tableToIPC, tableFromIPC, type Table } from 'apache-arrow';
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import type { InsertOptions } from './host';
export async function resultToIPC(result: DuckDBResult): Promise<Uint8Array> {
  const reader = await result.getColumnsObjectJS();
  const cols: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(reader)) cols[k] = v as unknown[];
  return tableToIPC(tableFromArrays(cols as never) as unknown as Table, 'stream');
}
export async function insertIPC(conn: DuckDBConnection, ipc: Uint8Array, options: InsertOptions, _dir: string): Promise<void> {
  const t = tableFromIPC(ipc);
  const name = options.schema ? `"${options.schema}"."${options.name}"` : `"${options.name}"`;
  if (options.create) await conn.run(`CREATE TABLE ${name} (${t.schema.fields.map((f) => `"${f.name}" VARCHAR`).join(', ')})`);
  for (const row of t.toArray()) await conn.run(`INSERT INTO ${name} VALUES (${t.schema.fields.map((f) => { const v = (row as Record<string, unknown>)[f.name]; return v == null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`; }).join(', ')})`);
}
