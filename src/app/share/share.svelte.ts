import { CatalogError } from '../../catalog';
import type { JobDefinition } from '../../jobs/model';
import { ShareLinkError } from '../../share/codec';
import { readShareLink, type SharePayload } from '../../share/payload';
import type { WorkflowDefinition } from '../../share/pipeline';
import { JobReview } from './job-review.svelte';
import { WorkflowReview } from './workflow-review.svelte';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

/** State of the page a share link opens: the decoded payload (or why it cannot be opened) and its review. */
export class ShareModel {
  payload = $state.raw<SharePayload | null>(null);
  error = $state<string | null>(null);
  /** The review of a shared job or workflow (a fresh one per link: nothing carries over between links). */
  job = $state.raw<JobReview | null>(null);
  workflow = $state.raw<WorkflowReview | null>(null);
  /** The shared table once the user added it: where it went, and the catalog route to open it. */
  added = $state<{ database: string; table: string; href: string } | null>(null);
  actionError = $state<string | null>(null);

  constructor(private readonly session: CatalogSession) {}

  /** Decode the fragment; nothing is stored or run here. A refused link clears the previous review first. */
  open(fragment: string): void {
    this.payload = null;
    this.job = null;
    this.workflow = null;
    this.added = null;
    this.actionError = null;
    this.error = null;
    try {
      const payload = readShareLink(fragment);
      if (payload.kind === 'job') {
        this.job = new JobReview(this.session, payload.definition as JobDefinition, payload.inputs);
        void this.job.load();
      } else if (payload.kind === 'workflow') {
        this.workflow = new WorkflowReview(this.session, payload.definition as WorkflowDefinition, payload);
        void this.workflow.load();
      }
      this.payload = payload;
    } catch (err) {
      this.job = null;
      this.workflow = null;
      this.error = err instanceof ShareLinkError ? err.message : `This link cannot be opened: ${errorMessage(err)}`;
    }
  }

  /** Add a shared table definition to the local catalog, only when the user asks. */
  async addTable(databaseName: string): Promise<void> {
    const p = this.payload;
    if (!p || p.kind !== 'table') return;
    const database = databaseName.trim();
    if (!database) { this.actionError = 'Give the database to add the table to'; return; }
    try {
      const catalog = await this.session.open();
      await catalog.commit([
        { op: 'ensureDatabase', database: { Name: database } },
        { op: 'createTable', databaseName: database, table: p.table },
      ]);
      this.added = { database, table: p.table.Name, href: `#/catalog/${encodeURIComponent(database)}/${encodeURIComponent(p.table.Name)}` };
      this.actionError = null;
    } catch (err) {
      this.actionError = err instanceof CatalogError ? err.message : String(err);
    }
  }
}
