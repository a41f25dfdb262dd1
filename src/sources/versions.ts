/**
 * Versioned output folders. A workspace target at `P` keeps its output in `P/_epoxy_v<n>/` (Hive folders
 * inside); the catalog table's Location names the version it registered, and `P/_epoxy_v<n>/_SUCCESS`
 * (written last, with the run id and the files) says the version is complete. A reader given `P` itself
 * (a path, a crawl) sees only the current version: the newest complete one. Half-written versions (a tab
 * killed mid-write) and replaced ones are invisible until they are cleaned up.
 */

/** The folder name of version `n`. */
export function versionFolder(n: number): string {
  return `_epoxy_v${n}`;
}

const VERSION = /^_epoxy_v(\d{1,9})$/;

/** The version number of a folder name, or null when it is not a version folder. */
export function versionNumber(name: string): number | null {
  const m = VERSION.exec(name);
  return m ? Number(m[1]) : null;
}

/** The commit marker of a version (ignored by every listing, like Spark's). */
export const COMMIT_MARKER = '_SUCCESS';

/** What the commit marker of a version holds: who wrote it and every file in it, with rows where known. */
export interface VersionManifest {
  runId: string;
  version: number;
  files: { path: string; rows: number | null; bytes: number }[];
}

/** Parse a commit marker; null when it is empty or not one (a write cut short). */
export function parseManifest(bytes: Uint8Array | null): VersionManifest | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as VersionManifest;
    return m && typeof m.version === 'number' && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/**
 * Keep the files a reader of the folder should see. `complete` lists the version folders (paths relative to
 * the listing, e.g. `lake/sales/_epoxy_v3`) that hold a commit marker. Per folder holding versions, only the
 * files of its newest complete version remain; files beside the versions (an output written before
 * versioning) remain only while no version is complete.
 */
export function currentVersionFiles<F extends { path: string }>(files: F[], complete: Iterable<string>): F[] {
  const current = new Map<string, number>();
  for (const folder of complete) {
    const parts = folder.split('/');
    const n = versionNumber(parts.at(-1) ?? '');
    if (n === null) continue;
    const parent = parts.slice(0, -1).join('/');
    if ((current.get(parent) ?? -1) < n) current.set(parent, n);
  }
  const parents = new Set(current.keys());
  for (const f of files) {
    const parts = f.path.split('/');
    parts.forEach((p, i) => { if (versionNumber(p) !== null) parents.add(parts.slice(0, i).join('/')); });
  }
  if (parents.size === 0) return files;
  return files.filter((f) => {
    const parts = f.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!parents.has(parent)) continue;
      const n = versionNumber(parts[i]!);
      const want = current.get(parent);
      if (n !== null) { if (n !== want) return false; continue; }
      if (want !== undefined) return false;
    }
    return true;
  });
}
