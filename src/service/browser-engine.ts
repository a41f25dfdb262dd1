import { createBrowserEngine } from '../engine/browser';
import type { BrowserEngineOptions } from '../engine/builds';
import type { Engine } from '../engine/engine';
import { readUrlBytes } from '../sources/http';
import { syncRangeReader } from '../sources/sync-range';

/**
 * The browser engine with Epoxy's HTTP reading plugged in: Range GETs only (a GET-presigned S3 URL refuses
 * HEAD), transient failures retried with backoff, errors without the signature. engine/ has no HTTP code.
 */
export function startBrowserEngine(options: BrowserEngineOptions = {}): Promise<Engine> {
  return createBrowserEngine({ readUrl: readUrlBytes, sync: syncRangeReader() }, options);
}
