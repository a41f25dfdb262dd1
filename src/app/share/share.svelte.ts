import type { Remote } from 'comlink';
import { Catalog, CatalogError, syncCatalog, type Change } from '../../catalog';
import { classifySource } from '../../classifiers';
import type { EngineWorkerApi } from '../../engine/protocol';
import type { JobDefinition } from '../../jobs/model';
import { executeJob, type JobRunResult } from '../../jobs/run';
import { validateDag } from '../../jobs/model';
import { ShareLinkError } from '../../share/codec';
import { readShareLink, type SharePayload } from '../../share/payload';
import { matchInput, type InputMatch, type WorkflowDefinition } from '../../share/pipeline';
import { toGlueJob } from '../../jobs/store';
import type { JobBookmark } from '../../jobs/bookmarks';
import type { DroppedFile } from '../../sources/dropped';
import { dropTarget } from '../crawlers/drop';
import { rememberDroppedFiles } from '../crawlers/session-files';
import { browserJobEnv } from '../jobs/browser-env';

/** A file set supplied for one input of a shared pipeline, and how it matches what the link expects. */
export interface SuppliedInput {
  label: string;
  location: string;
  match: InputMatch;
}

/** State of the page a share link opens: the decoded payload (or why it cannot be opened) and what the user did. */
export class ShareModel {
  payload = $state.raw<SharePayload | null>(null);
  error = $state<string | null>(null);
  added = $state<string | null>(null);
  actionError = $state<string | null>(null);
  /** Inputs supplied for a shared job, by source node id. */
  supplied = $state.raw<Record<string, SuppliedInput>>({});
  running = $state(false);
  result = $state.raw<JobRunResult | null>(null);

  /** The shared job definition, or null (with the DAG's own problems as errors). */
  get job(): JobDefinition | null {
    return this.payload?.kind === 'job' ? (this.payload.definition as JobDefinition) : null;
  }

  /** Structural problems of a shared job (the link was validated for shape; its DAG is checked here). */
  jobProblems(): string[] {
    const def = this.job;
    if (!def || !Array.isArray(def.nodes)) return ['The shared job has no nodes'];
    return validateDag(def).filter((m) => m.severity === 'error').map((m) => `${m.nodeId}: ${m.message}`);
  }

  /** The shared workflow, when the link holds one. */
  get workflow(): WorkflowDefinition | null {
    const d = this.payload?.kind === 'workflow' ? (this.payload.definition as WorkflowDefinition) : null;
    return d && Array.isArray(d.triggers) && Array.isArray(d.jobs) ? d : null;
  }

  /**
   * Add a shared workflow's jobs and triggers to this browser's catalog. Scheduled and conditional triggers
   * arrive disabled: nothing runs until the user enables them in Schedules.
   */
  async addWorkflow(): Promise<void> {
    const wf = this.workflow;
    if (!wf) return;
    const { catalog, done } = await openSynced();
    try {
      // One transaction: the workflow arrives whole or not at all. Jobs keep a bookmark they already have here.
      const changes: Change[] = [];
      for (const job of wf.jobs) {
        const existing = await catalog.get('job', job.name).catch(() => null);
        changes.push({ op: 'putObject', kind: 'job', value: toGlueJob(job, existing?.Epoxy?.['bookmark'] as JobBookmark | undefined) });
      }
      for (const t of wf.triggers) changes.push({ op: 'putObject', kind: 'trigger', value: { ...t, Epoxy: { ...(t.Epoxy ?? {}), enabled: false } } });
      await catalog.commit(changes);
      this.added = '#/schedules';
      this.actionError = null;
    } catch (err) {
      this.actionError = err instanceof Error ? err.message : String(err);
    } finally {
      done();
    }
  }

  /** Take the files the user dropped for one input, read their schema, and compare it with the link's. */
  async supply(nodeId: string, files: DroppedFile[]): Promise<void> {
    if (this.payload?.kind !== 'job' || files.length === 0) return;
    const expected = this.payload.inputs.find((i) => i.name === nodeId)?.columns ?? [];
    const target = { ...dropTarget(files), locationPrefix: `dropped://shared-${encodeURIComponent(nodeId)}` };
    rememberDroppedFiles(target);
    const first = target.sources[0]!;
    const classified = await classifySource({ name: first.path, size: first.size, read: (o, n) => first.read(o, n) });
    const match = classified.classification === 'UNKNOWN'
      ? { errors: [`${first.path} is not a format Epoxy reads`], notes: [] }
      : matchInput(expected, classified.schema);
    this.supplied = { ...this.supplied, [nodeId]: { label: target.label, location: target.locationPrefix, match } };
    this.result = null;
  }

  /** Whether every input has files without blocking mismatches. */
  get readyToRun(): boolean {
    const p = this.payload;
    return p?.kind === 'job' && p.inputs.every((i) => this.supplied[i.name] && this.supplied[i.name]!.match.errors.length === 0) && this.jobProblems().length === 0;
  }

  /** Run the shared job on the supplied files, only because the user clicked Run. */
  async run(engine: Remote<EngineWorkerApi>): Promise<void> {
    const def = this.job;
    if (!def || !this.readyToRun || this.running) return;
    this.running = true;
    const { catalog, done } = await openSynced();
    try {
      const inputs = Object.fromEntries(Object.entries(this.supplied).map(([id, s]) => [id, s.location]));
      this.result = await executeJob(def, { ...browserJobEnv(engine, catalog), inputs });
    } catch (err) {
      this.actionError = err instanceof Error ? err.message : String(err);
    } finally {
      done();
      this.running = false;
    }
  }

  /** Decode the fragment; nothing is stored or run here. */
  open(fragment: string): void {
    this.added = null;
    this.actionError = null;
    this.supplied = {};
    this.result = null;
    try {
      this.payload = readShareLink(fragment);
      this.error = null;
    } catch (err) {
      this.payload = null;
      this.error = err instanceof ShareLinkError ? err.message : `This link cannot be opened: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Add a shared table definition to the local catalog, only when the user asks. */
  async addTable(database: string): Promise<void> {
    const p = this.payload;
    if (!p || p.kind !== 'table') return;
    const { catalog, done } = await openSynced();
    try {
      await catalog.commit([
        { op: 'ensureDatabase', database: { Name: database } },
        { op: 'createTable', databaseName: database, table: p.table },
      ]);
      this.added = `#/catalog/${encodeURIComponent(database)}/${encodeURIComponent(p.table.Name)}`;
      this.actionError = null;
    } catch (err) {
      this.actionError = err instanceof CatalogError ? err.message : String(err);
    } finally {
      done();
    }
  }
}

/** Open the catalog so that what this page commits reaches the app's other views and tabs (BroadcastChannel). */
async function openSynced(): Promise<{ catalog: Catalog; done: () => void }> {
  const catalog = await Catalog.open();
  const stop = syncCatalog(catalog, () => {});
  return { catalog, done: () => { stop(); catalog.close(); } };
}
