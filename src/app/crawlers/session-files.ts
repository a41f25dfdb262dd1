import type { ByteSource } from '../../sources/byte-source';
import type { DropTarget } from './drop';

/**
 * Files dropped in this session, by the location the catalog recorded for them (dropped://...). A dropped File
 * cannot be reopened after a reload, so jobs reading a crawled table look here and ask for the files again
 * when they are gone.
 */
const dropped = new Map<string, ByteSource[]>();

/** Remember the files of a crawled drop under its location prefix. */
export function rememberDroppedFiles(target: DropTarget): void {
  dropped.set(target.locationPrefix, target.sources);
}

/** The files under a catalog location (a table or partition folder, or a single file), if dropped in this session. */
export function droppedFilesAt(location: string): ByteSource[] | null {
  for (const [prefix, sources] of dropped) {
    if (location !== prefix && !location.startsWith(prefix + '/')) continue;
    const rel = location.slice(prefix.length).replace(/^\/+/, '');
    return sources.filter((s) => !rel || s.path === rel || s.path.startsWith(rel + '/'));
  }
  return null;
}
