import type { JobBookmark } from '../../jobs/bookmarks';
import type { JobDefinition } from '../../jobs/model';
import type { PipelineShare } from '../../share/payload';
import type { WorkflowDefinition } from '../../share/pipeline';
import {
  bindWorkflowJob, choiceProblems, conflictKey, finalNames, workflowChanges, workflowConflicts,
  type ConflictChoice, type ExistingObjects, type WorkflowConflict,
} from '../../share/workflow';
import { listMyTables } from './catalog';
import type { CatalogSession } from '../shared/catalog-session';
import { JobReview } from './job-review.svelte';
import { errorMessage } from '../../util/errors';

const message = errorMessage;

/**
 * The review of a shared workflow: each job's inputs bound to the user's catalog tables and its outputs to the
 * user's destinations, every same-named job and trigger of the user's resolved (rename or replace), and one
 * catalog commit that adds it all with every trigger disabled.
 */
export class WorkflowReview {
  readonly jobs: JobReview[];
  existing = $state.raw<ExistingObjects | null>(null);
  choices = $state.raw<Record<string, ConflictChoice>>({});
  adding = $state(false);
  added = $state<string | null>(null);
  actionError = $state<string | null>(null);
  private bookmarks: Record<string, JobBookmark | undefined> = {};

  constructor(private readonly session: CatalogSession, readonly wf: WorkflowDefinition, payload: PipelineShare) {
    this.jobs = wf.jobs.map((j) => new JobReview(session, j, payload.inputs.filter((i) => i.name.startsWith(`${j.name}.`)).map((i) => ({ ...i, name: i.name.slice(j.name.length + 1) })), true));
  }

  /** Same-named jobs and triggers of the user's (known once `load` read the catalog). */
  readonly conflicts = $derived.by((): WorkflowConflict[] => (this.existing ? workflowConflicts(this.wf, this.existing) : []));

  /** The triggers as they will be stored under the current choices (renamed, pointing at renamed jobs, disabled). */
  readonly finalTriggers = $derived.by(() => finalNames(this.wf, this.existing ?? { jobs: [], triggers: [] }, this.choices).triggers);

  /** The name each incoming job will have under the current choices. */
  finalJobName(name: string): string {
    return finalNames(this.wf, this.existing ?? { jobs: [], triggers: [] }, this.choices).jobName(name);
  }

  /** Everything that keeps Add disabled. */
  readonly blockers = $derived.by(() => {
    if (!this.existing) return ['reading your catalog…'];
    return [
      ...this.jobs.flatMap((j) => j.blockers.map((b) => `job ${j.def.name}, ${b}`)),
      ...choiceProblems(this.wf, this.existing, this.choices),
    ];
  });

  /** Read the user's tables (for the input pickers) and jobs and triggers (for conflicts); conflicts start as renames. */
  async load(): Promise<void> {
    try {
      const catalog = await this.session.open();
      const tables = await listMyTables(catalog);
      for (const j of this.jobs) j.myTables = tables;
      const jobs = await catalog.list('job');
      this.bookmarks = Object.fromEntries(jobs.map((j) => [j.Name, j.Epoxy?.['bookmark'] as JobBookmark | undefined]));
      this.existing = { jobs: jobs.map((j) => j.Name), triggers: await catalog.list('trigger') };
      // Nothing is replaced unless the user says so: every conflict starts as a rename to a free name.
      this.choices = Object.fromEntries(this.conflicts.map((c) => [conflictKey(c.kind, c.name), { action: 'rename', to: c.suggestion } satisfies ConflictChoice]));
    } catch (err) {
      this.actionError = `Your catalog could not be read: ${message(err)}`;
    }
  }

  /** Set the user's choice for one conflict. */
  choose(key: string, choice: ConflictChoice): void {
    this.choices = { ...this.choices, [key]: choice };
  }

  /** Add the workflow's jobs and triggers in one catalog commit, only when the user clicks Add. */
  async add(): Promise<void> {
    if (this.blockers.length || this.adding || !this.existing) return;
    this.adding = true;
    this.actionError = null;
    try {
      const catalog = await this.session.open();
      // Read again right before adding: a job or trigger made since (another tab) must be a conflict too.
      const jobs = await catalog.list('job');
      const now: ExistingObjects = { jobs: jobs.map((j) => j.Name), triggers: await catalog.list('trigger') };
      const keys = (e: ExistingObjects) => workflowConflicts(this.wf, e).map((c) => conflictKey(c.kind, c.name)).join('\n');
      if (keys(now) !== keys(this.existing)) {
        this.existing = now;
        throw new Error('your catalog changed while this page was open: review the conflicts again');
      }
      this.bookmarks = Object.fromEntries(jobs.map((j) => [j.Name, j.Epoxy?.['bookmark'] as JobBookmark | undefined]));
      await Promise.all(this.jobs.flatMap((j) => j.outputs.map((o) => j.checkExisting(o.nodeId, catalog))));
      if (this.blockers.length) throw new Error(this.blockers[0]);
      const bound: Record<string, JobDefinition> = {};
      for (const j of this.jobs) {
        bound[j.def.name] = bindWorkflowJob(
          j.def,
          Object.fromEntries(j.inputs.map((s) => [s.nodeId, s.binding ?? undefined])),
          Object.fromEntries(j.outputs.map((o) => [o.nodeId, j.decisions[o.nodeId]?.destination ?? undefined])),
        );
      }
      await catalog.commit(workflowChanges(this.wf, bound, this.existing, this.choices, this.bookmarks));
      this.added = '#/schedules';
    } catch (err) {
      this.actionError = `Nothing was added: ${message(err)}`;
    } finally {
      this.adding = false;
    }
  }
}
