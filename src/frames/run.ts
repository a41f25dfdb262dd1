import type { Engine } from '../engine/engine';
import { cleanError } from '../engine/engine';
import { quoteIdent } from '../engine/sql';
import type { StructField } from '../schema/types';
import { compileStep, factsSql, readFacts, StepError, type CompileContext, type FrameRef, type StepMessage } from './compile';
import { schemaFromDuckDB } from './duck-types';
import type { Step } from './steps';
import { sideOf } from './transforms';

/** The part of the engine a frame run needs. */
export type FrameEngine = Pick<Engine, 'query' | 'describe' | 'createChecked'>;

/** The frame a step produced, held by the engine as a table. */
export interface StepOutput {
  stepId: string;
  relation: string;
  schema: StructField[];
  rowCount: number;
  /** Table of error records (step, column, value, reason), when the step can fail records. */
  errorRelation: string | null;
  errorCount: number;
  extras: { name: string; relation: string; schema: StructField[]; rowCount: number }[];
  messages: StepMessage[];
  elapsedMs: number;
}

/** A run that stopped at a step: the step, the column when known, and why. */
export interface FrameFailure {
  stepId: string;
  column?: string;
  message: string;
  kind: 'invalid' | 'sql' | 'stageThreshold' | 'totalThreshold';
}

export interface FrameRunRequest {
  /** The input relation (a table or view the engine holds). */
  input: string;
  steps: Step[];
  /** Work on the first N rows (the preview); null runs the full data. */
  sampleRows: number | null;
  /** Prefix of every relation this run creates; a new run with the same prefix replaces the old one. */
  namespace: string;
  /** Error records the whole run may produce. Unset: no limit. */
  totalThreshold?: number;
  /**
   * Other relations steps may read (Join, Union), by name; their schemas are read from the engine. An extra
   * output of an earlier step of this run (`<namespace>_<i>_<name>`) may be read too, without being listed.
   */
  relations?: string[];
}

export interface FrameRunResult {
  input: StepOutput;
  steps: StepOutput[];
  failure: FrameFailure | null;
  totalErrors: number;
  /** Every relation created, so the caller can drop them. */
  created: string[];
  sampled: boolean;
}

/** The error a job raises when stageThreshold or totalThreshold is exceeded. */
export class ThresholdError extends Error {
  constructor(readonly failure: FrameFailure) {
    super(`${failure.stepId}: ${failure.message}`);
    this.name = 'ThresholdError';
  }
}

/** The Glue schema of a relation, read from the engine (a DuckDB UNION column reads as a choice). */
export function relationSchema(engine: FrameEngine, relation: string): StructField[] {
  return schemaFromDuckDB(engine.describe(relation));
}

const records = (n: number) => `${n} error record${n === 1 ? '' : 's'}`;

function count(engine: FrameEngine, relation: string): number {
  return Number(engine.query(`SELECT count(*) AS n FROM ${quoteIdent(relation)}`, 1).rows[0]?.[0] ?? 0);
}

/**
 * Run steps over an input, each step's output materialized as a table `<namespace>_<i>` (so the next
 * step reads a stable table with a rowid, and a preview grid can page through it). Stops at the first
 * step that is invalid, fails in DuckDB, or exceeds a threshold, and reports it in `failure`.
 */
export function runFrame(engine: FrameEngine, req: FrameRunRequest): FrameRunResult {
  const created: string[] = [];
  const create = (name: string, sql: string) => {
    engine.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`, 0);
    engine.query(`CREATE TABLE ${quoteIdent(name)} AS ${sql}`, 0);
    created.push(name);
  };
  // A step's SQL may hold user text: the engine runs it only as one query over the step's own inputs.
  const createStep = (name: string, sql: string, reads: string[]) => {
    engine.createChecked(name, sql, reads);
    created.push(name);
  };
  dropNamespace(engine, req.namespace);
  const started = performance.now();
  const base = `${req.namespace}_0`;
  const limit = req.sampleRows === null ? '' : ` LIMIT ${Math.max(0, Math.trunc(req.sampleRows))}`;
  create(base, `SELECT * FROM ${quoteIdent(req.input)}${limit}`);
  const input: StepOutput = {
    stepId: 'input', relation: base, schema: relationSchema(engine, base), rowCount: count(engine, base),
    errorRelation: null, errorCount: 0, extras: [], messages: [], elapsedMs: performance.now() - started,
  };
  const relations: Record<string, StructField[]> = {};
  for (const r of req.relations ?? []) {
    try { relations[r] = relationSchema(engine, r); } catch { /* a missing relation is reported by the step that reads it */ }
  }
  const result: FrameRunResult = { input, steps: [], failure: null, totalErrors: 0, created, sampled: req.sampleRows !== null };
  let current: FrameRef = { relation: input.relation, schema: input.schema };
  req.steps.forEach((step, i) => {
    if (result.failure) return;
    const t0 = performance.now();
    const name = `${req.namespace}_${i + 1}`;
    // A Join or Union may read an extra output an earlier step of this run made (Relationalize's child tables).
    const other = sideOf(step)?.value;
    if (typeof other === 'string' && !relations[other] && created.includes(other)) relations[other] = relationSchema(engine, other);
    const ctx: CompileContext = { relations };
    try {
      const facts = factsSql(step, current);
      if (facts) ctx.facts = readFacts(step, current, engine.query(facts, 1).rows[0] ?? []);
      const compiled = compileStep(step, current, ctx);
      createStep(name, compiled.sql, compiled.reads);
      let errorRelation: string | null = null;
      let errorCount = 0;
      if (compiled.errorSql) {
        errorRelation = `${name}_errors`;
        createStep(errorRelation, compiled.errorSql, compiled.reads);
        // Error records are counted per input record, however many of its fields failed.
        errorCount = count(engine, current.relation) - count(engine, name);
      }
      const extras = compiled.extras.map((x) => {
        const relation = `${name}_${x.name.replace(/[^A-Za-z0-9_]+/g, '_')}`;
        createStep(relation, x.sql, compiled.reads);
        return { name: x.name, relation, schema: relationSchema(engine, relation), rowCount: count(engine, relation) };
      });
      // The engine's schema is the truth (free SQL, derived columns); the compiled one keeps choice types
      // the same way, so both agree where both exist.
      const schema = relationSchema(engine, name);
      const out: StepOutput = { stepId: step.id, relation: name, schema, rowCount: count(engine, name), errorRelation, errorCount, extras, messages: compiled.messages, elapsedMs: performance.now() - t0 };
      result.steps.push(out);
      result.totalErrors += errorCount;
      current = { relation: name, schema };
      const p = step.params as { stageThreshold?: number; totalThreshold?: number };
      if (p.stageThreshold !== undefined && errorCount > p.stageThreshold) {
        result.failure = { stepId: step.id, kind: 'stageThreshold', message: `${records(errorCount)} exceed${errorCount === 1 ? 's' : ''} stageThreshold ${p.stageThreshold}` };
      } else {
        const total = p.totalThreshold ?? req.totalThreshold;
        if (total !== undefined && result.totalErrors > total) {
          result.failure = { stepId: step.id, kind: 'totalThreshold', message: `${records(result.totalErrors)} in the run so far exceed${result.totalErrors === 1 ? 's' : ''} totalThreshold ${total}` };
        }
      }
    } catch (err) {
      if (err instanceof StepError) {
        const first = err.messages.find((m) => m.severity === 'error');
        const message = err.messages.filter((m) => m.severity === 'error').map((m) => m.message).join('; ');
        result.failure = { stepId: step.id, kind: 'invalid', message, ...(first?.column ? { column: first.column } : {}) };
      } else {
        const message = cleanError(err);
        const column = /column "?([^"\s]+)"? not found|"([^"]+)" not found/i.exec(message);
        result.failure = { stepId: step.id, kind: 'sql', message, ...(column ? { column: column[1] ?? column[2] } : {}) };
      }
    }
  });
  return result;
}

/** Like runFrame, but a threshold breach throws ThresholdError (what a job run does). */
export function runFrameStrict(engine: FrameEngine, req: FrameRunRequest): FrameRunResult {
  const result = runFrame(engine, req);
  if (result.failure?.kind === 'stageThreshold' || result.failure?.kind === 'totalThreshold') throw new ThresholdError(result.failure);
  if (result.failure) throw new Error(`${result.failure.stepId}: ${result.failure.message}`);
  return result;
}

/** Drop every table a run with this namespace created. */
export function dropNamespace(engine: FrameEngine, namespace: string): void {
  const escaped = namespace.replace(/[\\%_]/g, (c) => '\\' + c);
  const rows = engine.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '${escaped.replace(/'/g, "''")}\\_%' ESCAPE '\\'`).rows;
  for (const [name] of rows) engine.query(`DROP TABLE IF EXISTS ${quoteIdent(String(name))}`, 0);
}
