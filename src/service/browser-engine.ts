import { createBrowserEngine, type BrowserEngineOptions, type BuildChoice } from '../engine/browser';
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

/** Suffix of an engine worker's name that asks it for a DuckDB build (`epoxy-engine:coi`); see app/engine-client.ts. */
const BUILD_SUFFIX = /:(auto|eh|coi)$/;

/** The DuckDB build an engine worker's name asks for (app/engine-client names it); eh when it asks for none. */
export function buildFromWorkerName(name: string): BuildChoice {
  return (BUILD_SUFFIX.exec(name)?.[1] as BuildChoice | undefined) ?? 'eh';
}
