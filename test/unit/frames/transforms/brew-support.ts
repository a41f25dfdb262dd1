import { expect } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { runFrame, type FrameRunResult } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { renderType, type StructField } from '../../../../src/schema/types';
import { engineOnce, rows } from '../helpers';

/** Shared by the DataBrew column-operation tests: one real DuckDB-WASM engine per file and a small table. */
export async function brewEngine(): Promise<Engine> {
  const engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE people AS SELECT * FROM (VALUES
    (1, '  Ann Lee  ', {'city': ' oslo ', 'zip': '0150'}, CAST(2.675 AS DOUBLE), DATE '2024-03-10', TIMESTAMP '2024-03-10 14:05:09.5', '2024-12-30', 7),
    (2, NULL, NULL, NULL, NULL, NULL, 'nope', NULL),
    (3, 'bob o''NEIL. the ÉLU! ok? yes', {'city': 'LIMA', 'zip': NULL}, -0.3, DATE '2021-01-03', TIMESTAMP '2021-01-03 00:00:00', '2021-01-03T23:59:01', -2),
    (4, chr(9) || 'tab' || chr(9) || ' ', {'city': NULL, 'zip': NULL}, -2.5, DATE '2020-02-29', TIMESTAMP '2020-02-29 09:30:00', '2012-02-30', 0)
  ) t(id, "full name", address, amount, "day", "at", iso, n)`);
  return engine;
}

let ns = 0;

/** Run steps over a table; the last step's output (asserting the run did not fail). */
export function runLast(engine: Engine, steps: Step[], input = 'people') {
  const result: FrameRunResult = runFrame(engine, { input, steps, sampleRows: null, namespace: `b${++ns}` });
  expect(result.failure).toBeNull();
  const out = result.steps.at(-1)!;
  return { ...out, rows: rows(engine, out.relation), types: types(out.schema) };
}

/** The failure message of a run that must fail. */
export function runFailure(engine: Engine, steps: Step[], input = 'people'): string {
  const result = runFrame(engine, { input, steps, sampleRows: null, namespace: `b${++ns}` });
  expect(result.failure).not.toBeNull();
  return result.failure!.message;
}

export const types = (schema: StructField[]) => schema.map((f) => `${f.name}:${renderType(f.type)}`);

/** One column of rows by its index. */
export const col = (rs: unknown[][], i: number) => rs.map((r) => r[i]);
