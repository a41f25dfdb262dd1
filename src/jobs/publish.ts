/**
 * Atomic publication of a workspace target. A run never touches the output readers see: it writes a new
 * version folder `P/_epoxy_v<n>/` (files named per run, the commit marker last), the caller commits the
 * catalog change that points the table at it together with the run record and the bookmark, and only then
 * are the replaced versions removed. A kill at any point leaves the old output or the new one, and the
 * catalog names a complete one. Append and dynamic partition overwrite carry the kept files of the current
 * version into the new one, so a version is always the whole output.
 *
 * The storage (OPFS in the tab, a folder in Node) is behind `OutputStore`; everything else is here.
 */
import { COMMIT_MARKER, parseManifest, versionFolder, versionNumber, type VersionManifest } from '../sources/versions';
import type { WriteMode } from './model';
import type { OutputFile } from './writers';
import { parsePartitionSegment } from '../crawler/partitions';

export type { WriteMode } from './model';

/** An entry of a folder of the store. */
export interface OutputEntry { name: string; kind: 'file' | 'directory'; size: number }

/** Where workspace targets live: the tab's OPFS or a folder on disk. Paths are '/'-separated. */
export interface OutputStore {
  /** The location a reader uses for a path (opfs://…, file://…). */
  location(path: string): string;
  /** The path of a location in this store, or null when it is elsewhere. */
  pathOf(location: string): string | null;
  /** The entries of a folder; none when it does not exist. */
  list(dir: string): Promise<OutputEntry[]>;
  /** A file's bytes, or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /** Write a file (folders created as needed). */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Copy a file (its bytes never change: a hard link will do). */
  copy(from: string, to: string): Promise<void>;
  /** Remove a file or folder with everything in it; a missing one is fine. */
  remove(path: string): Promise<void>;
  /**
   * Hold a target folder for one writer at a time (across tabs in the browser: a Web Lock the browser frees
   * when the tab dies). `wait: false` gives null at once when another writer holds it.
   */
  lock(dir: string, wait: boolean): Promise<(() => void) | null>;
}

/** A file of a version: relative to the version folder, rows when known (files carried over from before versioning: unknown). */
export interface VersionFile { path: string; rows: number | null; bytes: number }

/** A new version written and not yet published. */
export interface StagedOutput {
  /** The target folder, and the new version's folder and location (what the catalog registers). */
  base: string;
  folder: string;
  location: string;
  version: number;
  /** Every file of the new version: written by this run, then carried over. */
  files: VersionFile[];
  /** The files this run wrote (their paths as stored). */
  written: VersionFile[];
  kept: number;
  /** Make the version the output: remove what it replaces. Call once the catalog commit is done. */
  publish(): Promise<void>;
  /** Throw the version away (the run failed or its commit did): the previous output stays as it was. */
  discard(): Promise<void>;
}

export interface StageOptions {
  mode: WriteMode;
  partitionBy: string[];
  runId: string;
  /**
   * The location the catalog registers for this target now (read once the folder is held, so two runs
   * never build on the same version); undefined when nothing registers it: the newest complete version is
   * the current one.
   */
  registered?: () => Promise<string | null | undefined>;
}

const join = (...parts: string[]) => parts.filter(Boolean).join('/').replace(/\/{2,}/g, '/');

/** The short tag a run puts in its file names (part-00000-<tag>.parquet): unique per run, so appends never collide. */
export function runTag(runId: string): string {
  const hex = runId.replace(/^jr_/, '').replace(/[^A-Za-z0-9]/g, '');
  return (hex || 'run').slice(0, 12);
}

/** A writer's file name with the run's tag: `region=eu/part-00000.parquet` -> `region=eu/part-00000-<tag>.parquet`. */
export function taggedPath(path: string, tag: string): string {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dot = name.indexOf('.');
  const stem = dot < 0 ? name : name.slice(0, dot);
  return `${path.slice(0, slash + 1)}${stem}-${tag}${dot < 0 ? '' : name.slice(dot)}`;
}

/** What a target folder holds: its versions (with their markers) and anything beside them. */
interface FolderState {
  versions: { n: number; manifest: VersionManifest | null }[];
  /** The highest version number any entry is named with (a file or link so named must never be written through). */
  highest: number;
  /** Entries that are not versions (an output written before versioning), hidden ones left out. */
  legacy: OutputEntry[];
}

async function inspect(store: OutputStore, base: string): Promise<FolderState> {
  const versions: FolderState['versions'] = [];
  const legacy: OutputEntry[] = [];
  let highest = 0;
  for (const e of await store.list(base)) {
    highest = Math.max(highest, versionNumber(e.name) ?? 0);
    const n = e.kind === 'directory' ? versionNumber(e.name) : null;
    if (n !== null) versions.push({ n, manifest: parseManifest(await store.read(join(base, e.name, COMMIT_MARKER))) });
    else if (!e.name.startsWith('.')) legacy.push(e);
  }
  versions.sort((a, b) => a.n - b.n);
  return { versions, legacy, highest };
}

/** Which output of the folder is current: a version number, 'legacy' (files beside the versions), or null (nothing yet). */
function currentOf(store: OutputStore, base: string, state: FolderState, registered: string | null | undefined): number | 'legacy' | null {
  if (registered) {
    const path = store.pathOf(registered)?.replace(/\/+$/, '');
    if (path === base) return state.legacy.length ? 'legacy' : null;
    if (path && path.startsWith(base + '/')) {
      const n = versionNumber(path.slice(base.length + 1));
      if (n !== null && state.versions.some((v) => v.n === n)) return n;
    }
  }
  const complete = state.versions.filter((v) => v.manifest);
  if (complete.length) return complete.at(-1)!.n;
  return state.legacy.length ? 'legacy' : null;
}

/** Remove everything in the folder but its current output: half-written versions, replaced ones, and older files beside a current version. */
async function removeOrphans(store: OutputStore, base: string, state: FolderState, current: number | 'legacy' | null): Promise<string[]> {
  const removed: string[] = [];
  for (const v of state.versions) {
    if (v.n === current) continue;
    await store.remove(join(base, versionFolder(v.n)));
    removed.push(versionFolder(v.n));
  }
  if (typeof current === 'number') {
    for (const e of state.legacy) { await store.remove(join(base, e.name)); removed.push(e.name); }
  }
  return removed;
}

/** Every file under a folder, relative to it (hidden ones and markers left out). */
async function listTree(store: OutputStore, dir: string, prefix = ''): Promise<VersionFile[]> {
  const out: VersionFile[] = [];
  for (const e of await store.list(dir)) {
    if (e.name.startsWith('.') || e.name.startsWith(COMMIT_MARKER)) continue;
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.kind === 'directory') {
      if (!prefix && versionNumber(e.name) !== null) continue;
      out.push(...(await listTree(store, join(dir, e.name), path)));
    } else out.push({ path, rows: null, bytes: e.size });
  }
  return out;
}

/** The files of the current output, with rows where its marker says. */
async function currentFiles(store: OutputStore, base: string, state: FolderState, current: number | 'legacy' | null): Promise<{ dir: string; files: VersionFile[] }> {
  if (current === null) return { dir: base, files: [] };
  if (current === 'legacy') return { dir: base, files: await listTree(store, base) };
  const dir = join(base, versionFolder(current));
  const manifest = state.versions.find((v) => v.n === current)?.manifest;
  return { dir, files: manifest ? manifest.files : await listTree(store, dir) };
}

/**
 * The partition of a file (`region=eu/day=1`), given the number of partition levels, as decoded keys and values:
 * a folder written before issue 20 (`region=North East`) is the partition a new run writes as `region=North%20East`.
 */
function partitionFolder(path: string, levels: number): string {
  return JSON.stringify(path.split('/').slice(0, levels).map((segment) => { const { key, value } = parsePartitionSegment(segment); return [key, value]; }));
}

/**
 * Write a target's files as a new version of `base`, carrying over what the mode keeps (append: every file
 * of the current output; overwrite-partitions: the files of partitions this run did not write). Orphans
 * of earlier runs killed mid-write are removed first. The folder stays held until publish or discard.
 */
export async function stageOutput(store: OutputStore, base: string, files: OutputFile[], o: StageOptions): Promise<StagedOutput> {
  const release = (await store.lock(base, true))!;
  let folder: string | null = null;
  try {
    const state = await inspect(store, base);
    const current = currentOf(store, base, state, await o.registered?.());
    const { dir: fromDir, files: existing } = await currentFiles(store, base, state, current);
    await removeOrphans(store, base, state, current);
    const version = state.highest + 1;
    folder = join(base, versionFolder(version));
    const levels = o.partitionBy.length;
    const writtenFolders = new Set(files.map((f) => partitionFolder(f.path, levels)));
    const keep = o.mode === 'append' ? existing
      : o.mode === 'overwrite-partitions' && levels > 0 ? existing.filter((f) => !writtenFolders.has(partitionFolder(f.path, levels)))
      : [];
    const tag = runTag(o.runId);
    const written: VersionFile[] = [];
    for (const f of files) {
      const path = taggedPath(f.path, tag);
      await store.write(join(folder, path), f.bytes);
      written.push({ path, rows: f.rows, bytes: f.bytes.length });
    }
    for (const f of keep) await store.copy(join(fromDir, f.path), join(folder, f.path));
    const all = [...written, ...keep];
    const manifest: VersionManifest = { runId: o.runId, version, files: all };
    // The marker is written last: a version without it is half-written, and no reader ever sees it.
    await store.write(join(folder, COMMIT_MARKER), new TextEncoder().encode(JSON.stringify(manifest)));
    const done = folder;
    let settled = false;
    return {
      base, folder: done, location: store.location(done), version, files: all, written, kept: keep.length,
      async publish() {
        if (settled) return;
        settled = true;
        try {
          for (const e of await store.list(base)) {
            if (e.name === versionFolder(version) || e.name.startsWith('.')) continue;
            await store.remove(join(base, e.name));
          }
        } finally { release(); }
      },
      async discard() {
        if (settled) return;
        settled = true;
        try { await store.remove(done); } finally { release(); }
      },
    };
  } catch (err) {
    if (folder) await store.remove(folder).catch(() => undefined);
    release();
    throw err;
  }
}

/** A target folder to tidy at start, with the location the catalog registers for it (if any). */
export interface OutputFolder { base: string; registered?: string | null }

/**
 * Remove what runs killed mid-write (or mid-cleanup) left: in each folder nobody is writing right now,
 * every version but the current one (the registered one, else the newest complete one). Returns what
 * was removed, as `base/name`.
 */
export async function cleanupOutputs(store: OutputStore, folders: OutputFolder[]): Promise<string[]> {
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const f of folders) {
    const base = f.base.replace(/\/+$/, '');
    if (!base || seen.has(base)) continue;
    seen.add(base);
    const release = await store.lock(base, false);
    if (!release) continue;
    try {
      const state = await inspect(store, base);
      if (!state.versions.length) continue;
      const current = currentOf(store, base, state, f.registered);
      for (const name of await removeOrphans(store, base, state, current)) removed.push(`${base}/${name}`);
    } finally { release(); }
  }
  return removed;
}

/** The folder a registered location belongs to, when it is a version folder (`lake/sales/_epoxy_v3` -> `lake/sales`). */
export function versionBase(path: string): string | null {
  const parts = path.replace(/\/+$/, '').split('/');
  return parts.length > 1 && versionNumber(parts.at(-1)!) !== null ? parts.slice(0, -1).join('/') : null;
}

const OUTPUT_NAME = /(?:^|\/)part-\d{5}-([A-Za-z0-9]{1,12})\.[^/]*$/;

/**
 * Give the files a job wrote an identity that survives being carried into a new version: their names are
 * unique per run and their bytes never change, so name + size is what a bookmark should compare (a copy in
 * OPFS gets a new modification time, and would otherwise be read again as a new file).
 */
export function withOutputIdentity<F extends { path: string; size: number; etag?: string }>(files: F[]): F[] {
  return files.map((f) => {
    if (f.etag) return f;
    const m = OUTPUT_NAME.exec(f.path);
    return m ? { ...f, etag: `epoxy-${m[1]}-${f.size}` } : f;
  });
}
