import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, type Trigger } from '../../../src/catalog';
import type { JobDefinition, JobNode } from '../../../src/jobs/model';
import type { WorkflowDefinition } from '../../../src/share/pipeline';
import { BindingError } from '../../../src/share/review';
import { bindWorkflowJob, choiceProblems, conflictKey, freeName, workflowChanges, workflowConflicts, type ExistingObjects } from '../../../src/share/workflow';

const job = (name: string, target: JobNode = { id: 'out', kind: 'target', inputs: ['src'], target: { type: 's3', location: 's3://exfil/out', putUrls: 'http://127.0.0.1:9/x.csv', format: 'csv' } }): JobDefinition => ({
  version: 1, name, parameters: [], bookmark: 'job-bookmark-enable', maxRetries: 2,
  nodes: [{ id: 'src', kind: 'source', source: { type: 'table', name: 'salaries' } }, target],
});

const wf: WorkflowDefinition = {
  workflow: 'helpful',
  jobs: [job('daily'), job('weekly')],
  triggers: [
    { Name: 'nightly', Type: 'ON_DEMAND', Actions: [{ JobName: 'daily' }, { JobName: 'users_own' }], StartOnCreation: true, Tags: { x: 'y' }, Epoxy: { enabled: true, lease: 'x' } },
    { Name: 'after', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ JobName: 'daily', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'weekly' }] },
  ],
};
const mineNightly: Trigger = { Name: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'daily' }] };
const existing: ExistingObjects = { jobs: ['daily', 'daily_shared', 'users_own'], triggers: [mineNightly] };
const bound = (name: string) => bindWorkflowJob(job(name), { src: { kind: 'catalog', database: 'me', table: 'orders', location: 'dropped://me/orders' } }, { out: { kind: 'download' } });

describe('adding a shared workflow (issue 14: it silently replaced the user\'s job and trigger of the same name)', () => {
  it('lists same-named jobs and triggers as conflicts, each with a free name and who uses it', () => {
    expect(workflowConflicts(wf, existing)).toEqual([
      { kind: 'job', name: 'daily', suggestion: 'daily_shared_2', usedBy: ['nightly'] },
      { kind: 'trigger', name: 'nightly', suggestion: 'nightly_shared', usedBy: [] },
    ]);
    expect(workflowConflicts(wf, { jobs: [], triggers: [] })).toEqual([]);
    expect(freeName('a', new Set(['a_shared', 'a_shared_2']))).toBe('a_shared_3');
  });

  it('refuses to add while a conflict is open or a rename collides', () => {
    expect(choiceProblems(wf, existing, {})).toEqual([
      'Choose what to do with the job daily: rename the incoming one or replace yours',
      'Choose what to do with the trigger nightly: rename the incoming one or replace yours',
    ]);
    expect(choiceProblems(wf, existing, { 'job:daily': { action: 'rename', to: 'users_own' }, 'trigger:nightly': { action: 'replace' } })).toEqual(['You already have a job called users_own: pick another name for the incoming daily']);
    expect(choiceProblems(wf, existing, { 'job:daily': { action: 'rename', to: 'weekly' }, 'trigger:nightly': { action: 'replace' } })).toEqual(['The incoming jobs daily and weekly would both be called weekly']);
    expect(() => workflowChanges(wf, { daily: bound('daily'), weekly: bound('weekly') }, existing, {})).toThrow(BindingError);
  });

  it('renames the incoming job and trigger and rewrites the incoming triggers that refer to them; triggers arrive disabled', () => {
    const changes = workflowChanges(wf, { daily: bound('daily'), weekly: bound('weekly') }, existing, {
      [conflictKey('job', 'daily')]: { action: 'rename', to: 'daily_v2' },
      [conflictKey('trigger', 'nightly')]: { action: 'rename', to: 'nightly_v2' },
    });
    expect(changes.map((c) => (c.op === 'putObject' ? `${c.kind}:${(c.value as { Name: string }).Name}` : c.op))).toEqual(['job:daily_v2', 'job:weekly', 'trigger:nightly_v2', 'trigger:after']);
    const [, , nightly, after] = changes.map((c) => (c.op === 'putObject' ? c.value as Trigger : null));
    // The user's own job users_own stays the target of its action; only the workflow's own jobs follow the rename.
    expect(nightly).toEqual({ Name: 'nightly_v2', Type: 'ON_DEMAND', Actions: [{ JobName: 'daily_v2' }, { JobName: 'users_own' }], Epoxy: { enabled: false } });
    expect(after).toEqual({ Name: 'after', Type: 'CONDITIONAL', Predicate: { Logical: 'AND', Conditions: [{ JobName: 'daily_v2', State: 'SUCCEEDED' }] }, Actions: [{ JobName: 'weekly' }], Epoxy: { enabled: false } });
    const stored = JSON.stringify(changes);
    expect(stored).not.toContain('salaries');
    expect(stored).not.toContain('127.0.0.1');
    expect(stored).toContain('"database":"me","table":"orders"');
  });

  it('replaces only when chosen, in one commit that leaves everything else of the user\'s alone', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory() });
    const own = bound('users_own');
    await catalog.commit([
      { op: 'putObject', kind: 'job', value: { Name: 'daily', Command: { Name: 'glueetl' }, Epoxy: { definition: own, bookmark: { jobName: 'daily', runId: 'r1', sources: {}, history: [] } } } },
      { op: 'putObject', kind: 'job', value: { Name: 'users_own', Command: { Name: 'glueetl' }, Epoxy: { definition: own } } },
      { op: 'putObject', kind: 'trigger', value: mineNightly },
    ]);
    const mineNow: ExistingObjects = { jobs: (await catalog.list('job')).map((j) => j.Name), triggers: await catalog.list('trigger') };
    const changes = workflowChanges(wf, { daily: bound('daily'), weekly: bound('weekly') }, mineNow, {
      'job:daily': { action: 'replace' }, 'trigger:nightly': { action: 'rename', to: 'nightly_shared' },
    }, { daily: { jobName: 'daily', runId: 'r1', sources: {}, history: [] } });
    await catalog.commit(changes);
    const daily = await catalog.get('job', 'daily');
    expect((daily.Epoxy?.['definition'] as JobDefinition).nodes[0]).toEqual({ id: 'src', kind: 'source', source: { type: 'catalog', database: 'me', table: 'orders' } });
    expect(daily.Epoxy?.['bookmark']).toMatchObject({ runId: 'r1' });
    // The replaced job is a new version; the user's own definition is kept in its history, restorable.
    expect(daily.VersionId).toBe('1');
    const history = await catalog.getObjectVersions('job', 'daily');
    expect(history.map((v) => v.VersionId)).toEqual(['1', '0']);
    expect((history[1]!.Value.Epoxy?.['definition'] as JobDefinition).name).toBe('users_own');
    expect(await catalog.get('trigger', 'nightly')).toEqual({ ...mineNightly, VersionId: '0' });
    expect((await catalog.get('trigger', 'nightly_shared')).Epoxy).toEqual({ enabled: false });
    expect((await catalog.get('job', 'users_own')).Epoxy?.['definition']).toEqual(own);
    catalog.close();
  });

  it('binds workflow jobs only to the user\'s catalog tables, keeping safe run settings', () => {
    expect(() => bindWorkflowJob(job('daily'), { src: { kind: 'files', location: 'dropped://x', label: '', files: [] } }, { out: { kind: 'download' } })).toThrow('a stored job can read only one of your catalog tables');
    expect(() => bindWorkflowJob(job('daily'), {}, { out: { kind: 'download' } })).toThrow('Input src has nothing to read');
    expect(bound('daily')).toMatchObject({ bookmark: 'job-bookmark-enable', maxRetries: 2, nodes: [{ source: { type: 'catalog' } }, { target: { type: 'download', format: 'csv' } }] });
  });
});
