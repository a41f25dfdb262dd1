/**
 * Where a catalog table's files are: a location (dropped://, folder://, opfs://, s3://, http(s)://, file:// or a
 * path) listed into files the engine can read. The browser and Node each give a LocationLister.
 */
import type { DataSource } from '../engine/engine';

/** A file's identity for bookmarks: the path under its location, its size and when it changed. */
export interface FileMark {
  path: string;
  size: number;
  lastModified?: number;
  etag?: string;
}

/** A file a table or source reads: its bookmark identity, a name with the extension, and how the engine reaches its bytes. */
export interface ResolvedFile extends FileMark {
  data: DataSource;
}

/** How a place's files are listed: recursively, paths relative to the location (a single file: its name). */
export interface LocationLister {
  listFiles(location: string): Promise<ResolvedFile[]>;
}
