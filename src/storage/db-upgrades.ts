import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

// The IndexedDB plumbing every database of Epoxy shares. It lives below catalog/, scheduler/ and sources/ (it
// knows none of them), so each of those may use it without importing another's folder.

/**
 * Schema upgrades of Epoxy's IndexedDB databases (catalog, scheduler queue, folder handles), as one tab sees
 * them. A newer Epoxy in another tab opens a database at a higher version: every open connection gets
 * `versionchange` and must let go, or the newer tab's open stays `blocked`. Each database reports here, so the
 * app can say it in one place whichever view is open (the old tab: "reload to update"; the new one: what it
 * waits for).
 */

/** Which database, in the words the user sees. */
export type EpoxyDatabase = 'catalog' | 'scheduler queue' | 'folder handles';

export type UpgradeEvent =
  /** This tab's open waits for other tabs that hold an older version open. */
  | { kind: 'blocked'; database: EpoxyDatabase; name: string; message: string }
  /** The open that was blocked went through. */
  | { kind: 'unblocked'; database: EpoxyDatabase; name: string }
  /** Another tab upgraded the database: this tab closed its connection and runs old code. */
  | { kind: 'versionchange'; database: EpoxyDatabase; name: string; message: string };

type Listener = (event: UpgradeEvent) => void;
const listeners = new Set<Listener>();

/** Be told about blocked opens and upgrades by other tabs; returns the unsubscribe function. */
export function onDatabaseUpgrade(listener: Listener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** Report an upgrade event (called by the database modules). */
export function reportDatabaseUpgrade(event: UpgradeEvent): void {
  for (const l of listeners) {
    try { l(event); } catch { /* a listener's failure must not break the database's own handling */ }
  }
}

/** What an open blocked by older tabs says, per database. */
export function blockedMessage(database: EpoxyDatabase): string {
  return `Epoxy is upgrading its ${database} database and waits for other Epoxy tabs that still have the old version open: close or reload them; this tab continues as soon as they let go.`;
}

/** What a tab says after another tab upgraded one of its databases under it. */
export function versionChangeMessage(database: EpoxyDatabase): string {
  return `A newer version of Epoxy opened in another tab and upgraded the ${database} database: this tab let go of it. Reload to update.`;
}

/** Callbacks an opener may pass: told what a blocked open waits for, and that another tab upgraded under it. */
export interface UpgradeWatch {
  onBlocked?: (message: string) => void;
  onVersionChange?: (message: string) => void;
}

/**
 * Open a database with its upgrade steps, wired for upgrades by other tabs: a blocked open says what it waits
 * for, and a `versionchange` closes this connection at once and calls `closed` with the message to show (the
 * caller then refuses every call with it). Every event goes to the app's upgrade reports too.
 */
export async function openWatched<Schema extends DBSchema>(
  database: EpoxyDatabase, name: string, version: number,
  upgrade: (db: IDBPDatabase<Schema>, oldVersion: number) => void, watch: UpgradeWatch, closed: (message: string) => void,
): Promise<IDBPDatabase<Schema>> {
  let blocked = false;
  const db = await openDB<Schema>(name, version, {
    upgrade: (d, oldVersion) => upgrade(d, oldVersion),
    blocked() {
      blocked = true;
      const message = blockedMessage(database);
      watch.onBlocked?.(message);
      reportDatabaseUpgrade({ kind: 'blocked', database, name, message });
    },
  });
  if (blocked) reportDatabaseUpgrade({ kind: 'unblocked', database, name });
  db.addEventListener('versionchange', () => {
    db.close();
    const message = versionChangeMessage(database);
    closed(message);
    watch.onVersionChange?.(message);
    reportDatabaseUpgrade({ kind: 'versionchange', database, name, message });
  });
  return db;
}
