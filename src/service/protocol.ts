import type { BoundedResult, CsvDialect, DataSource, EngineMemory, OpenedTable } from '../engine/engine';
import type { OutputFile, WriteOptions } from '../jobs/writers';
import type { ParquetCompression } from '../engine/parquet';
import type { StartPhase } from '../engine/start-clock';
import type { QueryResult } from '../engine/values';
import type { ColumnProfile } from '../frames/profile';
import type { OpenedRecords, OpenRecordsOptions } from '../frames/open-records';
import type { OpenedFileTable } from '../frames/open-file';
import type { FolderPart } from './open-folder';
import type { FrameRunRequest, FrameRunResult } from '../frames/run';
import type { StructField } from '../schema/types';

/** What the engine reports once it is ready. */
export interface EngineInfo {
  duckdbVersion: string;
  startMs: number;
  /** What the start spent its time on (worker script, wasm download and compile, instantiate, open), epoch ms. */
  phases: StartPhase[];
  /** Which DuckDB-WASM build runs and with how many threads (`coi, 2 threads`, or `eh, 1 thread (why)`). */
  build: string;
}

/** The typed protocol of workers/engine.worker.ts (every call is async across the worker boundary). */
export interface EngineWorkerApi {
  init(): Promise<EngineInfo>;
  /** Where the engine's memory is (WASM heap, DuckDB's buffers and limit, reads of dropped files). */
  memory(): Promise<EngineMemory>;
  /** Open a CSV/TSV/Parquet file as a table; a CSV `dialect` (a catalog's SerDe) replaces DuckDB's sniffing of it. */
  open(fileName: string, source: DataSource, size: number, dialect?: CsvDialect): Promise<OpenedTable>;
  /**
   * Open a file as every table it holds: one per sheet of an Excel workbook, one for any other format the
   * crawler reads (JSON, Avro, ORC, XML with its row element inferred, logs, gzip; frames/open-file).
   */
  openFile(fileName: string, source: DataSource, size: number): Promise<OpenedFileTable[]>;
  /**
   * Open a dropped folder's files as one table with a typed column per partition key, read as the resolver
   * reads a catalog table (service/open-folder); `values` are each file's partition values in key order.
   */
  openFolder(folderName: string, keys: string[], parts: (FolderPart & { values: string[] })[]): Promise<OpenedFileTable>;
  materialize(table: string): Promise<OpenedTable>;
  page(table: string, offset: number, limit: number): Promise<QueryResult>;
  query(sql: string, limit?: number): Promise<BoundedResult>;
  /**
   * The user's own SQL (the Workspace SQL box), on a connection that does not see Epoxy's internal relations.
   * Its rows are the first of the whole result kept as `relation`: at most `limit` (default 10,000), and fewer
   * when the result is wide, so that at most RESULT_CELLS values cross (service/result-budget).
   */
  userQuery(sql: string, limit?: number): Promise<BoundedResult>;
  /** Create a table from one query that holds user SQL, refused unless its plan reads only `reads` (Engine.createChecked). */
  createChecked(name: string, sql: string, reads: string[]): Promise<void>;
  toParquet(sql: string, compression?: ParquetCompression): Promise<Uint8Array>;
  /** Write a query's result as files of a job target (Parquet, CSV, NDJSON; optionally Hive-partitioned). */
  writeOutput(sql: string, options: WriteOptions): Promise<OutputFile[]>;
  listTables(): Promise<OpenedTable[]>;
  close(table: string): Promise<void>;
  /** Run transform steps over a relation (a preview sample or the full data) into tables `<namespace>_<i>`. */
  runFrame(request: FrameRunRequest): Promise<FrameRunResult>;
  /** Drop the tables of a frame run. */
  dropFrame(namespace: string): Promise<void>;
  /** Profile one column of a relation. */
  profileColumn(relation: string, field: StructField, options?: { top?: number; bins?: number }): Promise<ColumnProfile>;
  /**
   * Stream a JSON/NDJSON, Avro or XML file into a table (Arrow batches, no whole-file copy). Without a
   * schema, JSON uses a minimal local inference over the first MiB and Avro its own schema.
   */
  openRecords(fileName: string, source: DataSource, options?: OpenRecordsOptions): Promise<OpenedRecords>;
}
