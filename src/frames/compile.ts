/**
 * Steps to DuckDB SQL: the one entry the runner, the editor's checks and the DuckDB export share. Each kind's
 * compile lives with the kind in src/frames/transforms/; this file checks SQL text and dispatches.
 */
import { checkExpressionSql, checkQuerySql, sqlFragments } from './sql-guard';
import type { Step } from './steps';
import { transformOf } from './transforms';
import { DuckCompiler, StepError, type CompileContext, type CompiledStep, type FrameRef, type StepFacts, type StepMessage } from './transforms/kit';
import { errorMessage } from '../util/errors';

export { castExpr, StepError, type CompileContext, type CompiledStep, type ExtraOutput, type FrameRef, type StepFacts, type StepMessage } from './transforms/kit';

/**
 * The facts query a step needs before compiling, or null. Its single result row, passed to `readFacts`,
 * becomes `CompileContext.facts`.
 */
export function factsSql(step: Step, input: FrameRef): string | null {
  return transformOf(step.kind)?.facts?.sql(input) ?? null;
}

/** Turn the row returned by `factsSql` into step facts. */
export function readFacts(step: Step, input: FrameRef, row: unknown[]): StepFacts {
  return transformOf(step.kind)?.facts?.read(input, row) ?? {};
}

/** Check a step against its input schema without compiling SQL (what the jobs editor shows at a node). */
export function validateStep(step: Step, input: FrameRef, ctx: CompileContext = {}): StepMessage[] {
  try {
    return compileStep(step, input, ctx).messages;
  } catch (err) {
    if (err instanceof StepError) return err.messages;
    return [{ stepId: step.id, severity: 'error', message: errorMessage(err) }];
  }
}

/**
 * Compile one step to DuckDB SQL over `input` (a table: Relationalize, Spigot and DropDuplicates use its
 * rowid for stable keys and order). Throws StepError when the step does not fit its input.
 */
export function compileStep(step: Step, input: FrameRef, ctx: CompileContext = {}): CompiledStep {
  if (!ctx.trusted) {
    const refused = sqlTextProblems(step);
    if (refused.length) throw new StepError(refused);
  }
  const def = transformOf(step.kind);
  if (!def) throw new StepError([{ stepId: step.id, severity: 'error', message: `unknown step kind ${String(step.kind)}` }]);
  const c = new DuckCompiler(step.id, input, ctx);
  const out = def.duckdb(step.params as never, c);
  if (c.failed()) throw new StepError(c.messages);
  return out;
}

/**
 * The SQL guard's verdict on the SQL text a step carries (a Sql step's query, a Derived or Filter
 * expression), as errors at the step: such a step never compiles, so it never reaches the engine.
 */
export function sqlTextProblems(step: Step): StepMessage[] {
  return sqlFragments(step).flatMap((f) => (f.kind === 'query' ? checkQuerySql(f.sql, ['input']) : checkExpressionSql(f.sql)))
    .map((message) => ({ stepId: step.id, severity: 'error' as const, message }));
}
