import type { Catalog, Column } from '../../catalog';
import { browserClassifier } from '../../crawler/browser-pool';
import { quoteIdent } from '../../engine/sql';
import { schemaFromDuckDB } from '../../frames/duck-types';
import { stepSqlProblems } from '../../frames/sql-guard';
import { checkJob } from '../../jobs/compile';
import { resolveArguments, substitute, validateDag, type JobDefinition, type SourceSpec, type TargetSpec } from '../../jobs/model';
import { executeJob, type JobRunResult } from '../../jobs/run';
import type { ResolvedFile } from '../../jobs/sources';
import type { StructField } from '../../schema/types';
import type { DroppedFile } from '../../sources/dropped';
import type { PipelineShare } from '../../share/payload';
import { matchInput, type InputMatch } from '../../share/pipeline';
import {
  bindSharedJob, decideDestination, dryCheckJob, initialChoice, runScope, upstreamSources, usedColumns,
  type Destination, type DestinationChoice, type DryCheckProblem, type InputBinding,
} from '../../share/review';
import { dropTarget } from '../crawlers/drop';
import { rememberDroppedFiles } from '../crawlers/session-files';
import { startRunEngine, type RunEngine } from '../engine-client';
import type { Workspace } from '../workspace/workspace.svelte';
import { listMyTables, measureDestination, type MyTable } from './catalog';
import type { CatalogSession } from '../shared/catalog-session';
import { startCrawlerWorker } from '../crawlers/crawl-env';
import { sharedRunEnv } from './run-env';
import { errorMessage } from '../../util/errors';

/** One source of the shared job: what the link names (never read), what it expects, and what the user bound. */
export interface InputSlot {
  nodeId: string;
  link: SourceSpec;
  expected: Column[];
  used: string[];
  binding: InputBinding | null;
  schema: StructField[] | null;
  match: InputMatch | null;
  busy: boolean;
}

/** One target: what the link proposes and how the user set it. */
export interface OutputSlot {
  nodeId: string;
  proposal: TargetSpec;
  choice: DestinationChoice;
}

const message = errorMessage;

/** The value a table picker option carries. */
export const pickValue = (kind: 'ws' | 'catalog', ...parts: string[]) => JSON.stringify([kind, ...parts]);

/**
 * The review of a shared job: the user fills every input slot with their own files or tables and decides
 * every destination; Run binds the job to exactly that and runs it in an engine started for the run.
 */
export class JobReview {
  inputs = $state.raw<InputSlot[]>([]);
  outputs = $state.raw<OutputSlot[]>([]);
  /** The user's catalog tables, offered at each input. */
  myTables = $state.raw<MyTable[]>([]);
  running = $state(false);
  result = $state.raw<JobRunResult | null>(null);
  actionError = $state<string | null>(null);
  /**
   * The dry check (every step bound to empty tables shaped like the bound inputs, in an engine started for
   * it): what it found, whether it is running, and the inputs whose columns it checked.
   */
  dry = $state.raw<{ running: boolean; problems: DryCheckProblem[]; checked: string[]; failed: string | null }>({ running: false, problems: [], checked: [], failed: null });
  private checkTokens = new Map<string, number>();
  private dryToken = 0;

  /**
   * @param expected the input columns the link declares, by source node id
   * @param stored a workflow's job, kept in the catalog and run later: its inputs can only be catalog tables
   */
  constructor(private readonly session: CatalogSession, readonly def: JobDefinition, expected: PipelineShare['inputs'], readonly stored = false) {
    this.inputs = def.nodes.flatMap((n) => (n.kind === 'source' ? [{
      nodeId: n.id, link: n.source, expected: expected.find((i) => i.name === n.id)?.columns ?? [], used: usedColumns(def, n.id),
      binding: null, schema: null, match: null, busy: false,
    }] : []));
    this.outputs = def.nodes.flatMap((n) => (n.kind === 'target' ? [{ nodeId: n.id, proposal: n.target, choice: initialChoice(n.target, `shared/${def.name}/${n.id}`) }] : []));
  }

  /** Structural problems of the DAG (the link was validated for shape; its graph is checked here). */
  readonly dagProblems = $derived.by(() => validateDag(this.def).filter((m) => m.severity === 'error').map((m) => (m.nodeId ? `${m.nodeId}: ${m.message}` : m.message)));

  /** SQL problems per transform node, from the guard every SQL fragment goes through (as it runs: parameters replaced). */
  readonly sqlProblems = $derived.by(() => Object.fromEntries(this.def.nodes.flatMap((n) => {
    if (n.kind !== 'transform') return [];
    try { return [[n.id, stepSqlProblems(substitute(n.step, resolveArguments(this.def)))]]; } catch (err) { return [[n.id, [message(err)]]]; }
  })) as Record<string, string[]>);

  /** The job checked against the schemas of the bound inputs: errors at the input they come from, or for the job. */
  readonly checks = $derived.by(() => {
    // An input already refused at its slot is left out, so its missing column is not reported twice.
    const known = Object.fromEntries(this.inputs.filter((s) => s.schema && !s.match?.errors.length).map((s) => [s.nodeId, s.schema!]));
    const bySlot: Record<string, string[]> = {};
    const general: string[] = [];
    if (!Object.keys(known).length || this.dagProblems.length) return { bySlot, general };
    let messages;
    try { messages = checkJob(this.def, known).messages; } catch (err) { return { bySlot, general: [message(err)] }; }
    for (const m of messages) {
      if (m.severity !== 'error') continue;
      const text = `${m.nodeId}: ${m.column ? `${m.column}: ` : ''}${m.message}`;
      const from = upstreamSources(this.def, m.nodeId).filter((id) => id in known);
      if (from.length === 1) (bySlot[from[0]!] ??= []).push(text);
      else general.push(text);
    }
    // What only binding the SQL finds, at the input it comes from (the dry check runs when the above found nothing).
    for (const p of this.dry.problems) {
      const text = `${p.nodeId}: ${p.message}`;
      const from = upstreamSources(this.def, p.nodeId).filter((id) => id in known);
      if (from.length === 1) (bySlot[from[0]!] ??= []).push(text);
      else general.push(text);
    }
    return { bySlot, general };
  });

  /** Each output's decided destination, or why it is not decided yet. */
  readonly decisions = $derived.by(() => Object.fromEntries(this.outputs.map((o) => [o.nodeId, decideDestination(o.proposal, o.choice)])) as Record<string, { destination: Destination | null; problems: string[] }>);

  /** Everything that keeps Run disabled, in words. */
  readonly blockers = $derived.by(() => {
    const out = [...this.dagProblems];
    if (!this.inputs.length) out.push('the job has no input, so there is nothing to run it on');
    if (this.dry.running) out.push('checking every step, its SQL included, against the columns of what you gave…');
    if (this.dry.failed) out.push(`the steps could not be checked against your inputs: ${this.dry.failed}`);
    for (const s of this.inputs) {
      if (s.busy) out.push(`${s.nodeId}: reading what you gave it…`);
      else if (!s.binding) out.push(this.stored ? `${s.nodeId}: pick one of your catalog tables for it` : `${s.nodeId}: give it your own files or pick one of your tables`);
      else for (const e of [...(s.match?.errors ?? []), ...(this.checks.bySlot[s.nodeId] ?? [])]) out.push(`${s.nodeId}: ${e}`);
    }
    out.push(...this.checks.general);
    for (const [id, problems] of Object.entries(this.sqlProblems)) for (const p of problems) out.push(`${id}: ${p}`);
    for (const o of this.outputs) for (const p of this.decisions[o.nodeId]?.problems ?? []) out.push(`${o.nodeId}: ${p}`);
    return out;
  });

  get readyToRun(): boolean {
    return this.blockers.length === 0;
  }

  /** Read the user's catalog tables for the pickers. */
  async load(): Promise<void> {
    try {
      this.myTables = await listMyTables(await this.session.open());
    } catch (err) {
      this.actionError = `Your catalog could not be read: ${message(err)}`;
    }
  }

  private setSlot(nodeId: string, patch: Partial<InputSlot>): void {
    this.inputs = this.inputs.map((s) => (s.nodeId === nodeId ? { ...s, ...patch } : s));
    this.result = null;
    if ('binding' in patch || 'schema' in patch) void this.dryCheck();
  }

  /**
   * Bind every step to empty tables shaped like the bound inputs, in a locked engine started for this and
   * stopped after: a column that only SQL names (a Sql step, a Derived expression) is found before Run, even
   * when the link declares no columns. Nothing is computed (every statement is LIMIT 0) and nothing of the
   * user's reaches that engine but column names and types. Skipped while the static checks already object.
   */
  async dryCheck(): Promise<void> {
    const token = ++this.dryToken;
    const sources = Object.fromEntries(this.inputs.filter((s) => s.schema?.length && !s.busy && !s.match?.errors.length).map((s) => [s.nodeId, $state.snapshot(s.schema) as StructField[]]));
    this.dry = { running: false, problems: [], checked: [], failed: null };
    const staticErrors = Object.keys(this.checks.bySlot).length + this.checks.general.length;
    if (!Object.keys(sources).length || this.inputs.some((s) => s.busy) || staticErrors || this.dagProblems.length || Object.values(this.sqlProblems).some((p) => p.length)) return;
    this.dry = { running: true, problems: [], checked: [], failed: null };
    let engine: RunEngine | null = null;
    try {
      engine = await startRunEngine();
      const problems = await dryCheckJob(engine.engine, this.def, sources);
      if (token === this.dryToken) this.dry = { running: false, problems, checked: Object.keys(sources), failed: null };
    } catch (err) {
      if (token === this.dryToken) this.dry = { running: false, problems: [], checked: [], failed: message(err) };
    } finally {
      engine?.stop();
    }
  }

  private slot(nodeId: string): InputSlot | undefined {
    return this.inputs.find((s) => s.nodeId === nodeId);
  }

  /** Take files the user dropped on one input, read their schema, and check it against the link and the steps. */
  async supplyFiles(nodeId: string, files: DroppedFile[]): Promise<void> {
    const slot = this.slot(nodeId);
    if (!slot || files.length === 0) return;
    this.setSlot(nodeId, { busy: true, binding: null, schema: null, match: null });
    const target = { ...dropTarget(files), locationPrefix: `dropped://shared-${encodeURIComponent(nodeId)}-${Date.now().toString(36)}` };
    rememberDroppedFiles(target);
    const binding: InputBinding = { kind: 'files', location: target.locationPrefix, label: target.label, files: target.sources.map((s) => ({ path: s.path, size: s.size })) };
    try {
      const first = target.sources[0]!;
      // In a crawler worker, as a crawl classifies: a workbook's parse must never run on the page's thread.
      const [outcome] = await browserClassifier(startCrawlerWorker, { customClassifiers: [], fullScan: false }, 1)([first], () => {});
      if (!outcome!.ok) throw new Error(outcome!.error);
      const classified = outcome!.result;
      if (classified.classification === 'UNKNOWN') this.setSlot(nodeId, { busy: false, binding, schema: null, match: { errors: [`${first.path} is not a format Epoxy reads`], notes: [] } });
      else if (classified.error) this.setSlot(nodeId, { busy: false, binding, schema: null, match: { errors: [`${first.path} could not be read: ${classified.error}`], notes: [] } });
      else this.setSlot(nodeId, { busy: false, binding, schema: classified.schema, match: matchInput(slot.expected, classified.schema, slot.used) });
    } catch (err) {
      this.setSlot(nodeId, { busy: false, binding, schema: null, match: { errors: [`${firstName(files)} could not be read: ${message(err)}`], notes: [] } });
    }
  }

  /** Bind one of the user's tables (a Workspace table or a catalog table, from `pickValue`) to an input. */
  pickTable(nodeId: string, value: string, ws: Workspace): void {
    const slot = this.slot(nodeId);
    if (!slot) return;
    if (!value) { this.setSlot(nodeId, { binding: null, schema: null, match: null }); return; }
    let kind: string, a: string, b: string | undefined;
    try { [kind, a, b] = JSON.parse(value) as [string, string, string?]; } catch { return; }
    if (kind === 'ws') {
      const t = ws.tables.find((x) => x.table === a);
      if (!t) return;
      const schema = schemaFromDuckDB(t.columns);
      this.setSlot(nodeId, { binding: { kind: 'workspace-table', table: t.table, location: `handed://${nodeId}`, fileName: `${t.table}.parquet` }, schema, match: matchInput(slot.expected, schema, slot.used) });
    } else {
      const t = this.myTables.find((x) => x.database === a && x.table === b);
      if (!t) return;
      const match = matchInput(slot.expected, t.schema, slot.used);
      if (!t.location) match.errors.push(`${t.database}.${t.table} has no location in your catalog`);
      this.setSlot(nodeId, { binding: { kind: 'catalog', database: t.database, table: t.table, location: t.location }, schema: t.schema, match });
    }
  }

  /** Change how one output is written; re-check what exists at the chosen folder and table. */
  setChoice(nodeId: string, patch: Partial<DestinationChoice>): void {
    const reset: Partial<DestinationChoice> = {};
    if ('path' in patch || 'mode' in patch) Object.assign(reset, { existingFiles: null, confirmReplaceFolder: false });
    if ('database' in patch || 'table' in patch || 'register' in patch || 'mode' in patch) Object.assign(reset, { existingTable: null, confirmReplaceTable: false });
    this.outputs = this.outputs.map((o) => (o.nodeId === nodeId ? { ...o, choice: { ...o.choice, ...reset, ...patch } } : o));
    this.result = null;
    if (Object.keys(reset).length) void this.checkExisting(nodeId);
  }

  /** Measure what the chosen folder and table already hold (the answer for a stale choice is dropped). */
  async checkExisting(nodeId: string, catalog?: Catalog): Promise<void> {
    const o = this.outputs.find((x) => x.nodeId === nodeId);
    if (!o || o.choice.mode !== 'workspace') return;
    const token = (this.checkTokens.get(nodeId) ?? 0) + 1;
    this.checkTokens.set(nodeId, token);
    try {
      const measured = await measureDestination(o.choice, async () => catalog ?? this.session.open());
      if (this.checkTokens.get(nodeId) !== token) return;
      this.outputs = this.outputs.map((x) => (x.nodeId === nodeId ? { ...x, choice: { ...x.choice, ...measured } } : x));
    } catch (err) {
      this.actionError = message(err);
    }
  }

  /** Run the bound job in an engine started for this run, only because the user clicked Run. */
  async run(ws: Workspace): Promise<void> {
    if (!this.readyToRun || this.running) return;
    this.running = true;
    this.result = null;
    this.actionError = null;
    let runEngine: RunEngine | null = null;
    try {
      const catalog = await this.session.open();
      // Measured again right before writing: a folder or table that appeared since must be confirmed too.
      await Promise.all(this.outputs.map((o) => this.checkExisting(o.nodeId, catalog)));
      if (!this.readyToRun) throw new Error(this.blockers[0] ?? 'it is not ready');
      const bindings = Object.fromEntries(this.inputs.map((s) => [s.nodeId, s.binding ?? undefined]));
      const destinations = Object.fromEntries(this.outputs.map((o) => [o.nodeId, this.decisions[o.nodeId]?.destination ?? undefined]));
      const bound = bindSharedJob(this.def, bindings, destinations);
      const handed: Record<string, ResolvedFile[]> = {};
      for (const b of Object.values(bindings)) {
        if (b?.kind !== 'workspace-table') continue;
        // A copy of the table's rows crosses to the run's engine; the Workspace engine itself is never reachable from it.
        const bytes = await ws.engine.toParquet(`SELECT * FROM ${quoteIdent(b.table)}`);
        handed[b.location] = [{ path: b.fileName, size: bytes.length, data: { kind: 'buffer', bytes } }];
      }
      runEngine = await startRunEngine();
      this.result = await executeJob(bound, sharedRunEnv(runEngine.engine, catalog, runScope(bound, bindings), handed));
    } catch (err) {
      this.actionError = `The job did not run: ${message(err)}`;
    } finally {
      runEngine?.stop();
      this.running = false;
    }
  }
}

function firstName(files: DroppedFile[]): string {
  return files[0]?.path ?? 'the file';
}
