import type { DBSchema, IDBPDatabase } from 'idb';
import { openWatched, type UpgradeWatch } from '../storage/db-upgrades';

/** The folder-handles database's schema version. */
export const HANDLES_VERSION = 1;

/** What the folder-handles database holds: one directory handle per key the caller chooses (out-of-line keys). */
interface HandlesSchema extends DBSchema {
  handles: { key: string; value: FileSystemDirectoryHandle };
}

/**
 * Folders picked with the File System Access API, kept so a crawler can read them again later (a handle
 * survives reloads in IndexedDB; reading it again needs the user's permission, asked on a click).
 * Kept apart from the catalog: a handle is local to this browser and must never be exported or shared.
 */
export class HandleStore {
  private constructor(private readonly conn: IDBPDatabase<HandlesSchema>) {}

  /** Why this connection was closed under the app (a newer tab upgraded the database), or null while open. */
  closedBy: string | null = null;

  /**
   * Open (or create) the handles database. A newer tab's upgrade makes this connection let go at once; an
   * open that older tabs block reports what it waits for (`onBlocked`, and the upgrade reports).
   */
  static async open(name = 'epoxy-handles', opts: { version?: number } & UpgradeWatch = {}): Promise<HandleStore> {
    let store: HandleStore | null = null;
    const db = await openWatched<HandlesSchema>('folder handles', name, opts.version ?? HANDLES_VERSION, (d, oldVersion) => {
      if (oldVersion < 1) d.createObjectStore('handles');
    }, opts, (message) => { if (store) store.closedBy = message; });
    store = new HandleStore(db);
    return store;
  }

  private get db(): IDBPDatabase<HandlesSchema> {
    if (this.closedBy) throw new Error(this.closedBy);
    return this.conn;
  }

  async get(key: string): Promise<FileSystemDirectoryHandle | undefined> {
    return this.db.get('handles', key);
  }

  async put(key: string, handle: FileSystemDirectoryHandle): Promise<void> {
    await this.db.put('handles', handle, key);
  }

  async delete(key: string): Promise<void> {
    await this.db.delete('handles', key);
  }

  close(): void {
    this.conn.close();
  }
}

type PermissionHandle = FileSystemDirectoryHandle & {
  queryPermission?(o: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(o: { mode: 'read' }): Promise<PermissionState>;
};

/** Whether the folder can be read now; with `ask`, prompt the user (only works inside a click handler). */
export async function canRead(handle: FileSystemDirectoryHandle, ask: boolean): Promise<boolean> {
  const h: PermissionHandle = handle;
  if (!h.queryPermission) return true;
  if ((await h.queryPermission({ mode: 'read' })) === 'granted') return true;
  return ask && h.requestPermission ? (await h.requestPermission({ mode: 'read' })) === 'granted' : false;
}

/** Whether this browser can pick folders and keep access to them. */
export function canPickFolders(): boolean {
  return typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}
