/// <reference lib="webworker" />
import { expose } from 'comlink';
import Papa from 'papaparse';
import { classifySource, fullScan } from '../../src/classifiers';
import { fileSource } from '../../src/sources/byte-source';
import { schemaColumns } from '../lib/check';
import { jsonLinesPass, PAPA_OPTIONS } from '../lib/peers';

/** What the page gets back from one classification: small and structured-clonable. */
export interface ClassifySummary {
  path: string;
  classification: string;
  columns: { name: string; type: string }[];
  recordCount: number | null;
  warnings: string[];
}

function classifierSource(path: string, file: File) {
  return { ...fileSource(path, file), name: path };
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ times: number[]; last: T }> {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { times, last };
}

const api = {
  /** Classify one dropped file in this worker: sampled (classifySource) or full scan (fullScan). */
  async classify(file: File, path: string, mode: 'sample' | 'full', runs = 1): Promise<{ times: number[]; summary: ClassifySummary }> {
    const { times, last } = await timed(runs, () => (mode === 'sample' ? classifySource : fullScan)(classifierSource(path, file)));
    return { times, summary: { path, classification: last.classification, columns: schemaColumns(last.schema), recordCount: last.recordCount ?? null, warnings: last.warnings ?? [] } };
  },
  /** Only read what a sample reads of a small file (its first 256 KB): the I/O floor of classification. */
  async readHead(file: File, path: string): Promise<ClassifySummary> {
    const bytes = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
    return { path, classification: 'read', columns: [], recordCount: bytes.length, warnings: [] };
  },
  /** papaparse with dynamicTyping over the File (its own streaming File reader). */
  async papaparse(file: File, runs = 1): Promise<{ times: number[]; records: number }> {
    const { times, last } = await timed(runs, () => new Promise<number>((resolve, reject) => {
      let records = 0;
      Papa.parse<Record<string, unknown>>(file, { ...PAPA_OPTIONS, chunk: (r) => { records += r.data.length; }, complete: () => resolve(records), error: reject });
    }));
    return { times, records: last };
  },
  /** JSON.parse per line over the File, streamed in 4 MB slices. */
  async jsonLines(file: File, runs = 1): Promise<{ times: number[]; records: number }> {
    const { times, last } = await timed(runs, () => jsonLinesPass(fileSource(file.name, file)));
    return { times, records: last };
  },
};

/** The protocol of the bench crawl worker. */
export type CrawlWorkerApi = typeof api;
expose(api);
