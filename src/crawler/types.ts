import type { StructField } from '../schema/types';

/** A file found under a crawl target; `path` is relative to the target, '/'-separated. */
export interface CrawlFile {
  path: string;
  size: number;
  lastModified?: number;
  etag?: string;
}

/** A file after classification. A file that could not be classified carries `error` and no schema. */
export interface ClassifiedFile extends CrawlFile {
  classification: string;
  schema: StructField[];
  /** Glue table parameters this file implies (delimiter, skip.header.line.count, compressionType, ...). */
  properties: Record<string, string>;
  recordCount?: number;
  recordCountEstimated?: boolean;
  error?: string;
  /** The workbook sheet this entry stands for: each sheet of an xlsx file is its own table, `<file>_<sheet>`. */
  sheet?: string;
  /** A workbook's sheets as classified; the crawl turns them into one entry (and one table) per sheet. */
  sheets?: { sheet: string; schema: StructField[]; properties: Record<string, string>; recordCount: number }[];
}

/** One partition of a table found by the crawler. */
export interface PartitionCandidate {
  values: string[];
  /** Folder of the partition, relative to the crawl target. */
  location: string;
  files: ClassifiedFile[];
  recordCount: number;
  sizeBytes: number;
}

/** A table the crawler would write: Glue's shape is produced from this by the catalog writer. */
export interface TableCandidate {
  name: string;
  /** Table root relative to the crawl target ('' is the target itself); a single-file table points at the file. */
  location: string;
  classification: string;
  columns: StructField[];
  partitionKeys: string[];
  partitions: PartitionCandidate[];
  files: ClassifiedFile[];
  /** Glue table parameters: classification, recordCount, objectCount, sizeKey, averageRecordSize, ... */
  parameters: Record<string, string>;
  /** How many distinct file schemas were combined into this table. */
  schemaCount: number;
}
