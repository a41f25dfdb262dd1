/** What the set and lookup kinds' tests share: a run over named tables and vega-datasets files opened as the Workspace opens them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame, type FrameRunResult } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import type { TransformExample } from '../../../../src/frames/transforms/def';
import { rows } from '../helpers';

export { failure, last, types } from '../helpers';

let ns = 0;

/** Run steps over `input`, the relations the steps read second given. */
export function run(engine: Engine, steps: Step[], input: string, relations: string[] = []): FrameRunResult {
  return runFrame(engine, { input, steps, sampleRows: null, namespace: `k${++ns}`, relations });
}


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

const F = (name: string) => resolve('test/fixtures/combine', name);

/** Hand-made cases beyond each kind's examples (test/fixtures/combine), run on every engine. */
export const EDGE_CASES: Record<string, TransformExample<unknown>[]> = {
  Intersect: [
    { title: 'NULLs equal, columns in another order, int and bigint widen, a column only one side has', input: F('sets_a.csv'), other: F('sets_b.csv'), params: { other: '' } },
    { title: 'all: duplicates as often as in both', input: F('sets_a.csv'), other: F('sets_b.csv'), params: { other: '', all: true } },
  ],
  Except: [
    { title: 'NULLs equal', input: F('sets_a.csv'), other: F('sets_b.csv'), params: { other: '' } },
    { title: 'all: one by one', input: F('sets_a.csv'), other: F('sets_b.csv'), params: { other: '', all: true } },
  ],
  Lookup: [{ title: 'a dotted key, a key held twice, a NULL key, a taken name with a space', input: F('sets_a.csv'), other: F('lookup_dup.csv'), params: { lookup: '', keys: [{ column: '`k.x`', lookupColumn: 'key' }], take: [{ column: 'val', as: 'v al' }] } }],
  Limit: [{ title: 'the first 4 records, a NULL one among them', input: F('sets_a.csv'), params: { count: 4 } }],
  OrderBy: [
    { title: 'NULLs first ascending, last descending, a name with a space', input: F('sets_a.csv'), params: { sort: [{ path: 'n', direction: 'asc', nulls: 'first' }, { path: 's t', direction: 'desc', nulls: 'last' }] } },
    { title: "unset NULL placement: Spark's defaults", input: F('sets_a.csv'), params: { sort: [{ path: 'n', direction: 'desc' }, { path: '`k.x`' }] } },
  ],
};
