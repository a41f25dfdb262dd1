import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json', '.csv': 'text/csv',
};

/**
 * A throwaway static server for the built app that a test can *stop* (a real loss of network, not only an
 * emulated one) and whose files it can replace (a new deployment). Listens on a free port.
 */
export class StaticServer {
  private server: Server | null = null;
  private overrides = new Map<string, string>();

  /** `headers` go on every response (e.g. a Content-Security-Policy the way a host would send it). */
  constructor(private readonly root: string, private readonly headers: Record<string, string> = {}) {}

  /** Serve `body` instead of the file at `path` (e.g. `/sw.js`) from now on. */
  override(path: string, body: string): void {
    this.overrides.set(path, body);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path === '/' ? '/index.html' : path;
      const headers = { ...this.headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' };
      const body = this.overrides.get(file);
      if (body !== undefined) {
        res.writeHead(200, headers).end(body);
        return;
      }
      const full = normalize(join(this.root, file));
      if (!full.startsWith(this.root) || !existsSync(full) || !statSync(full).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': statSync(full).size });
      createReadStream(full).pipe(res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stop listening and drop open connections: from here on the origin is unreachable. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
