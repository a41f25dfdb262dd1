/** What the set and lookup kinds' tests share: a run over named tables and vega-datasets files opened as the Workspace opens them. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame, type FrameRunResult } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { renderType, type StructField } from '../../../../src/schema/types';
import { rows } from '../helpers';

let ns = 0;

/** Run steps over `input`, the relations the steps read second given. */
export function run(engine: Engine, steps: Step[], input: string, relations: string[] = []): FrameRunResult {
  return runFrame(engine, { input, steps, sampleRows: null, namespace: `k${++ns}`, relations });
}

/** The last step's output (the run must not have failed). */
export function last(result: FrameRunResult) {
  expect(result.failure).toBeNull();
  return result.steps.at(-1)!;
}

/** The error messages a failed run reports. */
export function failure(result: FrameRunResult): string {
  expect(result.failure).not.toBeNull();
  return result.failure!.message;
}

export const types = (schema: StructField[]) => schema.map((f) => `${f.name}:${renderType(f.type)}`);

/** Open a vega-datasets file as the Workspace does; its table name. */
export async function vega(engine: Engine, file: string): Promise<string> {
  const bytes = new Uint8Array(readFileSync(`node_modules/vega-datasets/data/${file}`));
  const [opened] = await openFile(engine, file, { kind: 'buffer', bytes });
  return opened!.table;
}

/** Rows of a relation sorted as text, for outputs whose order is unspecified. */
export function sortedRows(engine: Engine, relation: string): unknown[][] {
  return rows(engine, relation).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
