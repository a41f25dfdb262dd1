import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame, type FrameRunResult, type StepOutput } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { rows } from '../helpers';

export { failure, last, types } from '../helpers';

export { engineOnce, rows } from '../helpers';

let ns = 0;

/** Run steps over a relation the way the Transform view does (full data). */
export function run(engine: Engine, input: string, steps: Step[]): FrameRunResult {
  return runFrame(engine, { input, steps, sampleRows: null, namespace: `shape${++ns}` });
}


/** The rows of an extra output by name. */
export function extraRows(engine: Engine, out: StepOutput, name: string) {
  const x = out.extras.find((e) => e.name === name);
  expect(x, name).toBeDefined();
  return rows(engine, x!.relation);
}

/** Open a file of the repo (a vega-datasets file) as the tab does; its table name. */
export async function openRepoFile(engine: Engine, path: string): Promise<string> {
  const bytes = new Uint8Array(readFileSync(resolve(__dirname, '../../../..', path)));
  const [opened] = await openFile(engine, path.split('/').pop()!, { kind: 'buffer', bytes });
  return opened!.table;
}
