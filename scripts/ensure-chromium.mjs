#!/usr/bin/env node
// Makes sure the e2e tests have a chromium: Debian's package is installed when missing and we are root;
// otherwise we stop with the exact command to run. EPOXY_CHROMIUM=/path/to/chrome overrides.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium-path.mjs';

const path = chromiumPath();
if (existsSync(path)) process.exit(0);

const overridden = Boolean(process.env.EPOXY_CHROMIUM || process.env.CHROMIUM_PATH);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!overridden && isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('chromium is missing: installing Debian\'s chromium package (apt-get update && apt-get install -y chromium)');
  execSync('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium', { stdio: 'inherit' });
  if (existsSync(path)) process.exit(0);
}
console.error(overridden
  ? `No browser at ${path} (from EPOXY_CHROMIUM/CHROMIUM_PATH). Point it at a chromium or chrome binary.`
  : `The e2e tests need chromium at ${path}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium\nor set EPOXY_CHROMIUM=/path/to/chromium.`);
process.exit(1);
