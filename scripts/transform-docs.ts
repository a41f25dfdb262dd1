// Writes the transform reference of docs/jobs.md from the registry (src/frames/transforms).
import { readFileSync, writeFileSync } from 'node:fs';
import { withTransformsDocs } from '../src/frames/transforms/docs';

const file = new URL('../docs/jobs.md', import.meta.url);
writeFileSync(file, withTransformsDocs(readFileSync(file, 'utf8')));
console.log('docs/jobs.md: transform reference written');
