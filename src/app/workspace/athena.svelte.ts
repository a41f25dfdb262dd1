import type { Catalog } from '../../catalog/store';
import type { BoundedResult } from '../../engine/engine';
import { catalogSession, type AthenaSession, type AthenaEngine, type AthenaOutcome, type TableStats } from '../../query/athena-session';
import type { UnreachableFix } from '../../query/resolve';
import type { QueryEngine } from '../../query/engine';
import type { LocationLister } from '../../query/locations';
import type { CatalogSession } from '../shared/catalog-session';
import { catalogKey } from '../../catalog/names';

/** A table of the last query this tab could not read, and the one-click fix the view offers. */
export type UnreachableNotice = Extract<AthenaOutcome, { kind: 'unreachable' }>;

/** The catalog as completion needs it: database → table → column names. */
export type CatalogSchema = Record<string, Record<string, string[]>>;

/** Where the default database is kept across reloads (a name, not data). */
const DEFAULT_DB_KEY = 'epoxy.athena.defaultDatabase';

/** What the app supplies: how this tab lists locations, and how a lapsed folder permission is asked again. */
export interface AthenaEnv {
  lister(catalog: Catalog): LocationLister;
  /** Ask again for the kept folder behind `location` (inside the click); true when reading is allowed now. */
  grantFolder?(catalog: Catalog, location: string): Promise<boolean>;
  /** Go to the view that fixes the rest (`#/crawlers` to drop again, `#/connections` for fresh URLs, `#/jobs`). */
  navigate?(href: string): void;
}

/**
 * Athena in the Workspace: runs the SQL box's text over the catalog (AthenaSession) and the opened tables,
 * keeps the default database, the per-table stats of the last query and the unreachable-table notice.
 */
export class AthenaModel {
  databases = $state.raw<string[]>([]);
  /** Databases → tables → column names (partition keys last), for the editor's completion. */
  schema = $state.raw<CatalogSchema>({});
  defaultDatabase = $state<string | null>(null);
  stats = $state.raw<TableStats[]>([]);
  unreachable = $state.raw<UnreachableNotice | null>(null);
  private session: AthenaSession | null = null;
  private unsubscribe: (() => void) | null = null;
  private clearPending = false;

  constructor(
    private readonly engine: AthenaEngine & QueryEngine,
    private readonly catalogs: CatalogSession,
    private readonly env: AthenaEnv,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = globalThis.localStorage ?? null,
  ) {
    this.defaultDatabase = storage?.getItem(DEFAULT_DB_KEY) ?? null;
  }

  /** Load the database list and follow catalog changes (a change drops the tab's resolved tables). */
  async start(): Promise<void> {
    await this.refresh();
    // Kept tables are keyed by table version and listing, so a change never serves stale rows; they are only
    // dropped (memory) before the next query, never under one that is running.
    this.unsubscribe ??= this.catalogs.subscribe(() => { this.clearPending = true; void this.refresh(); });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Choose the database unqualified names are read from (kept for the next visit). */
  setDefaultDatabase(name: string | null): void {
    this.defaultDatabase = name === null || name === '' ? null : catalogKey(name);
    if (this.defaultDatabase === null) this.storage?.removeItem(DEFAULT_DB_KEY);
    else this.storage?.setItem(DEFAULT_DB_KEY, this.defaultDatabase);
  }

  private async refresh(): Promise<void> {
    try {
      const catalog = await this.catalogs.open();
      this.databases = (await catalog.getDatabases()).map((d) => d.Name).sort();
      const schema: CatalogSchema = {};
      for (const db of this.databases) {
        schema[db] = Object.fromEntries((await catalog.getTables(db)).map((t) => [t.Name, [...(t.StorageDescriptor?.Columns ?? []), ...(t.PartitionKeys ?? [])].map((c) => c.Name)]));
      }
      this.schema = schema;
      if (this.defaultDatabase === null && this.databases.length === 1) this.setDefaultDatabase(this.databases[0]!);
    } catch {
      // No catalog (a browser without IndexedDB): the SQL box still reads the opened tables.
      this.databases = [];
    }
  }

  private async sessionFor(): Promise<{ session: AthenaSession; catalog: Catalog }> {
    const catalog = await this.catalogs.open();
    if (!this.session) {
      this.session = catalogSession(this.engine, catalog, this.env.lister(catalog));
    }
    return { session: this.session, catalog };
  }

  /**
   * Run SQL over the catalog and the opened tables: the result, or null when a table can't be read (then
   * `unreachable` says why and which fix to offer). Errors are thrown with their message.
   */
  async run(sql: string, opened: string[]): Promise<BoundedResult | null> {
    this.unreachable = null;
    this.stats = [];
    const ready = await this.sessionFor().catch(() => null);
    // No catalog (a browser without IndexedDB, a blocked upgrade): the SQL box still reads the opened tables.
    if (!ready) return this.engine.userQuery(sql);
    const { session } = ready;
    if (this.clearPending) {
      this.clearPending = false;
      await session.clear();
    }
    const out = await session.run(sql, { defaultDatabase: this.defaultDatabase, opened });
    if (out.kind === 'unreachable') {
      this.unreachable = out;
      return null;
    }
    if (out.defaultDatabase) this.setDefaultDatabase(out.defaultDatabase);
    this.stats = out.stats;
    return out.result;
  }

  /** The one-click fix for the unreachable table; true when the query can simply run again. */
  async fix(action: UnreachableFix): Promise<boolean> {
    if (action.kind === 'link') {
      this.env.navigate?.(action.href);
      return false;
    }
    if (!this.env.grantFolder) return false;
    const catalog = await this.catalogs.open();
    return this.env.grantFolder(catalog, action.location);
  }
}
