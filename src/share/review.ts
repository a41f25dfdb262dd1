/**
 * From a shared job to the job that runs: every source is replaced by what the user bound to it and every
 * target by the destination the user decided, so nothing the link names is read or written. The run's
 * environment is then limited to exactly those reads and writes (`runScope`, `scopedCatalog`).
 */
import type { Catalog, Change, Table } from '../catalog';
import { cleanError } from '../engine/engine';
import { quoteIdent } from '../engine/sql';
import { StepError } from '../frames/compile';
import { frameDuckType } from '../frames/duck-types';
import type { Step } from '../frames/steps';
import { transformOf } from '../frames/transforms';
import { formColumns, otherColumns } from '../frames/transforms/form';
import { parsePath } from '../frames/paths';
import { compileTransform } from '../jobs/compile';
import { schemaOf, type JobEngine } from '../jobs/engine';
import { inputNodesOf, resolveArguments, topoOrder, validateDag, type JobDefinition, type JobNode, type SourceSpec, type TargetSpec } from '../jobs/model';
import type { StructField } from '../schema/types';
import { redactUrl } from '../sources/presigned';

/** What the user handed to one source slot. */
export type InputBinding =
  /** Files or a folder dropped on the slot, remembered under `location` (dropped://…). */
  | { kind: 'files'; location: string; label: string; files: { path: string; size: number }[] }
  /** A table open in the user's Workspace, handed to the run as Parquet bytes named `fileName` under `location`. */
  | { kind: 'workspace-table'; table: string; location: string; fileName: string }
  /** One of the user's catalog tables, read at its own location. */
  | { kind: 'catalog'; database: string; table: string; location: string };

/** Where the user decided a target writes. */
export type Destination =
  | { kind: 'download' }
  /** S3 through PUT URLs the user pasted on the review page (never the link's). */
  | { kind: 's3'; location: string; putUrls: string }
  /** A workspace folder, and a catalog table to register, both confirmed by the user. */
  | { kind: 'workspace'; path: string; register?: { database: string; table: string } };

/** Why a shared job cannot be bound yet. */
export class BindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BindingError';
  }
}

const FORMATS = ['parquet', 'csv', 'ndjson'] as const;

function boundSource(node: Extract<JobNode, { kind: 'source' }>, b: InputBinding): SourceSpec {
  if (b.kind === 'catalog') return { type: 'catalog', database: b.database, table: b.table };
  if (b.kind === 'workspace-table') return { type: 'file', path: b.location, format: 'parquet' };
  // How to parse text files is not a place to read from: the link's CSV delimiter, header and XML row tag stay.
  const link = node.source.type === 'file' ? node.source : null;
  return {
    type: 'file',
    path: b.location,
    ...(typeof link?.delimiter === 'string' ? { delimiter: link.delimiter } : {}),
    ...(typeof link?.header === 'boolean' ? { header: link.header } : {}),
    ...(typeof link?.rowTag === 'string' ? { rowTag: link.rowTag } : {}),
  };
}

function boundTarget(node: Extract<JobNode, { kind: 'target' }>, d: Destination): TargetSpec {
  const t = node.target;
  // A job parameter would be substituted into the destination at run time, changing what the user confirmed.
  if (JSON.stringify(d).includes('${')) throw new BindingError(`Output ${node.id}: a destination you choose cannot use \${…} parameters`);
  if (!FORMATS.includes(t.format)) throw new BindingError(`Target ${node.id} writes an unknown format`);
  const common = {
    format: t.format,
    ...(t.format === 'parquet' && typeof t.compression === 'string' ? { compression: t.compression } : {}),
    ...(Array.isArray(t.partitionBy) && t.partitionBy.length ? { partitionBy: t.partitionBy.map(String) } : {}),
  };
  if (d.kind === 'download') return { ...common, type: 'download', name: node.id };
  if (d.kind === 's3') {
    if (!d.putUrls.trim()) throw new BindingError(`Target ${node.id}: paste your own PUT URLs to write to S3`);
    return { ...common, type: 's3', location: d.location, putUrls: d.putUrls };
  }
  const path = d.path.split('/').filter(Boolean).join('/');
  if (!path) throw new BindingError(`Target ${node.id}: a workspace folder needs a path`);
  return { ...common, type: 'workspace', path, ...(d.register ? { database: d.register.database || 'default', table: d.register.table } : {}) };
}

/**
 * The job that runs: the link's DAG and steps with every source replaced by the user's binding and every
 * target by the user's destination. Nothing else of the link's sources or targets survives (paths, table
 * names, PUT URLs, catalog registrations); extra fields of the link are dropped. Throws BindingError for an
 * unbound source or an undecided target.
 */
export function bindSharedJob(def: JobDefinition, bindings: Record<string, InputBinding | undefined>, destinations: Record<string, Destination | undefined>): JobDefinition {
  const nodes: JobNode[] = def.nodes.map((node): JobNode => {
    const base = { id: node.id, ...(typeof node.label === 'string' ? { label: node.label } : {}) };
    if (node.kind === 'source') {
      const b = Object.hasOwn(bindings, node.id) ? bindings[node.id] : undefined;
      if (!b) throw new BindingError(`Input ${node.id} has nothing to read: drop files on it or pick one of your tables`);
      return { ...base, kind: 'source', source: boundSource(node, b) };
    }
    if (node.kind === 'target') {
      const d = Object.hasOwn(destinations, node.id) ? destinations[node.id] : undefined;
      if (!d) throw new BindingError(`Output ${node.id} has no destination chosen`);
      return { ...base, kind: 'target', inputs: [...node.inputs], target: boundTarget(node, d) };
    }
    return { ...base, kind: 'transform', inputs: [...node.inputs], step: node.step };
  });
  return {
    version: 1,
    name: def.name,
    ...(typeof def.description === 'string' ? { description: def.description } : {}),
    nodes,
    parameters: def.parameters.map((p) => ({ name: p.name, default: p.default, ...(typeof p.description === 'string' ? { description: p.description } : {}) })),
    // A shared run is one-off: a bookmark would be the sender's notion of "already processed".
    bookmark: 'job-bookmark-disable',
    ...(typeof def.timeout === 'number' ? { timeout: def.timeout } : {}),
    maxRetries: 0,
    maxConcurrentRuns: 1,
  };
}

/** What a bound run may touch: the locations it reads, the catalog tables it reads and registers, the targets it writes. */
export interface RunScope {
  reads: string[];
  catalogReads: { database: string; table: string }[];
  registrations: { database: string; table: string }[];
  targets: Record<string, TargetSpec>;
}

/** The scope of a bound run (from the bindings and the bound job, never from the link). */
export function runScope(bound: JobDefinition, bindings: Record<string, InputBinding | undefined>): RunScope {
  const scope: RunScope = { reads: [], catalogReads: [], registrations: [], targets: {} };
  for (const node of bound.nodes) {
    if (node.kind === 'source') {
      const b = bindings[node.id];
      if (!b) continue;
      scope.reads.push(b.location);
      if (b.kind === 'catalog') scope.catalogReads.push({ database: b.database, table: b.table });
    } else if (node.kind === 'target') {
      scope.targets[node.id] = node.target;
      if (node.target.type === 'workspace' && node.target.table) scope.registrations.push({ database: node.target.database || 'default', table: node.target.table });
    }
  }
  return scope;
}

/** Whether a location is one the scope reads (the bound location itself, or a file or partition under it). */
export function inScope(scope: RunScope, location: string): boolean {
  return scope.reads.some((r) => location === r || location.startsWith(r.replace(/\/+$/, '') + '/'));
}

const sameTable = (a: { database: string; table: string }, database: string, table: string) => a.database === database && a.table === table;

/**
 * A catalog for the run that reads only the bound catalog tables and commits only the registrations the user
 * confirmed; anything else is refused with a message. Only the two methods the runner calls exist.
 */
export function scopedCatalog(catalog: Pick<Catalog, 'getTable' | 'commit'>, scope: RunScope): Catalog {
  const allowed = (c: Change): boolean => {
    if (c.op === 'ensureDatabase') return scope.registrations.some((r) => r.database === c.database.Name);
    if (c.op === 'putTable') return scope.registrations.some((r) => sameTable(r, c.databaseName, c.table.Name));
    if (c.op === 'putPartitions') return scope.registrations.some((r) => sameTable(r, c.databaseName, c.tableName));
    return false;
  };
  const scoped = {
    async getTable(database: string, table: string): Promise<Table> {
      if (!scope.catalogReads.some((r) => sameTable(r, database, table))) throw new Error(`This run may read only the tables you picked, not ${database}.${table}`);
      return catalog.getTable(database, table);
    },
    async commit(changes: Change[]) {
      const bad = changes.find((c) => !allowed(c));
      if (bad) throw new Error(`This run may only register the tables you confirmed; it tried a ${bad.op}`);
      return catalog.commit(changes);
    },
  };
  return scoped as unknown as Catalog;
}

function top(path: unknown): string | null {
  if (typeof path !== 'string' || !path) return null;
  try { return parsePath(path)[0]!; } catch { return path.split('.')[0] || null; }
}

/** The top-level columns a step reads from its (first) input by name; SQL text is not parsed (Sql, Derived). */
export function stepColumns(step: Step): string[] {
  const def = transformOf(step.kind);
  if (!def) return [];
  return [...new Set(formColumns(def, step.params ?? {}).map(top).filter((c): c is string => !!c))];
}

/**
 * The columns the job's steps read by name from one source, as far as the steps say (the nodes that take the
 * source directly: their first input, a Join's right keys, a target's partition columns). Empty when only SQL uses it.
 */
export function usedColumns(def: JobDefinition, sourceId: string): string[] {
  const out = new Set<string>();
  for (const node of def.nodes) {
    if (node.kind === 'transform') {
      if (node.inputs[0] === sourceId) stepColumns(node.step).forEach((c) => out.add(c));
      if (node.inputs[1] === sourceId) otherColumns(node.step).map(top).forEach((c) => c && out.add(c));
    } else if (node.kind === 'target' && node.inputs[0] === sourceId) (node.target.partitionBy ?? []).map(top).forEach((c) => c && out.add(c));
  }
  return [...out];
}

/** The source nodes a node depends on (itself when it is one). */
export function upstreamSources(def: JobDefinition, nodeId: string): string[] {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const out = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = byId.get(id);
    if (!n) continue;
    if (n.kind === 'source') out.add(id);
    else stack.push(...inputNodesOf(n));
  }
  return [...out];
}

/** A byte count in words (1.2 KB). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** Exactly what a binding reads, in words: files with their count and bytes, or a table and where it lives. */
export function describeBinding(b: InputBinding): string {
  if (b.kind === 'files') {
    const bytes = b.files.reduce((n, f) => n + f.size, 0);
    const names = b.files.slice(0, 5).map((f) => f.path).join(', ');
    return `${b.files.length} file${b.files.length === 1 ? '' : 's'} (${formatBytes(bytes)}) you dropped: ${names}${b.files.length > 5 ? ` and ${b.files.length - 5} more` : ''}`;
  }
  if (b.kind === 'workspace-table') return `your Workspace table ${b.table}, handed to the run as a copy (${b.fileName})`;
  return `your catalog table ${b.database}.${b.table}, at ${redactUrl(b.location)}`;
}

/** How the user set up one target on the review page. */
export interface DestinationChoice {
  mode: 'download' | 's3' | 'workspace';
  /** PUT URLs the user pasted (mode s3). */
  putUrls: string;
  /** The workspace folder (mode workspace). */
  path: string;
  /** Register the output as the catalog table `database.table` (mode workspace, only when ticked). */
  register: boolean;
  database: string;
  table: string;
  /** Files already in the chosen folder (null: not known yet), and whether the table exists (null: not known yet). */
  existingFiles: number | null;
  existingTable: boolean | null;
  confirmReplaceFolder: boolean;
  confirmReplaceTable: boolean;
}

/** The first choice offered for a target: a download, whatever the link proposes; the proposal only fills the other fields. */
export function initialChoice(spec: TargetSpec, fallbackPath: string): DestinationChoice {
  const ws = spec.type === 'workspace' ? spec : null;
  return {
    mode: 'download', putUrls: '', path: ws ? ws.path.split('/').filter(Boolean).join('/') : fallbackPath, register: false,
    database: ws?.table ? ws.database || 'default' : '', table: ws?.table ?? '',
    existingFiles: null, existingTable: null, confirmReplaceFolder: false, confirmReplaceTable: false,
  };
}

/** The confirmation a user ticks to overwrite a folder of theirs, naming it. */
export const replaceFolderLabel = (path: string, files: number) => `replace opfs://${path} (${files} file${files === 1 ? '' : 's'})`;
/** The confirmation a user ticks to overwrite a catalog table of theirs, naming it. */
export const replaceTableLabel = (database: string, table: string) => `replace table ${database}.${table}`;

/** Why a workspace path cannot be used, or null. */
export function workspacePathProblem(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (!parts.length) return 'give a workspace folder';
  if (parts.some((p) => p === '.' || p === '..')) return 'a workspace folder cannot contain . or ..';
  if (path.includes('${')) return 'a workspace folder cannot use ${…} parameters';
  return null;
}

/**
 * The destination a choice decides, or the problems that keep it undecided (URLs not pasted, an existing
 * folder or table not confirmed, existence not checked yet). `spec` is the link's proposal.
 */
export function decideDestination(spec: TargetSpec, c: DestinationChoice): { destination: Destination | null; problems: string[] } {
  if (c.mode === 'download') return { destination: { kind: 'download' }, problems: [] };
  if (c.mode === 's3') {
    if (spec.type !== 's3') return { destination: null, problems: ['this output proposes no S3 location'] };
    const urls = c.putUrls.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    if (!urls.length) return { destination: null, problems: ['paste your own presigned PUT URLs (one per output file)'] };
    const bad = urls.find((u) => !/^(PUT\s+)?https?:\/\/\S+$/i.test(u));
    if (bad) return { destination: null, problems: [`not a URL: ${redactUrl(bad).slice(0, 80)}`] };
    return { destination: { kind: 's3', location: spec.location, putUrls: c.putUrls }, problems: [] };
  }
  const problems: string[] = [];
  const path = c.path.split('/').filter(Boolean).join('/');
  const bad = workspacePathProblem(c.path);
  if (bad) problems.push(bad);
  else if (c.existingFiles === null) problems.push(`checking whether opfs://${path} exists…`);
  else if (c.existingFiles > 0 && !c.confirmReplaceFolder) problems.push(`opfs://${path} already holds ${c.existingFiles} file${c.existingFiles === 1 ? '' : 's'} of yours: tick "${replaceFolderLabel(path, c.existingFiles)}" or choose another folder`);
  let register: { database: string; table: string } | undefined;
  if (c.register) {
    const database = c.database.trim() || 'default';
    const table = c.table.trim();
    if (!table) problems.push('give the catalog table a name');
    else if ((database + table).includes('${')) problems.push('a table name cannot use ${…} parameters');
    else if (c.existingTable === null) problems.push(`checking whether ${database}.${table} exists…`);
    else if (c.existingTable && !c.confirmReplaceTable) problems.push(`you already have the table ${database}.${table}: tick "${replaceTableLabel(database, table)}" or choose another name`);
    register = { database, table };
  }
  return problems.length ? { destination: null, problems } : { destination: { kind: 'workspace', path, ...(register ? { register } : {}) }, problems };
}

/** A problem the dry check found at a transform node (the column when DuckDB named one). */
export interface DryCheckProblem {
  nodeId: string;
  column?: string;
  message: string;
}

/** Prefix of the empty tables a dry check creates. */
export const DRY_CHECK_PREFIX = '__check_';

/**
 * Bind every transform of a job to empty tables shaped like the bound inputs, so a column that only SQL
 * names (a Sql step, a Derived expression) is found before Run, as DuckDB's binder finds it. Meant for an
 * engine that holds nothing else (a fresh locked one, discarded after): each step's SQL is cut to LIMIT 0, so
 * nothing is computed, and goes through createChecked like a run. Nodes after an input without a schema,
 * or after a failed node, are not checked. Job parameters take their defaults.
 */
export async function dryCheckJob(engine: Pick<JobEngine, 'query' | 'createChecked'>, def: JobDefinition, sources: Record<string, StructField[]>): Promise<DryCheckProblem[]> {
  if (validateDag(def).some((m) => m.severity === 'error')) return [];
  const args = resolveArguments(def);
  const schemas: Record<string, StructField[]> = {};
  const problems: DryCheckProblem[] = [];
  const rel = (id: string) => `${DRY_CHECK_PREFIX}${id}`;
  for (const node of topoOrder(def)) {
    if (node.kind === 'source') {
      const fields = sources[node.id];
      if (!fields?.length) continue;
      await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(rel(node.id))} (${fields.map((f) => `${quoteIdent(f.name)} ${frameDuckType(f.type)}`).join(', ')})`, 0);
      schemas[node.id] = fields;
      continue;
    }
    if (node.kind !== 'transform' || !node.inputs.every((id) => schemas[id])) continue;
    const inputs = node.inputs.map((id) => ({ relation: rel(id), schema: schemas[id]! }));
    try {
      // No rows, so no column is all-null: DropNullFields keeps every column, as the static check assumes.
      const compiled = compileTransform(node, inputs, args, { nullColumns: [] });
      const empty = (sql: string) => `SELECT * FROM (\n${sql}\n) LIMIT 0`;
      await engine.createChecked(rel(node.id), empty(compiled.sql), compiled.reads);
      if (compiled.errorSql) await engine.createChecked(`${rel(node.id)}__errors`, empty(compiled.errorSql), compiled.reads);
      schemas[node.id] = await schemaOf(engine as JobEngine, rel(node.id));
      for (const x of compiled.extras) {
        const ref = `${node.id}:${x.name}`;
        await engine.createChecked(rel(ref), empty(x.sql), compiled.reads);
        schemas[ref] = await schemaOf(engine as JobEngine, rel(ref));
      }
    } catch (err) {
      if (err instanceof StepError) {
        for (const m of err.messages.filter((x) => x.severity === 'error')) problems.push({ nodeId: node.id, message: m.message, ...(m.column ? { column: m.column } : {}) });
      } else {
        problems.push(explainBindError(node.id, cleanError(err), inputs[0]!.schema));
      }
    }
  }
  return problems;
}

/** DuckDB's "Referenced column "x" not found … Candidate bindings" in words naming the input's columns. */
function explainBindError(nodeId: string, message: string, input: StructField[]): DryCheckProblem {
  const missing = /Referenced column "([^"]+)" not found/i.exec(message) ?? /column "?([^"\s]+)"? not found/i.exec(message);
  if (!missing) return { nodeId, message };
  const have = input.map((f) => f.name);
  const list = have.length > 12 ? `${have.slice(0, 12).join(', ')} and ${have.length - 12} more` : have.join(', ');
  return { nodeId, column: missing[1]!, message: `its SQL uses a column ${missing[1]} that its input does not have (it has ${list || 'no columns'})` };
}
