import { putPresigned, contentTypeFor, type PutResult } from '../sources/put';
import type { RetryPolicy } from '../sources/http';
import { objectLocation, parsePastedUrls } from '../sources/s3-connection';
import { redactUrl } from '../sources/presigned';
import type { OutputFile } from './writers';
import { errorMessage } from '../util/errors';

/**
 * A job target that writes to S3 through presigned PUT URLs. A presigned URL names one key, so the user
 * supplies one PUT URL per output file; outputs are matched to URLs by `location/path`
 * (location = s3://bucket/prefix). With a single output and a single URL, the URL is used whatever its key.
 */
export interface S3PresignedTarget {
  kind: 's3-presigned';
  /** s3://bucket/prefix the outputs are written under (as the catalog records the table). */
  location: string;
  /** Presigned PUT URLs, one per line (the same text a connection keeps); or the name of a connection holding them. */
  putUrls: string;
  connectionName?: string;
  retry?: RetryPolicy;
}

/** One output file bound to the URL it will be PUT to. */
export interface PlannedPut {
  path: string;
  url: string;
  file: OutputFile;
  contentType: string;
}

/** Bind outputs to PUT URLs; outputs without a URL are listed by the location they needed (never by signature). */
export function planS3Puts(outputs: OutputFile[], target: S3PresignedTarget): { puts: PlannedPut[]; missing: string[] } {
  const urls = parsePastedUrls(target.putUrls).urls.filter((u) => u.kind === 'put' || u.kind === 'object');
  const byLocation = new Map(urls.map((u) => [objectLocation(u), u.url]));
  const base = target.location.replace(/\/+$/, '');
  if (outputs.length === 1 && urls.length === 1) {
    const file = outputs[0]!;
    return { puts: [{ path: file.path, url: urls[0]!.url, file, contentType: contentTypeFor(file.path) }], missing: [] };
  }
  const puts: PlannedPut[] = [];
  const missing: string[] = [];
  for (const file of outputs) {
    const location = `${base}/${file.path}`;
    const url = byLocation.get(location);
    if (url) puts.push({ path: file.path, url, file, contentType: contentTypeFor(file.path) });
    else missing.push(location);
  }
  return { puts, missing };
}

/**
 * Upload a job's outputs to their presigned PUT URLs, one after another (a job's outputs are few and large;
 * sequential PUTs keep memory flat and failures in order). Throws, before uploading anything, when an output has no URL.
 */
export async function writeOutputsToS3(outputs: OutputFile[], target: S3PresignedTarget, fetchImpl?: typeof fetch): Promise<PutResult[]> {
  const { puts, missing } = planS3Puts(outputs, target);
  if (missing.length) throw new Error(`No presigned PUT URL for ${missing.length} output file${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`);
  const results: PutResult[] = [];
  for (const p of puts) {
    try {
      results.push(await putPresigned(p.url, p.file.bytes, { contentType: p.contentType, retry: target.retry, fetchImpl }));
    } catch (err) {
      throw new Error(`${p.path}: ${redactUrl(errorMessage(err))}`);
    }
  }
  return results;
}
