import { defineConfig } from '@playwright/test';
import { chromiumPath } from './scripts/chromium-path.mjs';

const port = Number(process.env.EPOXY_E2E_PORT ?? 4181);

// e2e tests drive the *built* app (vite preview) in Debian's chromium; no browser download.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two spec files at a time on CI's 2 cores: every server a spec starts listens on port 0, and one preview
  // serves both. Measured on a clean build: 111 tests in 9.2 min, against 13.9 min on one worker.
  // EPOXY_E2E_WORKERS=1 runs them one at a time (to tell a contention failure from a real one).
  workers: Number(process.env.EPOXY_E2E_WORKERS ?? 2),
  retries: 0,
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
