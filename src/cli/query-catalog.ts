import type { Engine } from '../engine/engine';
import { listLocalFiles } from '../jobs/node-env';
import { catalogSession, statsLine } from '../query/athena-session';
import type { LocationLister } from '../query/locations';
import { createEngineService } from '../service/engine-service';
import { loadCatalogFile } from './catalog';
import { renderTable } from './table';
import { existsSync } from 'node:fs';

/** Options of `epoxy query --catalog`. */
export interface CatalogQueryOptions {
  catalogFile: string;
  sql: string;
  /** The database unqualified table names are looked up in. */
  database?: string;
  json: boolean;
  limit: number;
}

/**
 * `epoxy query --catalog catalog.json --sql "SELECT … FROM db.table"`: Athena over a catalog file (what
 * `epoxy crawl --catalog` writes), reading its tables' local locations through the same resolver as the app,
 * pruned by the WHERE's partition predicates; a stats line per table says what was read.
 */
export async function runCatalogQueryCommand(engine: Engine, o: CatalogQueryOptions): Promise<string> {
  if (!existsSync(o.catalogFile)) throw new Error(`catalog file ${o.catalogFile} does not exist (write one with: epoxy crawl PATH --catalog ${o.catalogFile})`);
  const catalog = await loadCatalogFile(o.catalogFile);
  try {
    const service = createEngineService(() => Promise.resolve(engine));
    const lister: LocationLister = { listFiles: listLocalFiles };
    const session = catalogSession(service, catalog, lister);
    const out = await session.run(o.sql, { defaultDatabase: o.database ?? null, limit: o.limit });
    if (out.kind === 'unreachable') throw new Error(`${out.database}.${out.table} cannot be read: ${out.reason}; ${out.fix}`);
    const { result } = out;
    if (o.json) return JSON.stringify(result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]]))), null, 2);
    const footer = `${result.totalRows} row${result.totalRows === 1 ? '' : 's'}${result.truncated ? ` (first ${result.rows.length} shown)` : ''}`;
    return [renderTable(result), footer, ...out.stats.map(statsLine)].join('\n');
  } finally {
    catalog.close();
  }
}
