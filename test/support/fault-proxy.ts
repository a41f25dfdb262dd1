import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next request: pass it on, answer with a status, drop the connection, or stall. */
export type Fault = 'pass' | 'drop' | 'stall' | number;

/**
 * A reverse proxy on 127.0.0.1 that injects faults from a script (one entry per request, then 'pass'),
 * to prove retries against a real server rather than a mock.
 */
export interface FaultProxy {
  url: string;
  /** Rewrite a URL of the target to go through the proxy. */
  via(targetUrl: string): string;
  script(faults: Fault[]): void;
  requests: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  let faults: Fault[] = [];
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const fault = faults.shift() ?? 'pass';
    requests.push(`${req.method} ${fault}`);
    if (fault === 'drop') { req.socket.destroy(); return; }
    if (fault === 'stall') return; // never answer: the client's timeout must fire
    if (typeof fault === 'number') { res.writeHead(fault, { 'Content-Type': 'text/plain' }); res.end(`injected ${fault}`); return; }
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
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
