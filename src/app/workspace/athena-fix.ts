import type { Catalog } from '../../catalog/store';
import type { FixAction } from '../../query/athena-session';
import { canRead, HandleStore } from '../../sources/handle-store';

/** The label of a fix button, as the view shows it ('' when there is nothing to click). */
export function fixLabel(action: FixAction): string {
  switch (action.kind) {
    case 'grant-folder': return 'Allow reading the folder again';
    case 'drop-files': return 'Drop the files again (Crawlers)';
    case 'paste-urls': return 'Paste fresh presigned URLs (Connections)';
    case 'run-job': return 'Run the job that writes it (Jobs)';
    case 'none': return '';
  }
}

/** Whether a kept folder (its handle's name) holds a `folder://` location: `folder://<name>` or below it. */
export function folderHolds(handleName: string, location: string): boolean {
  const root = `folder://${encodeURIComponent(handleName)}`;
  return location === root || location.startsWith(`${root}/`);
}

/**
 * Ask again for read access to the kept folder behind a `folder://` location (crawlers keep their folder's
 * handle under their name). Must run inside the click: browsers prompt only then. True once reading is allowed.
 */
export async function grantFolderFor(catalog: Catalog, location: string): Promise<boolean> {
  const store = await HandleStore.open();
  try {
    for (const crawler of await catalog.list('crawler')) {
      const handle = await store.get(crawler.Name);
      if (handle && folderHolds(handle.name, location)) return canRead(handle, true);
    }
    return false;
  } finally {
    store.close();
  }
}
