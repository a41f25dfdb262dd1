import { renderPath } from '../../frames/paths';
import type { ResultColumn } from '../../engine/values';
import type { HistogramBin } from '../../frames/profile';
import type { Step, StepKind, StepParams } from '../../frames/steps';
import { isNumeric, renderType, type StructField } from '../../schema/types';
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
  // Paths, so a flattened column `customer.name` (Relationalize, Unnest) is that column, not a nested field.
  const path = (name: string) => renderPath([name]);
  const firstName = schema[0]?.name ?? 'column';
  const first = path(firstName);
  const numericName = schema.find((f) => isNumeric(f.type))?.name ?? firstName;
  const numeric = path(numericName);
  const choice = schema.find((f) => f.type.kind === 'choice');
  // Group by something categorical by default, not a unique id.
  const category = path(schema.find((f) => f.type.kind === 'primitive' && ['string', 'boolean', 'date'].includes(f.type.name))?.name ?? firstName);
  const params: { [P in StepKind]: StepParams[P] } = {
    ApplyMapping: { mappings: schema.map((f) => ({ source: path(f.name), target: path(f.name), targetType: renderType(f.type.kind === 'choice' ? { kind: 'primitive', name: 'string' } : f.type) })) },
    ResolveChoice: choice ? { specs: [{ path: path(choice.name), action: 'make_cols' }] } : { choice: 'cast:string' },
    SelectFields: { paths: schema.slice(0, 2).map((f) => path(f.name)) },
    DropFields: { paths: [path(schema.at(-1)?.name ?? firstName)] },
    RenameField: { from: first, to: path(`${firstName}_renamed`) },
    Filter: { predicate: { combine: 'and', conditions: [{ path: first, op: 'not_null' }] } },
    SplitRows: { predicate: { combine: 'and', conditions: [{ path: first, op: 'not_null' }] } },
    SplitFields: { paths: [first] },
    Derived: { name: 'new_column', sql: `${quoteForSql(numericName)}`, type: 'string' },
    FillMissingValues: { path: numeric, strategy: 'mean' },
    DropNullFields: {},
    DropDuplicates: { paths: [] },
    Aggregate: { groupBy: [category], aggregations: [{ fn: 'count' }] },
    Join: { right: others[0] ?? '', leftKeys: [first], rightKeys: [first], how: 'inner' },
    Union: { other: others[0] ?? '' },
    Unnest: {},
    Relationalize: { rootName: 'root' },
    Unbox: { path: path(schema.find((f) => f.type.kind === 'primitive' && f.type.name === 'string')?.name ?? firstName), format: 'json', type: 'struct<a:string>' },
    Spigot: { topk: 100 },
    Sql: { sql: 'SELECT *\nFROM input' },
  };
  return params[kind] as StepParams[K];
}

function quoteForSql(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : '"' + name.replace(/"/g, '""') + '"';
}

/** A one-line description of a step for the step list. */
export function stepSummary(step: Step): string {
  const p = step.params as Record<string, unknown>;
  switch (step.kind) {
    case 'ApplyMapping': return `${step.params.mappings?.length ?? 0} mappings`;
    case 'ResolveChoice': return step.params.choice ?? (step.params.specs ?? []).map((s) => `${s.path} → ${s.action}`).join(', ');
    case 'SelectFields': case 'DropFields': case 'SplitFields': return (step.params.paths ?? []).join(', ');
    case 'RenameField': return `${step.params.from} → ${step.params.to}`;
    case 'Filter': case 'SplitRows': {
      const pr = step.params.predicate;
      if (!pr) return '';
      return 'sql' in pr ? pr.sql : pr.conditions.map((c) => `${c.path} ${c.op}${c.value === undefined ? '' : ' ' + JSON.stringify(c.value)}`).join(` ${pr.combine} `);
    }
    case 'Derived': return `${step.params.name} = ${step.params.sql}`;
    case 'Join': return `${step.params.how ?? 'inner'} join ${step.params.right}`;
    case 'Union': return `with ${step.params.other}`;
    case 'Aggregate': return `by ${(step.params.groupBy ?? []).join(', ') || '(all)'}`;
    case 'Sql': return step.params.sql.replace(/\s+/g, ' ').slice(0, 60);
    default: return Object.keys(p).length ? JSON.stringify(p).slice(0, 60) : '';
  }
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
