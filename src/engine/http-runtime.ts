/**
 * Blocking ranged reads of HTTP(S) objects, given by whoever creates the engine (sources/sync-range.ts's
 * `syncRangeReader`: synchronous XHR with retries). Blocking because DuckDB's file system calls cannot await.
 */
export interface SyncHttpReader {
  /** The object's size and modification time (ms, or null), learnt without a HEAD. */
  open(url: string): { size: number; lastModified: number | null };
  /** `length` bytes at `offset`; a failure throws an error whose message a user can read (no signature). */
  read(url: string, offset: number, length: number): Uint8Array;
}

/** The part of DuckDB-WASM's runtime this wrapper replaces (typed loosely: the bundle's types say openFile returns void). */
interface RuntimeLike {
  getFileInfo(mod: unknown, fileId: number): { dataProtocol: number; dataUrl: string | null } | null;
  openFile(mod: unknown, fileId: number, flags: number): unknown;
  readFile(mod: unknown, fileId: number, buf: number, bytes: number, location: number): number;
  closeFile(mod: unknown, fileId: number): void;
}

interface ModuleLike {
  _malloc(size: number): number;
  HEAPF64: Float64Array;
  HEAPU8: Uint8Array;
}

const HTTP = 4; // DuckDBDataProtocol.HTTP
const FILE_FLAGS_READ = 1;
const FILE_FLAGS_WRITE = 2;

/**
 * DuckDB-WASM's browser runtime opens an HTTP file with a HEAD (Range: bytes=0-) and, if that is refused,
 * downloads the whole object (or, without allowFullHTTPReads, fails). S3 refuses HEAD on a URL presigned
 * for GET, so every presigned read would become a full download, and its errors print the signed URL.
 * This wrapper opens and reads HTTP files through `http` instead (a one-byte ranged GET, then ranged GETs that
 * retry 5xx/timeouts with backoff, and whose errors carry no signature). Everything else goes to DuckDB's runtime.
 */
export function presignedHttpRuntime<R extends object>(base: R, failWith: (mod: never, message: string) => void, http: SyncHttpReader): R {
  const rt = base as unknown as RuntimeLike;
  const urls = new Map<number, string>();
  const overrides: Partial<RuntimeLike> = {
    openFile(mod, fileId, flags) {
      const info = rt.getFileInfo(mod, fileId);
      if (info?.dataProtocol !== HTTP || !info.dataUrl || flags & FILE_FLAGS_WRITE || !(flags & FILE_FLAGS_READ)) return rt.openFile.call(base, mod, fileId, flags);
      try {
        const { size, lastModified } = http.open(info.dataUrl);
        urls.set(fileId, info.dataUrl);
        const m = mod as ModuleLike;
        const result = m._malloc(3 * 8);
        m.HEAPF64[(result >> 3) + 0] = size;
        m.HEAPF64[(result >> 3) + 1] = 0; // no buffer: DuckDB reads through readFile
        m.HEAPF64[(result >> 3) + 2] = (lastModified ?? 0) / 1000;
        return result;
      } catch (err) {
        failWith(mod as never, err instanceof Error ? err.message : String(err));
        return 0;
      }
    },
    readFile(mod, fileId, buf, bytes, location) {
      const url = urls.get(fileId);
      if (url === undefined) return rt.readFile.call(base, mod, fileId, buf, bytes, location);
      try {
        const data = http.read(url, location, bytes);
        (mod as ModuleLike).HEAPU8.set(data, buf);
        return data.length;
      } catch (err) {
        failWith(mod as never, err instanceof Error ? err.message : String(err));
        return 0;
      }
    },
    closeFile(mod, fileId) {
      urls.delete(fileId);
      rt.closeFile.call(base, mod, fileId);
    },
  };
  // Inherit from DuckDB's runtime so its own state (_files, caches) and every other method stay its own.
  return Object.assign(Object.create(base) as R, overrides);
}
