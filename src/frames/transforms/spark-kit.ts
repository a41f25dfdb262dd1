/**
 * What the Spark compiles of the kinds share: the input as a tree of PySpark Column expressions (the same
 * Node tree the DuckDB compiles rebuild, so a struct rebuilt in Spark keeps NULL parents NULL as in the tab),
 * paths resolved as the tab resolves them, casts with DuckDB's TRY_CAST results where Spark's differ, and
 * the error-record rule (a value that does not cast drops its record from the output, as in the tab).
 */
import { parseType, renderType, toCatalogType, type GlueType, type StructField } from '../../schema/types';
import { parsePath } from '../paths';
import { getNode, typeOfNode, type Node } from '../tree';
import type { SparkCtx } from './def';

/** A Python string literal (JSON's escapes are valid Python). */
export const py = (s: string): string => JSON.stringify(s);

/** The Spark DDL type of a Glue type: choice and null become the catalog type (as the PySpark export reads them). */
export function sparkTypeOf(type: GlueType): string {
  const x = toCatalogType(type);
  switch (x.kind) {
    // The tab's timestamps have no time zone: Spark's TIMESTAMP_NTZ (as export-spark reads them).
    case 'primitive': return x.name === 'timestamp' ? 'timestamp_ntz' : x.name;
    case 'decimal': return `decimal(${x.precision},${x.scale})`;
    case 'varchar': case 'char': return 'string';
    case 'array': return `array<${sparkTypeOf(x.element)}>`;
    case 'map': return `map<${sparkTypeOf(x.key)},${sparkTypeOf(x.value)}>`;
    case 'struct': return `struct<${x.fields.map((f) => `\`${f.name.replace(/`/g, '``')}\`:${sparkTypeOf(f.type)}`).join(',')}>`;
    default: return 'string';
  }
}

/** The type a column has in Spark, as a Glue type: a choice is read as its catalog type (string or a number). */
export const sparkSide = (type: GlueType): GlueType => toCatalogType(type);

/** The input schema as a tree whose leaves are PySpark Column expressions over `F.col`. */
export function sparkTree(schema: StructField[], base: string | null = null, top: (name: string) => string = (n) => `F.col(${py('`' + n.replace(/`/g, '``') + '`')})`): Node {
  return {
    kind: 'struct',
    source: base,
    dirty: base === null,
    fields: schema.map((f) => {
      const expr = base === null ? top(f.name) : `${base}.getField(${py(f.name)})`;
      return [f.name, f.type.kind === 'struct' ? sparkTree(f.type.fields, expr) : { kind: 'leaf', expr, type: f.type }];
    }),
  };
}

/** The Column expression of a node of a Spark tree (a rebuilt struct is NULL where its source struct is). */
export function sparkNode(node: Node): string {
  if (node.kind === 'leaf') return node.expr;
  if (!node.dirty && node.source) return node.source;
  if (!node.fields.length) return 'F.lit(None)';
  const packed = `F.struct(${node.fields.map(([n, c]) => `${sparkNode(c)}.alias(${py(n)})`).join(', ')})`;
  return node.source ? `F.when(${node.source}.isNull(), F.lit(None)).otherwise(${packed})` : packed;
}

/** The select list (Python Column expressions) of a root node of a Spark tree. */
export function sparkSelect(root: Node): string[] {
  if (root.kind !== 'struct' || !root.fields.length) throw new Error('the step leaves no columns');
  return root.fields.map(([n, c]) => `${sparkNode(c)}.alias(${py(n)})`);
}

/** A Glue path as its names; an Error naming it when it does not parse. */
export function pathOf(text: string | undefined): string[] {
  if (!text) throw new Error('a field path is missing');
  return parsePath(text);
}

/** The node at a path as the tab finds it (a flattened `a.b` column when no nested field has that path). */
export function fieldAt(root: Node, text: string | undefined): { parts: string[]; node: Node } {
  const parts = pathOf(text);
  const node = getNode(root, parts);
  if (node) return { parts, node };
  const literal = parts.length > 1 ? getNode(root, [parts.join('.')]) : undefined;
  if (literal) return { parts: [parts.join('.')], node: literal };
  throw new Error(`no field ${text} in the input`);
}

/** A Glue type from text; an Error naming the column when it does not parse. */
export function typeOf(text: string | undefined, column: string): GlueType {
  if (!text) throw new Error(`a type is missing (${column})`);
  try { return parseType(text); } catch (err) { throw new Error(`${column}: ${err instanceof Error ? err.message : String(err)}`); }
}

const INTEGRAL: Record<string, [string, string]> = {
  tinyint: ['-128', '127'], smallint: ['-32768', '32767'], int: ['-2147483648', '2147483647'], bigint: ['-9223372036854775808', '9223372036854775807'],
};

/**
 * A Column converting `expr` (of Glue type `from`, as Spark holds it) to `to`, NULL where DuckDB's TRY_CAST
 * gives NULL, with DuckDB's rounding to integers: Spark truncates fractions and wraps overflowing integers,
 * DuckDB rounds (doubles half to even, decimals and text half away from zero) and refuses what overflows.
 */
export function sparkCast(expr: string, from: GlueType, to: GlueType): string {
  const f = sparkSide(from);
  const target = sparkTypeOf(to);
  if (sparkTypeOf(f) === target) return expr;
  if (target === 'string' && f.kind === 'primitive' && (f.name === 'double' || f.name === 'float')) {
    refuse(`a ${renderType(from)} cast to string: Spark writes such numbers as text differently (1.0E7 where DuckDB writes 10000000.0)`);
  }
  if (to.kind === 'primitive' && INTEGRAL[to.name]) {
    const [lo, hi] = INTEGRAL[to.name]!;
    const name = f.kind === 'primitive' ? f.name : f.kind;
    const rounded = ['float', 'double'].includes(name) ? `F.bround(${expr})`
      : f.kind === 'decimal' ? `F.round(${expr})`
      : ['string', 'varchar', 'char'].includes(name) ? `F.round(${expr}.cast("decimal(38,9)"))`
      : INTEGRAL[name] ? expr : null;
    if (rounded) return `F.when((${rounded} >= F.lit(${lo}).cast("decimal(20,0)")) & (${rounded} <= F.lit(${hi}).cast("decimal(20,0)")), ${rounded}.cast(${py(target)}))`;
  }
  return `${expr}.cast(${py(target)})`;
}

/** A Column condition: the record's value is set but does not convert (the tab makes it an error record). */
export function fails(value: string, result: string): string {
  return `(${value}.isNotNull() & ${result}.isNull())`;
}

/** `df` without its error records (`conds` from `fails`), as the tab's output has them removed. */
export function withoutFailures(df: string, conds: string[]): string {
  return conds.length ? `${df}.where(~(${conds.join(' | ')}))` : df;
}

/** Refuse a step Spark cannot compute the same way: an Error the export turns into a SparkExportError. */
export function refuse(what: string): never {
  throw new Error(what);
}

/** The Column reading a path the tab would read (nested fields, or a flattened `a.b` column). */
export function sparkField(s: SparkCtx, path: string): { expr: string; type: GlueType; parts: string[] } {
  const f = fieldAt(sparkTree(s.schema), path);
  return { expr: sparkNode(f.node), type: typeOfNode(f.node), parts: f.parts };
}

