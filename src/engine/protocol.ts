import type { BoundedResult, DataSource, OpenedTable } from './engine';
import type { OutputFile, WriteOptions } from '../jobs/writers';
import type { ParquetCompression } from './parquet';
import type { QueryResult } from './values';

/** What the engine reports once it is ready. */
export interface EngineInfo {
  duckdbVersion: string;
  startMs: number;
}

/** The typed protocol of workers/engine.worker.ts (every call is async across the worker boundary). */
export interface EngineWorkerApi {
  init(): Promise<EngineInfo>;
  open(fileName: string, source: DataSource, size: number): Promise<OpenedTable>;
  materialize(table: string): Promise<OpenedTable>;
  page(table: string, offset: number, limit: number): Promise<QueryResult>;
  query(sql: string, limit?: number): Promise<BoundedResult>;
  toParquet(sql: string, compression?: ParquetCompression): Promise<Uint8Array>;
  /** Write a query's result as files of a job target (Parquet, CSV, NDJSON; optionally Hive-partitioned). */
  writeOutput(sql: string, options: WriteOptions): Promise<OutputFile[]>;
  listTables(): Promise<OpenedTable[]>;
  close(table: string): Promise<void>;
}
