import type { StructField } from '../schema/types';
import type { TypeRules } from './infer';

/** Glue classification strings this package produces (custom classifiers may name their own). */
export type Classification =
  | 'avro' | 'orc' | 'parquet' | 'json' | 'xml' | 'csv'
  | 'xlsx' | 'arrow'
  | 'combined_apache' | 'apache' | 'syslog' | 'UNKNOWN' | (string & {});

/** The bytes a classifier looks at: a prefix of one file, already decompressed. */
export interface Sample {
  /** File name or path (only used for hints and messages; content decides). */
  name: string;
  /** The sampled prefix, decompressed. */
  bytes: Uint8Array;
  /** Size of the whole (decompressed if known, else stored) file in bytes. */
  totalSize: number;
  /** Whether `bytes` holds the whole file. */
  complete: boolean;
  /** Random access into the stored file, for footer-based formats (Parquet, ORC, Avro block walk). */
  readRange?: (offset: number, length: number) => Promise<Uint8Array>;
  /** Set when the stored bytes were compressed (the crawler writes it as compressionType). */
  compression?: 'gzip';
  /** Problems met while reading the sample (e.g. a truncated gzip); carried into the result. */
  warnings?: string[];
}

/** What a classifier found: Glue's classification, a certainty, the schema and table parameters. */
export interface ClassifierResult {
  classification: Classification;
  /** 0..1; 1.0 stops the search (Glue's rule). */
  certainty: number;
  schema: StructField[];
  /** Glue table parameters (delimiter, skip.header.line.count, jsonPath, rowTag, grokPattern, ...). */
  properties: Record<string, string>;
  recordCount?: number;
  /** True when recordCount is extrapolated from the sample. */
  recordCountEstimated?: boolean;
  averageRecordSize?: number;
  /** Source format of non-ISO date/timestamp columns (strftime style, e.g. `%m/%d/%Y`), by column name. */
  columnFormats?: Record<string, string>;
  warnings?: string[];
  /** Name of the classifier that produced the result (a custom classifier's Name, or the built-in's). */
  classifier?: string;
  /** A workbook (xlsx): one table per non-empty sheet; `schema`/`properties` above are the first sheet's. */
  sheets?: SheetResult[];
}

/** The table one sheet of a workbook makes. */
export interface SheetResult {
  sheet: string;
  schema: StructField[];
  /** Table parameters of the sheet's table: `epoxy.sheet`, `skip.header.line.count` when row 1 is a header. */
  properties: Record<string, string>;
  recordCount: number;
  columnFormats?: Record<string, string>;
  warnings?: string[];
}

/** One classifier: returns null when the bytes are not its format. May be async (footer reads). */
export interface Classifier {
  name: string;
  classify(sample: Sample, rules?: TypeRules): ClassifierResult | null | Promise<ClassifierResult | null>;
}

/** The result for bytes no classifier recognised. */
export function unknownResult(warnings: string[] = []): ClassifierResult {
  return { classification: 'UNKNOWN', certainty: 0, schema: [], properties: {}, ...(warnings.length ? { warnings } : {}) };
}
