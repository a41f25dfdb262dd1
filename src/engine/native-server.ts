import { createRequire } from 'node:module';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { insertIPC, resultToIPC } from './native-arrow';
import type { NativeReply, NativeRequest } from './native-protocol';

// Required, not imported: node-api is CommonJS, and importing it from an ES module runs Node's CommonJS
// lexer over each of its ~60 files first (~100 ms of a command's start).
const { DuckDBInstance: Instance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

/**
 * Native DuckDB (@duckdb/node-api) answering the Engine's requests, in the worker thread that owns it
 * (native-worker.ts wires it to the bridge). Results are the Arrow IPC streams DuckDB-WASM would give.
 */
export class NativeServer {
  private readonly conns: DuckDBConnection[] = [];

  private constructor(private readonly instance: DuckDBInstance) {}

  /** Open an in-memory database with DuckDB's own `config` settings. */
  static async open(config: Record<string, string>): Promise<NativeServer> {
    const instance = await Instance.create(':memory:', config);
    // UTC, as DuckDB-WASM (no ICU time zones): native DuckDB would take the machine's zone, and the same
    // TIMESTAMPTZ literal would mean another instant. Global, so every later connection starts in it.
    const setup = await instance.connect();
    await setup.run("SET GLOBAL TimeZone='UTC'");
    setup.closeSync();
    return new NativeServer(instance);
  }

  /** Answer one request; a DuckDB error becomes `{ ok: false }` with its message. */
  async handle(req: NativeRequest): Promise<NativeReply> {
    try {
      switch (req.op) {
        case 'connect':
          this.conns.push(await this.instance.connect());
          return { ok: true, conn: this.conns.length - 1 };
        case 'version': {
          const result = await (await this.conn(0)).runAndReadAll('SELECT version()');
          return { ok: true, text: String(result.getRows()[0]?.[0] ?? '') };
        }
        case 'query':
          return { ok: true, ipc: await resultToIPC(await this.conn(req.conn).run(req.sql)) };
        case 'prepared': {
          const prepared = await this.conn(req.conn).prepare(req.sql);
          try {
            return { ok: true, ipc: await resultToIPC(await prepared.run()) };
          } finally {
            prepared.destroySync();
          }
        }
        case 'insert':
          await insertIPC(this.conn(req.conn), req.ipc, req.options);
          return { ok: true };
      }
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private conn(id: number): DuckDBConnection {
    const conn = this.conns[id];
    if (!conn) throw new Error(`No native connection ${id}`);
    return conn;
  }
}
