/**
 * What DataBrew's column operations (Trim, ChangeCase, ReplaceText, Substring, DatePart, Round) share: checking
 * a column's type, rewriting columns in place or into a new column, and the same in PySpark (a nested column
 * is rewritten with Column.withField, so its struct keeps its other fields and a NULL struct stays NULL).
 */
import { quoteIdent } from '../../engine/sql';
import { renderType, type GlueType, type StructField } from '../../schema/types';
import { parsePath, renderPath } from '../paths';
import { renderNode, renderRoot, setNode, typeOfNode } from '../tree';
import type { SparkCtx } from './def';
import type { CompiledStep, DuckCompiler } from './kit';
import { arr, str } from './text';

/** The type at a field path of a schema (undefined when absent or unparsable). */
export function typeAtPath(schema: StructField[], path: string): GlueType | undefined {
  let parts: string[];
  try { parts = parsePath(path); } catch { return undefined; }
  let fields: StructField[] | undefined = schema;
  let type: GlueType | undefined;
  for (const part of parts) {
    type = fields?.find((f) => f.name === part)?.type;
    fields = type?.kind === 'struct' ? type.fields : undefined;
  }
  return type;
}

/** A string column (varchar/char included). */
export function isText(type: GlueType): boolean {
  return (type.kind === 'primitive' && type.name === 'string') || type.kind === 'varchar' || type.kind === 'char';
}

/** The first string column of a schema, as a path (defaults point at it). */
export function firstText(schema: StructField[]): string {
  return renderPath([schema.find((f) => isText(f.type))?.name ?? schema[0]?.name ?? 'column']);
}

/** The new SQL of a column and its type, or null when the compile reported why it cannot. */
export type Rewrite = (expr: string, type: GlueType, path: string) => { expr: string; type: GlueType } | null;

/** `what` needs a string column: the error every text kind gives for a number, a date or a struct. */
export function needText(c: DuckCompiler, kind: string, path: string, type: GlueType): boolean {
  if (isText(type)) return true;
  c.error(`${kind} reads string columns; ${path} is ${renderType(type)} (convert it with ApplyMapping first)`, path);
  return false;
}

/** Rewrite each of `paths` in place (nested paths allowed), keeping the column order. */
export function rewriteInPlace(c: DuckCompiler, paths: unknown, rewrite: Rewrite): CompiledStep {
  const list = arr(paths).map(str);
  if (!list.length) { c.error('choose at least one column'); return c.none(); }
  const root = c.tree();
  for (const path of list) {
    const f = c.field(root, path);
    if (!f) continue;
    if (f.node.kind !== 'leaf') { c.error(`${path} is a struct; choose one of its fields`, path); continue; }
    const out = rewrite(renderNode(f.node), typeOfNode(f.node), path);
    if (out) setNode(root, f.parts, { kind: 'leaf', expr: out.expr, type: out.type });
  }
  if (c.failed()) return c.none();
  const { select, schema } = renderRoot(root);
  return c.result(`SELECT ${select} FROM ${c.from}`, schema);
}

/**
 * Rewrite one column: in place when `output` is empty (or names the column itself), else into a new
 * top-level column `output` appended after the others (an existing name is an error, never overwritten).
 */
export function rewriteTo(c: DuckCompiler, path: unknown, output: unknown, rewrite: Rewrite): CompiledStep {
  const target = str(output).trim();
  if (!target || sameColumn(str(path), target)) return rewriteInPlace(c, [path], rewrite);
  const root = c.tree();
  const f = c.field(root, str(path));
  if (!f) return c.none();
  if (f.node.kind !== 'leaf') { c.error(`${str(path)} is a struct; choose one of its fields`, str(path)); return c.none(); }
  // Column names are case-insensitive in DuckDB and Spark: `NAME` would collide with (or, in Spark, replace) `name`.
  if (c.input.schema.some((x) => x.name.toLowerCase() === target.toLowerCase())) { c.error(`a column ${target} already exists (leave the output empty to change ${str(path)} in place)`, target); return c.none(); }
  const out = rewrite(renderNode(f.node), typeOfNode(f.node), str(path));
  if (!out || c.failed()) return c.none();
  return c.result(`SELECT *, ${out.expr} AS ${quoteIdent(target)} FROM ${c.from}`, [...c.input.schema, { name: target, type: out.type }]);
}

/** Whether an output name is the top-level column `path` itself (so the step works in place). */
function sameColumn(path: string, output: string): boolean {
  if (path === output) return true;
  try { const parts = parsePath(path); return parts.length === 1 && parts[0] === output; } catch { return false; }
}

/** A dotted name Column.withField understands (backquoted where a part is not a plain identifier). */
function fieldName(parts: string[]): string {
  return parts.map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : '`' + p.replace(/`/g, '``') + '`')).join('.');
}

/** PySpark: `df.withColumn` setting the column at `path` (nested: through withField on its top struct). */
export function sparkSet(s: SparkCtx, df: string, path: string, value: string): string {
  const parts = parsePath(path);
  const top = parts[0]!;
  // A flattened `a.b` column (Relationalize, Unnest) is meant when no nested field has that path, as in the tab.
  const flat = parts.length > 1 && !typeAtPath(s.schema, path) && s.schema.some((f) => f.name === parts.join('.'));
  if (flat) return `${df}.withColumn(${s.str(parts.join('.'))}, ${value})`;
  if (parts.length === 1) return `${df}.withColumn(${s.str(top)}, ${value})`;
  return `${df}.withColumn(${s.str(top)}, ${s.col(renderPath([top]))}.withField(${s.str(fieldName(parts.slice(1)))}, ${value}))`;
}

/** PySpark lines applying `expr(col)` to each path in place. */
export function sparkInPlace(s: SparkCtx, paths: string[], expr: (col: string, path: string) => string): string[] {
  let df = s.input;
  const lines: string[] = [];
  for (const path of paths) {
    lines.push(`${s.id} = ${sparkSet(s, df, path, expr(s.col(path), path))}`);
    df = s.id;
  }
  if (!lines.length) lines.push(`${s.id} = ${s.input}`);
  return lines;
}

/** PySpark lines applying `expr(col)` to one column, in place or into a new column as rewriteTo does. */
export function sparkTo(s: SparkCtx, path: string, output: string | undefined, expr: (col: string) => string): string[] {
  const target = (output ?? '').trim();
  if (!target || sameColumn(path, target)) return sparkInPlace(s, [path], expr);
  return [`${s.id} = ${s.input}.withColumn(${s.str(target)}, ${expr(s.col(path))})`];
}

/** A param value as an error message quotes it: `0`, `1.5`, `"5"` (text from a link), `empty`. */
export function shown(v: unknown): string {
  return v === undefined || v === null || v === '' ? 'empty' : JSON.stringify(v);
}

/** `into <output>` or `in place`, for describe lines. */
export function intoText(output: unknown): string {
  const o = str(output).trim();
  return o ? `into ${o}` : 'in place';
}
