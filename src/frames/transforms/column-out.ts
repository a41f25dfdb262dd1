/**
 * What the text and date kinds (SplitString, Concatenate, RegexExtract, ToTimestamp, FormatTimestamp) share: a
 * source column read by path, and output columns that are top-level names, either a new column (appended) or an
 * existing one replaced in place — the same rule as Spark's withColumn, so both engines keep the column order.
 */
import { parsePath } from '../paths';
import { renderNode, setNode, typeOfNode, type Node } from '../tree';
import { renderType, type GlueType, type StructField } from '../../schema/types';
import type { SparkCtx } from './def';
import type { DuckCompiler } from './kit';

export interface SourceColumn {
  parts: string[];
  expr: string;
  type: GlueType;
}

/** The column at `path` of the tree, or null with an error naming it. */
export function sourceColumn(c: DuckCompiler, root: Node, path: string | undefined): SourceColumn | null {
  const f = c.field(root, path);
  if (!f) return null;
  return { parts: f.parts, expr: renderNode(f.node), type: typeOfNode(f.node) };
}

/** Whether a Glue type holds text. */
export function isText(type: GlueType): boolean {
  return (type.kind === 'primitive' && type.name === 'string') || type.kind === 'varchar' || type.kind === 'char';
}

/** A short reason a column has the wrong type: `city is int`. */
export function typeIs(path: string, type: GlueType): string {
  return `${path} is ${renderType(type)}`;
}

/**
 * Where an output goes: the named top-level column, or (no name) the source column itself when it is a
 * top-level column. A nested source needs a name: replacing a struct's field in place is not the same in Spark.
 */
export function outputPath(c: DuckCompiler, src: SourceColumn, path: string, target: string | undefined): string[] | null {
  if (target) return [target];
  if (src.parts.length > 1) { c.error(`name the new column: the nested field ${path} cannot be replaced in place`, path); return null; }
  return src.parts;
}

/**
 * Put an output column in the tree. A top-level name replaces a column whose name differs only in case (DuckDB
 * and Spark both resolve names case-insensitively: Spark's withColumn replaces `Year` when asked for `year`).
 */
export function setOutput(root: Node, parts: string[], leaf: { expr: string; type: GlueType }): void {
  if (parts.length === 1 && root.kind === 'struct') {
    const i = root.fields.findIndex(([n]) => n.toLowerCase() === parts[0]!.toLowerCase());
    if (i >= 0) { root.fields[i] = [parts[0]!, { kind: 'leaf', ...leaf }]; root.dirty = true; return; }
  }
  setNode(root, parts, { kind: 'leaf', ...leaf });
}

/** The Python expression naming the output column in Spark (the same rule as outputPath). */
export function sparkOutputName(s: SparkCtx, path: string, target: string | undefined): string {
  if (target) return s.value(target);
  let parts: string[];
  try { parts = parsePath(path); } catch { parts = [path]; }
  if (parts.length > 1 && s.schema.some((f: StructField) => f.name === parts[0])) throw new Error(`name the new column: the nested field ${path} cannot be replaced in place`);
  return s.str(parts.join('.'));
}

/** The Glue type of the input column at a path (Spark compiles read it from the schema), or null. */
export function typeAt(schema: StructField[], path: string): GlueType | null {
  let parts: string[];
  try { parts = parsePath(path); } catch { return null; }
  const top = schema.find((f) => f.name === parts.join('.'));
  if (top) return top.type;
  let fields: StructField[] = schema;
  let type: GlueType | null = null;
  for (const p of parts) {
    const f = fields.find((x) => x.name === p);
    if (!f) return null;
    type = f.type;
    fields = f.type.kind === 'struct' ? f.type.fields : [];
  }
  return type;
}

/**
 * The number of capture groups of a regular expression both engines read the same way (RE2 in DuckDB, Java in
 * Spark), or an Error naming the construct one of them lacks: lookaround, backreferences, atomic groups and
 * named groups are Java-only (RE2 refuses them), `\Z`/`\G`/`\R` likewise.
 */
export function regexGroups(pattern: string): number {
  if (!pattern) throw new Error('the regular expression is empty');
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (next === '') throw new Error('the regular expression ends with a lone backslash');
      if (!inClass && /[1-9]/.test(next)) throw new Error(`backreferences (\\${next}) are not supported by DuckDB's RE2`);
      if (!inClass && next === 'k') throw new Error('named backreferences (\\k) are not supported by DuckDB\'s RE2');
      if ('ZGR'.includes(next)) throw new Error(`\\${next} is Java-only (RE2 has \\z for the end of text)`);
      if (next === 'Q') { const end = pattern.indexOf('\\E', i + 2); i = end < 0 ? pattern.length : end + 1; continue; }
      i++;
      continue;
    }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') {
      inClass = true;
      // A ] right after [ or [^ is a literal member.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (ch !== '(') continue;
    if (pattern[i + 1] !== '?') { groups++; continue; }
    const rest = pattern.slice(i + 2);
    if (/^(<=|<!|=|!)/.test(rest)) throw new Error(`lookaround ((?${rest.slice(0, rest[0] === '<' ? 2 : 1)}…)) is not supported by DuckDB's RE2`);
    if (rest.startsWith('>')) throw new Error('atomic groups ((?>…)) are not supported by DuckDB\'s RE2');
    if (/^(P?<)/.test(rest)) throw new Error('named groups ((?<name>…)) are not read the same by RE2 and Java: use a plain group and name its column');
  }
  if (inClass) throw new Error('the regular expression has an unclosed [');
  return groups;
}
