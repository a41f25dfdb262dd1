import type { BookmarkOption } from '../../jobs/bookmarks';
import { WRITE_MODES, type TargetSpec, type WriteMode } from '../../jobs/model';

const LABEL: Record<WriteMode, string> = {
  overwrite: 'Overwrite: replace the previous output',
  append: 'Append: keep the files of earlier runs',
  'overwrite-partitions': 'Overwrite only the partitions written (dynamic)',
};

/** The choices of the editor's write mode control: the default (named with what it means for this job), then each mode. */
export function writeModeChoices(bookmark: BookmarkOption): { value: WriteMode | ''; label: string }[] {
  const fallback: WriteMode = bookmark === 'job-bookmark-enable' ? 'append' : 'overwrite';
  const why = fallback === 'append' ? 'the job bookmark is on, so each run adds its new files' : 'the job bookmark is off';
  return [{ value: '', label: `Default: ${fallback} (${why})` }, ...WRITE_MODES.map((m) => ({ value: m, label: LABEL[m] }))];
}

/** The target with a write mode chosen ('' clears it back to the default). */
export function withWriteMode(target: TargetSpec, value: string): TargetSpec {
  const { mode: _old, ...rest } = target;
  return WRITE_MODES.includes(value as WriteMode) ? { ...rest, mode: value as WriteMode } as TargetSpec : rest as TargetSpec;
}
