#!/usr/bin/env node
// `epoxy` runs the CLI prebuilt in dist-cli/ (scripts/cli-bundle.mjs): built by `npm ci` (prepare), rebuilt
// here when a source changed since, and the TypeScript sources through tsx when it cannot be built (or
// EPOXY_CLI=tsx), so `npx epoxy` works in any checkout with nothing else run.
import { fileURLToPath } from 'node:url';
import { cliBundle, usesBundle } from '../scripts/cli-bundle.mjs';

const argv = process.argv.slice(2);
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = usesBundle(argv, process.env) ? await cliBundle(root) : null;
let main;
if (bundle) ({ main } = await import(bundle));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(argv);
