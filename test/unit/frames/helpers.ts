import { expect } from 'vitest';
import type { FrameRunResult, StepOutput } from '../../../src/frames/run';
import { renderType, type StructField } from '../../../src/schema/types';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import type { PlainValue } from '../../../src/engine/values';

let shared: Promise<Engine> | null = null;

/** One real DuckDB-WASM engine per test file. */
export function engineOnce(): Promise<Engine> {
  shared ??= createNodeEngine();
  return shared;
}

/** All rows of a relation, in table order. */
export function rows(engine: Engine, relation: string): PlainValue[][] {
  return engine.query(`SELECT * FROM "${relation}"`).rows;
}

export const PRICE = 'UNION("bigint" BIGINT, "string" VARCHAR)';

/**
 * Orders with nested data and a choice column: price was 1 in some JSON records and "1.5 USD" in others.
 */
export function createOrders(engine: Engine, name = 'orders'): void {
  engine.query(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES
    (1, 'ann', {'city': 'Oslo', 'zip': '0150'}, [10, 20], CAST(CAST(5 AS BIGINT) AS ${PRICE}), '{"a": 1, "b": "x"}'),
    (2, 'bob', {'city': 'Lima', 'zip': NULL}, [], CAST('7' AS ${PRICE}), 'nope'),
    (3, NULL, NULL, NULL, CAST('1.5 USD' AS ${PRICE}), NULL),
    (4, 'dan', {'city': 'Pune', 'zip': '4110'}, [30], NULL, '{"a": 2, "b": "y"}')
  ) t(id, name, address, tags, price, payload)`);
}

/** The last step's output of a run that must succeed. */
export function last(result: FrameRunResult): StepOutput {
  expect(result.failure).toBeNull();
  return result.steps.at(-1)!;
}

/** The failure message of a run that must fail. */
export function failure(result: FrameRunResult): string {
  expect(result.failure).not.toBeNull();
  return result.failure!.message;
}

/** A schema as `name:type` strings. */
export const types = (schema: StructField[]) => schema.map((f) => `${f.name}:${renderType(f.type)}`);
