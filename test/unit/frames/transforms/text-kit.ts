/** Running one text/date step over a hand-made table on real DuckDB-WASM (shared by the kinds' tests). */
import { readFileSync } from 'node:fs';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { renderType, type StructField } from '../../../../src/schema/types';
import { engineOnce, rows } from '../helpers';

let ns = 0;

export async function engine(): Promise<Engine> {
  return engineOnce();
}

/** A table from a VALUES list: `values` like `('a', 1), ('b', 2)`, `columns` like `s, n`. */
export function table(e: Engine, name: string, columns: string, values: string): string {
  e.query(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES ${values}) t(${columns})`);
  return name;
}

/** A vega-datasets file opened as the Workspace opens it; returns its table. */
export async function vega(e: Engine, file: string): Promise<string> {
  const [t] = await openFile(e, file, { kind: 'buffer', bytes: new Uint8Array(readFileSync(`node_modules/vega-datasets/data/${file}`)) });
  return t!.table;
}

export const types = (schema: StructField[]) => schema.map((f) => `${f.name}:${renderType(f.type)}`);

/** One step over `input`: its output schema, rows, error rows; throws the compile error's message. */
export function runStep(e: Engine, input: string, kind: string, params: unknown) {
  const r = runFrame(e, { input, steps: [{ id: 's', kind, params } as unknown as Step], sampleRows: null, namespace: `tk${++ns}` });
  if (r.failure) throw new Error(r.failure.message);
  const out = r.steps.at(-1)!;
  return { schema: types(out.schema), rows: rows(e, out.relation), errors: out.errorRelation ? rows(e, out.errorRelation) : [], errorCount: out.errorCount };
}
