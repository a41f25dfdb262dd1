/**
 * The shape of a transform kind (TransformDef): everything about it in one object, so the Transform view, the
 * job editor, the share review and the exports are generic over the registry in index.ts.
 */
import type { StructField } from '../../schema/types';
import type { CompiledStep, DuckCompiler, FrameRef, StepFacts } from './kit';

/** Error limits Glue accepts on transforms that can fail records: exceed them and the run fails. */
export interface Thresholds {
  /** Error records this step may produce (more fails the run). Unset: no limit. */
  stageThreshold?: number;
  /** Error records the run may have produced up to and including this step. Unset: no limit. */
  totalThreshold?: number;
}

/** A field of a kind's form. `key` is a dotted path into the params (`leftKeys.0`, `predicate`). */
export type FormField = { key: string; label: string; when?: (params: Record<string, unknown>) => boolean } & (
  /** One field path of the input (a select). `optional`: an empty choice removes the key. */
  | { widget: 'column'; optional?: string; of?: 'input' | 'other' }
  /** Field paths ticked in a list; `top`: only top-level columns (stored as paths). */
  | { widget: 'columns'; top?: boolean }
  | { widget: 'text'; placeholder?: string; mono?: boolean; optional?: boolean; short?: boolean }
  /** SQL text the user writes: an expression over the columns, or a query over `input`. Checked by the SQL guard. */
  | { widget: 'sql'; kind: 'expression' | 'query' }
  | { widget: 'number'; min?: number; max?: number; step?: number; optional?: boolean }
  | { widget: 'select'; options: readonly string[] }
  | { widget: 'checkbox' }
  /** A Predicate: conditions built in a form, or a SQL expression. */
  | { widget: 'predicate' }
  /** The relation a two-input step reads second (Join's right side, Union's other side). */
  | { widget: 'side' }
  /** A list of records, each edited by `item`'s fields (keys relative to the record). */
  | { widget: 'list'; item: FormField[]; addLabel: string; newItem: (schema: StructField[]) => Record<string, unknown> }
  /** ResolveChoice's per-choice-column actions. */
  | { widget: 'choiceSpecs' }
);

/** What a kind's Spark compile gets: Python names of its frames and helpers to spell values. */
export interface SparkCtx {
  /** The Python variable the lines must assign (each extra output: `${id}__${name}`, name with non-word characters as `_`). */
  id: string;
  /** The Python variable of the input DataFrame (and the second input's, for two-input kinds). */
  input: string;
  other?: string;
  schema: StructField[];
  otherSchema?: StructField[];
  /** A Python string literal. */
  str(s: string): string;
  /** A Python expression for a string that may hold `${param}` (job arguments). */
  value(s: string): string;
  /** A Column expression (`F.col(...)`) for a Glue field path of the input. */
  col(path: string): string;
  /** DuckDB SQL the user wrote, as Spark SQL; throws an Error naming the construct it cannot translate. */
  sql(text: string, kind: 'query' | 'expression'): string;
  /** Declare a Python helper the lines call (defined once at the top of the script). */
  helper(name: string, code: string[]): void;
}

/** A kind's Spark code: lines assigning `${id}` (and `${id}__<extra>` for each extra output). */
export interface SparkOut {
  lines: string[];
  extras?: string[];
}

/** Where a kind's behaviour is written down (docs/jobs.md is generated from these). */
export interface TransformDocs {
  /** What the kind does in the tab (DuckDB-WASM). */
  tab: string;
  /** How the DuckDB SQL export runs it (when it differs from "the same SQL"). */
  duckdb?: string;
  /** How the PySpark export runs it. */
  spark: string;
  /** How the AWS Glue script runs it (awsglue transform, or the PySpark body). */
  glue: string;
  /** Known differences between the engines. */
  differences?: string;
}

/**
 * A worked example of a kind on public data: the parity suites run every example in the tab, on native DuckDB
 * (the DuckDB SQL export) and on Spark (the PySpark export) and compare the outputs row for row; docs show them.
 */
export interface TransformExample<P> {
  /** What it shows, e.g. `cars by origin` (the test's name). */
  title: string;
  /** The input file, relative to the repo root (node_modules/vega-datasets/data/…, test/fixtures/…). */
  input: string;
  /** The second input of a two-input kind. */
  other?: string;
  params: P;
}

/** Everything about one transform kind. */
export interface TransformDef<K extends string = string, P = unknown> {
  kind: K;
  /** One line a palette shows under the kind. */
  help: string;
  /** Where the palette groups it. */
  group: 'Columns' | 'Rows' | 'Combine' | 'Nested' | 'Text & dates' | 'SQL';
  /** The param naming a second input (Join's `right`): such a kind reads two frames. */
  side?: string;
  /** Records can fail (bad casts): Glue's stageThreshold/totalThreshold apply. */
  canFail?: boolean;
  /** Starting params, filled from the schema it will read so the step runs at once. */
  defaults(schema: StructField[], others: string[]): P;
  form: FormField[];
  /** One line saying what the step does. `p` may come from a link: read it defensively (describeStep catches). */
  describe(p: P, inputs: string[]): string;
  /** Top-level input columns the step reads by name, when the form's column fields do not say it all. */
  columns?(p: P): unknown[];
  /** A query whose single row the compile needs (DropNullFields' null counts). */
  facts?: { sql(input: FrameRef): string | null; read(input: FrameRef, row: unknown[]): StepFacts };
  /** Compile to DuckDB SQL over the input (reports problems on `c`). */
  duckdb(p: P, c: DuckCompiler): CompiledStep;
  /** Compile to PySpark DataFrame code (shared by the PySpark and the Glue exports). */
  spark?(p: P, s: SparkCtx): SparkOut;
  /** Glue-only code (DynamicFrame transforms) replacing the Spark body in the Glue script. */
  glue?(p: P, s: SparkCtx): SparkOut;
  docs: TransformDocs;
  /** At least one example; the first is the one docs show. */
  examples: TransformExample<P>[];
}

/** Declare a kind (keeps its params type for the registry's Step type). */
export function defineTransform<K extends string, P>(def: TransformDef<K, P>): TransformDef<K, P> {
  return def;
}

/** The Python variable of a step's extra output (`${id}__<name>`, the name made a Python identifier). */
export function extraVar(id: string, name: string): string {
  return `${id}__${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
