/**
 * The registry of transform kinds, in the order a palette shows them. Adding a kind is one file in this folder
 * (a defineTransform default export) and one line here.
 */
import ApplyMapping from './ApplyMapping';
import ResolveChoice from './ResolveChoice';
import SelectFields from './SelectFields';
import DropFields from './DropFields';
import RenameField from './RenameField';
import Filter from './Filter';
import Derived from './Derived';
import FillMissingValues from './FillMissingValues';
import DropNullFields from './DropNullFields';
import DropDuplicates from './DropDuplicates';
import Aggregate from './Aggregate';
import Join from './Join';
import Union from './Union';
import Unnest from './Unnest';
import Relationalize from './Relationalize';
import Unbox from './Unbox';
import SplitFields from './SplitFields';
import SplitRows from './SplitRows';
import Spigot from './Spigot';
import Sql from './Sql';
import Pivot from './Pivot';
import Unpivot from './Unpivot';
import Explode from './Explode';
import Flatten from './Flatten';
import Identifier from './Identifier';
import ConditionalRouter from './ConditionalRouter';
import type { TransformDef } from './def';

export const TRANSFORMS = [
  ApplyMapping, ResolveChoice, SelectFields, DropFields, RenameField, Filter, Derived,
  FillMissingValues, DropNullFields, DropDuplicates, Aggregate, Join, Union, Unnest,
  Relationalize, Unbox, SplitFields, SplitRows, Spigot, Sql,
  Pivot, Unpivot, Explode, Flatten, Identifier, ConditionalRouter,
] as const;

type Defs = (typeof TRANSFORMS)[number];
/** Every kind's params, by kind. */
export type TransformParams = { [D in Defs as D['kind']]: D extends TransformDef<string, infer P> ? P : never };

const BY_KIND = new Map<string, TransformDef<string, never>>(TRANSFORMS.map((d) => [d.kind, d as unknown as TransformDef<string, never>]));

/** The definition of a kind, or undefined for a kind Epoxy does not know (a hand-made link). */
export function transformOf(kind: string): TransformDef<string, unknown> | undefined {
  return BY_KIND.get(kind) as TransformDef<string, unknown> | undefined;
}

/** The param naming a step's second input (Join's `right`) and its value, or null for a one-input kind. */
export function sideOf(step: { kind: string; params: unknown }): { key: string; value: string } | null {
  const key = transformOf(step.kind)?.side;
  if (!key) return null;
  const value = (step.params as Record<string, unknown> | null)?.[key];
  return { key, value: typeof value === 'string' ? value : '' };
}

/** The step with its second input pointed at `relation` (a one-input step as it is). */
export function withSide<S extends { kind: string; params: unknown }>(step: S, relation: string): S {
  const key = transformOf(step.kind)?.side;
  return key ? { ...step, params: { ...(step.params as object), [key]: relation } } : step;
}
