import { DuckDBDataProtocol, type DuckDBBindings, type DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { Table } from 'apache-arrow';
import { concatBytes, IPC_EOS } from './bytes';

/** How a registered file reaches DuckDB: the Engine's DataSource, as a host needs it. */
export type HostSource =
  | { kind: 'file'; file: File }
  | { kind: 'buffer'; bytes: Uint8Array }
  | { kind: 'url'; url: string }
  | { kind: 'path'; path: string };

/** Options of DuckDB-WASM's insertArrowFromIPCStream, which every host honours the same way. */
export interface InsertOptions {
  name: string;
  schema?: string;
  create: boolean;
}

/** One DuckDB connection, synchronous, with results as DuckDB-WASM's Arrow. */
export interface HostConnection {
  /** Run SQL (one or more statements): the last statement's result. */
  query(sql: string): Table;
  /** The same, as Arrow IPC bytes. */
  queryIPC(sql: string): Uint8Array;
  /** Run exactly one prepared statement (a second statement in `sql` is refused, never run). */
  queryPrepared(sql: string): Table;
  /** Create (or append to) a table from an Arrow IPC stream. */
  insertIPC(ipc: Uint8Array, options: InsertOptions): void;
  /**
   * queryIPC in slices with `pause` between them, where the host can (DuckDB-WASM's pending queries): a
   * browser worker keeps its event loop turning through a long scan. Other hosts run it whole.
   */
  queryIPCSliced(sql: string, pause: () => Promise<void>): Promise<Uint8Array>;
}

/**
 * What the Engine needs of a DuckDB: DuckDB-WASM's blocking bindings in the browser and Node, or native
 * DuckDB behind a synchronous bridge in Node (native.ts). The Engine is the same class over both.
 */
export interface DuckHost {
  /** 'wasm' reads Parquet through parquet-wasm (no extension offline); 'native' has DuckDB's own readers. */
  readonly kind: 'wasm' | 'native';
  /** The folder registered files live in (no trailing slash): the only one a locked engine reads. */
  readonly root: string;
  connect(): HostConnection;
  version(): string;
  /** Bytes of the WASM heap (its high-water mark), or 0 for a native host. */
  heapBytes(): number;
  /** Make `source` readable by SQL at `path` (under root). */
  register(path: string, source: HostSource): Promise<void>;
  /** Put bytes at `path` (under root or the scratch folder) at once, for SQL to read. */
  writeFile(path: string, bytes: Uint8Array): void;
  /** The bytes of a file DuckDB wrote (COPY … TO path). */
  readFile(path: string): Uint8Array;
  /** Forget a registered or written file. */
  dropFile(path: string): void;
}

/** DuckDB-WASM's blocking bindings as a DuckHost. */
export function wasmHost(db: DuckDBBindings): DuckHost {
  return {
    kind: 'wasm',
    root: '/epoxy',
    connect: () => wasmConnection(db.connect()),
    version: () => db.getVersion(),
    heapBytes: () => (db as unknown as { mod?: { HEAPU8?: Uint8Array } }).mod?.HEAPU8?.buffer.byteLength ?? 0,
    async register(path, source) {
      switch (source.kind) {
        case 'file': db.registerFileHandle(path, source.file, DuckDBDataProtocol.BROWSER_FILEREADER, true); break;
        case 'buffer': db.registerFileBuffer(path, source.bytes); break;
        case 'url': db.registerFileURL(path, source.url, DuckDBDataProtocol.HTTP, false); break;
        case 'path': db.registerFileURL(path, source.path, DuckDBDataProtocol.NODE_FS, true); break;
      }
    },
    writeFile: (path, bytes) => db.registerFileBuffer(path, bytes),
    readFile: (path) => db.copyFileToBuffer(path),
    dropFile: (path) => db.dropFile(path),
  };
}

function wasmConnection(conn: DuckDBConnection): HostConnection {
  return {
    query: (sql) => conn.query(sql),
    // runQuery already copies the result out of the WASM heap into a buffer of its own.
    queryIPC: (sql) => conn.useUnsafe((db, c) => db.runQuery(c, sql)),
    queryPrepared(sql) {
      const prepared = conn.prepare(sql);
      try {
        return prepared.query();
      } finally {
        prepared.close();
      }
    },
    insertIPC: (ipc, options) => conn.insertArrowFromIPCStream(ipc, options),
    queryIPCSliced: (sql, pause) => conn.useUnsafe(async (db, c) => {
      const parts: Uint8Array[] = [];
      let header = db.startPendingQuery(c, sql, false);
      while (header === null) {
        await pause();
        header = db.pollPendingQuery(c);
      }
      parts.push(header);
      for (;;) {
        const chunk = db.fetchQueryResults(c);
        if (chunk === null) { await pause(); continue; }
        if (chunk.length === 0) break;
        parts.push(chunk);
      }
      parts.push(IPC_EOS);
      return concatBytes(parts);
    }),
  };
}
