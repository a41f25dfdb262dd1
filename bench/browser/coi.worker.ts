/// <reference lib="webworker" />
import { expose } from 'comlink';
import type { Engine } from '../../src/engine/engine';
import type { BuildChoice } from '../../src/engine/builds';
import { startBrowserEngine } from '../../src/service/browser-engine';
import { quoteLiteral } from '../../src/engine/sql';

// The app's browser Engine on a chosen DuckDB-WASM build (eh, or coi with N threads), for the coi suite.
let engine: Engine | null = null;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

const api = {
  /** Start the engine on `build` with `threads` DuckDB threads; returns what it reports (e.g. `coi, 2 threads`). */
  async start(build: BuildChoice, threads: number): Promise<{ build: string; threads: string; isolated: boolean; ms: number }> {
    const t0 = performance.now();
    engine = await startBrowserEngine({ build, threads });
    const ms = performance.now() - t0;
    return { build: engine.build, threads: String(engine.query("SELECT current_setting('threads')").rows[0]![0]), isolated: crossOriginIsolated, ms };
  },
  /** Load the CSV from an in-memory copy (registerFileBuffer) into table `orders`; returns the load time. */
  async loadTable(file: File): Promise<number> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const path = await engine!.registerSource('orders.csv', { kind: 'buffer', bytes });
    const t0 = performance.now();
    engine!.query(`CREATE TABLE orders AS FROM read_csv(${quoteLiteral(path)})`);
    return performance.now() - t0;
  },
  /** Time `sql` `runs` times; returns the times and the result's rows (to compare contenders). */
  time(sql: string, runs: number): { times: number[]; rows: unknown[][] } {
    const times: number[] = [];
    let rows: unknown[][] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      rows = engine!.query(sql).rows;
      times.push(performance.now() - t0);
    }
    return { times, rows };
  },
  /** Read a dropped File lazily (BROWSER_FILEREADER) with `sql` over `__SOURCE__`; the error text if DuckDB fails. */
  async readDropped(file: File, sql: string, settleMs = 0): Promise<{ ms: number } | { error: string }> {
    try {
      const path = await engine!.registerSource(`${settleMs}_${file.name}`, { kind: 'file', file });
      // The File reaches DuckDB's pthread workers by postMessage: give them `settleMs` to take it.
      if (settleMs) await new Promise((resolve) => setTimeout(resolve, settleMs));
      const t0 = performance.now();
      engine!.query(sql.replace('__SOURCE__', `read_csv(${quoteLiteral(path)})`));
      return { ms: performance.now() - t0 };
    } catch (err) {
      return { error: errorText(err) };
    }
  },
};

/** The protocol of the coi bench worker. */
export type CoiWorkerApi = typeof api;
expose(api);
