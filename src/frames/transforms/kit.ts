/**
 * What every transform kind is made of (TransformDef) and the helpers their DuckDB compiles share. A kind lives
 * in one file of this folder — params, defaults, form, help, compile per engine, docs — and index.ts lists them;
 * nothing else in the code base switches on a kind.
 */
import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { isNumeric, parseType, sameType, type GlueType, type StructField } from '../../schema/types';
import { choiceTag, frameDuckType } from '../duck-types';
import { parsePath } from '../paths';
import { getNode, setNode, treeOf, type Node } from '../tree';
import { errorMessage } from '../../util/errors';

/** A relation the engine holds and the Glue schema of its records. */
export interface FrameRef {
  relation: string;
  schema: StructField[];
}

/** A problem with a step, pointing at the step and (when it is about one) the column. */
export interface StepMessage {
  stepId: string;
  column?: string;
  severity: 'error' | 'warning';
  message: string;
}

/** A second frame a step produces (SplitFields' rest, Relationalize's child tables, Spigot's sample). */
export interface ExtraOutput {
  name: string;
  sql: string;
  schema: StructField[] | null;
}

/** A step compiled to DuckDB SQL over its input relation. */
export interface CompiledStep {
  stepId: string;
  /** One SELECT producing the output frame. */
  sql: string;
  /** The output schema, or null when only the engine knows it (free SQL, an untyped derived column). */
  outputSchema: StructField[] | null;
  /** A SELECT of error records (step, column, value, reason), for steps whose records can fail. */
  errorSql?: string;
  extras: ExtraOutput[];
  messages: StepMessage[];
  /**
   * The relations the SQL (main, errorSql, extras) reads: the input, and Join's right or Union's other side.
   * The engine refuses to run the step's SQL if its plan reads anything else (Engine.createChecked).
   */
  reads: string[];
}

/** Facts about the input data some steps need before they compile (DropNullFields). */
export interface StepFacts {
  nullColumns?: string[];
}

/** Other relations a step may read (Join's right side, Union's other side), by name. */
export interface CompileContext {
  relations?: Record<string, StructField[]>;
  facts?: StepFacts;
  /**
   * Skip the SQL guard (src/frames/sql-guard.ts) on the step's own SQL text: only for a user's own job run
   * with `epoxy run --trust`, whose engine is unlocked too. Never set for anything that came from a link.
   */
  trusted?: boolean;
}

/** A step that cannot compile against its input; `messages` say where. */
export class StepError extends Error {
  constructor(readonly messages: StepMessage[]) {
    super(messages.filter((m) => m.severity === 'error').map((m) => `${m.stepId}${m.column ? ` (${m.column})` : ''}: ${m.message}`).join('; '));
    this.name = 'StepError';
  }
}

/** A record check: where `value` is set but `result` (its conversion) is NULL, the record goes to the error frame. */
export interface Check {
  column: string;
  value: string;
  result: string;
  reason: string;
}

/**
 * The state one step's DuckDB compile works in: its input, messages, the relations it reads, and the
 * helpers every kind needs (paths, types, fields, error-record routing).
 */
export class DuckCompiler {
  readonly messages: StepMessage[] = [];
  /** The quoted input relation. */
  readonly from: string;
  /** Relations the compiled SQL reads; Join and Union add their other side. */
  readonly reads: string[];

  constructor(readonly stepId: string, readonly input: FrameRef, readonly ctx: CompileContext) {
    this.from = quoteIdent(input.relation);
    this.reads = [input.relation];
  }

  error(message: string, column?: string): void {
    this.messages.push({ stepId: this.stepId, severity: 'error', message, ...(column === undefined ? {} : { column }) });
  }

  warn(message: string, column?: string): void {
    this.messages.push({ stepId: this.stepId, severity: 'warning', message, ...(column === undefined ? {} : { column }) });
  }

  /** Whether an error was reported so far. */
  failed(): boolean {
    return this.messages.some((m) => m.severity === 'error');
  }

  /** The input schema as a tree of column expressions. */
  tree(): Node {
    return treeOf(this.input.schema);
  }

  /** The schema of another relation the step reads (Join's right side), recorded as read; null with an error when absent. */
  other(name: string, what: string): StructField[] | null {
    if (!name) { this.error(`choose a table to ${what}`); return null; }
    const schema = this.ctx.relations?.[name];
    if (!schema) { this.error(`no table ${name} to ${what}`); return null; }
    this.reads.push(name);
    return schema;
  }

  path(text: string | undefined): string[] | null {
    if (!text) { this.error('a field path is missing'); return null; }
    try {
      return parsePath(text);
    } catch (err) {
      this.error(errorMessage(err), text);
      return null;
    }
  }

  type(text: string | undefined, column?: string): GlueType | null {
    if (!text) { this.error('a type is missing', column); return null; }
    try {
      return parseType(text);
    } catch (err) {
      this.error(errorMessage(err), column);
      return null;
    }
  }

  /** The node at a path of `root`, or an error naming the column. */
  field(root: Node, text: string | undefined): { parts: string[]; node: Node } | null {
    const parts = this.path(text);
    if (!parts) return null;
    const node = getNode(root, parts);
    if (node) return { parts, node };
    // Relationalize and Unnest name flattened columns `customer.name`: written without backquotes, the path
    // means that column when no nested field of that path exists (Glue's own paths need the backquotes).
    const literal = parts.length > 1 ? getNode(root, [parts.join('.')]) : null;
    if (literal) return { parts: [parts.join('.')], node: literal };
    this.error(`no field ${text} in the input`, text);
    return null;
  }

  /** The compiled step (an empty SQL when an error was reported: compileStep throws before anyone runs it). */
  result(sql: string, schema: StructField[] | null, extras: ExtraOutput[] = [], errorSql?: string): CompiledStep {
    return { stepId: this.stepId, sql, outputSchema: schema, extras, messages: this.messages, reads: [...this.reads], ...(errorSql ? { errorSql } : {}) };
  }

  /** What a compile returns once it reported an error. */
  none(): CompiledStep {
    return this.result('', null);
  }

  /** A SELECT over the input whose failing records (by `checks`) go to an error frame instead. */
  checked(select: string, schema: StructField[], checks: Check[], tail = ''): CompiledStep {
    if (!checks.length) return this.result(`SELECT ${select} FROM ${this.from}${tail}`, schema);
    const cond = (k: Check) => `((${k.value}) IS NOT NULL AND (${k.result}) IS NULL)`;
    const sql = `SELECT ${select} FROM ${this.from} WHERE NOT (${checks.map(cond).join(' OR ')})${tail}`;
    const errorSql = checks
      .map((k) => `SELECT ${quoteLiteral(this.stepId)} AS step, ${quoteLiteral(k.column)} AS "column", CAST(${k.value} AS VARCHAR) AS value, ${quoteLiteral(k.reason)} AS reason FROM ${this.from} WHERE ${cond(k)}`)
      .join(' UNION ALL ');
    return this.result(sql, schema, [], errorSql);
  }
}

/** A path as the names it holds (`` `a.b`.c `` → `a.b.c`), for naming output columns; unparsable text as is. */
export function pathLabel(path: string): string {
  try { return parsePath(path).join('.'); } catch { return path; }
}

/** Replace the field at `path` by one or more fields at the same position. */
export function replaceWithMany(root: Node, path: string[], entries: [string, Node][]): void {
  const parentPath = path.slice(0, -1);
  // setNode marks the parents dirty; then splice in place to keep the field order.
  setNode(root, path, entries[0]![1]);
  const parent = getNode(root, parentPath);
  if (!parent || parent.kind !== 'struct') return;
  const i = parent.fields.findIndex(([n]) => n === path.at(-1));
  parent.fields.splice(i, 1, ...entries);
}

/**
 * An SQL expression converting `expr` of type `from` to `to`, returning NULL where a value does not
 * convert (callers route those records to the error frame). A choice converts option by option.
 */
export function castExpr(expr: string, from: GlueType, to: GlueType): string {
  if (sameType(from, to)) return expr;
  if (from.kind === 'choice') {
    const arms = from.options.map((o) => `WHEN ${quoteLiteral(choiceTag(o))} THEN ${castExpr(`union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`, o, to)}`);
    return `(CASE CAST(union_tag(${expr}) AS VARCHAR) ${arms.join(' ')} END)`;
  }
  return `TRY_CAST(${expr} AS ${frameDuckType(to)})`;
}

/** Convert a value to a wider type that was merged from it (Union): numbers widen, a value joins a choice. */
export function convertExpr(expr: string, from: GlueType, to: GlueType): string {
  if (sameType(from, to)) return expr;
  if (to.kind === 'choice' && from.kind !== 'choice') {
    const option = to.options.find((o) => sameType(o, from)) ?? to.options.find((o) => choiceTag(o) === choiceTag(from) || (isNumeric(o) && isNumeric(from)));
    if (option && !sameType(option, from)) return `CAST(CAST(${expr} AS ${frameDuckType(option)}) AS ${frameDuckType(to)})`;
  }
  return `CAST(${expr} AS ${frameDuckType(to)})`;
}
