import { openDB, type IDBPDatabase } from 'idb';

/**
 * Folders picked with the File System Access API, kept so a crawler can read them again later (a handle
 * survives reloads in IndexedDB; reading it again needs the user's permission, asked on a click).
 * Kept apart from the catalog: a handle is local to this browser and must never be exported or shared.
 */
export class HandleStore {
  private constructor(private readonly db: IDBPDatabase) {}

  static async open(name = 'epoxy-handles'): Promise<HandleStore> {
    return new HandleStore(await openDB(name, 1, { upgrade: (d) => { d.createObjectStore('handles'); } }));
  }

  async get(key: string): Promise<FileSystemDirectoryHandle | undefined> {
    return (await this.db.get('handles', key)) as FileSystemDirectoryHandle | undefined;
  }

  async put(key: string, handle: FileSystemDirectoryHandle): Promise<void> {
    await this.db.put('handles', handle, key);
  }

  async delete(key: string): Promise<void> {
    await this.db.delete('handles', key);
  }

  close(): void {
    this.db.close();
  }
}

type PermissionHandle = FileSystemDirectoryHandle & {
  queryPermission?(o: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(o: { mode: 'read' }): Promise<PermissionState>;
};

/** Whether the folder can be read now; with `ask`, prompt the user (only works inside a click handler). */
export async function canRead(handle: FileSystemDirectoryHandle, ask: boolean): Promise<boolean> {
  const h = handle as PermissionHandle;
  if (!h.queryPermission) return true;
  if ((await h.queryPermission({ mode: 'read' })) === 'granted') return true;
  return ask && h.requestPermission ? (await h.requestPermission({ mode: 'read' })) === 'granted' : false;
}

/** Whether this browser can pick folders and keep access to them. */
export function canPickFolders(): boolean {
  return typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}
