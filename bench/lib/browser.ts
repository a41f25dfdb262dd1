import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { chromiumPath } from '../../scripts/chromium-path.mjs';

/** The built app served by vite preview plus a headless chromium, for benchmarks that run where the product runs. */
export interface BrowserBench {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** Debian chromium flags the e2e tests use too (see DESIGN.md). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Start `vite preview` on the built app (building first if needed) and launch chromium. */
export async function startBrowserBench(port = 4297): Promise<BrowserBench> {
  if (!existsSync('dist/index.html')) await run('node', ['node_modules/vite/bin/vite.js', 'build']);
  const server = spawn('node', ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(baseUrl, server);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  return {
    browser,
    baseUrl,
    close: async () => {
      await browser.close();
      server.kill();
    },
  };
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

async function waitForHttp(url: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error('vite preview exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answered at ${url}`);
}
