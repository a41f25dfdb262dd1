import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, GetObjectCommand, ListObjectsV2Command, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import S3rver from 's3rver';

/** A real S3 API (s3rver) on 127.0.0.1 with one bucket, CORS open to the given origins, and presigning helpers. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  put(key: string, body: string | Uint8Array): Promise<void>;
  presignGet(key: string, expiresIn?: number): Promise<string>;
  /** With a contentType, the URL signs the Content-Type header: an upload must send exactly that type. */
  presignPut(key: string, expiresIn?: number, contentType?: string): Promise<string>;
  presignList(prefix: string, continuationToken?: string): Promise<string>;
  /** Start a multipart upload and presign its part URLs and its CompleteMultipartUpload URL. */
  presignMultipart(key: string, parts: number): Promise<{ partUrls: string[]; completeUrl: string }>;
  close(): Promise<void>;
}

/** Start s3rver on a free port (tests start it themselves; nothing beyond 127.0.0.1). */
export async function startS3(options: { bucket?: string; corsOrigins?: string[] } = {}): Promise<TestS3> {
  process.env['AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING'] ??= '1';
  const bucket = options.bucket ?? 'lake';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: mkdtempSync(join(tmpdir(), 'epoxy-s3-')) });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.corsOrigins?.length) {
    await client.send(new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: options.corsOrigins, AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['Content-Range', 'Content-Length', 'ETag', 'Last-Modified'] }] },
    }));
  }
  return s3Helpers(endpoint, bucket, client, () => server.close());
}

/** Helpers over an S3 endpoint already running (e.g. in another process): presigning needs no request. */
export function s3Helpers(endpoint: string, bucket: string, client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }), stop: () => Promise<void> = async () => {}): TestS3 {
  return {
    endpoint,
    bucket,
    client,
    put: async (key, body) => { await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })); },
    presignGet: (key, expiresIn = 3600) => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn }),
    presignPut: (key, expiresIn = 3600, contentType) => getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), { expiresIn, ...(contentType ? { signableHeaders: new Set(['content-type']) } : {}) }),
    presignList: (prefix, token) => getSignedUrl(client, new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { expiresIn: 3600 }),
    presignMultipart: async (key, parts) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const partUrls = await Promise.all(Array.from({ length: parts }, (_, i) => getSignedUrl(client, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: 3600 })));
      const completeUrl = await getSignedUrl(client, new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }), { expiresIn: 3600 });
      return { partUrls, completeUrl };
    },
    close: async () => { client.destroy(); await stop(); },
  };
}
