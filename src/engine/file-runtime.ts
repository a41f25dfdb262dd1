/** The part of DuckDB-WASM's browser runtime this wrapper replaces or reads (typed loosely, as http-runtime.ts). */
interface RuntimeLike {
  _files?: Map<string, unknown>;
  getFileInfo(mod: unknown, fileId: number): { dataProtocol: number; fileName: string } | null;
  readFile(mod: unknown, fileId: number, buf: number, bytes: number, location: number): number;
}

interface ModuleLike {
  HEAPU8: Uint8Array;
}

const BROWSER_FILEREADER = 2; // DuckDBDataProtocol.BROWSER_FILEREADER

/**
 * The largest slice read at once: the transient ArrayBuffer of one read is at most this (see fileReaderRuntime).
 * Each FileReaderSync call costs a round trip to the browser's blob store: 4 MB slices made the 10M-row
 * transform 1.98x native instead of 1.65x (issue 21 bench); DuckDB's own reads (~30 MB) then go in one slice,
 * and dropping each buffer at once is what keeps the peak down.
 */
export const FILE_READ_CHUNK_BYTES = 32 * 1024 * 1024;

/** How the wrapper reads and frees (FileReaderSync and ArrayBuffer.prototype.transfer by default). */
export interface FileReadOptions {
  /** Bytes [start, end) of a File, synchronously; the buffer is the caller's to free. */
  readSlice?: (file: Blob, start: number, end: number) => ArrayBuffer;
  /** Release a read buffer's memory now, rather than at V8's next collection. */
  free?: (buffer: ArrayBuffer) => void;
  /** The largest slice read at once (FILE_READ_CHUNK_BYTES). */
  chunkBytes?: number;
}

/** What the wrapper has read so far: how many reads DuckDB asked for, their bytes and the largest one. */
export interface FileReadStats {
  reads: number;
  bytes: number;
  largestRead: number;
}

// Blink keeps a read buffer's memory alive for as long as its own wrapper lives, whatever JS does to the
// ArrayBuffer, until a full collection. Transferring it in a message hands the memory to the message, and a
// message to a port whose other end is closed is dropped at once: the memory goes with it.
const drop: (b: ArrayBuffer) => void = typeof MessageChannel === 'function'
  ? (b) => {
    const channel = new MessageChannel();
    channel.port2.close();
    channel.port1.postMessage(null, [b]);
    channel.port1.close();
  }
  : () => {};

/**
 * DuckDB-WASM reads a dropped File (BROWSER_FILEREADER) with one FileReaderSync call per read DuckDB asks for
 * (a whole 32 MB CSV buffer at a time), each a fresh ArrayBuffer outside the WASM heap that lived until a full
 * collection, which a worker blocked in a scan seldom runs: a 2 GB CSV job piled up ~1 GB of dead read
 * buffers (issue 21; 1,016-1,692 MB renderer peak). This wrapper reads at most `chunkBytes` at a time and
 * drops each buffer as soon as it is copied into the heap (see `drop`): the same job peaked at 381 MB, 62 MB
 * above the engine at rest. It counts the reads for Engine.memory(); every other protocol and method stays DuckDB's.
 */
export function fileReaderRuntime<R extends object>(base: R, options: FileReadOptions = {}): R & { fileReadStats: FileReadStats } {
  const rt = base as unknown as RuntimeLike;
  const { readSlice = syncSliceReader(), free = drop, chunkBytes = FILE_READ_CHUNK_BYTES } = options;
  const stats: FileReadStats = { reads: 0, bytes: 0, largestRead: 0 };
  const overrides = {
    fileReadStats: stats,
    readFile(mod: unknown, fileId: number, buf: number, bytes: number, location: number): number {
      const info = bytes > 0 ? rt.getFileInfo(mod, fileId) : null;
      const handle = info?.dataProtocol === BROWSER_FILEREADER ? rt._files?.get(info.fileName) : undefined;
      if (!(handle instanceof Blob)) return rt.readFile.call(base, mod, fileId, buf, bytes, location);
      stats.reads++;
      stats.largestRead = Math.max(stats.largestRead, bytes);
      const end = Math.min(handle.size, location + bytes);
      let done = 0;
      for (let at = location; at < end; at += chunkBytes) {
        const data = readSlice(handle, at, Math.min(end, at + chunkBytes));
        // The heap may have grown during an earlier call: take HEAPU8 afresh for every copy.
        (mod as ModuleLike).HEAPU8.set(new Uint8Array(data), buf + done);
        done += data.byteLength;
        free(data);
      }
      stats.bytes += done;
      return done;
    },
  };
  // Inherit from the base runtime so its state (_files, caches) and every other method stay its own.
  return Object.assign(Object.create(base) as R, overrides);
}

function syncSliceReader(): (file: Blob, start: number, end: number) => ArrayBuffer {
  let reader: { readAsArrayBuffer(b: Blob): ArrayBuffer } | null = null;
  return (file, start, end) => {
    // FileReaderSync exists only in workers; one reader serves every call.
    reader ??= new (globalThis as unknown as { FileReaderSync: new () => { readAsArrayBuffer(b: Blob): ArrayBuffer } }).FileReaderSync();
    return reader.readAsArrayBuffer(file.slice(start, end));
  };
}
