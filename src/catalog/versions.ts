import { TABLE_INPUT_KEYS, type Column, type ObjectKind, type ObjectTypes, type Table, type TableInput } from './glue-types';

/** Cut a Glue `Table` (get-table output) down to the TableInput that create-table/update-table accept. */
export function tableInputOf(table: Table | TableInput): TableInput {
  const out: Record<string, unknown> = {};
  for (const key of TABLE_INPUT_KEYS) if (table[key] !== undefined) out[key] = structuredClone(table[key]);
  return out as unknown as TableInput;
}

// JSON with sorted keys, so equal definitions compare equal whatever order their fields were written in.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** Whether two definitions are the same TableInput (field order and Table-only fields ignored). */
export function sameDefinition(a: Table | TableInput, b: Table | TableInput): boolean {
  return canonical(tableInputOf(a)) === canonical(tableInputOf(b));
}

export type DiffStatus = 'same' | 'added' | 'removed' | 'changed' | 'renamed';

/** One line of a side-by-side schema diff. */
export interface ColumnDiff {
  status: DiffStatus;
  left?: Column;
  right?: Column;
  partitionKey: boolean;
}

/** A changed property outside the columns (location, formats, SerDe, parameters...). */
export interface PropertyDiff { path: string; left?: string; right?: string }

function diffColumnList(left: Column[], right: Column[], partitionKey: boolean): ColumnDiff[] {
  const rightNames = new Set(right.map((c) => c.Name));
  const leftByName = new Map(left.map((c) => [c.Name, c]));
  const rows: ColumnDiff[] = [];
  let li = 0; // next left column not yet shown
  const skipGone = (upTo: number) => {
    for (; li < upTo; li++) if (!rightNames.has(left[li]!.Name)) rows.push({ status: 'removed', left: left[li]!, partitionKey });
  };
  for (const r of right) {
    const l = leftByName.get(r.Name);
    if (l) {
      skipGone(left.indexOf(l));
      if (left[li] === l) li++;
      const same = l.Type === r.Type && (l.Comment ?? '') === (r.Comment ?? '');
      rows.push({ status: same ? 'same' : 'changed', left: l, right: r, partitionKey });
      continue;
    }
    const gone = left[li];
    // A new column where an old one of the same type disappeared reads as a rename.
    if (gone && !rightNames.has(gone.Name) && gone.Type === r.Type) {
      rows.push({ status: 'renamed', left: gone, right: r, partitionKey });
      li++;
    } else rows.push({ status: 'added', right: r, partitionKey });
  }
  skipGone(left.length);
  return rows;
}

/** Side-by-side diff of two table definitions' columns and partition keys, aligned by name. */
export function diffSchemas(left: TableInput, right: TableInput): ColumnDiff[] {
  return [
    ...diffColumnList(left.StorageDescriptor?.Columns ?? [], right.StorageDescriptor?.Columns ?? [], false),
    ...diffColumnList(left.PartitionKeys ?? [], right.PartitionKeys ?? [], true),
  ];
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object') { out.set(prefix, String(value)); return; }
  if (Array.isArray(value)) { out.set(prefix, JSON.stringify(value)); return; }
  for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

/** Differences outside the columns, as dotted paths (e.g. `StorageDescriptor.SerdeInfo.Parameters.field.delim`). */
export function diffProperties(left: TableInput, right: TableInput): PropertyDiff[] {
  const strip = (t: TableInput) => {
    const input = tableInputOf(t) as Partial<TableInput>;
    delete input.PartitionKeys;
    if (input.StorageDescriptor) input.StorageDescriptor = { ...input.StorageDescriptor, Columns: undefined };
    return input;
  };
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(strip(left), '', a);
  flatten(strip(right), '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, left: a.get(path), right: b.get(path) }));
}

/**
 * The versioned definition of an ETL object: the record without its VersionId, without what the store stamps
 * (a connection's CreationTime/LastUpdatedTime) and without run state (a job's `Epoxy.bookmark`), so that a run
 * moving its bookmark is neither a new version nor a conflict for an editor.
 */
export function definitionOf<K extends ObjectKind>(kind: K, value: ObjectTypes[K]): ObjectTypes[K] {
  const def = structuredClone(value) as Record<string, unknown>;
  delete def.VersionId;
  if (kind === 'connection') { delete def.CreationTime; delete def.LastUpdatedTime; }
  if (kind === 'job' && def.Epoxy && typeof def.Epoxy === 'object') {
    const { bookmark: _b, ...rest } = def.Epoxy as Record<string, unknown>;
    if (Object.keys(rest).length) def.Epoxy = rest; else delete def.Epoxy;
  }
  return def as ObjectTypes[K];
}

/** The run state an object carries outside its definition (a job's bookmark), to keep across a replacement. */
export function runStateOf(kind: ObjectKind, value: ObjectTypes[ObjectKind]): Record<string, unknown> {
  if (kind !== 'job') return {};
  const bookmark = (value as ObjectTypes['job']).Epoxy?.bookmark;
  return bookmark === undefined ? {} : { bookmark };
}

/** `value` with the given run state put back (see runStateOf). */
export function withRunState<K extends ObjectKind>(kind: K, value: ObjectTypes[K], state: Record<string, unknown>): ObjectTypes[K] {
  if (kind !== 'job') return value;
  const job = value as ObjectTypes['job'];
  const { bookmark: _b, ...epoxy } = job.Epoxy ?? {};
  const merged = { ...epoxy, ...state };
  const out = { ...job };
  if (Object.keys(merged).length) out.Epoxy = merged; else delete out.Epoxy;
  return out as ObjectTypes[K];
}

/** Whether two records hold the same definition (field order, VersionId, stamps and run state ignored). */
export function sameObjectDefinition<K extends ObjectKind>(kind: K, a: ObjectTypes[K], b: ObjectTypes[K]): boolean {
  return canonical(definitionOf(kind, a)) === canonical(definitionOf(kind, b));
}

// Arrays of records with a unique id/Name/name are addressed by it (`nodes[filter_1].step`), so an inserted
// element does not make every later one look changed.
function keyOf(items: unknown[]): string | null {
  for (const key of ['id', 'Name', 'name']) {
    const values = items.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>)[key] : undefined));
    if (values.every((v) => typeof v === 'string' && v !== '') && new Set(values).size === values.length) return key;
  }
  return null;
}

function flattenKeyed(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object') { out.set(prefix, String(value)); return; }
  if (Array.isArray(value)) {
    if (!value.length || value.every((x) => x === null || typeof x !== 'object')) { out.set(prefix, JSON.stringify(value)); return; }
    const key = keyOf(value);
    value.forEach((x, i) => flattenKeyed(x, `${prefix}[${key ? String((x as Record<string, unknown>)[key]) : i}]`, out));
    return;
  }
  for (const [k, v] of Object.entries(value)) flattenKeyed(v, prefix ? `${prefix}.${k}` : k, out);
}

/**
 * Field-by-field differences of two plain records (job definitions, triggers, crawlers...), as dotted paths in
 * sorted order; elements of arrays of named records are matched by name, so `nodes[filter_1].step.params.condition`
 * names one changed field. Values are shown as text.
 */
export function diffObjects(left: unknown, right: unknown): PropertyDiff[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flattenKeyed(left, '', a);
  flattenKeyed(right, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, left: a.get(path), right: b.get(path) }));
}
