import { describe, expect, it } from 'vitest';
import { CatalogError, ConcurrentModificationError, type TableInput, type Trigger } from '../../../../src/catalog';
import { conflictError, conflictOf, withColumn } from '../../../../src/app/catalog/conflict';
import { formFromTrigger, triggerFromForm } from '../../../../src/app/schedules/trigger-form';

describe('edit conflicts (UI helpers)', () => {
  it('recognizes a ConcurrentModificationException and nothing else', () => {
    const err = new ConcurrentModificationError('job', 'j', '2', '1', 'Job j was changed in another tab (now version 2, you edited version 1).');
    expect(conflictError(err)).toBe(err);
    expect(conflictError(new CatalogError('InvalidInputException', 'bad'))).toBeNull();
    expect(conflictError(new Error('x'))).toBeNull();
    expect(conflictError(null)).toBeNull();
  });

  it('keeps the edit and reads what won; a deleted object has no "theirs"', async () => {
    const err = new ConcurrentModificationError('trigger', 't', '3', '1', 'changed');
    expect(await conflictOf(err, { a: 'mine' }, async () => ({ value: { a: 'theirs' }, versionId: '4' }))).toEqual({ message: 'changed', mine: { a: 'mine' }, theirs: { a: 'theirs' }, theirsVersionId: '4' });
    expect(await conflictOf(err, { a: 'mine' }, async () => null)).toEqual({ message: 'changed', mine: { a: 'mine' }, theirs: null, theirsVersionId: null });
    expect((await conflictOf(err, 1, async () => { throw new Error('gone'); })).theirs).toBeNull();
  });

  it('applies a column edit to the version it was made on', () => {
    const t: TableInput = { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'int', Comment: 'old' }, { Name: 'b', Type: 'string' }], Location: 's3://x/' } };
    expect(withColumn(t, 0, { Name: ' a ', Type: ' bigint ', Comment: '  ' }).StorageDescriptor).toEqual({ Columns: [{ Name: 'a', Type: 'bigint' }, { Name: 'b', Type: 'string' }], Location: 's3://x/' });
    expect(withColumn(t, 1, { Name: 'b', Type: 'string', Comment: 'new' }).StorageDescriptor!.Columns![1]).toEqual({ Name: 'b', Type: 'string', Comment: 'new' });
    expect(t.StorageDescriptor!.Columns![0]!.Comment).toBe('old');
  });

  it('edits a stored trigger through the form without dropping what the form does not show', () => {
    const stored: Trigger = {
      Name: 'after', Type: 'CONDITIONAL', WorkflowName: 'nightly', Description: 'kept', Tags: { team: 'data' }, VersionId: '3',
      Predicate: { Logical: 'ANY', Conditions: [{ LogicalOperator: 'EQUALS', JobName: 'a', State: 'FAILED' }] },
      Actions: [{ JobName: 'b', Arguments: { '--day': 'x' } }], Epoxy: { enabled: false, custom: 1 },
    };
    const form = formFromTrigger(stored);
    expect(form).toMatchObject({ name: 'after', type: 'CONDITIONAL', workflow: 'nightly', logical: 'ANY', conditions: [{ target: 'job:a', state: 'FAILED' }], actions: ['job:b'], enabled: false });
    const built = triggerFromForm({ ...form, logical: 'AND' }, stored);
    expect(built).toEqual({ ok: true, trigger: { ...stored, VersionId: undefined, Schedule: undefined, Predicate: { ...stored.Predicate, Logical: 'AND' }, Epoxy: { enabled: false, custom: 1, missedPolicy: 'run-once' } } });
  });
});
