/**
 * A job as plain JSON (stored in the catalog as a Glue Job, shared in links, exported as scripts): a DAG of
 * source, transform and target nodes. Nothing here holds a function, and no node ever carries user JavaScript.
 */
import type { Step } from '../frames/steps';
import type { ParquetCompression } from '../engine/parquet';
import type { OutputFormat } from './writers';
import type { BookmarkOption } from './bookmarks';
import { findCycle } from '../util/graph';
import { sideOf } from '../frames/transforms';
import { errorMessage } from '../util/errors';

/** Where a source reads from. `catalog` resolves the table's location; `file` a location or path; `table` a relation already open in the engine. */
export type SourceSpec =
  | { type: 'catalog'; database: string; table: string }
  | { type: 'file'; path: string; format?: SourceFormat; delimiter?: string; header?: boolean; rowTag?: string }
  | { type: 'table'; name: string };

export type SourceFormat = 'csv' | 'tsv' | 'json' | 'parquet' | 'avro' | 'xml' | 'xlsx' | 'arrow' | 'orc';

/** How a target replaces what an earlier run wrote (Spark's SaveMode; `overwrite-partitions` is Spark's dynamic partition overwrite). */
export type WriteMode = 'overwrite' | 'append' | 'overwrite-partitions';

/** The write modes, in the order the editor offers them. */
export const WRITE_MODES: readonly WriteMode[] = ['overwrite', 'append', 'overwrite-partitions'];

interface TargetCommon {
  format: OutputFormat;
  compression?: ParquetCompression;
  /** Hive-style partition columns (col=value/ folders). */
  partitionBy?: string[];
  /**
   * How a workspace target treats the previous output (Spark's save modes): `overwrite` replaces it,
   * `append` adds this run's files to it, `overwrite-partitions` replaces only the partitions this run
   * wrote (dynamic partition overwrite). Unset: append when the job's bookmark is enabled, else overwrite.
   */
  mode?: WriteMode;
}

/**
 * Where a target writes. New kinds (an S3 PUT target) add a member here and a case in the runner's sink;
 * nothing else depends on the list.
 */
export type TargetSpec =
  | (TargetCommon & { type: 'download'; name?: string })
  | (TargetCommon & { type: 'workspace'; path: string; database?: string; table?: string })
  /** S3 through presigned PUT URLs (one per output file, matched by location/path); see src/jobs/s3-target.ts. */
  | (TargetCommon & { type: 's3'; location: string; putUrls: string });

export interface SourceNode { id: string; kind: 'source'; label?: string; source: SourceSpec }
/** One frames step. Join and Union read their second frame from `inputs[1]` (their `right`/`other` param is ignored). */
export interface TransformNode { id: string; kind: 'transform'; label?: string; inputs: string[]; step: Step }
export interface TargetNode { id: string; kind: 'target'; label?: string; inputs: string[]; target: TargetSpec }
export type JobNode = SourceNode | TransformNode | TargetNode;

/** A job argument with its default; steps, paths and values refer to it as `${name}`. */
export interface JobParameter { name: string; default: string; description?: string }

/** A job definition: what `epoxy run JOB.json` takes and the catalog keeps in `Job.Epoxy.definition`. */
export interface JobDefinition {
  version: 1;
  name: string;
  description?: string;
  nodes: JobNode[];
  parameters: JobParameter[];
  bookmark: BookmarkOption;
  /** Minutes (Glue's Timeout); unset: 2880 as in Glue. */
  timeout?: number;
  maxRetries?: number;
  maxConcurrentRuns?: number;
}

/** A problem with a node (and, when known, a column), shown at the node in the editor. */
export interface NodeMessage {
  nodeId: string;
  column?: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Glue's default job timeout, in minutes. */
export const DEFAULT_TIMEOUT_MINUTES = 2880;

const ID = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** An empty job with Glue's defaults. */
export function newJob(name: string): JobDefinition {
  return { version: 1, name, nodes: [], parameters: [], bookmark: 'job-bookmark-disable', maxRetries: 0, maxConcurrentRuns: 1 };
}

/** How many inputs a node takes: sources none, Join/Union two, other transforms and targets one. */
export function expectedInputs(node: JobNode): number {
  if (node.kind === 'source') return 0;
  if (node.kind === 'transform' && sideOf(node.step)) return 2;
  return 1;
}

/** The inputs of a node (sources have none). */
export function inputsOf(node: JobNode): string[] {
  return node.kind === 'source' ? [] : node.inputs;
}

/**
 * An input naming a node's extra output — SplitRows' `rest`, a Relationalize child table, a router group — is
 * `<node>:<output>` (Glue Studio picks them with SelectFromCollection); a plain node id is its main frame.
 */
export function parseInputRef(ref: string): { node: string; output?: string } {
  const i = ref.indexOf(':');
  return i > 0 ? { node: ref.slice(0, i), output: ref.slice(i + 1) } : { node: ref };
}

/** The nodes a node reads (extra-output references reduced to their node), for the DAG's structure. */
export function inputNodesOf(node: JobNode): string[] {
  return inputsOf(node).map((r) => parseInputRef(r).node);
}

/**
 * Check the DAG's structure: ids usable as SQL and Python names and unique, inputs that exist and are not
 * targets, the right number of inputs per node, no cycles, at least one target. Schemas are checked by
 * `checkJob` (compile.ts) once sources are known.
 */
export function validateDag(def: JobDefinition): NodeMessage[] {
  const out: NodeMessage[] = [];
  const byId = new Map<string, JobNode>();
  for (const node of def.nodes) {
    if (!ID.test(node.id)) out.push({ nodeId: node.id, severity: 'error', message: `Node id "${node.id}" must start with a letter or _ and hold only letters, digits and _ (it names a table and a transformation_ctx)` });
    if (byId.has(node.id)) out.push({ nodeId: node.id, severity: 'error', message: `Two nodes are called ${node.id}` });
    byId.set(node.id, node);
  }
  for (const node of def.nodes) {
    const inputs = inputsOf(node);
    const want = expectedInputs(node);
    if (inputs.length !== want) {
      out.push({ nodeId: node.id, severity: 'error', message: want === 0 ? 'A source takes no inputs' : `${node.kind === 'transform' ? node.step.kind : 'A target'} needs ${want === 1 ? 'one input' : `${want} inputs`}, it has ${inputs.length}` });
    }
    for (const id of inputs) {
      const ref = parseInputRef(id);
      const from = byId.get(ref.node);
      if (!from) out.push({ nodeId: node.id, severity: 'error', message: `Input ${id} does not exist` });
      else if (from.kind === 'target') out.push({ nodeId: node.id, severity: 'error', message: `Input ${id} is a target; targets produce no frame` });
      else if (ref.output !== undefined && from.kind !== 'transform') out.push({ nodeId: node.id, severity: 'error', message: `Input ${id}: a source has no extra outputs` });
    }
  }
  const cycle = jobCycle(def.nodes);
  if (cycle) out.push({ nodeId: cycle[0]!, severity: 'error', message: `Cycle: ${cycle.join(' → ')}` });
  if (def.nodes.length && !def.nodes.some((n) => n.kind === 'target')) out.push({ nodeId: def.nodes.at(-1)!.id, severity: 'warning', message: 'The job has no target: it reads and transforms, but writes nothing' });
  for (const node of def.nodes) {
    if (node.kind !== 'target') continue;
    const mode = node.target.mode as string | undefined;
    if (mode !== undefined && !WRITE_MODES.includes(mode as WriteMode)) out.push({ nodeId: node.id, severity: 'error', message: `Write mode "${mode}" is not one of ${WRITE_MODES.join(', ')}` });
    else if (mode === 'overwrite-partitions' && !node.target.partitionBy?.length) out.push({ nodeId: node.id, severity: 'warning', message: 'Overwriting only the partitions written needs partition columns: without them the whole output is replaced' });
  }
  for (const p of def.parameters) {
    if (!ID.test(p.name)) out.push({ nodeId: '', severity: 'error', message: `Parameter name "${p.name}" must be letters, digits and _` });
  }
  for (const ref of parameterRefs(def)) {
    if (!def.parameters.some((p) => p.name === ref.name)) out.push({ nodeId: ref.nodeId, severity: 'error', message: `\${${ref.name}} is not a job parameter` });
  }
  return out;
}

function jobCycle(nodes: JobNode[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return findCycle(nodes.map((n) => n.id), (id) => { const node = byId.get(id); return node ? inputNodesOf(node) : []; });
}

/** Nodes in an order where every node comes after its inputs (stable: file order among equals). Throws on a cycle. */
export function topoOrder(def: JobDefinition): JobNode[] {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  const out: JobNode[] = [];
  const visit = (node: JobNode, path: Set<string>) => {
    if (done.has(node.id)) return;
    if (path.has(node.id)) throw new Error(`The job's nodes form a cycle through ${node.id}`);
    path.add(node.id);
    for (const i of inputNodesOf(node)) {
      const from = byId.get(i);
      if (!from) throw new Error(`${node.id}: input ${i} does not exist`);
      visit(from, path);
    }
    path.delete(node.id);
    done.add(node.id);
    out.push(node);
  };
  for (const n of def.nodes) visit(n, new Set());
  return out;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function eachString(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => eachString(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => eachString(v, visit));
}

/** Every `${name}` a node uses. */
export function parameterRefs(def: JobDefinition): { nodeId: string; name: string }[] {
  const out: { nodeId: string; name: string }[] = [];
  for (const node of def.nodes) {
    eachString(node, (s) => { for (const m of s.matchAll(REF)) out.push({ nodeId: node.id, name: m[1]! }); });
  }
  return out;
}

/**
 * The arguments of a run: parameter defaults, overridden by the job's DefaultArguments and then by the run's
 * arguments. Glue spells arguments `--name`; both spellings are accepted.
 */
export function resolveArguments(def: JobDefinition, ...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const p of def.parameters) args[p.name] = p.default;
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      const name = k.replace(/^--/, '');
      if (def.parameters.some((p) => p.name === name)) args[name] = v;
    }
  }
  return args;
}

/** Replace `${name}` in every string of a JSON value; an unknown name is an error (never silently empty). */
export function substitute<T>(value: T, args: Record<string, string>): T {
  const sub = (s: string) => s.replace(REF, (_, name: string) => {
    if (!(name in args)) throw new Error(`\${${name}} is not a job parameter`);
    return args[name]!;
  });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Parse and check a job file (what the CLI and an import read); throws with the first structural problem. */
export function parseJobDefinition(text: string): JobDefinition {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (err) { throw new Error(`Not a job file: ${errorMessage(err)}`); }
  const def = raw as JobDefinition;
  if (!def || typeof def !== 'object' || !Array.isArray(def.nodes)) throw new Error('Not a job file: it has no "nodes" array');
  if (typeof def.name !== 'string' || !def.name) throw new Error('Not a job file: it has no "name"');
  def.parameters ??= [];
  def.bookmark ??= 'job-bookmark-disable';
  def.version ??= 1;
  for (const n of def.nodes) {
    if (!['source', 'transform', 'target'].includes((n as JobNode).kind)) throw new Error(`Node ${String((n as JobNode).id)}: unknown kind ${String((n as JobNode).kind)}`);
  }
  const errors = validateDag(def).filter((m) => m.severity === 'error');
  if (errors.length) throw new Error(errors.map((m) => (m.nodeId ? `${m.nodeId}: ${m.message}` : m.message)).join('; '));
  return def;
}
