import { IPC_EOS } from './bytes';
import type * as ParquetWasm from 'parquet-wasm';

/** The part of parquet-wasm the engine uses; the Node and browser builds share it once initialised. */
export type ParquetModule = Pick<typeof ParquetWasm, 'readParquet' | 'writeParquet' | 'Table' | 'WriterPropertiesBuilder' | 'Compression' | 'ParquetFile'>;

/** Parquet compression codecs offered to users. */
export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'uncompressed';

/**
 * Parquet <-> Arrow IPC conversion. DuckDB-WASM has no parquet extension offline,
 * so Parquet crosses into and out of DuckDB as Arrow IPC streams.
 */
export class ParquetCodec {
  /** `pq` is public so frame readers can stream row groups through the same initialised module. */
  constructor(readonly pq: ParquetModule) {}

  /** Decode a whole Parquet file into one Arrow IPC stream. */
  toArrowIPC(parquet: Uint8Array): Uint8Array {
    let table;
    try {
      table = this.pq.readParquet(parquet);
    } catch (err) {
      throw new Error(`Not a readable Parquet file: ${errorText(err)}`);
    }
    return table.intoIPCStream();
  }

  /** Encode an Arrow IPC stream as a Parquet file. */
  fromArrowIPC(ipc: Uint8Array, compression: ParquetCompression = 'snappy'): Uint8Array {
    const codec = {
      snappy: this.pq.Compression.SNAPPY,
      zstd: this.pq.Compression.ZSTD,
      gzip: this.pq.Compression.GZIP,
      uncompressed: this.pq.Compression.UNCOMPRESSED,
    }[compression];
    const props = new this.pq.WriterPropertiesBuilder().setCompression(codec).setCreatedBy('epoxy').build();
    return this.pq.writeParquet(this.pq.Table.fromIPCStream(ipcFileToStream(ipc)), props);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * DuckDB-WASM returns results in the Arrow IPC *file* format, which embeds the stream format between
 * its magic header and its footer; parquet-wasm reads streams. Cut the stream out without copying.
 */
export function ipcFileToStream(ipc: Uint8Array): Uint8Array {
  const isFile = MAGIC.every((b, i) => ipc[i] === b) && MAGIC.every((b, i) => ipc[ipc.length - 6 + i] === b);
  if (!isFile) return ipc;
  const footerLength = new DataView(ipc.buffer, ipc.byteOffset + ipc.length - 10, 4).getInt32(0, true);
  const stream = ipc.subarray(8, ipc.length - 10 - footerLength);
  const hasEos = stream.length >= 8 && IPC_EOS.every((b, i) => stream[stream.length - 8 + i] === b);
  if (hasEos) return stream;
  const out = new Uint8Array(stream.length + IPC_EOS.length);
  out.set(stream);
  out.set(IPC_EOS, stream.length);
  return out;
}
