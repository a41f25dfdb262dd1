import { afterEach, describe, expect, it } from 'vitest';
import type { Trigger } from '../../../../src/catalog';
import { MAX_CONCURRENCY } from '../../../../src/scheduler/executor';
import { saveJob } from '../../../../src/jobs/store';
import { models, testApp, type TestApp } from '../support';

type Model = ReturnType<typeof models.schedules>;
const running: Model[] = [];
afterEach(() => { for (const m of running.splice(0)) m.stop(); });

/** A started scheduler over a fresh app, with the Schedules view showing (its lists kept fresh). */
async function started(seed: (app: TestApp) => Promise<void> = async () => undefined): Promise<{ app: TestApp; model: Model }> {
  const app = await testApp();
  await seed(app);
  const model = models.schedules(app);
  running.push(model);
  await model.start();
  expect(model.status).toBe('ready');
  model.attach();
  await model.refresh();
  return { app, model };
}

const onDemand = (name: string, job: string, extra: Partial<Trigger> = {}): Trigger => ({ Name: name, Type: 'ON_DEMAND', Actions: [{ JobName: job }], ...extra });
const whenDone = (name: string, watch: string, start: string, workflow = 'nightly'): Trigger => ({
  Name: name, Type: 'CONDITIONAL', WorkflowName: workflow, Actions: [{ JobName: start }],
  Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', JobName: watch, State: 'SUCCEEDED' }] },
});

describe('the Schedules model: lists', () => {
  it('lists triggers by name, the jobs and crawlers they can start, once the view shows', async () => {
    const { model } = await started(async (app) => {
      await app.catalog.put('trigger', onDemand('zz-last', 'clean'));
      await app.catalog.put('trigger', onDemand('aa-first', 'clean'));
      await saveJob(app.catalog, { version: 1, name: 'clean', nodes: [], parameters: [], bookmark: 'job-bookmark-disable', maxConcurrentRuns: 4 });
      await app.catalog.put('crawler', { Name: 'raw', Role: '', DatabaseName: 'lake', Targets: {} });
    });
    expect(model.triggers.map((t) => t.Name)).toEqual(['aa-first', 'zz-last']);
    expect(model.targets()).toEqual(['job:clean', 'crawler:raw']);
    expect(model.maxConcurrentRuns('job', 'clean')).toBe(4);
    expect(model.maxConcurrentRuns('job', 'unknown')).toBe(1);
    expect(model.maxConcurrentRuns('crawler', 'raw')).toBe(1);
  });

  it('groups workflow triggers into workflows with their graph and problems', async () => {
    const { model } = await started(async (app) => {
      await app.catalog.put('trigger', onDemand('start', 'A', { WorkflowName: 'nightly' }));
      await app.catalog.put('trigger', whenDone('after-a', 'A', 'B'));
      await app.catalog.put('trigger', onDemand('alone', 'C'));
    });
    const [wf, ...none] = model.workflows();
    expect(none).toEqual([]);
    expect(wf).toMatchObject({ name: 'nightly', problems: [] });
    expect(wf!.triggers.map((t) => t.Name)).toEqual(['after-a', 'start']);
    expect(wf!.edges).toEqual([['trigger:after-a', 'job:B'], ['job:A', 'trigger:after-a'], ['trigger:start', 'job:A']]);
  });
});

describe('the Schedules model: the trigger form', () => {
  it('saves a new trigger from the form as the view fills it (a deep $state proxy: only plain values reach IndexedDB)', async () => {
    const { app, model } = await started(async (a) => { await saveJob(a.catalog, { version: 1, name: 'clean', nodes: [], parameters: [], bookmark: 'job-bookmark-disable' }); });
    model.beginNew();
    const f = model.form!;
    f.name = 'nightly-start';
    f.workflow = 'nightly';
    f.actions.push('job:clean');
    f.missedPolicy = 'skip';
    expect(await model.saveForm()).toBe(true);
    expect(model.formError).toBeNull();
    expect(model.form).toBeNull();
    expect(await app.catalog.get('trigger', 'nightly-start')).toMatchObject({
      Name: 'nightly-start', Type: 'SCHEDULED', WorkflowName: 'nightly', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'clean' }], Epoxy: { missedPolicy: 'skip', enabled: true },
    });
    expect(model.triggers.map((t) => t.Name)).toEqual(['nightly-start']);
  });

  it('says why a form cannot be saved: nothing to start, a bad schedule, a conditional trigger without conditions', async () => {
    const { app, model } = await started();
    model.beginNew();
    model.form!.name = 'x';
    expect(await model.saveForm()).toBe(false);
    expect(model.formError).toBe('Choose at least one job or crawler to start');
    model.form!.actions.push('job:clean');
    model.form!.schedule = 'cron(0 2 * * * *)';
    expect(await model.saveForm()).toBe(false);
    expect(model.formError).toMatch(/Use \? in exactly one of Day-of-month and Day-of-week/);
    model.form!.type = 'CONDITIONAL';
    expect(await model.saveForm()).toBe(false);
    expect(model.formError).toBe('A conditional trigger needs at least one condition');
    expect(await app.catalog.list('trigger')).toEqual([]);
  });

  it('refuses a trigger that would close a loop in its workflow, showing the loop (checked on the graph, not on a message)', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.put('trigger', whenDone('after-b', 'B', 'A')); });
    model.beginNew();
    Object.assign(model.form!, { name: 'after-a', type: 'CONDITIONAL', workflow: 'nightly', conditions: [{ target: 'job:A', state: 'SUCCEEDED' }], actions: ['job:B'] });
    expect(await model.saveForm()).toBe(false);
    expect(model.formError).toBe('The workflow has a cycle: trigger:after-b -> job:A -> trigger:after-a -> job:B -> trigger:after-b');
    expect((await app.catalog.list('trigger')).map((t) => t.Name)).toEqual(['after-b']);
    // In another workflow the same trigger closes no loop.
    model.form!.workflow = 'other';
    expect(await model.saveForm()).toBe(true);
  });

  it('edits a trigger at the version it showed: no rename; another tab\'s save is a conflict; "save mine" wins and keeps theirs', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.put('trigger', onDemand('manual', 'clean', { Description: 'kept' })); });
    model.beginEdit(model.triggers[0]!);
    expect(model.editing).toMatchObject({ name: 'manual', versionId: '0' });
    model.form!.name = 'renamed';
    expect(await model.saveForm()).toBe(false);
    expect(model.formError).toBe('A trigger cannot be renamed (Glue names it for good): create a new one instead');
    model.form!.name = 'manual';
    model.form!.actions = ['job:clean', 'job:report'];
    await app.catalog.put('trigger', onDemand('manual', 'clean', { Description: 'theirs' }), { expectedVersionId: '0' });
    expect(await model.saveForm()).toBe(false);
    expect(model.conflict).toMatchObject({ mine: { Actions: [{ JobName: 'clean' }, { JobName: 'report' }] }, theirs: { Description: 'theirs' }, theirsVersionId: '1' });
    expect(model.form).not.toBeNull();
    expect(await model.saveMineAnyway()).toBe(true);
    const stored = await app.catalog.get('trigger', 'manual');
    // What the form does not show is kept from the version the form was opened on.
    expect(stored).toMatchObject({ Description: 'kept', Actions: [{ JobName: 'clean' }, { JobName: 'report' }], VersionId: '2' });
    expect((await app.catalog.getObjectVersions('trigger', 'manual')).map((v) => v.Value.Description)).toContain('theirs');
  });

  it('reloads the stored trigger into the form when the user takes theirs', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.put('trigger', onDemand('manual', 'clean')); });
    model.beginEdit(model.triggers[0]!);
    model.form!.actions = ['job:other'];
    await app.catalog.put('trigger', onDemand('manual', 'theirs'), { expectedVersionId: '0' });
    await model.saveForm();
    model.reloadTheirs();
    expect(model.form?.actions).toEqual(['job:theirs']);
    expect(model.editing?.versionId).toBe('1');
    expect(model.conflict).toBeNull();
  });
});

describe('the Schedules model: trigger actions', () => {
  it('turns a trigger off as a new version, and refuses to delete one that changed since the list showed it', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.put('trigger', onDemand('manual', 'clean')); });
    const shown = model.triggers[0]!;
    await model.setEnabled(shown, false);
    expect(model.error).toBeNull();
    expect(await app.catalog.get('trigger', 'manual')).toMatchObject({ VersionId: '1', Epoxy: { enabled: false } });
    await model.deleteTrigger(shown);
    expect(model.error).toMatch(/changed in another tab/);
    expect(model.triggers.map((t) => t.Name)).toEqual(['manual']);
    await model.deleteTrigger(model.triggers[0]!);
    expect(model.triggers).toEqual([]);
  });

  it('shows a trigger\'s kept versions and restores one as a new version', async () => {
    const { app, model } = await started(async (a) => {
      await a.catalog.put('trigger', onDemand('manual', 'first'));
      await a.catalog.put('trigger', onDemand('manual', 'second'), { expectedVersionId: '0' });
    });
    await model.toggleHistory('manual');
    expect(model.historyOf).toBe('manual');
    expect(model.history.map((v) => v.VersionId)).toEqual(['1', '0']);
    await model.restoreTrigger('manual', '0');
    expect(model.error).toBeNull();
    expect(await app.catalog.get('trigger', 'manual')).toMatchObject({ VersionId: '2', Actions: [{ JobName: 'first' }] });
    await model.toggleHistory('manual');
    expect(model.historyOf).toBeNull();
  });

  it('keeps the runs-at-a-time limit within bounds', async () => {
    const { model } = await started();
    await model.setConcurrency(1000);
    expect(model.concurrency).toBe(MAX_CONCURRENCY);
    await model.setConcurrency(0);
    expect(model.concurrency).toBe(1);
  });

  it('fires a trigger: the app\'s job runner runs the job on the engine and the run is listed when it ends', async () => {
    const { app, model } = await started(async (a) => {
      await a.openTable('sched_orders', "SELECT * FROM (VALUES (1, 'eu'), (2, 'us')) t(id, region)");
      await saveJob(a.catalog, {
        version: 1, name: 'export', parameters: [], bookmark: 'job-bookmark-disable',
        nodes: [
          { id: 'orders', kind: 'source', source: { type: 'table', name: 'sched_orders' } },
          { id: 'out', kind: 'target', inputs: ['orders'], target: { type: 'download', format: 'csv' } },
        ],
      });
      await a.catalog.put('trigger', onDemand('now', 'export'));
    });
    expect(model.isExecutor).toBe(true);
    await model.fire('now');
    expect(model.error).toBeNull();
    await expect.poll(() => model.jobRuns.map((r) => r.JobRunState), { timeout: 30_000 }).toEqual(['SUCCEEDED']);
    expect(model.jobRuns[0]).toMatchObject({ JobName: 'export', TriggerName: 'now' });
    await expect.poll(() => model.queue.length).toBe(0);
    expect((await app.catalog.getJobRuns('export')).map((r) => r.JobRunState)).toEqual(['SUCCEEDED']);
  });

  it('says when a trigger to fire is gone', async () => {
    const { model } = await started();
    await model.fire('missing');
    expect(model.error).toBe('No trigger named missing');
  });
});
