import type { Column, Trigger } from '../catalog';
import { catalogKey } from '../catalog/names';
import type { JobDefinition } from '../jobs/model';
import { mergeTypes, parseType, renderCatalogType, renderType, sameType, type StructField } from '../schema/types';
import type { PipelineShare } from './payload';

/**
 * The share payload of a job: its definition and, for each source node, the columns it expects (as far as the
 * editor has measured them), so whoever opens the link can check their own files before running anything.
 */
export function jobSharePayload(def: JobDefinition, schemas: Record<string, StructField[] | null>): PipelineShare {
  return {
    v: 1,
    kind: 'job',
    name: def.name,
    definition: def,
    inputs: def.nodes.filter((n) => n.kind === 'source').map((n) => ({
      name: n.id,
      columns: (schemas[n.id] ?? []).map((f) => ({ Name: f.name, Type: renderCatalogType(f.type) })),
    })),
  };
}

/** How a supplied file matches an expected input: errors block the run, notes do not. */
export interface InputMatch {
  errors: string[];
  notes: string[];
}

/** Said at an input slot whose link lists no columns, so a user knows nothing was checked on the link's word. */
export const NO_DECLARED_COLUMNS = 'The link does not say which columns it expects';

/**
 * Compare the schema of a supplied input with what the pipeline expects: a missing column or a type that cannot
 * be read as the expected one is an error; extra columns and safe widenings (int -> bigint) are notes. `used`
 * are the columns the steps read by name (see usedColumns): each must exist, whatever the link declares.
 */
export function matchInput(expected: Column[], actual: StructField[], used: string[] = []): InputMatch {
  const out: InputMatch = { errors: [], notes: [] };
  const have = new Map(actual.map((f) => [catalogKey(f.name), f]));
  const expectedNames = new Set(expected.map((c) => catalogKey(c.Name)));
  if (expected.length === 0) {
    out.notes.push(used.length
      ? `${NO_DECLARED_COLUMNS}: only the columns its steps name (${used.join(', ')}) were checked.`
      : `${NO_DECLARED_COLUMNS}, and its steps name none (only SQL reads this input): check the result.`);
  }
  for (const col of expected) {
    const found = have.get(catalogKey(col.Name));
    if (!found) { out.errors.push(`missing column ${col.Name} (${col.Type ?? 'any type'})`); continue; }
    if (!col.Type) continue;
    const want = parseType(col.Type);
    if (sameType(want, found.type) || found.type.kind === 'null') continue;
    const merged = mergeTypes(want, found.type);
    if (sameType(merged, want)) out.notes.push(`column ${col.Name} is ${renderType(found.type)}, read as ${col.Type}`);
    else if (merged.kind === 'choice') out.errors.push(`column ${col.Name} is ${renderType(found.type)} but the pipeline expects ${col.Type}`);
    else out.notes.push(`column ${col.Name} is ${renderType(found.type)} where the pipeline saw ${col.Type}`);
  }
  for (const name of used) {
    if (!expectedNames.has(catalogKey(name)) && !have.has(catalogKey(name))) out.errors.push(`missing column ${name} (the steps use it)`);
  }
  if (expected.length) {
    const extra = actual.filter((f) => !expectedNames.has(catalogKey(f.name))).map((f) => f.name);
    if (extra.length) out.notes.push(`extra column${extra.length === 1 ? '' : 's'} not used by the link: ${extra.join(', ')}`);
  }
  return out;
}

/** What a shared workflow holds: its triggers and the definitions of the jobs they start. */
export interface WorkflowDefinition {
  workflow: string;
  triggers: Trigger[];
  jobs: JobDefinition[];
}

/**
 * The share payload of a workflow: triggers (schedules and conditions) and job definitions, with each job's
 * expected inputs. Crawlers are named but not shared: they read the opener's own data.
 */
export function workflowSharePayload(def: WorkflowDefinition, schemas: Record<string, Record<string, StructField[] | null>> = {}): PipelineShare {
  return {
    v: 1,
    kind: 'workflow',
    name: def.workflow,
    definition: def,
    inputs: def.jobs.flatMap((j) => jobSharePayload(j, schemas[j.name] ?? {}).inputs.map((i) => ({ ...i, name: `${j.name}.${i.name}` }))),
  };
}
