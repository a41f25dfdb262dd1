import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { compilePipeline } from '../../../src/frames/pipeline';
import { relationSchema, runFrame } from '../../../src/frames/run';
import type { Step } from '../../../src/frames/steps';
import { createOrders, engineOnce, rows } from './helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await engineOnce();
  createOrders(engine, 'orders_p');
});

const steps: Step[] = [
  { id: 'a', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'cast:bigint' }] } },
  { id: 'b', kind: 'RenameField', params: { from: 'address.city', to: 'city' } },
  { id: 'c', kind: 'Relationalize', params: {} },
  { id: 'd', kind: 'Sql', params: { sql: 'SELECT id, city FROM input' } },
  { id: 'e', kind: 'Filter', params: { predicate: { sql: 'id > 1' } } },
];

describe('compilePipeline', () => {
  it('a static script gives the same tables as a run, and stops where the schema needs the engine', () => {
    const script = compilePipeline(steps, { relation: 'orders_p', schema: relationSchema(engine, 'orders_p') }, 'script');
    expect(script.outputs.map((o) => o.stepId)).toEqual(['a', 'b', 'c', 'd']);
    expect(script.stoppedAt).toEqual({ stepId: 'e', reason: 'the schema after d is only known by running it' });
    for (const statement of script.statements) engine.query(statement, 0);
    const run = runFrame(engine, { input: 'orders_p', steps: steps.slice(0, 4), sampleRows: null, namespace: 'ran' });
    expect(run.failure).toBeNull();
    for (const [i, o] of script.outputs.entries()) expect(rows(engine, o.relation)).toEqual(rows(engine, run.steps[i]!.relation));
    expect(rows(engine, 'script_1_errors')).toEqual([['a', 'price', '1.5 USD', 'cannot cast choice<bigint,string> to bigint']]);
    expect(rows(engine, 'script_4')).toEqual([[1, 'Oslo'], [2, 'Lima'], [4, 'Pune']]);
  });
});
