#!/usr/bin/env node
// `epoxy` runs the CLI prebuilt in dist-cli/ (scripts/cli-bundle.mjs): built by `npm ci` (prepare), rebuilt
// here when a source changed since, and the TypeScript sources through tsx when it cannot be built (or
// EPOXY_CLI=tsx), so `npx epoxy` works in any checkout with nothing else run.
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { cliBundle, usesBundle } from '../scripts/cli-bundle.mjs';

// Set before DuckDB's 34 MB module is compiled (measured, issue 21): a 50x higher tier-up budget leaves
// TurboFan the truly hot functions only (~220 ms less CPU per start, no slower on a 1M-row group-by), and
// lazy validation checks a function when it is first compiled instead of all 75,000 up front (~100 ms).
setFlagsFromString('--wasm-tiering-budget=100000000');
setFlagsFromString('--wasm-lazy-validation');

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
