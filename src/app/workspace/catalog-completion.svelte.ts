import type { Database, Table } from '../../catalog/glue-types';
import type { CatalogSession } from '../shared/catalog-session';

/**
 * The catalog's databases and tables for the SQL editor's completion, following every change (this tab's and
 * other tabs'). State and calls only: completionSchemaOf (sql-editor.ts) shapes it for the editor.
 */
export class CatalogCompletion {
  databases = $state.raw<Database[]>([]);
  tables = $state.raw<Table[]>([]);
  private stopSync: (() => void) | null = null;
  private loads = 0;

  constructor(private readonly session: CatalogSession) {}

  /** Load now and on every catalog change; a catalog that cannot open leaves completion to the open tables. */
  start(): void {
    if (this.stopSync) return;
    this.stopSync = this.session.subscribe(() => void this.load());
    void this.load();
  }

  stop(): void {
    this.stopSync?.();
    this.stopSync = null;
  }

  private async load(): Promise<void> {
    const mine = ++this.loads;
    try {
      const catalog = await this.session.open();
      const databases = await catalog.getDatabases();
      const tables = (await Promise.all(databases.map((d) => catalog.getTables(d.Name)))).flat();
      // A slower earlier load never overwrites a newer one.
      if (mine !== this.loads) return;
      this.databases = databases;
      this.tables = tables;
    } catch {
      // Completion is a convenience: the Catalog view reports why the catalog cannot be opened.
    }
  }
}
