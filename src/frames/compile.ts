import { quoteIdent, quoteLiteral } from '../engine/sql';
import { isNumeric, mergeTypes, parseType, renderType, sameType, t, type GlueType, type StructField } from '../schema/types';
import { choiceTag, frameDuckType } from './duck-types';
import { parsePath, renderPath } from './paths';
import { checkExpressionSql, checkQuerySql, sqlFragments } from './sql-guard';
import type { Condition, Predicate, Step, StepParams } from './steps';
import { getNode, leaves, removeNode, renderNode, renderRoot, setNode, treeOf, typeOfNode, type Node } from './tree';
import { errorMessage } from '../util/errors';

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

/**
 * The facts query a step needs before compiling, or null. Its single result row, passed to `readFacts`,
 * becomes `CompileContext.facts`.
 */
export function factsSql(step: Step, input: FrameRef): string | null {
  if (step.kind !== 'DropNullFields' || !input.schema.length) return null;
  return `SELECT ${input.schema.map((f, i) => `count(${quoteIdent(f.name)}) AS c${i}`).join(', ')} FROM ${quoteIdent(input.relation)}`;
}

/** Turn the row returned by `factsSql` into step facts. */
export function readFacts(step: Step, input: FrameRef, row: unknown[]): StepFacts {
  if (step.kind !== 'DropNullFields') return {};
  return { nullColumns: input.schema.filter((_, i) => Number(row[i]) === 0).map((f) => f.name) };
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
  const c = new Compiler(step, input, ctx);
  const out = c.run();
  if (c.messages.some((m) => m.severity === 'error')) throw new StepError(c.messages);
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

interface Check {
  column: string;
  value: string;
  result: string;
  reason: string;
}

class Compiler {
  readonly messages: StepMessage[] = [];
  readonly from: string;
  /** Relations the compiled SQL reads; Join and Union add their other side. */
  readonly reads: string[];

  constructor(readonly step: Step, readonly input: FrameRef, readonly ctx: CompileContext) {
    this.from = quoteIdent(input.relation);
    this.reads = [input.relation];
  }

  error(message: string, column?: string): void {
    this.messages.push({ stepId: this.step.id, severity: 'error', message, ...(column === undefined ? {} : { column }) });
  }

  warn(message: string, column?: string): void {
    this.messages.push({ stepId: this.step.id, severity: 'warning', message, ...(column === undefined ? {} : { column }) });
  }

  tree(): Node {
    return treeOf(this.input.schema);
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

  /** The node at a path of the input, or an error naming the column. */
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

  result(sql: string, schema: StructField[] | null, extras: ExtraOutput[] = [], errorSql?: string): CompiledStep {
    return { stepId: this.step.id, sql, outputSchema: schema, extras, messages: this.messages, reads: [...this.reads], ...(errorSql ? { errorSql } : {}) };
  }

  /** A SELECT over the input whose failing records (by `checks`) go to an error frame instead. */
  checked(select: string, schema: StructField[], checks: Check[], tail = ''): CompiledStep {
    if (!checks.length) return this.result(`SELECT ${select} FROM ${this.from}${tail}`, schema);
    const cond = (k: Check) => `((${k.value}) IS NOT NULL AND (${k.result}) IS NULL)`;
    const sql = `SELECT ${select} FROM ${this.from} WHERE NOT (${checks.map(cond).join(' OR ')})${tail}`;
    const errorSql = checks
      .map((k) => `SELECT ${quoteLiteral(this.step.id)} AS step, ${quoteLiteral(k.column)} AS "column", CAST(${k.value} AS VARCHAR) AS value, ${quoteLiteral(k.reason)} AS reason FROM ${this.from} WHERE ${cond(k)}`)
      .join(' UNION ALL ');
    return this.result(sql, schema, [], errorSql);
  }

  run(): CompiledStep {
    const s = this.step;
    switch (s.kind) {
      case 'ApplyMapping': return this.applyMapping(s.params);
      case 'ResolveChoice': return this.resolveChoice(s.params);
      case 'SelectFields': return this.selectFields(s.params.paths);
      case 'DropFields': return this.dropFields(s.params.paths);
      case 'RenameField': return this.renameField(s.params);
      case 'Filter': return this.filter(s.params.predicate, false);
      case 'SplitRows': {
        const main = this.filter(s.params.predicate, false);
        const rest = this.filter(s.params.predicate, true);
        return { ...main, extras: [{ name: 'rest', sql: rest.sql, schema: rest.outputSchema }] };
      }
      case 'SplitFields': {
        const main = this.selectFields(s.params.paths);
        const rest = this.dropFields(s.params.paths);
        return { ...main, extras: [{ name: 'rest', sql: rest.sql, schema: rest.outputSchema }] };
      }
      case 'Unnest': return this.unnest(s.params.separator ?? '.');
      case 'Relationalize': return this.relationalize(s.params.rootName ?? 'root');
      case 'Unbox': return this.unbox(s.params);
      case 'Join': return this.join(s.params);
      case 'Union': return this.union(s.params.other);
      case 'DropNullFields': return this.dropNullFields();
      case 'FillMissingValues': return this.fillMissing(s.params);
      case 'Spigot': return this.spigot(s.params);
      case 'Aggregate': return this.aggregate(s.params);
      case 'DropDuplicates': return this.dropDuplicates(s.params.paths ?? []);
      case 'Derived': return this.derived(s.params);
      case 'Sql': return this.freeSql(s.params.sql);
    }
  }

  applyMapping(p: StepParams['ApplyMapping']): CompiledStep {
    const input = this.tree();
    const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
    const checks: Check[] = [];
    if (!p.mappings?.length) this.error('ApplyMapping needs at least one mapping');
    for (const m of p.mappings ?? []) {
      const src = this.field(input, m.source);
      const target = this.path(m.target);
      const to = this.type(m.targetType, m.target);
      if (!src || !target || !to) continue;
      const from = typeOfNode(src.node);
      if (m.sourceType) {
        const declared = this.type(m.sourceType, m.source);
        if (declared && !sameType(declared, from)) this.warn(`source type is ${renderType(from)}, not ${m.sourceType}`, m.source);
      }
      const expr = renderNode(src.node);
      const cast = castExpr(expr, from, to);
      if (cast !== expr) checks.push({ column: m.source, value: expr, result: cast, reason: `cannot cast ${renderType(from)} to ${renderType(to)}` });
      setNode(out, target, { kind: 'leaf', expr: cast, type: to });
    }
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const { select, schema } = renderRoot(out);
    return this.checked(select, schema, checks);
  }

  resolveChoice(p: StepParams['ResolveChoice']): CompiledStep {
    const root = this.tree();
    const checks: Check[] = [];
    let specs = p.specs ?? [];
    if (p.choice) {
      const choiceLeaves = leaves(root).filter((l) => l.node.type.kind === 'choice');
      if (p.choice === 'match_catalog') {
        const catalog = new Map((p.catalogSchema ?? []).map((c) => [c.name, c.type]));
        if (!p.catalogSchema?.length) this.error('match_catalog needs the catalog table schema');
        specs = choiceLeaves.flatMap((l) => {
          const name = renderPath(l.path);
          const type = catalog.get(name);
          if (!type) { this.warn(`the catalog has no column ${name}; left as a choice`, name); return []; }
          return [{ path: name, action: `cast:${type}` as const }];
        });
      } else {
        specs = choiceLeaves.map((l) => ({ path: renderPath(l.path), action: p.choice as Exclude<typeof p.choice, 'match_catalog'> }));
      }
    }
    if (!specs.length && !p.choice) this.error('ResolveChoice needs specs or a choice action');
    for (const spec of specs) {
      const f = this.field(root, spec.path);
      if (!f) continue;
      if (f.node.kind !== 'leaf' || f.node.type.kind !== 'choice') { this.error(`${spec.path} is not a choice type`, spec.path); continue; }
      const choice = f.node.type;
      const expr = f.node.expr;
      const [action, arg] = spec.action.split(/:(.*)/s) as [string, string | undefined];
      if (action === 'cast' || action === 'project') {
        const to = this.type(arg, spec.path);
        if (!to) continue;
        if (action === 'project' && !choice.options.some((o) => sameType(o, to) || choiceTag(o) === arg)) {
          this.error(`project:${arg} is not one of the choices ${renderType(choice)}`, spec.path);
          continue;
        }
        const cast = castExpr(expr, choice, to);
        // cast reports records it cannot convert; project (Glue) converts what it can and nulls the rest.
        if (action === 'cast') checks.push({ column: spec.path, value: expr, result: cast, reason: `cannot cast ${renderType(choice)} to ${renderType(to)}` });
        setNode(root, f.parts, { kind: 'leaf', expr: cast, type: to });
      } else if (action === 'make_cols') {
        replaceWithMany(root, f.parts, choice.options.map((o) => [`${f.parts.at(-1)}_${choiceTag(o)}`, { kind: 'leaf', expr: `union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`, type: o }]));
      } else if (action === 'make_struct') {
        const packed = `struct_pack(${choice.options.map((o) => `${quoteIdent(choiceTag(o))} := union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`).join(', ')})`;
        setNode(root, f.parts, {
          kind: 'leaf',
          expr: `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${packed} END`,
          type: { kind: 'struct', fields: choice.options.map((o) => ({ name: choiceTag(o), type: o })) },
        });
      } else {
        this.error(`unknown action ${spec.action} (cast:T, project:T, make_cols, make_struct, match_catalog)`, spec.path);
      }
    }
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const { select, schema } = renderRoot(root);
    return this.checked(select, schema, checks);
  }

  selectFields(paths: string[]): CompiledStep {
    const input = this.tree();
    const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
    if (!paths?.length) this.error('choose at least one field');
    for (const path of paths ?? []) {
      const f = this.field(input, path);
      if (!f) continue;
      // Parents of a nested pick keep their source, so a NULL struct stays NULL rather than {city: NULL}.
      for (let i = 1; i < f.parts.length; i++) {
        const prefix = f.parts.slice(0, i);
        const from = getNode(input, prefix);
        if (!getNode(out, prefix) && from?.kind === 'struct') setNode(out, prefix, { kind: 'struct', source: from.source, fields: [], dirty: true });
      }
      setNode(out, f.parts, f.node);
    }
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const { select, schema } = renderRoot(out);
    return this.result(`SELECT ${select} FROM ${this.from}`, schema);
  }

  dropFields(paths: string[]): CompiledStep {
    const root = this.tree();
    for (const path of paths ?? []) {
      const parts = this.path(path);
      if (parts && !removeNode(root, parts)) this.warn(`no field ${path} to drop`, path);
    }
    if (root.kind === 'struct' && !root.fields.length) this.error('dropping every field leaves no columns');
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const { select, schema } = renderRoot(root);
    return this.result(`SELECT ${select} FROM ${this.from}`, schema);
  }

  renameField(p: StepParams['RenameField']): CompiledStep {
    const root = this.tree();
    const from = this.path(p.from);
    const to = this.path(p.to);
    if (!from || !to) return this.result('', null);
    if (getNode(root, to)) { this.error(`a field ${p.to} already exists`, p.to); return this.result('', null); }
    const node = getNode(root, from);
    if (!node) { this.error(`no field ${p.from} in the input`, p.from); return this.result('', null); }
    const sameParent = from.length === to.length && from.slice(0, -1).every((x, i) => x === to[i]);
    if (sameParent) {
      // Renaming in place keeps the column order.
      replaceWithMany(root, from, [[to.at(-1)!, node]]);
    } else {
      removeNode(root, from);
      setNode(root, to, node);
    }
    const { select, schema } = renderRoot(root);
    return this.result(`SELECT ${select} FROM ${this.from}`, schema);
  }

  filter(predicate: Predicate, negate: boolean): CompiledStep {
    const cond = this.predicate(predicate);
    if (cond === null) return this.result('', null);
    const where = negate ? `NOT coalesce((${cond}), false)` : `(${cond})`;
    return this.result(`SELECT * FROM ${this.from} WHERE ${where}`, this.input.schema);
  }

  predicate(p: Predicate | undefined): string | null {
    if (!p) { this.error('a predicate is missing'); return null; }
    if ('sql' in p) {
      if (!p.sql?.trim()) { this.error('the SQL predicate is empty'); return null; }
      return p.sql;
    }
    if (!p.conditions?.length) { this.error('add at least one condition'); return null; }
    const root = this.tree();
    const parts = p.conditions.map((c) => this.condition(root, c));
    if (parts.some((x) => x === null)) return null;
    return parts.join(p.combine === 'or' ? ' OR ' : ' AND ');
  }

  condition(root: Node, c: Condition): string | null {
    const f = this.field(root, c.path);
    if (!f) return null;
    const type = typeOfNode(f.node);
    const expr = renderNode(f.node);
    const text = type.kind === 'choice' || type.kind === 'struct' || type.kind === 'array' || type.kind === 'map' ? `CAST(${expr} AS VARCHAR)` : expr;
    const litType = type.kind === 'choice' || type.kind === 'struct' || type.kind === 'array' || type.kind === 'map' ? t.string : type;
    const lit = (v: unknown) => `CAST(${quoteLiteral(String(v))} AS ${frameDuckType(litType)})`;
    switch (c.op) {
      case 'is_null': return `(${expr} IS NULL)`;
      case 'not_null': return `(${expr} IS NOT NULL)`;
      case 'contains': return `contains(CAST(${expr} AS VARCHAR), ${quoteLiteral(String(c.value ?? ''))})`;
      case 'starts_with': return `starts_with(CAST(${expr} AS VARCHAR), ${quoteLiteral(String(c.value ?? ''))})`;
      case 'in': {
        const values = Array.isArray(c.value) ? c.value : String(c.value ?? '').split(',').map((v) => v.trim());
        if (!values.length) { this.error('in needs at least one value', c.path); return null; }
        return `(${text} IN (${values.map(lit).join(', ')}))`;
      }
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        if (c.value === undefined || c.value === null || Array.isArray(c.value)) { this.error(`${c.op} needs a value`, c.path); return null; }
        return `(${text} ${c.op === '!=' ? '<>' : c.op} ${lit(c.value)})`;
      default:
        this.error(`unknown operator ${String(c.op)}`, c.path);
        return null;
    }
  }

  unnest(sep: string): CompiledStep {
    const root = this.tree();
    const cols = leaves(root).map((l) => ({ name: l.path.join(sep), node: l.node }));
    return this.result(
      `SELECT ${cols.map((c) => `${c.node.expr} AS ${quoteIdent(c.name)}`).join(', ')} FROM ${this.from}`,
      cols.map((c) => ({ name: c.name, type: c.node.type })),
    );
  }

  relationalize(rootName: string): CompiledStep {
    const KEY = '__epoxy_key';
    const extras: ExtraOutput[] = [];
    // Glue replaces each array by a key into a child table `<root>_<path>` of (id, index, <path>.val...);
    // arrays inside array elements recurse into grandchild tables keyed by the child row.
    const emit = (from: string, carry: { sql: string; name: string }[], tree: Node, prefix: string[], order: string): { sql: string; schema: StructField[] } => {
      const cols = carry.map((c) => `${c.sql} AS ${quoteIdent(c.name)}`);
      const schema: StructField[] = carry.map((c) => ({ name: c.name, type: t.bigint }));
      for (const l of leaves(tree)) {
        const name = [...prefix, ...l.path].join('.');
        if (l.node.type.kind !== 'array') {
          cols.push(`${l.node.expr} AS ${quoteIdent(name)}`);
          schema.push({ name, type: l.node.type });
          continue;
        }
        cols.push(`CASE WHEN ${l.node.expr} IS NULL THEN NULL ELSE ${KEY} END AS ${quoteIdent(name)}`);
        schema.push({ name, type: t.bigint });
        const element = l.node.type.element;
        const unnested = `SELECT ${KEY} AS id, unnest(generate_series(0, len(${l.node.expr}) - 1)) AS "index", unnest(${l.node.expr}) AS v FROM (${from}) WHERE ${l.node.expr} IS NOT NULL`;
        const childFrom = `SELECT *, row_number() OVER (ORDER BY id, "index") AS ${KEY} FROM (${unnested})`;
        const valueTree: Node = element.kind === 'struct' ? treeOf(element.fields, 'v') : { kind: 'leaf', expr: 'v', type: element };
        const child = emit(childFrom, [{ sql: 'id', name: 'id' }, { sql: '"index"', name: 'index' }], valueTree, [name, 'val'], 'id, "index"');
        extras.push({ name: `${rootName}_${name}`, sql: child.sql, schema: child.schema });
      }
      return { sql: `SELECT ${cols.join(', ')} FROM (${from}) ORDER BY ${order}`, schema };
    };
    const root = emit(`SELECT *, rowid + 1 AS ${KEY} FROM ${this.from}`, [], this.tree(), [], KEY);
    // Children were pushed depth first; list them parent before child, as Glue's collection does.
    extras.sort((a, b) => a.name.split('.').length - b.name.split('.').length);
    return this.result(root.sql, root.schema, extras);
  }

  unbox(p: StepParams['Unbox']): CompiledStep {
    const root = this.tree();
    const f = this.field(root, p.path);
    const to = this.type(p.type, p.path);
    if (!f || !to) return this.result('', null);
    const from = typeOfNode(f.node);
    if (!(from.kind === 'primitive' && from.name === 'string') && from.kind !== 'varchar') this.error(`Unbox reads a string column; ${p.path} is ${renderType(from)}`, p.path);
    const expr = renderNode(f.node);
    const checks: Check[] = [];
    let unboxed: string;
    if (p.format === 'csv') {
      if (to.kind !== 'struct') { this.error('Unbox csv needs a struct<...> type naming the fields', p.path); return this.result('', null); }
      const parts = `string_split(${expr}, ${quoteLiteral(p.delimiter ?? ',')})`;
      const fields = to.fields.map((fl, i) => {
        const item = `${parts}[${i + 1}]`;
        const cast = castExpr(item, t.string, fl.type);
        if (cast !== item) checks.push({ column: `${p.path}.${fl.name}`, value: `nullif(${item}, '')`, result: cast, reason: `cannot cast string to ${renderType(fl.type)}` });
        return `${quoteIdent(fl.name)} := ${cast}`;
      });
      unboxed = `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
    } else if (p.format === 'json') {
      // DuckDB-WASM has no json extension offline; its string-to-nested cast reads JSON objects and arrays
      // but does not decode escapes, so strings with a backslash are reported instead of silently mangled.
      unboxed = `CASE WHEN contains(${expr}, '\\') THEN NULL ELSE TRY_CAST(${expr} AS ${frameDuckType(to)}) END`;
      checks.push({ column: p.path, value: expr, result: unboxed, reason: `not JSON of type ${renderType(to)} (or holds escaped characters)` });
    } else {
      this.error(`unknown format ${String(p.format)} (json or csv)`, p.path);
      return this.result('', null);
    }
    setNode(root, f.parts, { kind: 'leaf', expr: unboxed, type: to });
    const { select, schema } = renderRoot(root);
    return this.checked(select, schema, checks);
  }

  join(p: StepParams['Join']): CompiledStep {
    const right = this.ctx.relations?.[p.right];
    if (!right) { this.error(`no table ${p.right} to join with`); return this.result('', null); }
    this.reads.push(p.right);
    if (!p.leftKeys?.length || p.leftKeys.length !== p.rightKeys?.length) { this.error('give as many right keys as left keys (at least one)'); return this.result('', null); }
    const l = treeOf(this.input.schema, null, 'l.');
    const r = treeOf(right, null, 'r.');
    const on: string[] = [];
    p.leftKeys.forEach((lk, i) => {
      const rk = p.rightKeys[i]!;
      const a = this.field(l, lk);
      const b = this.field(r, rk);
      if (a && b) on.push(`${renderNode(a.node)} = ${renderNode(b.node)}`);
    });
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const taken = new Set(this.input.schema.map((f) => f.name));
    const cols = this.input.schema.map((f) => `l.${quoteIdent(f.name)}`);
    const schema = [...this.input.schema];
    const sharedKeys = new Set(p.rightKeys.filter((rk, i) => rk === p.leftKeys[i] && !rk.includes('.')));
    const how = p.how ?? 'inner';
    for (const f of right) {
      // A key with the same name on both sides is kept once (from the left, or coalesced for outer joins).
      if (sharedKeys.has(f.name)) {
        if (how === 'right' || how === 'full') {
          const i = schema.findIndex((x) => x.name === f.name);
          cols[i] = `coalesce(l.${quoteIdent(f.name)}, r.${quoteIdent(f.name)}) AS ${quoteIdent(f.name)}`;
        }
        continue;
      }
      let name = f.name;
      if (taken.has(name)) {
        name = `right_${f.name}`;
        this.warn(`both sides have ${f.name}; the right one is named ${name}`, f.name);
      }
      taken.add(name);
      cols.push(`r.${quoteIdent(f.name)} AS ${quoteIdent(name)}`);
      schema.push({ name, type: f.type });
    }
    const kind = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL OUTER' }[how];
    return this.result(`SELECT ${cols.join(', ')} FROM ${this.from} AS l ${kind} JOIN ${quoteIdent(p.right)} AS r ON ${on.join(' AND ')}`, schema);
  }

  union(other: string): CompiledStep {
    const right = this.ctx.relations?.[other];
    if (!right) { this.error(`no table ${other} to union with`); return this.result('', null); }
    this.reads.push(other);
    const names = [...new Set([...this.input.schema.map((f) => f.name), ...right.map((f) => f.name)])];
    const typeIn = (schema: StructField[], n: string) => schema.find((f) => f.name === n)?.type;
    const merged = names.map((name) => ({ name, type: mergeTypes(typeIn(this.input.schema, name) ?? t.null, typeIn(right, name) ?? t.null) }));
    const side = (schema: StructField[]) => merged.map((m) => {
      const own = typeIn(schema, m.name);
      return `${own ? convertExpr(quoteIdent(m.name), own, m.type) : `CAST(NULL AS ${frameDuckType(m.type)})`} AS ${quoteIdent(m.name)}`;
    }).join(', ');
    return this.result(`SELECT ${side(this.input.schema)} FROM ${this.from} UNION ALL SELECT ${side(right)} FROM ${quoteIdent(other)}`, merged);
  }

  dropNullFields(): CompiledStep {
    const nulls = this.ctx.facts?.nullColumns;
    if (!nulls) { this.error('DropNullFields needs the null-column facts of its input (run factsSql first)'); return this.result('', null); }
    return this.dropFields(nulls.map((n) => renderPath([n])));
  }

  fillMissing(p: StepParams['FillMissingValues']): CompiledStep {
    const root = this.tree();
    const f = this.field(root, p.path);
    if (!f) return this.result('', null);
    const type = typeOfNode(f.node);
    const expr = renderNode(f.node);
    const output = p.output || `${f.parts.at(-1)}_filled`;
    if (this.input.schema.some((x) => x.name === output)) { this.error(`a column ${output} already exists`, output); return this.result('', null); }
    let fill: string;
    let outType = type;
    switch (p.strategy) {
      case 'mean': case 'median':
        if (!isNumeric(type)) { this.error(`${p.strategy} needs a numeric column; ${p.path} is ${renderType(type)}`, p.path); return this.result('', null); }
        outType = t.double;
        fill = `coalesce(CAST(${expr} AS DOUBLE), ${p.strategy === 'mean' ? 'avg' : 'quantile_cont'}(CAST(${expr} AS DOUBLE)${p.strategy === 'median' ? ', 0.5' : ''}) OVER ())`;
        break;
      case 'mode':
        fill = `coalesce(${expr}, mode(${expr}) OVER ())`;
        break;
      case 'constant':
        if (p.value === undefined) { this.error('constant needs a value', p.path); return this.result('', null); }
        fill = `coalesce(${expr}, TRY_CAST(${quoteLiteral(String(p.value))} AS ${frameDuckType(type)}))`;
        break;
      default:
        this.error(`unknown strategy ${String(p.strategy)}`, p.path);
        return this.result('', null);
    }
    return this.result(`SELECT *, ${fill} AS ${quoteIdent(output)} FROM ${this.from} ORDER BY rowid`, [...this.input.schema, { name: output, type: outType }]);
  }

  spigot(p: StepParams['Spigot']): CompiledStep {
    const seed = Math.trunc(p.seed ?? 0);
    let sample: string;
    if (p.prob !== undefined) {
      if (!(p.prob > 0 && p.prob <= 1)) { this.error('prob must be in (0, 1]'); return this.result('', null); }
      // A hash of the row id, not random(): the same input always yields the same sample.
      sample = `SELECT * FROM ${this.from} WHERE hash(rowid, ${seed}) % 1000000 < ${Math.round(p.prob * 1_000_000)} ORDER BY rowid`;
    } else {
      const k = Math.max(0, Math.trunc(p.topk ?? 100));
      sample = `SELECT * FROM ${this.from} ORDER BY rowid LIMIT ${k}`;
    }
    return this.result(`SELECT * FROM ${this.from}`, this.input.schema, [{ name: 'spigot', sql: sample, schema: this.input.schema }]);
  }

  aggregate(p: StepParams['Aggregate']): CompiledStep {
    const root = this.tree();
    const cols: string[] = [];
    const groups: string[] = [];
    const schema: StructField[] = [];
    for (const g of p.groupBy ?? []) {
      const f = this.field(root, g);
      if (!f) continue;
      const expr = renderNode(f.node);
      // The output column is named by the path's names, never by its backquotes.
      const name = f.parts.join('.');
      groups.push(expr);
      cols.push(`${expr} AS ${quoteIdent(name)}`);
      schema.push({ name, type: typeOfNode(f.node) });
    }
    if (!p.aggregations?.length) this.error('add at least one aggregation');
    for (const a of p.aggregations ?? []) {
      const name = a.as || (a.path ? `${a.fn}_${pathLabel(a.path)}` : a.fn);
      if (!a.path) {
        if (a.fn !== 'count') { this.error(`${a.fn} needs a column`); continue; }
        cols.push(`count(*) AS ${quoteIdent(name)}`);
        schema.push({ name, type: t.bigint });
        continue;
      }
      const f = this.field(root, a.path);
      if (!f) continue;
      const type = typeOfNode(f.node);
      const expr = renderNode(f.node);
      if ((a.fn === 'sum' || a.fn === 'avg') && !isNumeric(type)) { this.error(`${a.fn} needs a numeric column; ${a.path} is ${renderType(type)}`, a.path); continue; }
      let sql: string;
      let outType: GlueType;
      switch (a.fn) {
        case 'count': sql = `count(${expr})`; outType = t.bigint; break;
        case 'count_distinct': sql = `count(DISTINCT ${expr})`; outType = t.bigint; break;
        case 'avg': sql = `avg(${expr})`; outType = t.double; break;
        case 'sum':
          // Spark sums integers as bigint; DuckDB would widen to HUGEINT.
          outType = type.kind === 'decimal' ? t.decimal(38, type.scale) : type.kind === 'primitive' && (type.name === 'double' || type.name === 'float') ? t.double : t.bigint;
          sql = `CAST(sum(${expr}) AS ${frameDuckType(outType)})`;
          break;
        case 'min': case 'max': sql = `${a.fn}(${expr})`; outType = type; break;
        default: this.error(`unknown aggregation ${String(a.fn)}`, a.path); continue;
      }
      cols.push(`${sql} AS ${quoteIdent(name)}`);
      schema.push({ name, type: outType });
    }
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    const group = groups.length ? ` GROUP BY ${groups.join(', ')} ORDER BY ${groups.map((_, i) => String(i + 1)).join(', ')}` : '';
    return this.result(`SELECT ${cols.join(', ')} FROM ${this.from}${group}`, schema);
  }

  dropDuplicates(paths: string[]): CompiledStep {
    const root = this.tree();
    const keys = paths.length
      ? paths.map((p) => this.field(root, p)).filter((f) => f !== null).map((f) => renderNode(f.node))
      : this.input.schema.map((f) => quoteIdent(f.name));
    if (this.messages.some((m) => m.severity === 'error')) return this.result('', null);
    return this.result(`SELECT * FROM ${this.from} QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY rowid) = 1 ORDER BY rowid`, this.input.schema);
  }

  derived(p: StepParams['Derived']): CompiledStep {
    if (!p.name) { this.error('the new column needs a name'); return this.result('', null); }
    if (!p.sql?.trim()) { this.error('the expression is empty', p.name); return this.result('', null); }
    const type = p.type ? this.type(p.type, p.name) : null;
    if (p.type && !type) return this.result('', null);
    const value = `(${p.sql})`;
    const expr = type ? `TRY_CAST(${value} AS ${frameDuckType(type)})` : value;
    const exists = this.input.schema.some((f) => f.name === p.name);
    const select = exists ? `* REPLACE (${expr} AS ${quoteIdent(p.name)})` : `*, ${expr} AS ${quoteIdent(p.name)}`;
    const schema = type ? (exists ? this.input.schema.map((f) => (f.name === p.name ? { name: f.name, type } : f)) : [...this.input.schema, { name: p.name, type }]) : null;
    if (!type) return this.result(`SELECT ${select} FROM ${this.from}`, null);
    return this.checked(select, schema!, [{ column: p.name, value, result: expr, reason: `cannot cast to ${renderType(type)}` }]);
  }

  freeSql(sql: string): CompiledStep {
    const body = (sql ?? '').trim().replace(/;\s*$/, '');
    if (!body) { this.error('the SQL is empty'); return this.result('', null); }
    // A query with its own WITH clause gets `input` as its first CTE.
    const own = /^with\s+(recursive\s+)?/i.exec(body);
    const input = `"input" AS (SELECT * FROM ${this.from})`;
    return this.result(own ? `WITH ${own[1] ?? ''}${input}, ${body.slice(own[0].length)}` : `WITH ${input} ${body}`, null);
  }
}

/** A path as the names it holds (`` `a.b`.c `` → `a.b.c`), for naming output columns; unparsable text as is. */
function pathLabel(path: string): string {
  try { return parsePath(path).join('.'); } catch { return path; }
}

/** Replace the field at `path` by one or more fields at the same position. */
function replaceWithMany(root: Node, path: string[], entries: [string, Node][]): void {
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
function convertExpr(expr: string, from: GlueType, to: GlueType): string {
  if (sameType(from, to)) return expr;
  if (to.kind === 'choice' && from.kind !== 'choice') {
    const option = to.options.find((o) => sameType(o, from)) ?? to.options.find((o) => choiceTag(o) === choiceTag(from) || (isNumeric(o) && isNumeric(from)));
    if (option && !sameType(option, from)) return `CAST(CAST(${expr} AS ${frameDuckType(option)}) AS ${frameDuckType(to)})`;
  }
  return `CAST(${expr} AS ${frameDuckType(to)})`;
}
