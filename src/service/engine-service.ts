import { writeOutput } from '../jobs/writers';
import type { Engine } from '../engine/engine';
import type { StartClock } from '../engine/start-clock';
import type { EngineInfo, EngineWorkerApi } from './protocol';
import { openRecords } from '../frames/open-records';
import { openFile } from '../frames/open-file';
import { openFolder } from './open-folder';
import { profileColumn } from '../frames/profile';
import { dropNamespace, runFrame } from '../frames/run';
import { userQueryWithin } from './result-budget';

/**
 * Adapt an engine that starts asynchronously to the worker protocol: every call waits for the
 * engine, so the page can send work before DuckDB has finished instantiating. `clock`, when the start
 * records one, is reported by init() as the start's phases.
 */
export function createEngineService(start: () => Promise<Engine>, transfer: <T>(value: T, transferables: Transferable[]) => T = (v) => v, clock?: StartClock): EngineWorkerApi {
  const started = performance.now();
  let startMs = 0;
  const ready = start().then((engine) => {
    startMs = performance.now() - started;
    return engine;
  });
  const gate = createGate();
  const service: EngineWorkerApi = {
    async init(): Promise<EngineInfo> {
      const engine = await ready;
      return { duckdbVersion: engine.version(), startMs, phases: clock ? [...clock.phases] : [], build: engine.build };
    },
    memory: async () => (await ready).memory(),
    open: async (fileName, source, size, dialect) => (await ready).open(fileName, source, size, undefined, dialect),
    openFile: async (fileName, source, size) => openFile(await ready, fileName, source, size),
    // The service itself is the resolver's QueryEngine: a dropped folder reads as a catalog table over it would.
    openFolder: async (folderName, keys, parts) => openFolder(await ready, service, folderName, keys, parts),
    materialize: async (table) => (await ready).materialize(table),
    page: async (table, offset, limit) => (await ready).page(table, offset, limit),
    query: async (sql, limit) => (await ready).query(sql, limit),
    // A cell budget, not only a row limit: a wide result sends a grid page or so, the grid pages the kept rest.
    userQuery: async (sql, limit) => userQueryWithin(await ready, sql, limit),
    createChecked: async (name, sql, reads) => (await ready).createChecked(name, sql, reads),
    toParquet: async (sql, compression) => {
      const bytes = await gate.exclusive(async () => (await ready).toParquetAsync(sql, compression));
      return transfer(bytes, [bytes.buffer as ArrayBuffer]);
    },
    writeOutput: async (sql, options) => {
      const files = writeOutput(await ready, sql, options);
      return transfer(files, files.map((f) => f.bytes.buffer as ArrayBuffer));
    },
    listTables: async () => (await ready).listTables(),
    close: async (table) => (await ready).close(table),
    runFrame: async (request) => runFrame(await ready, request),
    dropFrame: async (namespace) => dropNamespace(await ready, namespace),
    profileColumn: async (relation, field, options) => profileColumn(await ready, relation, field, options),
    openRecords: async (fileName, source, options) => openRecords(await ready, fileName, source, options),
  };
  // A query that yields to the event loop (toParquet) owns the engine's connection until it settles: it starts
  // once the calls in flight have settled, and calls arriving meanwhile wait for it (a statement on the
  // connection would cancel it), as every call waited while the worker was blocked in a synchronous query.
  // openFolder's own calls go to `service`, not through this gate.
  const waiting = Object.fromEntries(Object.entries(service).map(([name, call]) => [name, (...args: unknown[]) => gate.shared(() => (call as (...a: unknown[]) => Promise<unknown>)(...args))]));
  return { ...waiting, toParquet: service.toParquet } as EngineWorkerApi;
}

/** A readers-writer gate over promises: shared tasks run together, an exclusive one alone. */
function createGate() {
  let exclusive: Promise<void> | null = null;
  const inFlight = new Set<Promise<void>>();
  const settle = (p: Promise<unknown>) => p.then(() => {}, () => {});
  return {
    async shared<T>(task: () => Promise<T>): Promise<T> {
      while (exclusive) await exclusive;
      const run = task();
      const done = settle(run).then(() => { inFlight.delete(done); });
      inFlight.add(done);
      return run;
    },
    async exclusive<T>(task: () => Promise<T>): Promise<T> {
      while (exclusive) await exclusive;
      let release!: () => void;
      const mine = new Promise<void>((r) => { release = r; });
      exclusive = mine;
      try {
        while (inFlight.size) await Promise.all(inFlight);
        return await task();
      } finally {
        exclusive = null;
        release();
      }
    },
  };
}
