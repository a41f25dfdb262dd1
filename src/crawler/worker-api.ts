import { fileSource } from '../sources/byte-source';
import { knownSizeHttpSource } from '../sources/http';
import { classifyByteSource, type ClassifyOptions } from './classify-file';
import type { ClassifiedFile } from './types';
import { errorMessage } from '../util/errors';

/** One file to classify in a crawler worker: a File (read by slices, never whole) or a URL (range reads). */
export interface CrawlJob {
  path: string;
  size: number;
  lastModified?: number;
  file?: Blob;
  url?: string;
}

/** The typed protocol of workers/crawler.worker.ts. */
export interface CrawlerWorkerApi {
  classify(job: CrawlJob, options: ClassifyOptions): Promise<ClassifiedFile>;
}

/** The implementation the crawler worker exposes. */
export function createCrawlerWorkerApi(): CrawlerWorkerApi {
  return {
    async classify(job, options) {
      if (job.file) return classifyByteSource({ ...fileSource(job.path, job.file), lastModified: job.lastModified }, options);
      if (job.url) {
        try {
          // The size is known from the listing or the probe: reads start at once, ranged, never HEAD.
          return await classifyByteSource(knownSizeHttpSource(job.url, { path: job.path, size: job.size, lastModified: job.lastModified }), options);
        } catch (err) {
          return { path: job.path, size: job.size, classification: 'UNKNOWN', schema: [], properties: {}, error: errorMessage(err) };
        }
      }
      throw new Error(`${job.path}: nothing to read (no file and no URL)`);
    },
  };
}
