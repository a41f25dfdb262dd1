/**
 * From a job node to DuckDB SQL: the one compiler the runner, the editor's checks and the DuckDB SQL export
 * share, so what runs in the tab and what an export runs on native DuckDB are the same statements.
 */
import { compileStep, StepError, type CompileContext, type CompiledStep, type FrameRef, type StepFacts } from '../frames/compile';
import type { Condition, Step } from '../frames/steps';
import { parsePath } from '../frames/paths';
import { transformOf, withSide } from '../frames/transforms';
import { formConditions } from '../frames/transforms/form';
import { isNumeric, type GlueType, type StructField } from '../schema/types';
import { substitute, topoOrder, validateDag, type JobDefinition, type NodeMessage, type TransformNode } from './model';
import { errorMessage } from '../util/errors';

/** The table a node's frame is held in. Node ids are checked identifiers, so the name is stable and readable. */
export function relationOf(prefix: string, nodeId: string): string {
  return `${prefix}${nodeId}`;
}

/** A transform node's step with job arguments substituted and Join/Union pointed at the second input's table. */
export function bindStep(node: TransformNode, inputRelations: string[], args: Record<string, string>): Step {
  const step = substitute(node.step, args);
  // The step id names error records and messages: the node id is what the user sees in the DAG.
  const bound = { ...step, id: node.id } as Step;
  return inputRelations.length > 1 ? withSide(bound, inputRelations[1]!) : bound;
}

/**
 * Compile a transform node over its inputs' tables (the first is the frame; the second, Join/Union's other
 * side). Its SQL text goes through the SQL guard unless `trusted` (a user's own job run with --trust).
 */
export function compileTransform(node: TransformNode, inputs: FrameRef[], args: Record<string, string>, facts?: StepFacts, trusted = false): CompiledStep {
  const step = bindStep(node, inputs.map((i) => i.relation), args);
  const ctx: CompileContext = { relations: Object.fromEntries(inputs.slice(1).map((i) => [i.relation, i.schema])) };
  if (facts) ctx.facts = facts;
  if (trusted) ctx.trusted = true;
  return compileStep(step, inputs[0]!, ctx);
}

/** Schemas every node produces as far as they are known statically (null: only a run knows). */
export interface JobCheck {
  messages: NodeMessage[];
  schemas: Record<string, StructField[] | null>;
}

/**
 * Validate a job before it runs: the DAG's structure, then every transform against the schema flowing into
 * it (missing columns, type mismatches), with messages at the node and column. `known` supplies schemas
 * a run or preview measured (sources, free SQL outputs); a node after an unknown schema is checked at run time.
 */
export function checkJob(def: JobDefinition, known: Record<string, StructField[]>, args: Record<string, string> = {}): JobCheck {
  const messages = validateDag(def);
  const schemas: Record<string, StructField[] | null> = {};
  if (messages.some((m) => m.severity === 'error')) return { messages, schemas };
  for (const node of topoOrder(def)) {
    if (node.kind === 'source') { schemas[node.id] = known[node.id] ?? null; continue; }
    const inputs = node.inputs.map((id) => schemas[id] ?? null);
    if (inputs.some((s) => s === null)) {
      schemas[node.id] = known[node.id] ?? null;
      continue;
    }
    const refs = node.inputs.map((id, i) => ({ relation: id, schema: inputs[i]! }));
    if (node.kind === 'target') {
      schemas[node.id] = refs[0]!.schema;
      for (const col of node.target.partitionBy ?? []) {
        if (!refs[0]!.schema.some((f) => f.name === col)) messages.push({ nodeId: node.id, column: col, severity: 'error', message: `partition column ${col} is not in the frame` });
      }
      continue;
    }
    const bound = substitute(node.step, { ...Object.fromEntries(def.parameters.map((p) => [p.name, p.default])), ...args });
    messages.push(...literalProblems(bound, refs[0]!.schema).map((m) => ({ ...m, nodeId: node.id })));
    try {
      const compiled = compileTransform(node, refs, { ...Object.fromEntries(def.parameters.map((p) => [p.name, p.default])), ...args }, { nullColumns: [] });
      messages.push(...compiled.messages.map((m) => ({ ...m, nodeId: node.id })));
      // Extra outputs (SplitRows' rest…) are frames later nodes may read as `<node>:<output>`.
      for (const x of compiled.extras) schemas[`${node.id}:${x.name}`] = x.schema ?? known[`${node.id}:${x.name}`] ?? null;
      // A kind whose compile needs facts of the data (DropNullFields) has a data-dependent output: take the measured one.
      schemas[node.id] = transformOf(node.step.kind)?.facts ? (known[node.id] ?? null) : (compiled.outputSchema ?? known[node.id] ?? null);
    } catch (err) {
      if (err instanceof StepError) messages.push(...err.messages.map((m) => ({ nodeId: node.id, severity: m.severity, message: m.message, ...(m.column ? { column: m.column } : {}) })));
      else messages.push({ nodeId: node.id, severity: 'error', message: errorMessage(err) });
      schemas[node.id] = null;
    }
  }
  return { messages: messages.map(({ nodeId, column, severity, message }) => ({ nodeId, severity, message, ...(column ? { column } : {}) })), schemas };
}

function typeAt(schema: StructField[], path: string): GlueType | null {
  let parts: string[];
  try { parts = parsePath(path); } catch { return null; }
  let fields: StructField[] | null = schema;
  let type: GlueType | null = null;
  for (const part of parts) {
    const f: StructField | undefined = fields?.find((x) => x.name === part);
    if (!f) return null;
    type = f.type;
    fields = f.type.kind === 'struct' ? f.type.fields : null;
  }
  return type;
}

function fits(type: GlueType, value: string | number | boolean): boolean {
  const text = String(value).trim();
  if (isNumeric(type)) return text !== '' && Number.isFinite(Number(text));
  if (type.kind !== 'primitive') return true;
  if (type.name === 'boolean') return /^(true|false)$/i.test(text);
  if (type.name === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text);
  if (type.name === 'timestamp') return !Number.isNaN(Date.parse(text.replace(' ', 'T')));
  return true;
}

/**
 * Filter values that cannot be read as the type of the column they are compared with (`amount > 'lots'`):
 * DuckDB would only fail when the run reaches the step; the editor says so at the node before.
 */
export function literalProblems(step: Step, schema: StructField[]): { severity: 'error'; column: string; message: string }[] {
  const def = transformOf(step.kind);
  if (!def) return [];
  const out: { severity: 'error'; column: string; message: string }[] = [];
  for (const c of formConditions(def, step.params)) {
    if (!['=', '!=', '<', '<=', '>', '>=', 'in'].includes(c.op) || c.value === undefined) continue;
    const type = typeAt(schema, c.path);
    if (!type) continue;
    const values = Array.isArray(c.value) ? c.value : c.op === 'in' ? String(c.value).split(',') : [c.value];
    const bad = values.find((v) => !fits(type, v));
    if (bad !== undefined) out.push({ severity: 'error', column: c.path, message: `${JSON.stringify(bad)} is not a ${type.kind === 'primitive' ? type.name : type.kind} (${c.path} is one)` });
  }
  return out;
}
