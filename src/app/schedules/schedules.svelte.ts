import { Catalog, syncCatalog, type CrawlerRun, type Job, type JobRun, type Trigger } from '../../catalog';
import { toPredicate } from '../../scheduler/dispatcher';
import { DurableQueue, type QueueItem, type StoredWorkflowRun } from '../../scheduler/queue';
import { SchedulerRuntime, type Runner } from '../../scheduler/runtime';
import { validateWorkflow, workflowEdges, type WorkflowTrigger } from '../../scheduler/workflow';
import { crawlerRunner } from './runners';
import { loadJob } from '../../jobs/store';
import type { JobDefinition } from '../../jobs/model';
import type { WorkflowDefinition } from '../../share/pipeline';
import { newTriggerForm, triggerFromForm, type TriggerForm } from './trigger-form';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

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
  now = $state(Date.now());

  private catalog: Catalog | null = null;
  private store: DurableQueue | null = null;
  private runtime: SchedulerRuntime | null = null;
  private stops: (() => void)[] = [];
  /** @param makeJobRunner builds the job runner over this model's catalog (the app passes the jobs runner). */
  constructor(private readonly makeJobRunner: (catalog: Catalog) => Runner) {}

  async start(): Promise<void> {
    try {
      this.catalog = await Catalog.open();
      this.store = await DurableQueue.open();
      this.runtime = new SchedulerRuntime({
        catalog: this.catalog,
        queue: this.store,
        runners: { job: this.makeJobRunner(this.catalog), crawler: crawlerRunner(this.catalog) },
        onChange: () => void this.refresh(),
        onFinalFailure: (item, outcome) => this.notifyFailure(item.name, outcome.error ?? outcome.state),
      });
      this.stops.push(this.runtime.start(), syncCatalog(this.catalog, () => void this.refresh()));
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

  stop(): void {
    for (const s of this.stops) s();
    this.catalog?.close();
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
    if (!this.catalog || !this.store || this.viewers === 0) return;
    const [triggers, jobs, crawlers, queue, workflowRuns] = await Promise.all([
      this.catalog.list('trigger'), this.catalog.list('job'), this.catalog.list('crawler'), this.store.all(), this.store.workflowRuns(),
    ]);
    this.triggers = triggers.sort((a, b) => a.Name.localeCompare(b.Name));
    this.jobs = jobs;
    this.crawlers = crawlers.map((c) => c.Name);
    this.queue = queue.sort((a, b) => a.notBefore - b.notBefore);
    this.workflowRuns = workflowRuns.slice(0, 20);
    this.jobRuns = (await Promise.all(jobs.map((j) => this.catalog!.getJobRuns(j.Name)))).flat();
    this.crawlerRuns = (await Promise.all(crawlers.map((c) => this.catalog!.getCrawlerRuns(c.Name)))).flat();
    this.isExecutor = this.runtime?.isExecutor ?? false;
  }

  /** Workflows: their triggers, graph edges and problems (cycles, empty conditions). */
  workflows(): { name: string; triggers: Trigger[]; edges: ReturnType<typeof workflowEdges>; problems: string[] }[] {
    const names = [...new Set(this.triggers.map((t) => t.WorkflowName).filter((n): n is string => !!n))].sort();
    return names.map((name) => {
      const triggers = this.triggers.filter((t) => t.WorkflowName === name);
      const wf: WorkflowTrigger[] = triggers.map((t) => ({ Name: t.Name, Type: t.Type === 'EVENT' ? 'ON_DEMAND' : t.Type, Schedule: t.Schedule, Predicate: toPredicate(t), Actions: t.Actions.map((a) => (a.JobName ? { JobName: a.JobName } : { CrawlerName: a.CrawlerName ?? '' })) }));
      return { name, triggers, edges: workflowEdges(wf), problems: validateWorkflow(wf) };
    });
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
  }

  async saveForm(): Promise<boolean> {
    if (!this.form || !this.catalog) return false;
    const { trigger, error } = triggerFromForm(this.form);
    if (!trigger) { this.formError = error ?? 'Invalid trigger'; return false; }
    if (trigger.WorkflowName) {
      const others = this.workflows().find((w) => w.name === trigger.WorkflowName)?.triggers.filter((t) => t.Name !== trigger.Name) ?? [];
      const wf = [...others, trigger].map((t) => ({ Name: t.Name, Type: t.Type === 'EVENT' ? 'ON_DEMAND' as const : t.Type, Predicate: toPredicate(t), Actions: t.Actions.map((a) => (a.JobName ? { JobName: a.JobName } : { CrawlerName: a.CrawlerName ?? '' })) }));
      const cycle = validateWorkflow(wf).find((p) => p.startsWith('The workflow has a cycle'));
      if (cycle) { this.formError = cycle; return false; }
    }
    try {
      await this.catalog.put('trigger', trigger);
      this.form = null;
      await this.refresh();
      return true;
    } catch (err) {
      this.formError = message(err);
      return false;
    }
  }

  async deleteTrigger(name: string): Promise<void> {
    await this.catalog?.delete('trigger', name);
    await this.refresh();
  }

  async setEnabled(t: Trigger, enabled: boolean): Promise<void> {
    await this.catalog?.put('trigger', { ...t, Epoxy: { ...(t.Epoxy ?? {}), enabled } });
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
      const ps = (reg as ServiceWorkerRegistration & { periodicSync?: { register(tag: string, o: { minInterval: number }): Promise<void> } })?.periodicSync;
      if (ps) {
        await ps.register('epoxy-scheduler', { minInterval: 15 * 60_000 });
        periodicSync = 'registered';
      }
    } catch {
      periodicSync = 'denied';
    }
    this.background = { periodicSync, notifications };
  }
}
