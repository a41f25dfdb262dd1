import { describe, expect, it } from 'vitest';
import type { JobNode } from '../../../../src/jobs/model';
import { fromGlueJob, saveJob } from '../../../../src/jobs/store';
import { models, testApp, type TestApp } from '../support';

const ORDERS = "SELECT * FROM (VALUES (1, 'eu', 10.5::DOUBLE), (2, 'us', 3.25), (3, 'eu', 7.0)) t(id, region, amount)";

/** A started Jobs model over a fresh app with `orders` open in the workspace. */
async function started(): Promise<{ app: TestApp; model: ReturnType<typeof models.jobs> }> {
  const app = await testApp();
  await app.openTable('orders', ORDERS);
  const model = models.jobs(app);
  await model.start();
  expect(model.status).toBe('ready');
  return { app, model };
}

/** A draft `name` reading orders through one Filter into a download target, its source previewed. */
async function draft(model: ReturnType<typeof models.jobs>, name = 'orders_job'): Promise<void> {
  expect(model.create(name)).toBe(true);
  model.addSource('table:orders');
  await expect.poll(() => model.preview?.nodeId).toBe('orders_1');
  model.addTransform('Filter');
  await expect.poll(() => model.preview?.nodeId).toBe('filter_1');
  model.addTarget({ type: 'download', format: 'parquet' });
}

describe('the Jobs model: the job list and new drafts', () => {
  it('lists the saved jobs, sorted, and the catalog\'s tables', async () => {
    const app = await testApp();
    await app.catalog.createDatabase({ Name: 'lake' });
    await app.catalog.createTable('lake', { Name: 'events', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: 'opfs://lake/events' } });
    for (const name of ['zeta', 'alpha']) await saveJob(app.catalog, { version: 1, name, nodes: [], parameters: [], bookmark: 'job-bookmark-disable' });
    const model = models.jobs(app);
    await model.start();
    expect(model.jobs).toEqual(['alpha', 'zeta']);
    expect(model.tables.map((t) => `${t.DatabaseName}.${t.Name}`)).toEqual(['lake.events']);
    expect(model.openTables).toEqual([]);
  });

  it('refuses an empty name, a saved job\'s name and the open draft\'s name, saying which', async () => {
    const { app, model } = await started();
    await saveJob(app.catalog, { version: 1, name: 'nightly', nodes: [], parameters: [], bookmark: 'job-bookmark-disable' });
    await model.refresh();
    expect(model.create('  ')).toBe(false);
    expect(model.error).toBe('Give the job a name');
    expect(model.create('nightly')).toBe(false);
    expect(model.error).toBe('A job called nightly exists already');
    expect(model.create(' fresh ')).toBe(true);
    expect(model.error).toBeNull();
    expect(model.def).toMatchObject({ name: 'fresh', nodes: [] });
    expect(model.dirty).toBe(true);
    expect(model.create('fresh')).toBe(false);
    expect(model.error).toBe('A job called fresh is open already (not saved yet)');
  });
});

describe('the Jobs model: editing the DAG', () => {
  it('previews a source as soon as it is added, fills a step from the schema it reads, and names a download after its frame', async () => {
    const { model } = await started();
    expect(model.create('orders_job')).toBe(true);
    model.addSource('table:orders');
    expect(model.selected).toBe('orders_1');
    await expect.poll(() => model.preview?.rows).toBe(3);
    expect(model.preview?.columns.map((c) => c.name)).toEqual(['id', 'region', 'amount']);
    expect(model.measured['orders_1']?.map((f) => f.name)).toEqual(['id', 'region', 'amount']);
    model.addTransform('Filter');
    expect(model.def?.nodes.at(-1)).toMatchObject({ id: 'filter_1', inputs: ['orders_1'], step: { kind: 'Filter', params: { predicate: { conditions: [{ path: 'id', op: 'not_null' }] } } } });
    await expect.poll(() => model.preview?.nodeId).toBe('filter_1');
    expect(model.inputSchema('filter_1').map((f) => f.name)).toEqual(['id', 'region', 'amount']);
    model.addTarget({ type: 'download', format: 'parquet' });
    expect(model.def?.nodes.at(-1)).toEqual({ id: 'download_1', kind: 'target', inputs: ['filter_1'], target: { type: 'download', format: 'parquet', name: 'filter_1' } });
    expect(model.selected).toBe('download_1');
    expect(model.check.messages).toEqual([]);
  });

  it('says what to do instead of adding a step or target to an empty job', async () => {
    const { model } = await started();
    model.create('empty');
    model.addTransform('Filter');
    expect(model.error).toBe('Add a source first, then select the node the step reads');
    model.addTarget({ type: 'download', format: 'csv' });
    expect(model.error).toBe('Select the node whose frame the target writes');
    expect(model.def?.nodes).toEqual([]);
  });

  it('answers a location that is no URL next to the location box, and adds a workspace path as a source named after it', async () => {
    const { model } = await started();
    model.create('located');
    expect(model.addLocationSource('/home/me/orders.csv')).toMatch(/https:\/\/ URL .*opfs:\/\/folder/);
    expect(model.error).toBeNull();
    expect(model.def?.nodes).toEqual([]);
    expect(model.addLocationSource(' opfs://lake/sales.csv ')).toBeNull();
    expect(model.def?.nodes).toEqual([{ id: 'sales_1', kind: 'source', source: { type: 'file', path: 'opfs://lake/sales.csv' } }]);
    // Node has no workspace: the preview says so at the node, in words.
    await expect.poll(() => model.previewError?.nodeId).toBe('sales_1');
    expect(model.previewError?.message).not.toMatch(/object Object/);
  });

  it('renames a node and rewires what reads it; refuses a taken id with the reason and changes nothing', async () => {
    const { model } = await started();
    await draft(model);
    const filter = model.def!.nodes.find((n) => n.id === 'filter_1')!;
    model.updateNode('filter_1', { ...filter, id: 'paid' });
    expect(model.selected).toBe('download_1');
    expect(model.def!.nodes.map((n) => `${n.id}<${n.kind === 'source' ? '' : n.inputs.join(',')}`)).toEqual(['orders_1<', 'paid<orders_1', 'download_1<paid']);
    const before = model.def;
    const paid = model.def!.nodes.find((n) => n.id === 'paid') as JobNode;
    model.updateNode('paid', { ...paid, id: 'orders_1' });
    expect(model.error).toBe('orders_1 exists already');
    expect(model.def).toBe(before);
  });

  it('removes a node, deselecting it, and shows the dangling input at the node that read it', async () => {
    const { model } = await started();
    await draft(model);
    model.select('filter_1');
    model.removeNode('filter_1');
    expect(model.selected).toBeNull();
    expect(model.messagesAt('download_1')).toContainEqual({ nodeId: 'download_1', severity: 'error', message: 'Input filter_1 does not exist' });
  });

  it('adds, edits and removes job parameters, each an unsaved change', async () => {
    const { model } = await started();
    model.create('params');
    model.addParameter();
    model.addParameter();
    model.updateParameter(1, { name: 'min_amount', default: '5' });
    model.removeParameter(0);
    expect(model.def?.parameters).toEqual([{ name: 'min_amount', default: '5' }]);
    expect(model.dirty).toBe(true);
  });
});

describe('the Jobs model: saving beside other tabs', () => {
  it('saves the draft as a Glue job, then follows a save made in another tab while nothing is being edited', async () => {
    const { app, model } = await started();
    await draft(model);
    expect(await model.save()).toBe(true);
    expect(model.dirty).toBe(false);
    const stored = await app.catalog.get('job', 'orders_job');
    expect(stored.VersionId).toBe(model.versionId);
    expect(fromGlueJob(stored)).toMatchObject({ name: 'orders_job', nodes: model.def!.nodes });
    expect(model.jobs).toEqual(['orders_job']);

    await saveJob(app.catalog, { ...fromGlueJob(stored), description: 'changed in another tab' }, { expectedVersionId: stored.VersionId });
    await expect.poll(() => model.def?.description).toBe('changed in another tab');
    expect(model.versionId).toBe((await app.catalog.get('job', 'orders_job')).VersionId);
    expect(model.versions.length).toBeGreaterThan(0);
  });

  it('keeps an edit another tab overtook: nothing is written, both sides are shown, and "save mine" keeps theirs as a version', async () => {
    const { app, model } = await started();
    await draft(model);
    await model.save();
    const loaded = model.versionId!;
    model.setSettings({ description: 'mine' });
    await saveJob(app.catalog, { ...model.def!, description: 'theirs' }, { expectedVersionId: loaded });
    // The other tab's save must not replace an edit in progress.
    await model.refresh();
    expect(model.def?.description).toBe('mine');

    expect(await model.save()).toBe(false);
    expect(model.conflict).toMatchObject({ mine: { description: 'mine' }, theirs: { description: 'theirs' } });
    expect(model.conflict!.message).toMatch(/changed in another tab/);
    expect(fromGlueJob(await app.catalog.get('job', 'orders_job')).description).toBe('theirs');

    expect(await model.saveMineAnyway()).toBe(true);
    expect(model.conflict).toBeNull();
    expect(fromGlueJob(await app.catalog.get('job', 'orders_job')).description).toBe('mine');
    const kept = await app.catalog.getObjectVersions('job', 'orders_job');
    expect(kept.map((v) => fromGlueJob(v.Value).description)).toContain('theirs');
  });

  it('takes the stored job when the user chooses theirs', async () => {
    const { app, model } = await started();
    await draft(model);
    await model.save();
    model.setSettings({ description: 'mine' });
    await saveJob(app.catalog, { ...model.def!, description: 'theirs' }, { expectedVersionId: model.versionId });
    await model.save();
    model.reloadTheirs();
    expect(model.def?.description).toBe('theirs');
    expect(model.dirty).toBe(false);
    expect(model.conflict).toBeNull();
  });

  it('refuses to restore a version over unsaved changes, and deletes the open job', async () => {
    const { app, model } = await started();
    await draft(model);
    await model.save();
    model.setSettings({ timeout: 5 });
    await model.restoreVersion('1');
    expect(model.error).toBe('Save or discard your changes before restoring a version');
    await model.save();
    await model.deleteJob();
    expect(model.def).toBeNull();
    expect(model.jobs).toEqual([]);
    await expect(app.catalog.get('job', 'orders_job')).rejects.toMatchObject({ code: 'EntityNotFoundException' });
  });
});

describe('the Jobs model: running', () => {
  it('runs the job as StartJobRun does: the run in the history, live node states, the download of this job only', async () => {
    const { app, model } = await started();
    await draft(model);
    await model.run();
    expect(model.error).toBeNull();
    expect(model.running).toBe(false);
    expect(model.live).toMatchObject({ JobName: 'orders_job', JobRunState: 'SUCCEEDED' });
    expect(model.runs.map((r) => r.JobRunState)).toEqual(['SUCCEEDED']);
    expect(model.selectedRun).toBe(model.live!.Id);
    expect(Object.keys(model.liveNodes).sort()).toEqual(['download_1', 'filter_1', 'orders_1']);
    expect((await app.catalog.getJobRuns('orders_job')).map((r) => r.Id)).toEqual([model.live!.Id]);
    const files = model.downloads();
    expect(files.map((f) => f.name)).toEqual(['filter_1-part-00000.parquet']);
    expect(files[0]!.data.length).toBeGreaterThan(0);

    // Another job open in the editor never shows the first one's output.
    model.create('other');
    expect(model.downloads()).toEqual([]);
  });

  it('refuses to run a job with problems, naming the first, and saves nothing', async () => {
    const { app, model } = await started();
    expect(model.create('bad')).toBe(true);
    model.addSource('table:orders');
    await expect.poll(() => model.measured['orders_1']).toBeDefined();
    model.addTransform('Filter');
    const filter = model.def!.nodes.at(-1)!;
    if (filter.kind !== 'transform') throw new Error('not a transform');
    model.updateNode('filter_1', { ...filter, step: { ...filter.step, params: { predicate: { combine: 'and', conditions: [{ path: 'amount', op: '>=', value: 'lots' }] } } } } as JobNode);
    await model.run();
    expect(model.error).toBe('Fix 1 problem before running: filter_1: "lots" is not a double (amount is one)');
    expect(await app.catalog.list('job')).toEqual([]);
  });
});

describe('the Jobs model: exports', () => {
  it('hands out the job file, the Glue script, the plain PySpark script and the DuckDB script named after the job', async () => {
    const { model } = await started();
    await draft(model);
    const file = model.definitionFile();
    expect(file).toMatchObject({ name: 'orders_job.json', type: 'application/json' });
    expect(JSON.parse(file.data as string)).toEqual(model.def);
    const glue = await model.glueScript();
    expect(glue).toMatchObject({ name: 'orders_job.py', type: 'text/x-python', data: expect.stringContaining('filter_1 = ') });
    expect(glue.data).toContain('glueContext.create_dynamic_frame.from_options(');
    const spark = await model.sparkScript();
    expect(spark).toMatchObject({ name: 'orders_job_spark.py', type: 'text/x-python', data: expect.stringContaining('filter_1 = ') });
    expect(spark.data).not.toContain('awsglue');
    const sql = await model.duckdbScript();
    expect(sql).toMatchObject({ name: 'orders_job.sql', type: 'application/sql' });
    expect(sql.data).toMatch(/CREATE .*filter_1/);
  });
});
