/**
 * Predicates (Filter, SplitRows, and any kind that keeps records by a condition): built in a form as
 * conditions joined by and/or, or written as a DuckDB SQL expression. Compiled here for every engine.
 */
import { quoteLiteral } from '../../engine/sql';
import { t } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderNode, typeOfNode, type Node } from '../tree';
import type { DuckCompiler } from './kit';
import type { SparkCtx } from './def';
import { arr, literal, obj, str } from './text';
import { renderPath } from '../paths';
import { renderType, type StructField } from '../../schema/types';
import { fieldAt, refuse, sparkNode, sparkTree, sparkTypeOf } from './spark-kit';

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'is_null' | 'not_null' | 'contains' | 'starts_with' | 'in';
export interface Condition { path: string; op: FilterOp; value?: string | number | boolean | (string | number)[] }
/** A predicate built in a form (conditions joined by and/or), or free DuckDB SQL over the columns. */
export type Predicate = { combine: 'and' | 'or'; conditions: Condition[] } | { sql: string };

/** The operators the condition builder offers, in its order. */
export const FILTER_OPS: FilterOp[] = ['=', '!=', '<', '<=', '>', '>=', 'is_null', 'not_null', 'contains', 'starts_with', 'in'];

/** A predicate that keeps records whose first column is set: what a new Filter starts with. */
export function defaultPredicate(schema: StructField[]): Predicate {
  return { combine: 'and', conditions: [{ path: renderPath([schema[0]?.name ?? 'column']), op: 'not_null' }] };
}

/** The values of an `in` condition (a list, or text split at commas). */
export function inValues(c: Condition): (string | number | boolean)[] {
  return Array.isArray(c.value) ? c.value : String(c.value ?? '').split(',').map((v) => v.trim());
}

/** A predicate as a DuckDB boolean expression over the input, or null with errors reported on `c`. */
export function duckPredicate(c: DuckCompiler, p: Predicate | undefined): string | null {
  if (!p) { c.error('a predicate is missing'); return null; }
  if ('sql' in p) {
    if (!p.sql?.trim()) { c.error('the SQL predicate is empty'); return null; }
    return p.sql;
  }
  if (!p.conditions?.length) { c.error('add at least one condition'); return null; }
  const root = c.tree();
  const parts = p.conditions.map((x) => duckCondition(c, root, x));
  if (parts.some((x) => x === null)) return null;
  return parts.join(p.combine === 'or' ? ' OR ' : ' AND ');
}

function duckCondition(c: DuckCompiler, root: Node, cond: Condition): string | null {
  const f = c.field(root, cond.path);
  if (!f) return null;
  const type = typeOfNode(f.node);
  const expr = renderNode(f.node);
  const nested = type.kind === 'choice' || type.kind === 'struct' || type.kind === 'array' || type.kind === 'map';
  const text = nested ? `CAST(${expr} AS VARCHAR)` : expr;
  const litType = nested ? t.string : type;
  const lit = (v: unknown) => `CAST(${quoteLiteral(String(v))} AS ${frameDuckType(litType)})`;
  switch (cond.op) {
    case 'is_null': return `(${expr} IS NULL)`;
    case 'not_null': return `(${expr} IS NOT NULL)`;
    case 'contains': return `contains(CAST(${expr} AS VARCHAR), ${quoteLiteral(String(cond.value ?? ''))})`;
    case 'starts_with': return `starts_with(CAST(${expr} AS VARCHAR), ${quoteLiteral(String(cond.value ?? ''))})`;
    case 'in': {
      const values = inValues(cond);
      if (!values.length) { c.error('in needs at least one value', cond.path); return null; }
      return `(${text} IN (${values.map(lit).join(', ')}))`;
    }
    case '=': case '!=': case '<': case '<=': case '>': case '>=':
      if (cond.value === undefined || cond.value === null || Array.isArray(cond.value)) { c.error(`${cond.op} needs a value`, cond.path); return null; }
      return `(${text} ${cond.op === '!=' ? '<>' : cond.op} ${lit(cond.value)})`;
    default:
      c.error(`unknown operator ${String(cond.op)}`, cond.path);
      return null;
  }
}

/** The records of the input a predicate keeps (or, negated, the others: NULL counts as not kept). */
export function duckFilter(c: DuckCompiler, p: Predicate | undefined, negate: boolean): { sql: string } | null {
  const cond = duckPredicate(c, p);
  if (cond === null) return null;
  const where = negate ? `NOT coalesce((${cond}), false)` : `(${cond})`;
  return { sql: `SELECT * FROM ${c.from} WHERE ${where}` };
}

/**
 * A predicate as a PySpark Column expression. Literals are typed as the column is (the tab casts the text to
 * the column's type), so a date compares as a date; `in` splits its text at commas as the tab does. Paths are
 * found as the tab finds them (nested fields too). A comparison the tab makes on DuckDB's text of a struct,
 * array, map or numeric choice is refused: Spark spells those values differently.
 */
export function sparkPredicate(s: SparkCtx, p: Predicate): string {
  if ('sql' in p) {
    if (!p.sql?.trim()) refuse('the SQL predicate is empty');
    return `F.expr(${s.value(s.sql(p.sql, 'expression'))})`;
  }
  if (!p.conditions?.length) refuse('add at least one condition');
  const root = sparkTree(s.schema);
  const parts = p.conditions.map((cond) => {
    const f = fieldAt(root, cond.path);
    const type = typeOfNode(f.node);
    const col = sparkNode(f.node);
    if (cond.op === 'is_null') return `${col}.isNull()`;
    if (cond.op === 'not_null') return `${col}.isNotNull()`;
    const nested = type.kind === 'struct' || type.kind === 'array' || type.kind === 'map';
    if (nested || (type.kind === 'choice' && sparkTypeOf(type) !== 'string')) refuse(`${cond.op} on ${cond.path} (${renderType(type)}) compares DuckDB's text of the value, which Spark spells differently; compare a field of it, or resolve its type first`);
    const litType = type.kind === 'choice' ? 'string' : sparkTypeOf(type);
    const lit = (v: unknown) => `F.lit(${s.value(String(v))}).cast(${s.str(litType)})`;
    const text = `${col}.cast("string")`;
    switch (cond.op) {
      case 'contains': return `${text}.contains(${s.value(String(cond.value ?? ''))})`;
      case 'starts_with': return `${text}.startswith(${s.value(String(cond.value ?? ''))})`;
      case 'in': {
        const values = inValues(cond);
        if (!values.length) refuse(`in needs at least one value (${cond.path})`);
        return `${col}.isin([${values.map(lit).join(', ')}])`;
      }
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        if (cond.value === undefined || cond.value === null || Array.isArray(cond.value)) refuse(`${cond.op} needs a value (${cond.path})`);
        return `(${col} ${cond.op === '=' ? '==' : cond.op} ${lit(cond.value)})`;
      default:
        return refuse(`unknown operator ${String(cond.op)}`);
    }
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(p.combine === 'or' ? ' | ' : ' & ')})`;
}

const OPS: Record<string, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** A form-built predicate as text: `region = 'EU' and amount > 5`; a SQL predicate is shown as its own fragment. */
export function describePredicate(p: unknown): string {
  const pred = obj(p);
  if ('sql' in pred) return 'the SQL condition below is true';
  const joiner = pred['combine'] === 'or' ? ' or ' : ' and ';
  const parts = arr(pred['conditions']).map((c) => {
    const cond = obj(c);
    const path = str(cond['path']);
    const op = str(cond['op']);
    const value = cond['value'];
    switch (op) {
      case 'is_null': return `${path} is null`;
      case 'not_null': return `${path} is not null`;
      case 'contains': return `${path} contains ${literal(value)}`;
      case 'starts_with': return `${path} starts with ${literal(value)}`;
      case 'in': return `${path} in (${(Array.isArray(value) ? value : str(value).split(',')).map(literal).join(', ')})`;
      default: return `${path} ${OPS[op] ?? op} ${literal(value)}`;
    }
  });
  return parts.length ? parts.join(joiner) : 'no condition (every record passes)';
}

