import type { InsertOptions } from './host';

/**
 * The messages between the Engine's thread and the worker thread that owns native DuckDB (native.ts and
 * native-server.ts): one request at a time, the Engine's thread blocked until its reply arrives.
 */
export type NativeRequest =
  | { op: 'connect' }
  | { op: 'version' }
  /** Run SQL (one or more statements); the reply holds the last result as an Arrow IPC stream. */
  | { op: 'query'; conn: number; sql: string }
  /** Prepare and run exactly one statement. */
  | { op: 'prepared'; conn: number; sql: string }
  | { op: 'insert'; conn: number; ipc: Uint8Array; options: InsertOptions };

/** What each request answers: `conn` for connect, `text` for version, `ipc` for query and prepared. */
export type NativeReply =
  | { ok: true; conn?: number; text?: string; ipc?: Uint8Array }
  | { ok: false; error: string };

/** Slots of the shared signal (an Int32Array), besides [0]: 0 while a request is pending, 1 once its reply is posted. */
export const HEARTBEAT = 1;
/** Set to 1 when the worker thread ends. */
export const ENDED = 2;
/** Bytes of the shared signal. */
export const SIGNAL_BYTES = 12;

/** What the worker thread is started with. */
export interface NativeWorkerData {
  /** The shared signal: see HEARTBEAT and ENDED. */
  signal: SharedArrayBuffer;
  port: import('node:worker_threads').MessagePort;
  /** DuckDB's own settings at open (threads, temp_directory, …), as DuckDBInstance.create takes them. */
  config: Record<string, string>;
}
