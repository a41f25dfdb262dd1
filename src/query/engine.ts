import type { BoundedResult, CsvDialect, DataSource, OpenedTable } from '../engine/engine';
import type { OpenedRecords, OpenRecordsOptions } from '../frames/open-records';
import { quoteIdent } from '../engine/sql';

/**
 * What reading a catalog table needs from the engine: a subset of the engine worker protocol, so the browser's
 * worker (through Comlink) and a Node engine (through createEngineService) both serve it. A job's JobEngine is one.
 */
export interface QueryEngine {
  query(sql: string, limit?: number): Promise<BoundedResult>;
  open(fileName: string, source: DataSource, size: number, dialect?: CsvDialect): Promise<OpenedTable>;
  close(table: string): Promise<void>;
  openRecords(fileName: string, source: DataSource, options?: OpenRecordsOptions): Promise<OpenedRecords>;
}

/** Row count of a relation (a name, or an already quoted `"schema"."name"` when `quoted`). */
export async function countRows(engine: Pick<QueryEngine, 'query'>, relation: string, quoted = false): Promise<number> {
  const r = await engine.query(`SELECT count(*)::BIGINT AS n FROM ${quoted ? relation : quoteIdent(relation)}`, 1);
  return Number(r.rows[0]?.[0] ?? 0);
}
