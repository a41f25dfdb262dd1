import type { Catalog, CrawlerRun, Job, JobRun, ObjectVersion, Trigger } from '../../catalog';
import { conflictError, conflictOf, type EditConflict } from '../catalog/conflict';
import { DurableQueue, type QueueItem, type StoredWorkflowRun } from '../../scheduler/queue';
import { SchedulerRuntime, type Runner } from '../../scheduler/runtime';
import { DEFAULT_CONCURRENCY } from '../../scheduler/executor';
import { checkTriggerSave, workflowsOf, type WorkflowView } from '../../scheduler/trigger-input';
import { crawlerRunner } from './runners';
import { loadJob } from '../../jobs/store';
import type { JobDefinition } from '../../jobs/model';
import type { WorkflowDefinition } from '../../share/pipeline';
import { formFromTrigger, newTriggerForm, triggerFromForm, type TriggerForm } from './trigger-form';
import { LEGACY_PERIODIC_SYNC_TAG, SCHEDULER_NAMES } from '../../scheduler/names';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

const message = errorMessage;

/** What the browser offers for running schedules while no Epoxy tab is open, said plainly. */
export interface BackgroundSupport {
  periodicSync: 'registered' | 'denied' | 'unsupported';
  notifications: NotificationPermission | 'unsupported';
}

/**
 * The scheduler as the app runs it: started once for the whole app (schedules run whatever view is open),
 * with the state the Schedules view shows.
 */
export class SchedulesModel {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  error = $state<string | null>(null);
  triggers = $state.raw<Trigger[]>([]);
  jobs = $state.raw<Job[]>([]);
  crawlers = $state.raw<string[]>([]);
  jobRuns = $state.raw<JobRun[]>([]);
  crawlerRuns = $state.raw<CrawlerRun[]>([]);
  queue = $state.raw<QueueItem[]>([]);
  workflowRuns = $state.raw<StoredWorkflowRun[]>([]);
  isExecutor = $state(false);
  background = $state<BackgroundSupport>({ periodicSync: 'unsupported', notifications: 'unsupported' });
  form = $state<TriggerForm | null>(null);
  formError = $state<string | null>(null);
  /** The trigger the form edits and the VersionId it was loaded from; null: the form creates a new one. */
  editing = $state.raw<{ name: string; versionId: string; previous: Trigger } | null>(null);
  /** A save another tab overtook: the user's trigger (still in the form) and the stored one. */
  conflict = $state.raw<EditConflict<Trigger> | null>(null);
  /** The trigger whose history is open, and its kept versions (newest first). */
  historyOf = $state<string | null>(null);
  history = $state.raw<ObjectVersion<'trigger'>[]>([]);
  now = $state(Date.now());
  /** How many runs execute at once (the executing tab's limit, shared by every tab). */
  concurrency = $state(DEFAULT_CONCURRENCY);
  /** When the schedules were last checked (by any tab), to say when this tab's clock is behind. */
  lastCheck = $state<number | undefined>(undefined);
  /** The queue database's upgrade, as this tab sees it: waiting for older tabs, or let go for a newer one. */
  upgrade = $state<{ kind: 'blocked' | 'versionchange'; message: string } | null>(null);

  private catalog: Catalog | null = null;
  private store: DurableQueue | null = null;
  private runtime: SchedulerRuntime | null = null;
  private stops: (() => void)[] = [];
  /** @param makeJobRunner builds the job runner over the app's catalog (the app passes the jobs runner). */
  constructor(private readonly session: CatalogSession, private readonly makeJobRunner: (catalog: Catalog) => Runner) {}

  async start(): Promise<void> {
    try {
      this.catalog = await this.session.open();
      this.store = await DurableQueue.open(undefined, {
        onBlocked: (message) => { this.upgrade = { kind: 'blocked', message }; },
        onVersionChange: (message) => {
          this.upgrade = { kind: 'versionchange', message };
          this.isExecutor = false;
          this.runtime?.letGo(message);
        },
      });
      if (this.upgrade?.kind === 'blocked') this.upgrade = null;
      this.runtime = new SchedulerRuntime({
        catalog: this.catalog,
        queue: this.store,
        runners: { job: this.makeJobRunner(this.catalog), crawler: crawlerRunner(this.catalog) },
        onChange: () => void this.refresh().catch(() => undefined),
        onFinalFailure: (item, outcome) => this.notifyFailure(item.name, outcome.error ?? outcome.state),
      });
      this.stops.push(this.runtime.start(), this.session.subscribe(() => void this.refresh().catch(() => undefined)));
      const tick = setInterval(() => { this.now = Date.now(); }, 1000);
      this.stops.push(() => clearInterval(tick));
      await this.refresh();
      void this.detectBackground();
      this.status = 'ready';
    } catch (err) {
      this.status = 'failed';
      this.error = message(err);
    }
  }

  /** Stop the scheduler and close its queue; the app's catalog is the session's to close. */
  stop(): void {
    for (const s of this.stops) s();
    this.store?.close();
  }

  private viewers = 0;

  /**
   * The Schedules view is showing: keep its lists fresh until the returned function is called. The scheduler
   * runs for the whole app, but reading every run history on each change is only worth it while someone looks.
   */
  attach(): () => void {
    this.viewers++;
    void this.refresh();
    return () => { this.viewers--; };
  }

  async refresh(): Promise<void> {
    // A queue a newer tab took over is closed here: the lists stay as they were, the banner says why.
    if (!this.catalog || !this.store || this.viewers === 0 || this.store.closedBy) return;
    const [triggers, jobs, crawlers, queue, workflowRuns, concurrency, lastCheck] = await Promise.all([
      this.catalog.list('trigger'), this.catalog.list('job'), this.catalog.list('crawler'), this.store.all(), this.store.workflowRuns(),
      this.runtime?.concurrency() ?? DEFAULT_CONCURRENCY, this.store.getMeta('lastCheck'),
    ]);
    this.concurrency = concurrency;
    this.lastCheck = lastCheck;
    this.triggers = triggers.sort((a, b) => a.Name.localeCompare(b.Name));
    this.jobs = jobs;
    this.crawlers = crawlers.map((c) => c.Name);
    this.queue = queue.sort((a, b) => a.notBefore - b.notBefore);
    this.workflowRuns = workflowRuns.slice(0, 20);
    this.jobRuns = (await Promise.all(jobs.map((j) => this.catalog!.getJobRuns(j.Name)))).flat();
    this.crawlerRuns = (await Promise.all(crawlers.map((c) => this.catalog!.getCrawlerRuns(c.Name)))).flat();
    this.isExecutor = this.runtime?.isExecutor ?? false;
    const open = this.historyOf;
    if (open) {
      const history = await this.catalog.getObjectVersions('trigger', open);
      if (this.historyOf === open) this.history = history;
    }
    const c = this.conflict;
    const stored = c ? this.triggers.find((t) => t.Name === c.mine.Name) : undefined;
    if (c && stored && stored.VersionId !== c.theirsVersionId) this.conflict = { ...c, theirs: stored, theirsVersionId: stored.VersionId ?? '0' };
  }

  /** Workflows: their triggers, graph edges and problems (cycles, empty conditions). */
  workflows(): WorkflowView[] {
    return workflowsOf(this.triggers);
  }

  /** A workflow's triggers and the definitions of the jobs they start, for its share link. */
  async workflowDefinition(name: string): Promise<WorkflowDefinition> {
    const triggers = this.triggers.filter((t) => t.WorkflowName === name);
    const jobNames = [...new Set(triggers.flatMap((t) => t.Actions.map((a) => a.JobName).filter((n): n is string => !!n)))];
    const jobs: JobDefinition[] = [];
    for (const n of jobNames) jobs.push(await loadJob(this.catalog!, n).catch(() => null as never));
    return { workflow: name, triggers, jobs: jobs.filter(Boolean) };
  }

  targets(): string[] {
    return [...this.jobs.map((j) => `job:${j.Name}`), ...this.crawlers.map((c) => `crawler:${c}`)];
  }

  beginNew(): void {
    this.form = newTriggerForm();
    this.formError = null;
    this.editing = null;
    this.conflict = null;
  }

  /** Open a stored trigger in the form, remembering the version it shows. */
  beginEdit(t: Trigger): void {
    this.form = formFromTrigger(t);
    this.formError = null;
    this.editing = { name: t.Name, versionId: t.VersionId ?? '0', previous: t };
    this.conflict = null;
  }

  cancelForm(): void {
    this.form = null;
    this.editing = null;
    this.conflict = null;
  }

  /**
   * Save the form: a new trigger must not exist yet, an edited one must still be at the version the form was
   * loaded from. Otherwise nothing is written and `conflict` holds both sides.
   */
  async saveForm(): Promise<boolean> {
    if (!this.form || !this.catalog) return false;
    // The form is a deep $state proxy; the trigger goes to IndexedDB, which cannot clone one.
    const built = triggerFromForm($state.snapshot(this.form), this.editing?.previous);
    if (!built.ok) { this.formError = built.problem.message; return false; }
    const problem = checkTriggerSave(built.trigger, this.triggers, this.editing?.name ?? null);
    if (problem) { this.formError = problem.message; return false; }
    return this.put(built.trigger, this.editing ? this.editing.versionId : null);
  }

  private async put(trigger: Trigger, expectedVersionId: string | null): Promise<boolean> {
    const catalog = this.catalog!;
    try {
      await catalog.put('trigger', trigger, { expectedVersionId });
      this.form = null;
      this.editing = null;
      this.conflict = null;
      this.formError = null;
      await this.refresh();
      return true;
    } catch (err) {
      const conflict = conflictError(err);
      if (conflict) {
        this.conflict = await conflictOf(conflict, trigger, async () => {
          const t = await catalog.get('trigger', trigger.Name).catch(() => null);
          return t ? { value: t, versionId: t.VersionId } : null;
        });
      } else this.formError = message(err);
      return false;
    }
  }

  /** Resolve a conflict by taking the stored trigger: the form shows it (the user's edit is dropped by choice). */
  reloadTheirs(): void {
    const theirs = this.conflict?.theirs;
    if (!theirs) return;
    this.beginEdit(theirs);
  }

  /** Resolve a conflict by saving the user's trigger over the stored one, which stays a version. */
  async saveMineAnyway(): Promise<boolean> {
    const c = this.conflict;
    if (!c) return false;
    return this.put(c.mine, c.theirsVersionId);
  }

  /** Delete a trigger as the list showed it (a version changed meanwhile is not deleted unseen). */
  async deleteTrigger(t: Trigger): Promise<void> {
    try {
      await this.catalog?.delete('trigger', t.Name, { expectedVersionId: t.VersionId ?? '0' });
    } catch (err) {
      this.error = message(err);
    }
    await this.refresh();
  }

  /** Turn a trigger on or off: a change of its definition (a new version), checked like any save. */
  async setEnabled(t: Trigger, enabled: boolean): Promise<void> {
    try {
      await this.catalog?.put('trigger', { ...t, Epoxy: { ...(t.Epoxy ?? {}), enabled } }, { expectedVersionId: t.VersionId ?? '0' });
      this.error = null;
    } catch (err) {
      this.error = message(err);
    }
    await this.refresh();
  }

  /** Show (or hide) a trigger's kept versions. */
  async toggleHistory(name: string): Promise<void> {
    this.historyOf = this.historyOf === name ? null : name;
    this.history = [];
    if (this.historyOf && this.catalog) this.history = await this.catalog.getObjectVersions('trigger', name);
  }

  /** Make a kept version of a trigger current again (a new version), unless it changed since the list showed it. */
  async restoreTrigger(name: string, versionId: string): Promise<void> {
    const seen = this.triggers.find((t) => t.Name === name)?.VersionId;
    try {
      await this.catalog?.restoreObjectVersion('trigger', name, versionId, seen === undefined ? {} : { expectedVersionId: seen });
      this.error = null;
    } catch (err) {
      this.error = message(err);
    }
    await this.refresh();
  }

  async fire(name: string): Promise<void> {
    try {
      await this.runtime?.fire(name);
    } catch (err) {
      this.error = message(err);
    }
  }

  async resume(workflowRunId: string): Promise<void> {
    try {
      await this.runtime?.resume(workflowRunId);
    } catch (err) {
      this.error = message(err);
    }
  }

  async startJob(name: string): Promise<void> {
    await this.runtime?.startJob(name);
  }

  /** Set how many runs execute at once (every tab follows; the executing tab starts more at once). */
  async setConcurrency(limit: number): Promise<void> {
    try {
      this.concurrency = (await this.runtime?.setConcurrency(limit)) ?? this.concurrency;
    } catch (err) {
      this.error = message(err);
    }
  }

  /** A job's MaxConcurrentRuns (1 unless set), for the backlog warning. */
  maxConcurrentRuns(kind: 'job' | 'crawler', name: string): number {
    if (kind === 'crawler') return 1;
    return Math.max(1, this.jobs.find((j) => j.Name === name)?.ExecutionProperty?.MaxConcurrentRuns ?? 1);
  }

  stopRun(runId: string): boolean {
    return this.runtime?.stop(runId) ?? false;
  }

  async enableNotifications(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.background = { ...this.background, notifications: await Notification.requestPermission() };
  }

  private notifyFailure(name: string, why: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    try {
      new Notification(`Epoxy: ${name} failed`, { body: why.slice(0, 200), tag: `epoxy-${name}` });
    } catch {
      // Some browsers only allow notifications from the service worker; the runs view still shows the failure.
    }
  }

  private async detectBackground(): Promise<void> {
    const notifications = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
    let periodicSync: BackgroundSupport['periodicSync'] = 'unsupported';
    try {
      const reg = await navigator.serviceWorker?.getRegistration();
      const ps = (reg as ServiceWorkerRegistration & { periodicSync?: { register(tag: string, o: { minInterval: number }): Promise<void>; unregister?(tag: string): Promise<void> } })?.periodicSync;
      if (ps) {
        await ps.register(SCHEDULER_NAMES.periodicSyncTag, { minInterval: 15 * 60_000 });
        await ps.unregister?.(LEGACY_PERIODIC_SYNC_TAG).catch(() => undefined);
        periodicSync = 'registered';
      }
    } catch {
      periodicSync = 'denied';
    }
    this.background = { periodicSync, notifications };
  }
}
