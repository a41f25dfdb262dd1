import { quoteIdent } from '../engine/sql';
import { compileStep, factsSql, type CompileContext, type FrameRef, type StepMessage } from './compile';
import type { Step } from './steps';

export interface CompiledPipeline {
  /** CREATE TABLE statements, in order: each step's output, its error records, its extra outputs. */
  statements: string[];
  outputs: { stepId: string; relation: string; errorRelation: string | null }[];
  messages: StepMessage[];
  /** Set when a step's input schema is only known after running (free SQL, untyped derived, DropNullFields). */
  stoppedAt: { stepId: string; reason: string } | null;
}

/**
 * Compile steps into one SQL script without running anything (what a job exports as DuckDB SQL).
 * Schemas flow statically from step to step; a step whose output schema only the engine knows ends the
 * static chain — run it with runFrame instead.
 */
export function compilePipeline(steps: Step[], input: FrameRef, namespace: string, ctx: Omit<CompileContext, 'facts'> = {}): CompiledPipeline {
  const out: CompiledPipeline = { statements: [], outputs: [], messages: [], stoppedAt: null };
  let current = input;
  for (const [i, step] of steps.entries()) {
    if (factsSql(step, current)) {
      out.stoppedAt = { stepId: step.id, reason: `${step.kind} depends on the data; run it with runFrame` };
      break;
    }
    const compiled = compileStep(step, current, ctx);
    out.messages.push(...compiled.messages);
    const relation = `${namespace}_${i + 1}`;
    out.statements.push(`CREATE OR REPLACE TABLE ${quoteIdent(relation)} AS ${compiled.sql};`);
    const errorRelation = compiled.errorSql ? `${relation}_errors` : null;
    if (compiled.errorSql) out.statements.push(`CREATE OR REPLACE TABLE ${quoteIdent(errorRelation!)} AS ${compiled.errorSql};`);
    for (const x of compiled.extras) out.statements.push(`CREATE OR REPLACE TABLE ${quoteIdent(`${relation}_${x.name.replace(/[^A-Za-z0-9_]+/g, '_')}`)} AS ${x.sql};`);
    out.outputs.push({ stepId: step.id, relation, errorRelation });
    if (!compiled.outputSchema) {
      if (i < steps.length - 1) out.stoppedAt = { stepId: steps[i + 1]!.id, reason: `the schema after ${step.id} is only known by running it` };
      break;
    }
    current = { relation, schema: compiled.outputSchema };
  }
  return out;
}
