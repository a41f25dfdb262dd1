import { wrap } from 'comlink';
import type { ByteSource } from '../sources/byte-source';
import type { ClassifyOptions } from './classify-file';
import type { ClassifyMany } from './crawl';
import { runPool, type PoolWorker } from './pool';
import type { ClassifiedFile } from './types';
import type { CrawlerWorkerApi, CrawlJob } from './worker-api';

/** A byte source that can cross into a worker: it carries its File or URL, not just a read function. */
export type TransferableSource = ByteSource & { file?: Blob; url?: string };

/** Start a crawler worker (the app passes `new Worker(new URL('../../workers/crawler.worker.ts', ...))`). */
export type WorkerFactory = () => Worker;

function poolWorker(createWorker: WorkerFactory, options: ClassifyOptions): PoolWorker<TransferableSource, ClassifiedFile> {
  const worker = createWorker();
  const api = wrap<CrawlerWorkerApi>(worker);
  // A worker that dies (uncaught error, out of memory) would leave the call pending forever: fail it instead.
  let crashed: (reason: Error) => void = () => {};
  const crash = new Promise<never>((_, reject) => { crashed = reject; });
  crash.catch(() => {});
  worker.addEventListener('error', (e) => crashed(new Error(`the worker crashed (${e.message || 'no message'})`)));
  return {
    run: (source) => {
      const job: CrawlJob = { path: source.path, size: source.size, lastModified: source.lastModified, file: source.file, url: source.url };
      return Promise.race([api.classify(job, options), crash]);
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * Classify in a pool of Web Workers (one per core, at most 8): files are read by slices inside the
 * workers, a crashed or hung worker is replaced and its file reported, and cancelling kills the pool.
 */
export function browserClassifier(createWorker: WorkerFactory, options: ClassifyOptions, size = Math.min(8, Math.max(2, navigator.hardwareConcurrency || 2)), jobTimeoutMs = 60_000): ClassifyMany {
  return (sources, onProgress, signal) =>
    runPool(sources as TransferableSource[], () => poolWorker(createWorker, options), {
      size,
      jobTimeoutMs,
      sizeOf: (s) => s.size,
      nameOf: (s) => s.path,
      signal,
      onProgress,
    });
}
