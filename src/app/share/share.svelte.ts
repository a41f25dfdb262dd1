import { Catalog, CatalogError } from '../../catalog';
import { ShareLinkError } from '../../share/codec';
import { readShareLink, type SharePayload } from '../../share/payload';

/** State of the page a share link opens: the decoded payload (or why it cannot be opened) and what the user did. */
export class ShareModel {
  payload = $state.raw<SharePayload | null>(null);
  error = $state<string | null>(null);
  added = $state<string | null>(null);
  actionError = $state<string | null>(null);

  /** Decode the fragment; nothing is stored or run here. */
  open(fragment: string): void {
    this.added = null;
    this.actionError = null;
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
    const catalog = await Catalog.open();
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
      catalog.close();
    }
  }
}
