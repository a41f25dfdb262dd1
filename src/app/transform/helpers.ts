import { renderPath } from '../../frames/paths';
import type { ResultColumn } from '../../engine/values';
import type { HistogramBin } from '../../frames/profile';
import type { Condition, Step, StepKind, StepParams } from '../../frames/steps';
import { isNumeric, renderType, type StructField } from '../../schema/types';
import { sideOf, TRANSFORMS, transformOf, withSide } from '../../frames/transforms';
import { getAt, setAt } from '../../frames/transforms/form';
import { frameDuckType } from '../../frames/duck-types';

/** Rows the preview works on; the UI says so. */
export const PREVIEW_SAMPLE_ROWS = 10_000;

/** A step id not yet used: `filter_1`, `filter_2`, ... */
export function newStepId(steps: Step[], kind: StepKind): string {
  const base = kind.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase());
  const taken = new Set(steps.map((s) => s.id));
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Starting params for a new step, filled from the schema it will read so it runs at once. */
export function defaultParams<K extends StepKind>(kind: K, schema: StructField[], others: string[] = []): StepParams[K] {
  return transformOf(kind)!.defaults(schema, others) as StepParams[K];
}

/** A one-line description of a step for the step list (what the kind's describe says, side names made readable). */
export function stepSummary(step: Step): string {
  const side = sideOf(step);
  const text = transformOf(step.kind)?.describe(step.params, side ? ['', sideLabel(side.value)] : []) ?? '';
  return text.replace(/\s+/g, ' ').slice(0, 80);
}

/** A Join/Union side for a summary: an earlier step's output as `root_items (relationalize_1)`. */
function sideLabel(value: string | undefined): string {
  const ref = value ? parseExtraRef(value) : null;
  return ref ? `${ref.name} (${ref.stepId})` : (value ?? '');
}

/** Parse the params editor's JSON text; an object is required. */
export function parseParams(text: string): { ok: true; params: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'params must be a JSON object' };
    return { ok: true, params: value as Record<string, unknown> };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Grid columns for a frame schema: Glue type names, numbers spelled as DuckDB types so they right-align. */
export function gridColumns(schema: StructField[]): ResultColumn[] {
  return schema.map((f) => ({ name: f.name, type: isNumeric(f.type) ? frameDuckType(f.type) : renderType(f.type) }));
}

/** Bar geometry for an SVG histogram of `width` x `height` (bars scaled to the tallest). */
export function histogramBars(bins: HistogramBin[], width: number, height: number): { x: number; y: number; w: number; h: number; bin: HistogramBin }[] {
  if (!bins.length) return [];
  const max = Math.max(...bins.map((b) => b.count), 1);
  const w = width / bins.length;
  return bins.map((bin, i) => {
    const h = bin.count ? Math.max(1, (bin.count / max) * height) : 0;
    return { x: i * w, y: height - h, w: Math.max(1, w - 1), h, bin };
  });
}

/** Format a histogram bound: dates for temporal columns (epoch seconds), compact numbers otherwise. */
export function formatBound(value: number, temporal: boolean): string {
  if (temporal) return new Date(value * 1000).toISOString().slice(0, 10);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

/**
 * Whether a step's path names the top-level column `name`: written as a path (`` `customer.name` ``, what
 * defaults store) or as the bare name (`customer.name`, which the compiler also resolves to that column).
 */
export function namesColumn(path: string, name: string): boolean {
  return path === name || path === renderPath([name]);
}

/** A path list with the top-level column `name` ticked on (stored as its path) or off (in either spelling). */
export function toggleColumn(list: string[], name: string, on: boolean): string[] {
  const rest = list.filter((p) => !namesColumn(p, name));
  return on ? [...rest, renderPath([name])] : rest;
}

/** Every field path of a schema, nested struct fields included (`address.city`), depth first. */
export function fieldPaths(schema: StructField[], prefix = ''): { path: string; type: string }[] {
  return schema.flatMap((f) => {
    const name = /[.`]/.test(f.name) ? '`' + f.name.replace(/`/g, '') + '`' : f.name;
    const path = prefix + name;
    const self = { path, type: renderType(f.type) };
    return f.type.kind === 'struct' ? [self, ...fieldPaths(f.type.fields, path + '.')] : [self];
  });
}

/** A choice for a Join's right side or a Union's other side, grouped in the picker. */
export interface SideChoice {
  /** What the step stores (a relation, an extra-output reference), or a CATALOG_SIDE value to open first. */
  value: string;
  label: string;
  group: 'Workspace tables' | 'Opened in Transform' | 'Outputs of earlier steps' | 'Catalog tables';
}

/**
 * A Join/Union side that is an extra output of an earlier step of the same pipeline (Relationalize's child
 * tables, SplitRows' rest, Spigot's sample): `<stepId>:<output name>`, e.g. `relationalize_1:root_items`.
 * Table names never hold a colon, so the two cannot be confused.
 */
export function extraRef(stepId: string, name: string): string {
  return `${stepId}:${name}`;
}

/** The step id and output name of an extra-output reference, or null for a table name. */
export function parseExtraRef(value: string): { stepId: string; name: string } | null {
  const i = value.indexOf(':');
  return i > 0 && i < value.length - 1 ? { stepId: value.slice(0, i), name: value.slice(i + 1) } : null;
}

/** The relation runFrame holds the extra output `name` of the step at `index` in (its naming rule). */
export function extraRelation(namespace: string, index: number, name: string): string {
  return `${namespace}_${index + 1}_${name.replace(/[^A-Za-z0-9_]+/g, '_')}`;
}

/**
 * The steps as runFrame takes them: a Join/Union side naming an extra output of an *earlier* step points at
 * the relation that step makes in this run. A reference to the step itself, a later or an unknown step stays
 * as written, so the step reports it ("no table … to join with").
 */
export function bindSides(steps: Step[], namespace: string): Step[] {
  return steps.map((step, i) => {
    const side = sideOf(step);
    const ref = side ? parseExtraRef(side.value) : null;
    const at = ref ? steps.findIndex((s) => s.id === ref.stepId) : -1;
    if (!ref || at < 0 || at >= i) return step;
    return withSide(step, extraRelation(namespace, at, ref.name));
  });
}

/** The value of a catalog table in the side picker, opened (as a job reads it) when picked. */
export const CATALOG_SIDE = '\u0000catalog';
export const catalogSideValue = (database: string, table: string) => JSON.stringify([CATALOG_SIDE, database, table]);
/** The catalog table a side-picker value names, or null. */
export function parseCatalogSide(value: string): { database: string; table: string } | null {
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) && v[0] === CATALOG_SIDE && typeof v[1] === 'string' && typeof v[2] === 'string' ? { database: v[1], table: v[2] } : null;
  } catch {
    return null;
  }
}

/**
 * A two-input step's params after its second input changed: each column of the other side the form names
 * (Join's right key) that the new side lacks becomes the paired input column's path when the side has it
 * (joining `id` with `id`), else the side's first column. Pairs are a form's `of: 'other'` column field and the
 * input column field before it; a list key (`rightKeys.0`) fits the whole list pairwise.
 */
export function fitOtherColumns<S extends Step>(step: S, other: StructField[]): S {
  const def = transformOf(step.kind);
  if (!def || !other.length) return step;
  const have = new Set(fieldPaths(other).map((f) => f.path));
  const first = fieldPaths(other)[0]!.path;
  let params = step.params as Record<string, unknown>;
  def.form.forEach((f, i) => {
    if (f.widget !== 'column' || f.of !== 'other') return;
    const pair = def.form.slice(0, i).reverse().find((x) => x.widget === 'column' && (x.of ?? 'input') === 'input');
    const fit = (mine: unknown, theirs: unknown) => (typeof mine === 'string' && have.has(mine) ? mine : typeof theirs === 'string' && have.has(theirs) ? theirs : first);
    if (f.key.endsWith('.0') && pair?.key.endsWith('.0')) {
      const listKey = f.key.slice(0, -2);
      const pairs = getAt(params, pair.key.slice(0, -2));
      const mine = getAt(params, listKey);
      const left = Array.isArray(pairs) ? pairs : [];
      params = setAt(params, listKey, left.map((lk, j) => fit(Array.isArray(mine) ? mine[j] : undefined, lk)));
    } else {
      params = setAt(params, f.key, fit(getAt(params, f.key), pair ? getAt(params, pair.key) : undefined));
    }
  });
  return { ...step, params } as S;
}

/** A table Transform can read: its engine relation, the name a user knows it by (a catalog table's `db.table`), a note. */
export interface InputChoice {
  table: string;
  /** What the user calls it, when not the relation's name (catalog tables load into `catalog_<db>_<table>`). */
  label?: string;
  note: string;
  schema?: StructField[];
}

/** How an input is named in the pickers: `shop.sales (1,204 rows)`, never the internal relation when it has a label. */
export function inputLabel(x: Pick<InputChoice, 'table' | 'label' | 'note'>): string {
  return `${x.label ?? x.table} (${x.note})`;
}

/** A path list with `path` ticked on (appended) or off. */
export function togglePath(list: string[], path: string, on: boolean): string[] {
  return on ? [...list.filter((p) => p !== path), path] : list.filter((p) => p !== path);
}

/** A condition with its value as typed: `in` splits at commas, a number-looking text becomes a number. */
export function conditionValue(c: Condition, text: string): Condition {
  if (c.op === 'in') return { ...c, value: text.split(',').map((v) => v.trim()).filter(Boolean) };
  const n = Number(text);
  return { ...c, value: text.trim() !== '' && Number.isFinite(n) && /^-?[\d.]+$/.test(text.trim()) ? n : text };
}

/** What one record of a list field is called in its labels: `Add mapping` → `Mapping`. */
export function itemLabel(addLabel: string): string {
  const word = addLabel.replace(/^Add\s+/i, '');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The step kinds grouped as the palette shows them (registry order within a group). */
export function paletteGroups(): { group: string; kinds: StepKind[] }[] {
  const groups = new Map<string, StepKind[]>();
  for (const d of TRANSFORMS) groups.set(d.group, [...(groups.get(d.group) ?? []), d.kind]);
  return [...groups].map(([group, kinds]) => ({ group, kinds }));
}
