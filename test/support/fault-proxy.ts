import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next request: pass it on, answer with a status, drop the connection, or stall. */
export type Fault = 'pass' | 'drop' | 'stall' | number | { status: number; body: string };

/**
 * A reverse proxy on 127.0.0.1 that injects faults from a script (one entry per request, then 'pass'),
 * to prove retries against a real server rather than a mock.
 */
export interface FaultProxy {
  url: string;
  /** Rewrite a URL of the target to go through the proxy. */
  via(targetUrl: string): string;
  script(faults: Fault[]): void;
  /** Answer every HEAD with this status (as real S3 answers HEAD on a GET-presigned URL: 403), or pass HEADs on (null). */
  refuseHead(status: number | null): void;
  /** Add CORS headers for this origin to injected answers (a browser must be able to read them). */
  corsOrigin(origin: string | null): void;
  requests: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  let faults: Fault[] = [];
  let headStatus: number | null = null;
  let origin: string | null = null;
  const requests: string[] = [];
  const cors = (): Record<string, string> => (origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Content-Range, Content-Length, ETag' } : {});
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') { forward(req, res); return; } // CORS preflights are not the requests under test
    if (req.method === 'HEAD' && headStatus !== null) { requests.push(`HEAD ${headStatus}`); res.writeHead(headStatus, cors()); res.end(); return; }
    const fault = faults.shift() ?? 'pass';
    requests.push(`${req.method} ${typeof fault === 'object' ? fault.status : fault}`);
    if (fault === 'drop') { req.socket.destroy(); return; }
    if (fault === 'stall') return; // never answer: the client's timeout must fire
    if (typeof fault === 'number') { res.writeHead(fault, { 'Content-Type': 'text/plain', ...cors() }); res.end(`injected ${fault}`); return; }
    if (typeof fault === 'object') { req.resume(); res.writeHead(fault.status, { 'Content-Type': 'application/xml', ...cors() }); res.end(fault.body); return; }
    forward(req, res);
  };
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: { ...req.headers, host: targetUrl.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server: Server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    via: (t) => { const u = new URL(t); return `${url}${u.pathname}${u.search}`; },
    script: (f) => { faults = [...f]; },
    refuseHead: (status) => { headStatus = status; },
    corsOrigin: (o) => { origin = o; },
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
