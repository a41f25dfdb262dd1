import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './http';
import { redactUrl } from './presigned';
import { explainPutFailure, putPresigned, PutError } from './put';

/** S3's smallest part (every part but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** One uploaded part, as CompleteMultipartUpload lists it. */
export interface UploadedPart {
  PartNumber: number;
  ETag: string;
}

/** Options: the presigned CompleteMultipartUpload URL (optional), part size, retries, fetch. */
export interface MultipartOptions {
  completeUrl?: string;
  partBytes?: number;
  retry?: RetryPolicy;
  fetchImpl?: typeof fetch;
}

/** The body of CompleteMultipartUpload for uploaded parts. */
export function completeMultipartXml(parts: UploadedPart[]): string {
  return `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.PartNumber}</PartNumber><ETag>"${p.ETag}"</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
}

/**
 * Upload bytes through presigned UploadPart URLs (given in part-number order), then complete the upload
 * with a presigned CompleteMultipartUpload URL when one is given; without it, the parts and the XML to
 * complete with are returned. The bytes are spread over the URLs given, in parts of at least 5 MiB
 * (S3's minimum for every part but the last), so unused URLs are simply left out of the completion.
 */
export async function putMultipart(partUrls: string[], bytes: Uint8Array, options: MultipartOptions = {}): Promise<{ parts: UploadedPart[]; completeXml: string; etag?: string }> {
  if (partUrls.length === 0) throw new PutError('No part URLs', null, false);
  const partBytes = Math.max(options.partBytes ?? MIN_PART_BYTES, Math.ceil(bytes.length / partUrls.length));
  const needed = Math.max(1, Math.ceil(bytes.length / partBytes));
  const parts: UploadedPart[] = [];
  for (let i = 0; i < needed; i++) {
    const url = partUrls[i]!;
    const partNumber = Number(new URL(url).searchParams.get('partNumber') ?? i + 1);
    const result = await putPresigned(url, bytes.subarray(i * partBytes, Math.min(bytes.length, (i + 1) * partBytes)), { retry: options.retry, fetchImpl: options.fetchImpl });
    if (!result.etag) throw new PutError(`Part ${partNumber} was uploaded but its ETag is hidden: add ETag to ExposeHeaders in the bucket CORS rule (${redactUrl(url)})`, null, false);
    parts.push({ PartNumber: partNumber, ETag: result.etag });
  }
  const completeXml = completeMultipartXml(parts);
  if (!options.completeUrl) return { parts, completeXml };
  const completeUrl = options.completeUrl;
  const fetchImpl = options.fetchImpl ?? fetch;
  const etag = await withRetries(async (signal) => {
    const res = await fetchImpl(completeUrl, { method: 'POST', body: completeXml, headers: { 'Content-Type': 'application/xml' }, signal });
    const text = await res.text();
    // S3 may answer 200 and still fail: the error is in the body.
    if (!res.ok || /<Error>/.test(text)) throw explainPutFailure(res.ok ? 500 : res.status, text, completeUrl, 'application/xml');
    return /<ETag>"?([^<"]*)"?<\/ETag>/.exec(text)?.[1];
  }, options.retry ?? DEFAULT_RETRY);
  return { parts, completeXml, etag };
}
