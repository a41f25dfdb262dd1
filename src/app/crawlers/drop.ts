import { fileSource, type ByteSource } from '../../sources/byte-source';
import type { DroppedFile } from '../../sources/dropped';

/** A drop turned into a crawl target: its name, its files relative to it, and the location written to the catalog. */
export interface DropTarget {
  rootName: string | null;
  label: string;
  locationPrefix: string;
  sources: ByteSource[];
  totalBytes: number;
  /** The crawler target kind recorded with the run ('dropped' when absent). */
  kind?: 'dropped' | 's3-presigned';
  /** Objects of the target that could not be read before the crawl (expired, 403, CORS): reported with the run. */
  unreadable?: { path: string; error: string }[];
}

/**
 * A single dropped folder is the crawl target itself (tables are named after it, like an S3 include path);
 * anything else is a set of loose items at a virtual root. Locations use the `dropped://` scheme, since a
 * dropped file has no path the catalog could keep.
 */
export function dropTarget(files: DroppedFile[]): DropTarget {
  const tops = new Set(files.map((f) => f.path.split('/')[0]!));
  const singleFolder = tops.size === 1 && files.every((f) => f.path.includes('/'));
  const root = singleFolder ? [...tops][0]! : null;
  const sources = files.map((f) => fileSource(root ? f.path.slice(root.length + 1) : f.path, f.file));
  const totalBytes = files.reduce((n, f) => n + f.file.size, 0);
  return {
    rootName: root,
    label: root ? `folder ${root}` : `${files.length} dropped item${files.length === 1 ? '' : 's'}`,
    locationPrefix: `dropped://${encodeURIComponent(root ?? 'files')}`,
    sources,
    totalBytes,
  };
}

/** Progress text: files, bytes and time left. */
export function progressText(p: { done: number; total: number; bytesDone: number; bytesTotal: number; etaMs: number | null }): string {
  const mb = (b: number) => (b / 1048576).toFixed(b < 10 * 1048576 ? 1 : 0);
  const eta = p.etaMs === null || p.done === p.total ? '' : p.etaMs < 1000 ? ' · <1 s left' : ` · ${Math.ceil(p.etaMs / 1000)} s left`;
  return `${p.done} of ${p.total} files · ${mb(p.bytesDone)} of ${mb(p.bytesTotal)} MB${eta}`;
}
