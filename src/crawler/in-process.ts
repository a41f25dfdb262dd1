import type { ByteSource } from '../sources/byte-source';
import { classifyByteSource, type ClassifyOptions } from './classify-file';
import type { ClassifyMany } from './crawl';
import { runPool } from './pool';

/** Classify in this thread (Node CLI, tests): the same pool logic, with "workers" that run in-process. */
export function inProcessClassifier(options: ClassifyOptions, concurrency = 4, jobTimeoutMs = 120_000): ClassifyMany {
  return (sources: ByteSource[], onProgress, signal) =>
    runPool(sources, () => ({ run: (s: ByteSource) => classifyByteSource(s, options), terminate: () => {} }), {
      size: concurrency,
      jobTimeoutMs,
      sizeOf: (s) => s.size,
      nameOf: (s) => s.path,
      signal,
      onProgress,
    });
}
