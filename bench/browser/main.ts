import { wrap, type Remote } from 'comlink';
import { startEngineWorker } from '../../src/app/engine-client';
import { runPool } from '../../src/crawler/pool';
import type { EngineWorkerApi } from '../../src/service/protocol';
import type { ClassifySummary, CrawlWorkerApi } from './crawl.worker';
import type { DuckdbWorkerApi } from './duckdb.worker';
import type { CoiWorkerApi } from './coi.worker';

// Bench-only page: Playwright drops files on its inputs and calls `window.bench`. Work runs in Web Workers,
// over the dropped File objects (disk-backed, read in slices), the way the product crawls in the browser.

function crawlWorker(): { api: Remote<CrawlWorkerApi>; worker: Worker } {
  const worker = new Worker(new URL('./crawl.worker.ts', import.meta.url), { type: 'module', name: 'bench-crawl' });
  return { api: wrap<CrawlWorkerApi>(worker), worker };
}

function files(inputId: string): File[] {
  return Array.from((document.getElementById(inputId) as HTMLInputElement).files ?? []);
}

const single = crawlWorker().api;
let duckdb: Remote<DuckdbWorkerApi> | null = null;
let engine: Remote<EngineWorkerApi> | null = null;

let coi: { api: Remote<CoiWorkerApi>; worker: Worker } | null = null;

const bench = {
  cores: () => navigator.hardwareConcurrency,
  /** A fresh engine worker on a DuckDB build (coi suite); the previous one is terminated, its memory with it. */
  coiStart(build: 'eh' | 'coi', threads: number) {
    coi?.worker.terminate();
    const worker = new Worker(new URL('./coi.worker.ts', import.meta.url), { type: 'module', name: 'bench-coi' });
    coi = { api: wrap<CoiWorkerApi>(worker), worker };
    return coi.api.start(build, threads);
  },
  coiLoad: (inputId: string) => coi!.api.loadTable(files(inputId)[0]!),
  coiTime: (sql: string, runs: number) => coi!.api.time(sql, runs),
  coiReadDropped: (inputId: string, sql: string, settleMs = 0) => coi!.api.readDropped(files(inputId)[0]!, sql, settleMs),
  /** Classify the first file of an input in one worker, `runs` times. */
  classify: (inputId: string, mode: 'sample' | 'full', runs: number) => single.classify(files(inputId)[0]!, files(inputId)[0]!.name, mode, runs),
  papaparse: (inputId: string, runs: number) => single.papaparse(files(inputId)[0]!, runs),
  jsonLines: (inputId: string, runs: number) => single.jsonLines(files(inputId)[0]!, runs),
  /** Start DuckDB-WASM in its own worker (not timed by the sniffer runs). */
  async startDuckdb(): Promise<string> {
    duckdb ??= wrap<DuckdbWorkerApi>(new Worker(new URL('./duckdb.worker.ts', import.meta.url), { type: 'module', name: 'bench-duckdb' }));
    return duckdb.ready();
  },
  sniff: (inputId: string, runs: number) => duckdb!.sniff(files(inputId)[0]!, runs),
  /**
   * Classify every file of a dropped folder on a pool of `size` workers (the crawler's runPool), spawning
   * included; returns the wall time and one summary per file, paths relative to the dropped folder.
   * Mode `read` only reads each file's head in the same pool: the I/O and messaging floor.
   */
  async classifyFolder(inputId: string, size: number, mode: 'sample' | 'read' = 'sample'): Promise<{ ms: number; summaries: ClassifySummary[]; failures: string[] }> {
    const jobs = files(inputId).map((file) => ({ file, path: file.webkitRelativePath.split('/').slice(1).join('/') }));
    const t0 = performance.now();
    const outcomes = await runPool(jobs, () => {
      const { api, worker } = crawlWorker();
      const run = mode === 'read' ? (job: (typeof jobs)[number]) => api.readHead(job.file, job.path) : async (job: (typeof jobs)[number]) => (await api.classify(job.file, job.path, 'sample')).summary;
      return { run, terminate: () => worker.terminate() };
    }, { size, jobTimeoutMs: 60_000, sizeOf: (j) => j.file.size, nameOf: (j) => j.path });
    const ms = performance.now() - t0;
    return { ms, summaries: outcomes.flatMap((o) => (o.ok ? [o.result] : [])), failures: outcomes.flatMap((o) => (o.ok ? [] : [o.error])) };
  },
  /** Start the product's engine worker (src/app/engine-client.ts), as the app exposes it on `window.epoxy`. */
  async startEngine(): Promise<string> {
    engine ??= startEngineWorker();
    Object.assign(globalThis, { epoxy: engine });
    return (await engine.init()).duckdbVersion;
  },
  /** Where the engine worker's memory is (WASM heap, DuckDB's buffers, reads of dropped files). */
  engineMemory: () => engine!.memory(),
  /** Open the dropped file with the engine (a lazy view over the File) and write `sql`'s result as Parquet (base64). */
  async engineJob(inputId: string, sqlTemplate: string): Promise<{ ms: number; parquet: string }> {
    const file = files(inputId)[0]!;
    const t0 = performance.now();
    const opened = await engine!.open('bench_big.csv', { kind: 'file', file }, file.size);
    const bytes = await engine!.toParquet(sqlTemplate.replace('__SOURCE__', `"${opened.table}"`));
    const ms = performance.now() - t0;
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return { ms, parquet: btoa(binary) };
  },
};

/** What `window.bench` offers to the benchmark suites. */
export type BenchPageApi = typeof bench;
Object.assign(globalThis, { bench });
document.body.dataset.ready = 'true';
