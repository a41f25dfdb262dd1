import { describe, expect, it } from 'vitest';
import { withWriteMode, writeModeChoices } from '../../../../src/app/jobs/write-modes';
import type { TargetSpec } from '../../../../src/jobs/model';

describe('the Jobs editor\'s write mode control (issue 16 #3)', () => {
  it('names the default for the job: append when its bookmark is on, overwrite otherwise', () => {
    expect(writeModeChoices('job-bookmark-enable')[0]).toEqual({ value: '', label: 'Default: append (the job bookmark is on, so each run adds its new files)' });
    expect(writeModeChoices('job-bookmark-disable')[0]).toEqual({ value: '', label: 'Default: overwrite (the job bookmark is off)' });
    expect(writeModeChoices('job-bookmark-disable').map((c) => c.value)).toEqual(['', 'overwrite', 'append', 'overwrite-partitions']);
  });

  it('sets a mode on the target and clears it back to the default', () => {
    const t: TargetSpec = { type: 'workspace', path: 'lake/x', format: 'parquet' };
    expect(withWriteMode(t, 'overwrite-partitions')).toEqual({ ...t, mode: 'overwrite-partitions' });
    expect(withWriteMode({ ...t, mode: 'append' }, '')).toEqual(t);
  });
});
