/**
 * Transform steps are plain JSON data — jobs store them in the catalog and share them in links — so a
 * step never holds a function. Paths use Glue's dotted syntax (`address.city`); types are Hive strings.
 * Each kind is defined in src/frames/transforms/<Kind>.ts; the types here are derived from that registry.
 */
import { TRANSFORMS, type TransformParams } from './transforms';

export type { Thresholds } from './transforms/def';
export type { Condition, FilterOp, Predicate } from './transforms/predicate';
export type { Mapping } from './transforms/ApplyMapping';
export type { ChoiceAction, ChoiceSpec } from './transforms/ResolveChoice';
export type { AggFn, Aggregation } from './transforms/Aggregate';

export type StepParams = TransformParams;
export type StepKind = keyof StepParams;

/** One transform step: `{ id, kind, params }`, serializable as JSON. */
export type Step = { [K in StepKind]: { id: string; kind: K; params: StepParams[K]; label?: string } }[StepKind];

/** Every step kind, in the order a palette shows them. */
export const STEP_KINDS: StepKind[] = TRANSFORMS.map((d) => d.kind);

/** One line a palette shows under each kind. */
export const STEP_HELP = Object.fromEntries(TRANSFORMS.map((d) => [d.kind, d.help])) as Record<StepKind, string>;
