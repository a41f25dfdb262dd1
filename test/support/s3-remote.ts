import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Fault } from './fault-proxy';
import { s3Helpers, type TestS3 } from './s3';

/** An S3 server and fault proxy running in a child process (see s3-process.ts). */
export interface RemoteS3 {
  s3: TestS3;
  /** Rewrite a URL to go through the proxy. */
  via(url: string): string;
  /** Script faults and HEAD refusals; resolves with every request the proxy saw so far. */
  control(command: { faults?: Fault[]; refuseHead?: number | null }): Promise<string[]>;
  close(): Promise<void>;
}

/** Start the child and connect to it. */
export async function startRemoteS3(): Promise<RemoteS3> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./s3-process.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`s3-process exited with ${code}`)));
  });
  const hello = (await next()) as { endpoint: string; bucket: string; proxy: string };
  const s3 = s3Helpers(hello.endpoint, hello.bucket);
  return {
    s3,
    via: (t) => { const u = new URL(t); return `${hello.proxy}${u.pathname}${u.search}`; },
    control: async (command) => { const reply = next(); child.send(command); return ((await reply) as { requests: string[] }).requests; },
    close: async () => { s3.client.destroy(); const exited = new Promise((r) => child.once('exit', r)); child.disconnect(); await exited; },
  };
}
