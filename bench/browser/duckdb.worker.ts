/// <reference lib="webworker" />
import { expose } from 'comlink';
import { startBrowserEngine } from '../../src/service/browser-engine';
import { quoteLiteral } from '../../src/engine/sql';

// The same Engine (DuckDB-WASM, blocking bundle) the app's engine worker runs, used here for its CSV sniffer.
const ready = startBrowserEngine();

const api = {
  /** Wait for DuckDB-WASM to be instantiated; returns its version. */
  async ready(): Promise<string> {
    return (await ready).version();
  },
  /** Register the dropped File (read lazily) and time DuckDB's sniffer: DESCRIBE SELECT * FROM read_csv(...). */
  async sniff(file: File, runs = 1): Promise<{ times: number[]; columns: { name: string; type: string }[] }> {
    const engine = await ready;
    const path = await engine.registerSource(file.name, { kind: 'file', file });
    const times: number[] = [];
    let columns: { name: string; type: string }[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const result = engine.query(`DESCRIBE SELECT * FROM read_csv(${quoteLiteral(path)})`);
      times.push(performance.now() - t0);
      columns = result.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    }
    return { times, columns };
  },
};

/** The protocol of the bench DuckDB worker. */
export type DuckdbWorkerApi = typeof api;
expose(api);
