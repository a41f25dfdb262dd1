/**
 * Reading a kind's form description generically: the value at a field's key, a copy of the params with a
 * field set, and what the fields say about a step (its SQL text, the columns it names).
 */
import type { FormField, TransformDef } from './def';
import { arr, obj } from './text';
import type { Condition } from './predicate';
import { transformOf } from './index';

/** The value at a dotted key (`leftKeys.0`) of params; undefined when any level is missing. */
export function getAt(params: unknown, key: string): unknown {
  let v: unknown = params;
  for (const part of key.split('.')) {
    if (Array.isArray(v)) v = v[Number(part)];
    else if (v && typeof v === 'object') v = (v as Record<string, unknown>)[part];
    else return undefined;
  }
  return v;
}

/** A deep copy of params with the dotted key set (undefined removes it from its record). */
export function setAt<P>(params: P, key: string, value: unknown): P {
  const copy = JSON.parse(JSON.stringify(params ?? {})) as Record<string, unknown>;
  const parts = key.split('.');
  let at: Record<string, unknown> | unknown[] = copy;
  parts.slice(0, -1).forEach((part, i) => {
    const next = Array.isArray(at) ? at[Number(part)] : at[part];
    const made = next && typeof next === 'object' ? next : /^\d+$/.test(parts[i + 1]!) ? [] : {};
    if (Array.isArray(at)) at[Number(part)] = made; else at[part] = made;
    at = made as Record<string, unknown> | unknown[];
  });
  const last = parts.at(-1)!;
  if (Array.isArray(at)) at[Number(last)] = value;
  else if (value === undefined) delete at[last];
  else at[last] = value;
  return copy as P;
}

/** A SQL fragment held as text by a step, and where it sits (shown in full on a shared job's review page). */
export interface SqlFragment {
  /** The step parameter holding it, e.g. `sql`, `predicate.sql`. */
  field: string;
  sql: string;
  /** `query`: one SELECT over the step's inputs (named `input`); `expression`: one SQL expression. */
  kind: 'query' | 'expression';
}

function walk(fields: FormField[], params: unknown, prefix: string, visit: (f: FormField, value: unknown, key: string) => void): void {
  for (const f of fields) {
    const value = getAt(params, f.key);
    const key = prefix + f.key;
    if (f.widget === 'list') arr(value).forEach((item, i) => walk(f.item, item, `${key}.${i}.`, visit));
    else visit(f, value, key);
  }
}

/** Every SQL fragment a step carries as text, found through its form's sql and predicate fields. */
export function formSqlFragments(def: TransformDef<string, unknown>, params: unknown): SqlFragment[] {
  const out: SqlFragment[] = [];
  walk(def.form, params, '', (f, value, key) => {
    if (f.widget === 'sql') out.push({ field: key, sql: typeof value === 'string' ? value : '', kind: f.kind });
    if (f.widget === 'predicate' && value && typeof value === 'object' && 'sql' in value) {
      const sql = (value as { sql: unknown }).sql;
      out.push({ field: `${key}.sql`, sql: typeof sql === 'string' ? sql : '', kind: 'expression' });
    }
  });
  return out;
}

/** The field paths a step names (column fields, ticked columns, conditions), before `columns()` adds its own. */
export function formColumns(def: TransformDef<string, unknown>, params: unknown): unknown[] {
  const out: unknown[] = [];
  walk(def.form, params, '', (f, value) => {
    if (f.widget === 'column' && (f.of ?? 'input') === 'input') out.push(value);
    else if (f.widget === 'columns') out.push(...arr(value));
    else if (f.widget === 'predicate') out.push(...arr(obj(value)['conditions']).map((c) => obj(c)['path']));
  });
  return [...out, ...(def.columns?.(params) ?? [])];
}

/** Every form-built condition a step holds (its predicate fields, in lists too), for checks on their literals. */
export function formConditions(def: TransformDef<string, unknown>, params: unknown): Condition[] {
  const out: Condition[] = [];
  walk(def.form, params, '', (f, value) => {
    if (f.widget === 'predicate' && value && typeof value === 'object' && !('sql' in value)) out.push(...(arr(obj(value)['conditions']).filter((c) => c && typeof c === 'object') as Condition[]));
  });
  return out;
}

/** The columns of the second input a step names (Join's right keys): its form's `of: 'other'` column fields, lists whole. */
export function otherColumns(step: { kind: string; params: unknown }): unknown[] {
  const def = transformOf(step.kind);
  if (!def) return [];
  return def.form.flatMap((f) => {
    if (f.widget !== 'column' || f.of !== 'other') return [];
    const whole = f.key.endsWith('.0') ? getAt(step.params, f.key.slice(0, -2)) : undefined;
    return Array.isArray(whole) ? whole : [getAt(step.params, f.key)];
  });
}
