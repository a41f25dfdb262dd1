/**
 * Random access to the bytes of one object, wherever it lives (dropped File, OPFS, HTTP range reads,
 * a Node file). Classifiers sample through this so that nothing is read whole unless asked.
 */
export interface ByteSource {
  /** Path relative to the crawl target, '/'-separated. */
  path: string;
  size: number;
  lastModified?: number;
  etag?: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A source over a browser File/Blob: slices are read lazily, the file is never copied whole. */
export function fileSource(path: string, file: Blob & { lastModified?: number }): ByteSource & { file: Blob } {
  return {
    path,
    // Kept so the source can be handed to a worker (a File crosses by reference; a closure cannot).
    file,
    size: file.size,
    lastModified: file.lastModified,
    read: async (offset, length) => {
      const end = Math.min(file.size, offset + length);
      // A whole small file is read without slicing: in Chromium a slice is a new Blob registered over IPC, and
      // skipping it made reading 2,000 small files in a worker ~30% faster (0.95 s instead of 1.35 s, bench/).
      const blob = offset === 0 && end === file.size ? file : file.slice(offset, end);
      return new Uint8Array(await blob.arrayBuffer());
    },
  };
}

/** A source over bytes already in memory. */
export function bufferSource(path: string, bytes: Uint8Array, lastModified?: number): ByteSource {
  return {
    path,
    size: bytes.length,
    lastModified,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** Read a whole source (used only for small files and full scans that need every byte). */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  return source.read(0, source.size);
}
