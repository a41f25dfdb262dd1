import type { Catalog, Change, Classifier, Crawler, CrawlerRun } from '../../catalog';
import { conflictError, conflictOf, type EditConflict } from '../catalog/conflict';
import { customClassifierName } from '../../classifiers';
import type { CrawlProgress, CrawlReport } from '../../crawler/crawl';
import { startCrawlerRun } from '../../crawler/runs';
import { recoverAbandonedCrawls } from '../../crawler/recovery';
import type { DroppedFile } from '../../sources/dropped';
import { dropTarget, type DropTarget } from './drop';
import { classifierFromForm, crawlerFromForm, formFromCrawler, newClassifierForm, newCrawlerForm, type ClassifierForm, type CrawlerForm } from './form';
import { canPickFolders, canRead, HandleStore } from '../../sources/handle-store';
import { listDirectoryHandle } from '../../sources/workspace';
import { rememberDroppedFiles } from './session-files';
import { UrlTargetModel } from './url-target.svelte';
import { browserCrawlEnv } from './crawl-env';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

const message = errorMessage;

/** State of the Crawlers view: definitions, the data to crawl, a running crawl and its report. */
export class CrawlersModel {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  error = $state<string | null>(null);
  crawlers = $state.raw<Crawler[]>([]);
  classifiers = $state.raw<Classifier[]>([]);
  runs = $state.raw<Record<string, CrawlerRun[]>>({});
  selected = $state<string | null>(null);
  /** The crawler form being edited (new or existing), or null. */
  form = $state<CrawlerForm | null>(null);
  formErrors = $state<Record<string, string>>({});
  editing = $state<string | null>(null);
  /** The VersionId of the crawler the form was loaded from (saves are checked against it). */
  editingVersionId = $state<string | null>(null);
  /** A save another tab overtook: the user's crawler (still in the form) and the stored one. */
  conflict = $state.raw<(EditConflict<Crawler> & { on: string }) | null>(null);
  target = $state.raw<DropTarget | null>(null);
  running = $state(false);
  progress = $state.raw<CrawlProgress | null>(null);
  report = $state.raw<CrawlReport | null>(null);
  classifierForm = $state<ClassifierForm | null>(null);
  classifierError = $state<string | null>(null);
  /** Where the data to crawl comes from: dropped files or pasted presigned URLs. */
  targetKind = $state<'files' | 'urls'>('files');
  readonly urls = new UrlTargetModel(() => this.cat);

  private catalog: Catalog | null = null;
  private stopSync: (() => void) | null = null;
  private controller: AbortController | null = null;

  constructor(private readonly session: CatalogSession) {}

  async start(): Promise<void> {
    try {
      this.catalog = await this.session.open();
      // Runs left RUNNING by a tab that closed or crashed mid-crawl are marked FAILED before they are shown.
      await recoverAbandonedCrawls(this.catalog).catch(() => []);
      this.stopSync = this.session.subscribe(() => void this.refresh().catch((err) => { this.error = message(err); }));
      await this.refresh();
      await this.urls.refresh();
      // A classifier form the user opened while the catalog was loading stays open (it was lost under load).
      if (this.crawlers.length === 0) { if (!this.form) this.beginNew(this.classifierForm !== null); }
      else {
        this.selected ??= this.crawlers[0]!.Name;
        void this.loadRememberedFolder();
      }
      this.status = 'ready';
    } catch (err) {
      this.status = 'failed';
      this.error = message(err);
    }
  }

  /** Cancel a running crawl and stop following changes; the app's catalog stays open for the other views. */
  stop(): void {
    this.controller?.abort();
    this.stopSync?.();
    this.stopSync = null;
    this.catalog = null;
  }

  private get cat(): Catalog {
    if (!this.catalog) throw new Error('The catalog is not open');
    return this.catalog;
  }

  async refresh(): Promise<void> {
    const cat = this.cat; // one catalog for the whole refresh, as in CatalogModel.refresh
    this.crawlers = (await cat.list('crawler')).sort((a, b) => a.Name.localeCompare(b.Name));
    this.classifiers = await cat.list('classifier');
    const runs: Record<string, CrawlerRun[]> = {};
    for (const c of this.crawlers) runs[c.Name] = await cat.getCrawlerRuns(c.Name);
    this.runs = runs;
  }

  get current(): Crawler | undefined {
    return this.crawlers.find((c) => c.Name === this.selected);
  }

  classifierNames(): string[] {
    return this.classifiers.map(customClassifierName);
  }

  select(name: string): void {
    this.selected = name;
    this.form = null;
    this.classifierForm = null;
    this.report = null;
    this.target = null;
    void this.loadRememberedFolder();
  }

  beginNew(keepClassifierForm = false): void {
    this.form = newCrawlerForm(this.crawlers.map((c) => c.Name));
    if (!keepClassifierForm) this.classifierForm = null;
    this.formErrors = {};
    this.editing = null;
    this.editingVersionId = null;
    this.conflict = null;
  }

  beginEdit(crawler: Crawler | undefined = this.current): void {
    if (!crawler) return;
    this.form = formFromCrawler(crawler);
    this.classifierForm = null;
    this.formErrors = {};
    this.editing = crawler.Name;
    this.editingVersionId = crawler.VersionId ?? '0';
    this.conflict = null;
  }

  cancelForm(): void {
    this.form = null;
    this.formErrors = {};
    this.conflict = null;
  }

  /**
   * Save the form as a crawler; returns whether it was saved. An edited crawler must still be at the version
   * the form was loaded from and a new (or renamed) one must not exist: otherwise `conflict` says so and
   * nothing is written. `overrides` are the VersionIds the user chose to save over ("Save mine anyway").
   */
  async saveForm(overrides: Record<string, string | null> = {}): Promise<boolean> {
    if (!this.form) return false;
    const previous = this.editing ? this.crawlers.find((c) => c.Name === this.editing) : undefined;
    // The form is a deep $state proxy (its classifier list is bound to checkboxes): IndexedDB cannot clone a
    // proxy, so the crawler is built from a plain snapshot.
    const { crawler, errors } = crawlerFromForm($state.snapshot(this.form), previous);
    if (!this.editing && crawler && this.crawlers.some((c) => c.Name === crawler.Name) && !(crawler.Name in overrides)) errors['name'] = `A crawler named ${crawler.Name} already exists`;
    this.formErrors = errors;
    if (!crawler || Object.keys(errors).length) return false;
    const expect = (name: string, fallback: string | null) => (name in overrides ? overrides[name]! : fallback);
    const renamed = !!this.editing && this.editing !== crawler.Name;
    const changes: Change[] = [{ op: 'putObject', kind: 'crawler', value: crawler, expectedVersionId: expect(crawler.Name, this.editing && !renamed ? this.editingVersionId : null) }];
    if (renamed) changes.push({ op: 'deleteObject', kind: 'crawler', name: this.editing!, expectedVersionId: expect(this.editing!, this.editingVersionId) });
    try {
      await this.cat.commit(changes);
      this.conflict = null;
      await this.refresh();
      this.selected = crawler.Name;
      this.form = null;
      return true;
    } catch (err) {
      const conflict = conflictError(err);
      if (conflict) {
        const on = conflict.objectName;
        this.conflict = { ...(await conflictOf(conflict, crawler, async () => {
          const c = await this.cat.get('crawler', on).catch(() => null);
          return c ? { value: c, versionId: c.VersionId } : null;
        })), on };
      } else this.formErrors = { name: message(err) };
      return false;
    }
  }

  /** Resolve a conflict by taking the stored crawler into the form (the user's edit is dropped by choice). */
  reloadTheirs(): void {
    const theirs = this.conflict?.theirs;
    if (theirs) this.beginEdit(theirs);
  }

  /** Resolve a conflict by saving the form over the stored crawler, which stays a version. */
  async saveMineAnyway(): Promise<boolean> {
    const c = this.conflict;
    if (!c) return false;
    return this.saveForm({ [c.on]: c.theirsVersionId });
  }

  async deleteCrawler(name: string): Promise<void> {
    const seen = this.crawlers.find((c) => c.Name === name)?.VersionId;
    try {
      await this.cat.delete('crawler', name, seen === undefined ? {} : { expectedVersionId: seen });
    } catch (err) {
      this.error = message(err);
      await this.refresh();
      return;
    }
    await this.refresh();
    this.selected = this.crawlers[0]?.Name ?? null;
    if (!this.selected) this.beginNew();
  }

  /** The folder this crawler remembers (File System Access API), if any. */
  rememberedFolder = $state<string | null>(null);

  /** Pick a folder and keep access to it for later crawls (browsers with the File System Access API). */
  async pickFolder(): Promise<void> {
    const crawler = this.current;
    if (!crawler || !canPickFolders()) return;
    try {
      const handle = await (globalThis as unknown as { showDirectoryPicker(o: { mode: 'read' }): Promise<FileSystemDirectoryHandle> }).showDirectoryPicker({ mode: 'read' });
      const store = await HandleStore.open();
      await store.put(crawler.Name, handle);
      store.close();
      await this.useFolder(handle);
    } catch (err) {
      if ((err as DOMException).name !== 'AbortError') this.error = message(err);
    }
  }

  /** Crawl the remembered folder again (asks for permission again when the browser requires it). */
  async useRememberedFolder(): Promise<void> {
    const crawler = this.current;
    if (!crawler) return;
    const store = await HandleStore.open();
    const handle = await store.get(crawler.Name);
    store.close();
    if (!handle) { this.error = 'No folder is remembered for this crawler'; return; }
    if (!(await canRead(handle, true))) { this.error = `Epoxy may no longer read the folder ${handle.name}; choose it again`; return; }
    await this.useFolder(handle);
  }

  private async useFolder(handle: FileSystemDirectoryHandle): Promise<void> {
    const sources = await listDirectoryHandle(handle);
    this.target = { rootName: handle.name, label: `folder ${handle.name} (remembered)`, locationPrefix: `folder://${encodeURIComponent(handle.name)}`, sources, totalBytes: sources.reduce((n, s) => n + s.size, 0) };
    this.rememberedFolder = handle.name;
    this.report = null;
  }

  /** Look up whether the selected crawler has a remembered folder. */
  async loadRememberedFolder(): Promise<void> {
    const name = this.selected;
    if (!name) return;
    const store = await HandleStore.open();
    const handle = await store.get(name);
    store.close();
    if (this.selected === name) this.rememberedFolder = handle?.name ?? null;
  }

  /** Data dropped for the next run. */
  setTarget(files: DroppedFile[]): void {
    this.target = files.length ? dropTarget(files) : null;
    this.report = null;
  }

  /** Check the pasted URLs (listings, sizes, expiry, CORS) and make the readable objects the crawl target. */
  async checkUrls(): Promise<void> {
    this.target = await this.urls.check();
    this.report = null;
  }

  /** Switch between dropped files and presigned URLs; the other kind's target is dropped. */
  setTargetKind(kind: 'files' | 'urls'): void {
    if (kind === this.targetKind) return;
    this.targetKind = kind;
    this.target = null;
    this.report = null;
  }

  /** Run the selected crawler over the dropped data, in a pool of workers, with progress and cancel. */
  async run(): Promise<CrawlReport | null> {
    const crawler = this.current;
    const target = this.target;
    if (!crawler || !target || this.running) return null;
    this.running = true;
    this.report = null;
    this.error = null;
    this.controller = new AbortController();
    try {
      const result = await startCrawlerRun(this.cat, crawler.Name, browserCrawlEnv(), {
        target, signal: this.controller.signal, onProgress: (p) => { this.progress = p; },
      });
      // A run is always handed its target here, so it starts (NOT_STARTED is the scheduler's: no files there).
      if (result.state === 'NOT_STARTED') throw new Error(result.error);
      if (result.state === 'COMPLETED') {
        // Jobs reading the crawled table find its dropped files here for the rest of the session.
        if (target.locationPrefix.startsWith('dropped://')) rememberDroppedFiles(target);
        if (result.warning) this.error = result.warning;
      }
      this.report = result.report;
      await this.refresh();
      return this.report;
    } catch (err) {
      this.error = message(err);
      return null;
    } finally {
      this.running = false;
      this.progress = null;
      this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  beginClassifier(): void {
    this.classifierForm = newClassifierForm();
    this.classifierError = null;
  }

  async saveClassifier(): Promise<boolean> {
    if (!this.classifierForm) return false;
    const order = Math.max(0, ...this.classifiers.map((c) => c.order ?? 0)) + 1;
    const { classifier, error } = classifierFromForm($state.snapshot(this.classifierForm), order);
    if (!classifier) { this.classifierError = error ?? 'Invalid classifier'; return false; }
    if (this.classifierNames().includes(customClassifierName(classifier))) { this.classifierError = `A classifier named ${customClassifierName(classifier)} already exists`; return false; }
    try {
      await this.cat.put('classifier', classifier, { expectedVersionId: null });
      this.classifierForm = null;
      await this.refresh();
      return true;
    } catch (err) {
      this.classifierError = message(err);
      return false;
    }
  }

  async deleteClassifier(name: string): Promise<void> {
    await this.cat.delete('classifier', name);
    await this.refresh();
  }
}
