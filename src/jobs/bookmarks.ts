/** Glue's job bookmark option (the `--job-bookmark-option` argument). */
export type BookmarkOption = 'job-bookmark-enable' | 'job-bookmark-disable' | 'job-bookmark-pause';

import type { FileMark } from '../query/locations';

/** What identifies a version of an input file: a changed size, modification time or ETag means "new" (query/'s FileMark). */
export type { FileMark };

/** The processed files of one source of a job, keyed by its transformation_ctx (as in Glue). */
export interface SourceBookmark {
  files: Record<string, FileMark>;
}

/** A job's bookmark: its state after the last successful run, plus earlier states for rewind. */
export interface JobBookmark {
  jobName: string;
  /** Run id of the run that produced this state ('' for a fresh bookmark). */
  runId: string;
  sources: Record<string, SourceBookmark>;
  /** Earlier states, newest first, for rewinding to a previous run. */
  history: { runId: string; sources: Record<string, SourceBookmark> }[];
}

/** A bookmark that has processed nothing. */
export function emptyBookmark(jobName: string): JobBookmark {
  return { jobName, runId: '', sources: {}, history: [] };
}

function sameVersion(a: FileMark, b: FileMark): boolean {
  if (a.etag && b.etag) return a.etag === b.etag;
  return a.size === b.size && (a.lastModified ?? 0) === (b.lastModified ?? 0);
}

/**
 * The files a run should read from one source. Enabled and paused bookmarks skip files already processed
 * in the same version (path + ETag, or path + size + mtime); disabled bookmarks read everything.
 */
export function selectFiles<F extends FileMark>(option: BookmarkOption, bookmark: JobBookmark, ctx: string, files: F[]): { read: F[]; skipped: F[] } {
  if (option === 'job-bookmark-disable') return { read: [...files], skipped: [] };
  const seen = bookmark.sources[ctx]?.files ?? {};
  const read: F[] = [];
  const skipped: F[] = [];
  for (const f of files) {
    const prior = seen[f.path];
    (prior && sameVersion(prior, f) ? skipped : read).push(f);
  }
  return { read, skipped };
}

/**
 * The bookmark after a successful run. Only `enable` moves it: `pause` reads incrementally but leaves the
 * bookmark where it was, and `disable` neither reads nor writes it (Glue semantics). Failed runs never call this.
 */
export function advanceBookmark(option: BookmarkOption, bookmark: JobBookmark, runId: string, processed: Record<string, FileMark[]>, keepHistory = 20): JobBookmark {
  if (option !== 'job-bookmark-enable') return bookmark;
  const sources: Record<string, SourceBookmark> = structuredClone(bookmark.sources);
  for (const [ctx, files] of Object.entries(processed)) {
    const entry = (sources[ctx] ??= { files: {} });
    for (const f of files) entry.files[f.path] = { path: f.path, size: f.size, lastModified: f.lastModified, etag: f.etag };
  }
  const history = bookmark.runId || Object.keys(bookmark.sources).length ? [{ runId: bookmark.runId, sources: bookmark.sources }, ...bookmark.history] : bookmark.history;
  return { jobName: bookmark.jobName, runId, sources, history: history.slice(0, keepHistory) };
}

/** Forget everything: the next run reprocesses all files (Glue's ResetJobBookmark). */
export function resetBookmark(bookmark: JobBookmark): JobBookmark {
  return emptyBookmark(bookmark.jobName);
}

/** Go back to the state right after `runId`, so later runs' files are processed again. */
export function rewindBookmark(bookmark: JobBookmark, runId: string): JobBookmark {
  if (bookmark.runId === runId) return bookmark;
  const i = bookmark.history.findIndex((h) => h.runId === runId);
  if (i < 0) throw new Error(`The bookmark of ${bookmark.jobName} has no state after run ${runId}`);
  const target = bookmark.history[i]!;
  return { jobName: bookmark.jobName, runId: target.runId, sources: target.sources, history: bookmark.history.slice(i + 1) };
}
