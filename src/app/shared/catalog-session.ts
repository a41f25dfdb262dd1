import { Catalog, syncCatalog, type OpenOptions } from '../../catalog';

/** What the Catalog view keeps saying after another tab upgraded the catalog under this one. */
export const UPGRADED_ELSEWHERE = 'Another tab upgraded the catalog. Reload this page to keep editing.';

/** How the session opens its catalog: the browser's IndexedDB by default; tests pass fake-indexeddb. */
export type CatalogSessionOptions = Omit<OpenOptions, 'onBlocked' | 'onVersionChange'>;

type ChangeListener = (changed: string[]) => void;

/**
 * The app's one catalog: opened on first use, shared by every model and helper, closed once (when the page
 * goes away). One cross-tab subscription (BroadcastChannel) is fanned out to the subscribers, and commits
 * made here reach them too: before there was one catalog, each model's own channel heard the other models'
 * commits, and views must keep following each other inside a tab.
 *
 * A model calls `open()` in its start and `subscribe()` to follow changes; its stop unsubscribes and never
 * closes the catalog, which other models still use.
 */
export class CatalogSession {
  private opening: Promise<Catalog> | null = null;
  private catalog: Catalog | null = null;
  private stopSync: (() => void) | null = null;
  private readonly subscribers = new Set<ChangeListener>();
  private readonly noticeListeners = new Set<(notice: string) => void>();
  private current: string | null = null;

  constructor(private readonly options: CatalogSessionOptions = {}) {}

  /**
   * The catalog, opened (and migrated) on the first call; every later call gets the same one. A failed open
   * is not kept: the next call tries again. Opening again after `close()` reconnects the cross-tab sync.
   */
  async open(): Promise<Catalog> {
    this.opening ??= Catalog.open({
      ...this.options,
      onBlocked: (error) => this.say(error.message),
      onVersionChange: () => this.say(UPGRADED_ELSEWHERE),
    }).then((catalog) => {
      catalog.onCommit((result) => {
        // Delivered a task later, as a BroadcastChannel message would be: the committing code carries on first.
        const changed = result.changed;
        setTimeout(() => this.fanOut(changed), 0);
      });
      return catalog;
    }, (err: unknown) => {
      this.opening = null;
      throw err;
    });
    const catalog = await this.opening;
    this.catalog = catalog;
    this.connect();
    return catalog;
  }

  /**
   * Be told what changed (`kind:name` keys), by a commit in this tab or in another one. Returns the
   * unsubscribe function. Subscribing does not open the catalog: a model opens it, then subscribes.
   */
  subscribe(onChange: ChangeListener): () => void {
    this.subscribers.add(onChange);
    this.connect();
    return () => { this.subscribers.delete(onChange); };
  }

  /** What stays said until the page is reloaded: an upgrade waiting for older tabs, or another tab's upgrade. */
  get notice(): string | null { return this.current; }

  /** Be told each new notice; returns the unsubscribe function. */
  onNotice(listener: (notice: string) => void): () => void {
    this.noticeListeners.add(listener);
    return () => { this.noticeListeners.delete(listener); };
  }

  /**
   * Let go of the catalog (the connection and the cross-tab channel), so another tab's upgrade is never
   * blocked by this page. A later use reconnects: the connection reopens itself, `open()` reconnects the sync.
   */
  close(): void {
    this.stopSync?.();
    this.stopSync = null;
    this.catalog?.close();
  }

  /** Close when the page is hidden for good or cached, and reconnect when the browser brings it back. */
  closeWithPage(page: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
    const hide = () => this.close();
    const show = (event: PageTransitionEvent) => { if (event.persisted && this.catalog) void this.open().catch(() => undefined); };
    page.addEventListener('pagehide', hide);
    page.addEventListener('pageshow', show);
    return () => {
      page.removeEventListener('pagehide', hide);
      page.removeEventListener('pageshow', show);
    };
  }

  private connect(): void {
    if (this.stopSync || !this.catalog) return;
    this.stopSync = syncCatalog(this.catalog, (changed) => this.fanOut(changed));
  }

  private fanOut(changed: string[]): void {
    for (const s of [...this.subscribers]) {
      try { s(changed); } catch { /* one view's failed refresh must not keep the others from theirs */ }
    }
  }

  private say(notice: string): void {
    this.current = notice;
    for (const l of [...this.noticeListeners]) {
      try { l(notice); } catch { /* a listener's failure must not break the catalog's own handling */ }
    }
  }
}
