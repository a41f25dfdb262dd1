/**
 * Edits of a job's DAG as pure functions: a definition and an edit in, a new definition (and the node the edit
 * made or changed) out, or a typed error the editor shows. Nothing here mutates its input, so an editor can
 * keep the previous definition (undo, conflict views) and a Svelte model can hold definitions as raw state.
 */
import type { Step, StepKind, StepParams } from '../frames/steps';
import { transformOf } from '../frames/transforms';
import { errorMessage } from '../util/errors';
import { inputsOf, topoOrder, type JobDefinition, type JobNode, type JobParameter, type SourceSpec, type TargetNode, type TargetSpec } from './model';

/** Why an edit was refused; `code` is for code, `message` for the user. */
export type GraphEditError =
  /** A transform or target needs a node producing a frame to read, and there is none. */
  | { code: 'no-input'; message: string }
  /** A source location that is neither an http(s) URL nor a workspace path, or not a URL at all. */
  | { code: 'bad-location'; message: string }
  /** A node id that cannot name a table and a transformation_ctx. */
  | { code: 'invalid-id'; message: string }
  /** A node id another node has. */
  | { code: 'id-taken'; message: string }
  /** The edit names a node the job does not have. */
  | { code: 'no-node'; message: string };

/** What an edit returns: the new definition and the node to select, or why nothing changed. */
export type EditResult = { ok: true; def: JobDefinition; nodeId: string } | { ok: false; error: GraphEditError };

const NODE_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

const refused = (code: GraphEditError['code'], message: string): EditResult => ({ ok: false, error: { code, message } });

/** A new node id not yet used in the job, from a base name: `filter_1`, `filter_2`, ... */
export function newNodeId(def: JobDefinition, base: string): string {
  const stem = base.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase()).replace(/[^a-z0-9_]+/g, '_').replace(/^([^a-z_])/, '_$1') || 'node';
  const taken = new Set(def.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

/** What a target node is named after: where it writes. */
export function targetStem(type: TargetSpec['type']): string {
  return type === 'download' ? 'download' : type === 'workspace' ? 'workspace' : 's3';
}

/** Whether a node id is one Epoxy generated for a target (`download_1`, `write_2`), not one the user chose. */
function generatedTargetId(id: string): boolean {
  return /^(download|workspace|s3|write)_\d+$/.test(id);
}

/**
 * The target node with a new target (another kind of output). A node still under a generated name is renamed
 * after its new kind, so a workspace target is `workspace_1`, not the `download_1` it started as; a name the
 * user gave is kept.
 */
export function retypeTarget(def: JobDefinition, node: TargetNode, target: TargetSpec): TargetNode {
  const stem = targetStem(target.type);
  const rename = target.type !== node.target.type && generatedTargetId(node.id) && !node.id.startsWith(`${stem}_`);
  const others = { ...def, nodes: def.nodes.filter((n) => n.id !== node.id) };
  return { ...node, id: rename ? newNodeId(others, stem) : node.id, target };
}

/**
 * The target a target node gets when the user switches it to another kind of output, keeping what carries
 * over (format, compression, partitions, mode) and filling the new kind's place from the node's input name.
 */
export function targetOfType(current: TargetSpec, type: TargetSpec['type'], input: string): TargetSpec {
  const kept = { ...(current.compression ? { compression: current.compression } : {}) };
  if (type === 'workspace') {
    return { type: 'workspace', format: current.format, path: `lake/${input}`, database: 'default', table: input, ...kept, ...(current.partitionBy ? { partitionBy: current.partitionBy } : {}), ...(current.mode ? { mode: current.mode } : {}) };
  }
  if (type === 's3') return { type: 's3', format: current.format, location: 's3://bucket/prefix', putUrls: '', ...kept };
  return { type: 'download', format: current.format, name: input };
}

/** Why `to` cannot be the new id of node `from`, or null when it can. */
export function checkNodeId(def: JobDefinition, from: string, to: string): GraphEditError | null {
  if (!NODE_ID.test(to)) return { code: 'invalid-id', message: 'Letters, digits and _; not starting with a digit' };
  if (to !== from && def.nodes.some((n) => n.id === to)) return { code: 'id-taken', message: `${to} exists already` };
  return null;
}

/** The node an added step or target reads: the selected node when it produces a frame, else the last one that does. */
export function frameNode(def: JobDefinition, selected: string | null): string | null {
  const sel = def.nodes.find((n) => n.id === selected);
  if (sel && sel.kind !== 'target') return sel.id;
  return [...def.nodes].reverse().find((n) => n.kind !== 'target')?.id ?? null;
}

/** The id stem of a source: its table, or a location's file name without extension. Null: not a location at all. */
function sourceStem(source: SourceSpec): string | null {
  if (source.type === 'catalog') return source.table.split('.').join('_');
  if (source.type === 'table') return source.name;
  let base: string;
  try {
    base = decodeURIComponent(new URL(source.path.replace(/^opfs:/, 'http:')).pathname.split('/').filter(Boolean).pop() ?? 'source').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]+/g, '_') || 'source';
  } catch {
    return null;
  }
  return /^[A-Za-z_]/.test(base) ? base : `s_${base}`;
}

/**
 * Add a source node. A `file` source must name an https:// (a presigned GET URL) or http:// URL, or a
 * workspace path opfs://folder; its node is named after the file.
 */
export function addSource(def: JobDefinition, source: SourceSpec): EditResult {
  if (source.type === 'file') {
    const path = source.path.trim();
    if (!/^(https?:\/\/|opfs:\/\/)/.test(path)) return refused('bad-location', 'A location is an https:// URL (e.g. a presigned S3 GET URL) or a workspace path opfs://folder');
    source = { ...source, path };
  }
  const stem = sourceStem(source);
  if (stem === null) return refused('bad-location', 'That location is not a valid URL');
  const id = newNodeId(def, stem);
  return { ok: true, def: { ...def, nodes: [...def.nodes, { id, kind: 'source', source }] }, nodeId: id };
}

/**
 * Add a transform reading `after` (see `frameNode`). A two-input kind (Join, Union…) reads a second frame: `second`, else the
 * first other node producing one, else `after` again (the editor lets the user pick).
 */
export function addTransform<K extends StepKind>(def: JobDefinition, edit: { kind: K; params: StepParams[K]; after: string | null; second?: string }): EditResult {
  const { kind, params, after, second } = edit;
  if (!after) return refused('no-input', 'Add a source first, then select the node the step reads');
  if (!def.nodes.some((n) => n.id === after)) return refused('no-node', `The job has no node ${after}`);
  const id = newNodeId(def, kind);
  const inputs = transformOf(kind)?.side ? [after, second ?? def.nodes.find((n) => n.kind !== 'target' && n.id !== after)?.id ?? after] : [after];
  const step = { id, kind, params } as Step;
  return { ok: true, def: { ...def, nodes: [...def.nodes, { id, kind: 'transform', inputs, step }] }, nodeId: id };
}

/** Add a target writing the frame of `after`; a download without a name is named after that node. */
export function addTarget(def: JobDefinition, edit: { target: TargetSpec; after: string | null }): EditResult {
  const { target, after } = edit;
  if (!after) return refused('no-input', 'Select the node whose frame the target writes');
  if (!def.nodes.some((n) => n.id === after)) return refused('no-node', `The job has no node ${after}`);
  const id = newNodeId(def, targetStem(target.type));
  const node: TargetNode = { id, kind: 'target', inputs: [after], target: { ...target, ...(target.type === 'download' && !target.name ? { name: after } : {}) } };
  return { ok: true, def: { ...def, nodes: [...def.nodes, node] }, nodeId: id };
}

/**
 * Replace node `id` with `node` (as edited in its form). A new id must be free and valid; the nodes that
 * read the old id read the new one.
 */
export function replaceNode(def: JobDefinition, id: string, node: JobNode): EditResult {
  if (!def.nodes.some((n) => n.id === id)) return refused('no-node', `The job has no node ${id}`);
  const problem = node.id === id ? null : checkNodeId(def, id, node.id);
  if (problem) return { ok: false, error: problem };
  // An extra output of the renamed node (`old:rest`) follows it too.
  const rewire = (n: JobNode): JobNode => (n.kind === 'source' || node.id === id ? n : { ...n, inputs: n.inputs.map((i) => (i === id ? node.id : i.startsWith(`${id}:`) ? `${node.id}${i.slice(id.length)}` : i)) });
  return { ok: true, def: { ...def, nodes: def.nodes.map((n) => (n.id === id ? node : rewire(n))) }, nodeId: node.id };
}

/** Remove a node. Nodes that read it keep the dangling input, which validation reports at them. */
export function removeNode(def: JobDefinition, id: string): EditResult {
  if (!def.nodes.some((n) => n.id === id)) return refused('no-node', `The job has no node ${id}`);
  return { ok: true, def: { ...def, nodes: def.nodes.filter((n) => n.id !== id) }, nodeId: id };
}

/** The node with its `index`-th input (0: the frame it reads; 1: Join's right, Union's other side) set to `from`. */
export function withInput<N extends JobNode>(node: N, index: number, from: string): N {
  if (node.kind === 'source') return node;
  const inputs = [...node.inputs];
  inputs[index] = from;
  return { ...node, inputs };
}

/** The job with a new parameter under a name not yet used (`param_1`, `param_2`, ...) and an empty default. */
export function addParameter(def: JobDefinition): JobDefinition {
  const taken = new Set(def.parameters.map((p) => p.name));
  let i = def.parameters.length + 1;
  while (taken.has(`param_${i}`)) i++;
  return { ...def, parameters: [...def.parameters, { name: `param_${i}`, default: '' }] };
}

/** The job with parameter `index` changed (a name or default the user typed). */
export function updateParameter(def: JobDefinition, index: number, patch: Partial<JobParameter>): JobDefinition {
  return { ...def, parameters: def.parameters.map((p, i) => (i === index ? { ...p, ...patch } : p)) };
}

/** The job without parameter `index`. */
export function removeParameter(def: JobDefinition, index: number): JobDefinition {
  return { ...def, parameters: def.parameters.filter((_, i) => i !== index) };
}

/** What a preview of one node runs: the node whose frame is shown and the nodes it depends on, never a target. */
export type PreviewPlan = { ok: true; nodeId: string; def: JobDefinition } | { ok: false; nodeId: string; message: string };

/**
 * The sub-job a preview of node `id` runs: its ancestors in dependency order, bookmark off. A target shows
 * the frame it would write (a sampled run must not publish an output); a target without input has nothing
 * to show (null). A cycle or a dangling input is reported, not thrown.
 */
export function previewPlan(def: JobDefinition, id: string): PreviewPlan | null {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const picked = byId.get(id);
  if (picked?.kind === 'target') {
    if (!picked.inputs[0]) return null;
    id = picked.inputs[0];
  }
  const wanted = new Set<string>();
  const visit = (n: string) => {
    if (wanted.has(n)) return;
    wanted.add(n);
    const node = byId.get(n);
    for (const i of node ? inputsOf(node) : []) visit(i);
  };
  visit(id);
  try {
    return { ok: true, nodeId: id, def: { ...def, bookmark: 'job-bookmark-disable', nodes: topoOrder(def).filter((n) => wanted.has(n.id)) } };
  } catch (err) {
    return { ok: false, nodeId: id, message: errorMessage(err) };
  }
}
