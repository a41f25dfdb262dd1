#!/usr/bin/env node
// The CLI is the TypeScript core run through tsx, so `npx epoxy` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
