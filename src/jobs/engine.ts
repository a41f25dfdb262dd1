import type { BoundedResult, CsvDialect, DataSource, OpenedTable } from '../engine/engine';
import type { QueryEngine } from '../query/engine';
import type { OpenedRecords, OpenRecordsOptions } from '../frames/open-records';
import { schemaFromDuckDB } from '../frames/duck-types';
import { quoteIdent } from '../engine/sql';
import type { StructField } from '../schema/types';
import type { OutputFile, WriteOptions } from './writers';

/**
 * What a job run needs from the engine: a subset of the engine worker protocol, so the same runner drives
 * the browser's worker (through Comlink) and a Node engine (through createEngineService).
 */
export interface JobEngine extends QueryEngine {
  query(sql: string, limit?: number): Promise<BoundedResult>;
  /** Run a compiled step's SQL: one query, refused unless it reads only `reads` (see Engine.createChecked). */
  createChecked(name: string, sql: string, reads: string[]): Promise<void>;
  open(fileName: string, source: DataSource, size: number, dialect?: CsvDialect): Promise<OpenedTable>;
  close(table: string): Promise<void>;
  openRecords(fileName: string, source: DataSource, options?: OpenRecordsOptions): Promise<OpenedRecords>;
  writeOutput(sql: string, options: WriteOptions): Promise<OutputFile[]>;
  dropFrame(namespace: string): Promise<void>;
}

/** The Glue schema of a relation the engine holds. */
export async function schemaOf(engine: JobEngine, relation: string): Promise<StructField[]> {
  const r = await engine.query(`DESCRIBE ${quoteIdent(relation)}`);
  return schemaFromDuckDB(r.rows.map((row) => ({ name: String(row[0]), type: String(row[1]) })));
}

/** Row count of a relation. */
export async function countOf(engine: JobEngine, relation: string): Promise<number> {
  const r = await engine.query(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(relation)}`, 1);
  return Number(r.rows[0]?.[0] ?? 0);
}
