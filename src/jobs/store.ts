/**
 * A job in the Data Catalog is a Glue `Job`: Glue's own fields carry what Glue knows (DefaultArguments with
 * `--job-bookmark-option` and `--<param>`, MaxRetries, Timeout, ExecutionProperty) and `Epoxy.definition`
 * carries the DAG; `Epoxy.bookmark` the bookmark state. The bookmark is run state: the catalog never versions
 * it, and moving it (every run) leaves the job's VersionId alone, so a run never invalidates an open editor.
 */
import type { Catalog, VersionCheck } from '../catalog/store';
import type { Job, JobRun } from '../catalog/glue-types';
import { diffObjects, type PropertyDiff } from '../catalog/versions';
import { emptyBookmark, resetBookmark, rewindBookmark, type JobBookmark } from './bookmarks';
import { DEFAULT_TIMEOUT_MINUTES, type JobDefinition } from './model';

/** The Glue Job record of a definition (the bookmark state is kept as given). */
export function toGlueJob(def: JobDefinition, bookmark?: JobBookmark): Job {
  const DefaultArguments: Record<string, string> = { '--job-bookmark-option': def.bookmark, '--job-language': 'python' };
  for (const p of def.parameters) DefaultArguments[`--${p.name}`] = p.default;
  const job: Job = {
    Name: def.name,
    Command: { Name: 'glueetl', ScriptLocation: `epoxy://jobs/${def.name}.py`, PythonVersion: '3' },
    DefaultArguments,
    MaxRetries: def.maxRetries ?? 0,
    Timeout: def.timeout ?? DEFAULT_TIMEOUT_MINUTES,
    ExecutionProperty: { MaxConcurrentRuns: def.maxConcurrentRuns ?? 1 },
    GlueVersion: '4.0',
    Epoxy: { definition: def, ...(bookmark ? { bookmark } : {}) },
  };
  if (def.description) job.Description = def.description;
  return job;
}

/** The definition a Glue Job carries; Glue fields win where both say something (an edit through Glue JSON). */
export function fromGlueJob(job: Job): JobDefinition {
  const def = (job.Epoxy?.definition ?? null) as JobDefinition | null;
  if (!def) throw new Error(`Job ${job.Name} has no Epoxy definition (it was imported from Glue without its DAG)`);
  const args = job.DefaultArguments ?? {};
  const bookmark = args['--job-bookmark-option'];
  return {
    ...def,
    name: job.Name,
    parameters: def.parameters.map((p) => ({ ...p, default: args[`--${p.name}`] ?? p.default })),
    bookmark: bookmark === 'job-bookmark-enable' || bookmark === 'job-bookmark-pause' || bookmark === 'job-bookmark-disable' ? bookmark : def.bookmark,
    timeout: job.Timeout ?? def.timeout,
    maxRetries: job.MaxRetries ?? def.maxRetries,
    maxConcurrentRuns: job.ExecutionProperty?.MaxConcurrentRuns ?? def.maxConcurrentRuns,
  };
}

/**
 * Save a definition; the catalog keeps the bookmark it holds for the job. With `expectedVersionId` (what the
 * editor loaded; null for a new job) a job changed in another tab fails with ConcurrentModificationException.
 * Returns the job's VersionId now (unchanged when the definition was identical).
 */
export async function saveJob(catalog: Catalog, def: JobDefinition, check: VersionCheck = {}): Promise<string> {
  return catalog.put('job', toGlueJob(def), check);
}

/** The definition a job record shows a reader: its JobDefinition, or the raw record when it has none (Glue import). */
export function jobView(job: Job): JobDefinition | Job {
  try { return fromGlueJob(job); } catch { return job; }
}

/** Field-by-field differences of two versions of a job, over their definitions (`nodes[filter_1].step.params...`). */
export function diffJobs(left: Job, right: Job): PropertyDiff[] {
  return diffObjects(jobView(left), jobView(right));
}

/** Load a job's definition from the catalog. */
export async function loadJob(catalog: Catalog, name: string): Promise<JobDefinition> {
  return fromGlueJob(await catalog.get('job', name));
}

/** The job's bookmark state (empty when it never ran with bookmarks enabled). */
export async function loadBookmark(catalog: Catalog, name: string): Promise<JobBookmark> {
  const job = await catalog.get('job', name).catch(() => null);
  return (job?.Epoxy?.bookmark as JobBookmark | undefined) ?? emptyBookmark(name);
}

/**
 * Store a bookmark state. Only the bookmark is written, inside the transaction (an edit saved while the run
 * was going is kept, and is not made a conflict). When `run` is given, the run record is written in the same
 * transaction: a run is SUCCEEDED exactly when its bookmark moved.
 */
export async function storeBookmark(catalog: Catalog, name: string, bookmark: JobBookmark, run?: JobRun): Promise<void> {
  await catalog.commit([
    { op: 'setJobBookmark', jobName: name, bookmark },
    ...(run ? [{ op: 'putJobRun' as const, run }] : []),
  ]);
}

/** Glue's ResetJobBookmark: the next run processes every file again. */
export async function resetJobBookmark(catalog: Catalog, name: string): Promise<void> {
  await storeBookmark(catalog, name, resetBookmark(await loadBookmark(catalog, name)));
}

/** Rewind the bookmark to the state right after `runId`: files of later runs are processed again. */
export async function rewindJobBookmark(catalog: Catalog, name: string, runId: string): Promise<void> {
  await storeBookmark(catalog, name, rewindBookmark(await loadBookmark(catalog, name), runId));
}
