/**
 * Transform steps are plain JSON data — jobs store them in the catalog and share them in links — so a
 * step never holds a function. Paths use Glue's dotted syntax (`address.city`); types are Hive strings.
 */

/** Error limits Glue accepts on transforms that can fail records: exceed them and the run fails. */
export interface Thresholds {
  /** Error records this step may produce (more fails the run). Unset: no limit. */
  stageThreshold?: number;
  /** Error records the run may have produced up to and including this step. Unset: no limit. */
  totalThreshold?: number;
}

export interface Mapping { source: string; sourceType?: string; target: string; targetType: string }
export type ChoiceAction = `cast:${string}` | `project:${string}` | 'make_cols' | 'make_struct';
export interface ChoiceSpec { path: string; action: ChoiceAction }
export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'is_null' | 'not_null' | 'contains' | 'starts_with' | 'in';
export interface Condition { path: string; op: FilterOp; value?: string | number | boolean | (string | number)[] }
/** A predicate built in a form (conditions joined by and/or), or free DuckDB SQL over the columns. */
export type Predicate = { combine: 'and' | 'or'; conditions: Condition[] } | { sql: string };
export type AggFn = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
export interface Aggregation { fn: AggFn; path?: string; as?: string }

export interface StepParams {
  ApplyMapping: { mappings: Mapping[] } & Thresholds;
  /** Per-path actions (`specs`), or one action for every choice column (`choice`), or match_catalog. */
  ResolveChoice: { specs?: ChoiceSpec[]; choice?: ChoiceAction | 'match_catalog'; catalogSchema?: { name: string; type: string }[] } & Thresholds;
  Relationalize: { rootName?: string };
  Unnest: { separator?: string };
  Unbox: { path: string; format: 'json' | 'csv'; type: string; delimiter?: string } & Thresholds;
  DropFields: { paths: string[] };
  SelectFields: { paths: string[] };
  RenameField: { from: string; to: string };
  SplitFields: { paths: string[] };
  SplitRows: { predicate: Predicate };
  Filter: { predicate: Predicate };
  Join: { right: string; leftKeys: string[]; rightKeys: string[]; how?: 'inner' | 'left' | 'right' | 'full' };
  Union: { other: string };
  DropNullFields: Record<string, never>;
  FillMissingValues: { path: string; strategy: 'mean' | 'median' | 'mode' | 'constant'; value?: string | number; output?: string };
  Spigot: { topk?: number; prob?: number; seed?: number };
  Aggregate: { groupBy: string[]; aggregations: Aggregation[] };
  DropDuplicates: { paths?: string[] };
  Derived: { name: string; sql: string; type?: string } & Thresholds;
  Sql: { sql: string };
}

export type StepKind = keyof StepParams;

/** One transform step: `{ id, kind, params }`, serializable as JSON. */
export type Step = { [K in StepKind]: { id: string; kind: K; params: StepParams[K]; label?: string } }[StepKind];

/** Every step kind, in the order a palette shows them. */
export const STEP_KINDS: StepKind[] = [
  'ApplyMapping', 'ResolveChoice', 'SelectFields', 'DropFields', 'RenameField', 'Filter', 'Derived',
  'FillMissingValues', 'DropNullFields', 'DropDuplicates', 'Aggregate', 'Join', 'Union', 'Unnest',
  'Relationalize', 'Unbox', 'SplitFields', 'SplitRows', 'Spigot', 'Sql',
];

/** One line a palette shows under each kind. */
export const STEP_HELP: Record<StepKind, string> = {
  ApplyMapping: 'Map source columns to target names and types (bad casts become error records).',
  ResolveChoice: 'Resolve columns whose records disagree on type: cast, project, make_cols, make_struct, match_catalog.',
  SelectFields: 'Keep only the given fields (nested paths allowed).',
  DropFields: 'Remove fields (nested paths allowed).',
  RenameField: 'Rename or move a field (nested paths allowed).',
  Filter: 'Keep the records a predicate accepts.',
  Derived: 'Add a column computed by a DuckDB SQL expression.',
  FillMissingValues: 'Add <column>_filled with nulls replaced by the mean, median, mode or a constant.',
  DropNullFields: 'Remove columns that are null in every record.',
  DropDuplicates: 'Keep the first record of each set of duplicates.',
  Aggregate: 'Group and aggregate.',
  Join: 'Join with another table on keys.',
  Union: 'Append the records of another table (columns matched by name, types merged).',
  Unnest: 'Flatten nested structs into top-level columns named a.b.c.',
  Relationalize: 'Flatten structs and move arrays into child tables joined by id.',
  Unbox: 'Parse a string column holding JSON or CSV into a struct.',
  SplitFields: 'Split into the given fields (this frame) and the rest (a second output).',
  SplitRows: 'Split into records matching a predicate (this frame) and the rest (a second output).',
  Spigot: 'Pass everything through and keep a sample as a second output.',
  Sql: 'Any DuckDB SELECT over the step input, named `input`.',
};
