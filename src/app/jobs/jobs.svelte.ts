import type { Remote } from 'comlink';
import type { Catalog, JobRun, ObjectVersion, Table } from '../../catalog';
import type { EngineWorkerApi } from '../../service/protocol';
import type { PlainValue, ResultColumn } from '../../engine/values';
import type { StepKind } from '../../frames/steps';
import { checkJob, relationOf, type JobCheck } from '../../jobs/compile';
import { exportDuckDbSql, exportSourcesOf } from '../../jobs/export-duckdb';
import { exportPySpark } from '../../jobs/export-pyspark';
import { addParameter, addSource, addTarget, addTransform, frameNode, previewPlan, removeNode, removeParameter, replaceNode, updateParameter, type EditResult } from '../../jobs/graph-edits';
import { inputsOf, newJob, type JobDefinition, type JobNode, type NodeMessage, type SourceSpec, type TargetSpec } from '../../jobs/model';
import { executeJob, type JobRunResult, type NodeMetrics, type LogLine } from '../../jobs/run';
import { startJobRun } from '../../jobs/runs';
import { fromGlueJob, loadBookmark, resetJobBookmark, rewindJobBookmark, saveJob } from '../../jobs/store';
import { conflictError, conflictOf, type EditConflict } from '../catalog/conflict';
import type { StructField } from '../../schema/types';
import { defaultParams, PREVIEW_SAMPLE_ROWS } from '../transform/helpers';
import { browserJobEnv } from './browser-env';
import { browserLister, grantFolderAccess } from '../shared/locations';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

const message = errorMessage;

/** A file for the user to download. */
export interface JobDownload { name: string; type: string; data: Uint8Array | string }

const models = new WeakMap<object, JobsModel>();

/** The Jobs model of a workspace, kept across route changes so a running job keeps its live view. */
export function jobsModelFor(ws: { engine: Remote<EngineWorkerApi>; tables: { table: string }[] }, session: CatalogSession): JobsModel {
  let model = models.get(ws);
  if (!model) {
    model = new JobsModel(() => ws, session);
    models.set(ws, model);
  }
  return model;
}

/** State of the Jobs view: saved jobs, the one being edited, its checks and preview, runs live and past. */
export class JobsModel {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  error = $state<string | null>(null);
  jobs = $state.raw<string[]>([]);
  tables = $state.raw<Table[]>([]);
  /** The job being edited (a draft until saved). */
  def = $state.raw<JobDefinition | null>(null);
  dirty = $state(false);
  selected = $state<string | null>(null);
  /** Schemas measured by the last preview or run, per node (validation uses them). */
  measured = $state.raw<Record<string, StructField[]>>({});
  preview = $state.raw<{ nodeId: string; relation: string; columns: ResultColumn[]; rows: number; seed: PlainValue[][] } | null>(null);
  previewError = $state<{ nodeId?: string; message: string } | null>(null);
  previewing = $state(false);
  runs = $state.raw<JobRun[]>([]);
  /** The run in progress (or the last one of this session) with live node states. */
  live = $state.raw<JobRun | null>(null);
  liveNodes = $state.raw<Record<string, NodeMetrics | 'running'>>({});
  liveLog = $state.raw<LogLine[]>([]);
  lastResult = $state.raw<JobRunResult | null>(null);
  /** The job the last result belongs to: another job open in the editor never shows its outputs. */
  lastResultJob = $state<string | null>(null);
  selectedRun = $state<string | null>(null);
  /** The VersionId the draft was loaded from (null: a new job, never saved). Saves are checked against it. */
  versionId = $state<string | null>(null);
  /** A save another tab overtook: the draft (kept) and the stored definition, until the user chooses. */
  conflict = $state.raw<EditConflict<JobDefinition> | null>(null);
  /** Kept versions of the open job, newest first. */
  versions = $state.raw<ObjectVersion<'job'>[]>([]);

  private catalog: Catalog | null = null;
  private controller: AbortController | null = null;
  private previewToken = 0;
  private previewChain: Promise<void> = Promise.resolve();

  constructor(private readonly host: () => { engine: Remote<EngineWorkerApi>; tables: { table: string }[] }, private readonly session: CatalogSession) {}

  get engine(): Remote<EngineWorkerApi> { return this.host().engine; }
  /** Tables open in the workspace this session. */
  get openTables(): string[] { return this.host().tables.map((t) => t.table); }
  running = $state(false);

  /** Checks of the draft against the schemas known so far (preview and run measurements). */
  check: JobCheck = $derived(this.def ? checkJob(this.def, this.measured) : { messages: [], schemas: {} });
  /** Run ids the bookmark can be rewound to (newest first), and the run it stands after. */
  bookmarkRuns = $state.raw<{ at: string; history: string[] }>({ at: '', history: [] });

  messagesAt(nodeId: string): NodeMessage[] {
    return this.check.messages.filter((m) => m.nodeId === nodeId);
  }

  /** The schema flowing into a node (its first input's), as far as known. */
  /** The extra outputs other nodes produce (`split:rest`), which a node may read like a node. */
  extraOutputs(nodeId: string): string[] {
    const refs = new Set([...Object.keys(this.check.schemas), ...Object.keys(this.measured)].filter((k) => k.includes(':')));
    return [...refs].filter((r) => !r.startsWith(`${nodeId}:`)).sort();
  }

  inputSchema(nodeId: string): StructField[] {
    const node = this.def?.nodes.find((n) => n.id === nodeId);
    const first = node ? inputsOf(node)[0] : undefined;
    return first ? (this.check.schemas[first] ?? this.measured[first] ?? []) : [];
  }

  /** The schema of a node's second input (Join's right side, Union's other side), as far as known. */
  otherSchema(nodeId: string): StructField[] | null {
    const node = this.def?.nodes.find((n) => n.id === nodeId);
    const second = node ? inputsOf(node)[1] : undefined;
    return second ? (this.check.schemas[second] ?? this.measured[second] ?? null) : null;
  }

  async start(): Promise<void> {
    if (this.catalog) return;
    try {
      this.catalog = await this.session.open();
      // The model lives as long as the page (see jobsModelFor): so does its subscription.
      this.session.subscribe(() => void this.refresh().catch((err) => { this.error = message(err); }));
      await this.refresh();
      this.status = 'ready';
    } catch (err) {
      this.status = 'failed';
      this.error = message(err);
    }
  }

  async refresh(): Promise<void> {
    const cat = this.catalog; // one catalog for the whole refresh, as in CatalogModel.refresh
    if (!cat) return;
    const [jobs, dbs] = await Promise.all([cat.list('job'), cat.getDatabases()]);
    this.jobs = jobs.map((j) => j.Name).sort();
    this.tables = (await Promise.all(dbs.map((d) => cat.getTables(d.Name)))).flat();
    if (this.def && this.jobs.includes(this.def.name)) {
      const name = this.def.name;
      this.runs = await cat.getJobRuns(name);
      const bm = await loadBookmark(cat, name);
      this.bookmarkRuns = { at: bm.runId, history: bm.history.map((h) => h.runId).filter(Boolean) };
      const [stored, versions] = await Promise.all([cat.get('job', name).catch(() => null), cat.getObjectVersions('job', name)]);
      if (this.def?.name !== name) return;
      this.versions = versions;
      const storedId = stored?.VersionId ?? '0';
      if (stored && this.conflict) {
        // Keep the comparison on what is stored now, if a third save came in.
        if (storedId !== this.conflict.theirsVersionId) this.conflict = { ...this.conflict, theirs: fromGlueJob(stored), theirsVersionId: storedId };
      } else if (stored && !this.dirty && this.versionId !== null && Number(storedId) > Number(this.versionId)) {
        // Another tab saved and this one has no edit to lose: follow it.
        this.def = fromGlueJob(stored);
        this.versionId = storedId;
      }
    } else if (!this.def || this.versionId === null) {
      this.versions = [];
    }
  }

  /** Reset the job's bookmark (every file is read again). */
  async resetBookmark(): Promise<void> {
    if (!this.catalog || !this.def) return;
    try { await resetJobBookmark(this.catalog, this.def.name); await this.refresh(); } catch (err) { this.error = message(err); }
  }

  /** Rewind the job's bookmark to the state after an earlier run. */
  async rewindBookmark(runId: string): Promise<void> {
    if (!this.catalog || !this.def || !runId) return;
    try { await rewindJobBookmark(this.catalog, this.def.name, runId); await this.refresh(); } catch (err) { this.error = message(err); }
  }

  /** Open a saved job for editing. */
  async open(name: string): Promise<void> {
    if (!this.catalog) return;
    try {
      const job = await this.catalog.get('job', name);
      this.def = fromGlueJob(job);
      this.versionId = job.VersionId ?? '0';
      this.conflict = null;
      this.dirty = false;
      this.measured = {};
      this.preview = null;
      this.previewError = null;
      this.bookmarkRuns = { at: '', history: [] };
      this.selected = this.def.nodes[0]?.id ?? null;
      await this.refresh();
      this.selectedRun = this.runs[0]?.Id ?? null;
      this.error = null;
    } catch (err) {
      this.error = message(err);
    }
  }

  /**
   * Start a new job under a name not yet taken (also while another job is open: that one stays as saved).
   * Returns whether the new draft is now the open job.
   */
  create(name: string): boolean {
    const clean = name.trim();
    if (!clean) { this.error = 'Give the job a name'; return false; }
    if (this.jobs.includes(clean)) { this.error = `A job called ${clean} exists already`; return false; }
    if (this.def?.name === clean) { this.error = `A job called ${clean} is open already (not saved yet)`; return false; }
    this.def = newJob(clean);
    this.versionId = null;
    this.conflict = null;
    this.versions = [];
    this.dirty = true;
    this.measured = {};
    this.preview = null;
    this.previewError = null;
    this.runs = [];
    this.selectedRun = null;
    this.bookmarkRuns = { at: '', history: [] };
    this.selected = null;
    this.error = null;
    return true;
  }

  /** Adopt a definition built elsewhere (Transform view's "Save as job"), saved at once. */
  async adopt(def: JobDefinition): Promise<void> {
    this.def = def;
    // A new job: when one of that name exists, the save says so instead of replacing it.
    this.versionId = null;
    this.conflict = null;
    this.dirty = true;
    this.selected = def.nodes.at(-1)?.id ?? null;
    await this.save();
  }

  private update(def: JobDefinition): void {
    this.def = def;
    this.dirty = true;
  }

  setSettings(patch: Partial<Pick<JobDefinition, 'bookmark' | 'timeout' | 'maxRetries' | 'maxConcurrentRuns' | 'description'>>): void {
    if (this.def) this.update({ ...this.def, ...patch });
  }

  addParameter(): void {
    if (this.def) this.update(addParameter(this.def));
  }

  updateParameter(index: number, patch: { name?: string; default?: string }): void {
    if (this.def) this.update(updateParameter(this.def, index, patch));
  }

  removeParameter(index: number): void {
    if (this.def) this.update(removeParameter(this.def, index));
  }

  /** Apply a graph edit (from jobs/graph-edits): its definition and selection, or its refusal as the error shown. */
  private apply(result: EditResult, then: 'preview' | 'select' = 'preview'): string | null {
    if (!result.ok) { this.error = result.error.message; return result.error.message; }
    this.update(result.def);
    this.selected = result.nodeId;
    if (then === 'preview') void this.previewNode(result.nodeId);
    return null;
  }

  /** Add a source read from a location: an http(s) URL (a presigned GET) or a workspace path (opfs://...); returns why not. */
  addLocationSource(location: string): string | null {
    const path = location.trim();
    if (!this.def || !path) return null;
    const result = addSource(this.def, { type: 'file', path });
    // The problem is shown next to the location box, not as the job's error.
    if (!result.ok) return result.error.message;
    return this.apply(result);
  }

  /** Add a source: an open table of this session (`table:NAME`), or a catalog table (`catalog:DB.TABLE`). */
  addSource(choice: string): void {
    if (!this.def || !choice) return;
    this.apply(addSource(this.def, sourceFromChoice(choice)));
  }

  /** Add a transform after the selected node (Join/Union take the other input from `second`). */
  addTransform(kind: StepKind, second?: string): void {
    if (!this.def) return;
    const after = frameNode(this.def, this.selected);
    const params = defaultParams(kind, after ? (this.check.schemas[after] ?? this.measured[after] ?? []) : []);
    this.apply(addTransform(this.def, { kind, params, after, ...(second ? { second } : {}) }));
  }

  /** Add a target after the selected node. */
  addTarget(target: TargetSpec): void {
    if (!this.def) return;
    this.apply(addTarget(this.def, { target, after: frameNode(this.def, this.selected) }), 'select');
  }

  /** Replace a node (edited in its form); renaming rewires the inputs that pointed at it. */
  updateNode(id: string, node: JobNode): void {
    if (!this.def) return;
    const result = replaceNode(this.def, id, node);
    if (!result.ok) { this.error = result.error.message; return; }
    this.update(result.def);
    if (this.selected === id) this.selected = node.id;
    if (node.kind !== 'target') void this.previewNode(node.id);
  }

  removeNode(id: string): void {
    if (!this.def) return;
    const result = removeNode(this.def, id);
    if (!result.ok) return;
    this.update(result.def);
    if (this.selected === id) this.selected = null;
  }

  select(id: string): void {
    this.selected = id;
    const node = this.def?.nodes.find((n) => n.id === id);
    if (node && node.kind !== 'target') void this.previewNode(id);
  }

  /**
   * Save the draft as a Glue job in the catalog, checked against the version it was loaded from: when another
   * tab saved first, nothing is written and `conflict` holds both sides.
   */
  async save(): Promise<boolean> {
    if (!this.catalog || !this.def) return false;
    const def = this.def;
    const catalog = this.catalog;
    try {
      this.versionId = await saveJob(catalog, def, { expectedVersionId: this.versionId });
      if (this.def === def) this.dirty = false;
      this.error = null;
      this.conflict = null;
      await this.refresh();
      return true;
    } catch (err) {
      const conflict = conflictError(err);
      if (conflict) {
        this.conflict = await conflictOf(conflict, def, async () => {
          const job = await catalog.get('job', def.name).catch(() => null);
          return job ? { value: fromGlueJob(job), versionId: job.VersionId } : null;
        });
      } else this.error = message(err);
      return false;
    }
  }

  /** Resolve a conflict by taking the stored definition (the draft is dropped: the user chose to). */
  reloadTheirs(): void {
    const c = this.conflict;
    if (!c?.theirs) return;
    this.def = c.theirs;
    this.versionId = c.theirsVersionId;
    this.dirty = false;
    this.conflict = null;
    this.error = null;
    void this.refresh();
  }

  /** Resolve a conflict by saving the draft over the stored definition, which stays a version. */
  async saveMineAnyway(): Promise<boolean> {
    const c = this.conflict;
    if (!c) return false;
    this.def = c.mine;
    this.versionId = c.theirsVersionId;
    this.conflict = null;
    return this.save();
  }

  /** Make a kept version current again (as a new version), unless the job changed since it was loaded. */
  async restoreVersion(versionId: string): Promise<void> {
    if (!this.catalog || !this.def) return;
    if (this.dirty) { this.error = 'Save or discard your changes before restoring a version'; return; }
    try {
      await this.catalog.restoreObjectVersion('job', this.def.name, versionId, { expectedVersionId: this.versionId });
      await this.open(this.def.name);
    } catch (err) {
      this.error = message(err);
      await this.refresh();
    }
  }

  async deleteJob(): Promise<void> {
    if (!this.catalog || !this.def) return;
    try {
      if (this.versionId !== null) await this.catalog.delete('job', this.def.name, { expectedVersionId: this.versionId });
    } catch (err) {
      // A job already deleted elsewhere is gone either way; a changed one is not deleted unseen.
      if ((err as { code?: string }).code !== 'EntityNotFoundException') { this.error = message(err); return; }
    }
    this.def = null;
    this.versionId = null;
    this.conflict = null;
    this.versions = [];
    await this.refresh();
  }

  /**
   * Run the nodes a node depends on (no targets, no bookmark) and show its frame: the preview, and the
   * schemas every checked node reads.
   */
  async previewNode(id: string): Promise<void> {
    if (!this.def || !this.catalog) return;
    // A preview never writes: a target shows the frame it would write.
    const plan = previewPlan(this.def, id);
    if (!plan) return;
    if (!plan.ok) { this.previewError = { nodeId: plan.nodeId, message: plan.message }; return; }
    id = plan.nodeId;
    const sub = plan.def;
    this.previewing = true;
    const token = ++this.previewToken;
    // Previews take turns: each replaces the same tables, and only the latest one may land.
    const prev = this.previewChain;
    let release = () => {};
    this.previewChain = new Promise<void>((r) => { release = r; });
    await prev;
    const prefix = '__jobpreview_';
    try {
      if (token !== this.previewToken) return;
      const result = await executeJob(sub, browserJobEnv(this.engine, this.catalog), { prefix, keepTables: true, sampleRows: PREVIEW_SAMPLE_ROWS });
      if (token !== this.previewToken) return;
      this.measured = { ...this.measured, ...result.schemas };
      if (result.state !== 'SUCCEEDED') {
        this.previewError = { ...(result.failedNode ? { nodeId: result.failedNode } : {}), message: result.error ?? result.state };
        this.preview = null;
        return;
      }
      this.previewError = null;
      const relation = relationOf(prefix, id);
      const page = await this.engine.page(relation, 0, 200);
      const rows = await this.engine.query(`SELECT count(*)::BIGINT FROM "${relation}"`, 1);
      if (token !== this.previewToken) return;
      this.preview = { nodeId: id, relation, columns: page.columns, rows: Number(rows.rows[0]?.[0] ?? 0), seed: page.rows };
    } catch (err) {
      if (token === this.previewToken) this.previewError = { nodeId: id, message: message(err) };
    } finally {
      if (token === this.previewToken) this.previewing = false;
      release();
    }
  }

  /** Save, then run the job as StartJobRun does, following its states live. */
  async run(args: Record<string, string> = {}): Promise<void> {
    if (!this.catalog || !this.def || this.running) return;
    const errors = this.check.messages.filter((m) => m.severity === 'error');
    if (errors.length) { this.error = `Fix ${errors.length} problem${errors.length === 1 ? '' : 's'} before running: ${errors[0]!.nodeId ? `${errors[0]!.nodeId}: ` : ''}${errors[0]!.message}`; return; }
    if (!(await this.save())) return;
    const name = this.def.name;
    // The user may open another job while this one runs: what the run reports lands on this job only.
    const here = () => this.def?.name === name;
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    this.liveNodes = {};
    this.liveLog = [];
    this.lastResult = null;
    this.error = null;
    try {
      // Started by a click: a source in a kept folder may ask for its permission again.
      const catalog = this.catalog;
      const lister = browserLister(catalog, { askFolderPermission: (_name, location) => grantFolderAccess(catalog, location) });
      const { run, result } = await startJobRun(catalog, name, browserJobEnv(this.engine, catalog, lister), {
        arguments: args,
        signal: controller.signal,
        onRun: (r) => { this.live = r; if (here()) this.selectedRun = r.Id; },
        onLog: (line) => { this.liveLog = [...this.liveLog, line]; },
        onNode: (nodeId, m) => { this.liveNodes = { ...this.liveNodes, [nodeId]: m ?? 'running' }; },
      });
      this.live = run;
      this.lastResult = result;
      this.lastResultJob = name;
      // The whole log, with what the run added after its last node (e.g. why a failure was not retried).
      this.liveLog = result.log;
      if (here()) this.measured = { ...this.measured, ...result.schemas };
    } catch (err) {
      this.error = message(err);
    } finally {
      this.controller = null;
      this.running = false;
      await this.refresh();
    }
  }

  /** Stop the running job (STOPPING, then STOPPED). */
  stop(): void {
    this.controller?.abort(new Error('stopped by the user'));
  }

  /** Files of the open job's last run's download targets (none when the last run was another job's). */
  downloads(): JobDownload[] {
    const out: JobDownload[] = [];
    if (!this.def || this.lastResultJob !== this.def.name) return out;
    for (const o of this.lastResult?.outputs ?? []) {
      for (const f of o.download ?? []) {
        const name = `${o.location.replace(/^download:\/\//, '')}${f.path.includes('/') ? '/' + f.path : '-' + f.path}`.replace(/\//g, '_');
        out.push({ name, type: 'application/octet-stream', data: f.bytes });
      }
    }
    return out;
  }

  /** The DuckDB SQL script of the job (needs schemas: preview or run the job once). */
  async duckdbScript(): Promise<JobDownload> {
    const def = this.def!;
    const sources = await exportSourcesOf(def, this.catalog ?? undefined);
    // The files the last run read tell the format of a folder source that names none.
    const processed = this.lastResultJob === def.name ? this.lastResult?.processed : undefined;
    return { name: `${def.name}.sql`, type: 'application/sql', data: exportDuckDbSql(def, { sources, schemas: this.measured, ...(processed ? { processed } : {}) }) };
  }

  /** The AWS Glue PySpark script of the job. */
  pysparkScript(): JobDownload {
    return { name: `${this.def!.name}.py`, type: 'text/x-python', data: exportPySpark(this.def!, this.measured) };
  }

  /** The job definition as JSON (what `epoxy run JOB.json` takes). */
  definitionFile(): JobDownload {
    return { name: `${this.def!.name}.json`, type: 'application/json', data: JSON.stringify(this.def, null, 2) + '\n' };
  }

}

/** The source a choice of the Jobs view's source list names: `table:NAME` (open this session) or `catalog:DB.TABLE`. */
function sourceFromChoice(choice: string): SourceSpec {
  const kind = choice.slice(0, choice.indexOf(':'));
  const rest = choice.slice(choice.indexOf(':') + 1);
  if (kind !== 'catalog') return { type: 'table', name: rest };
  const [database, ...table] = rest.split('.');
  return { type: 'catalog', database: database!, table: table.join('.') };
}
