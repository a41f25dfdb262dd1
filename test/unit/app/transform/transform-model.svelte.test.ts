// A .svelte.test.ts file: runes compile here, so a test can hand the model a $state proxy as a view does.
import { describe, expect, it } from 'vitest';
import type { Step } from '../../../../src/frames/steps';
import { models, testApp, type TestApp } from '../support';

type Model = ReturnType<typeof models.transform>;

/** A Transform model over a fresh app with `tf_orders` and `tf_regions` open in the workspace, `tf_orders` as input. */
async function started(): Promise<{ app: TestApp; model: Model }> {
  const app = await testApp();
  await app.openTable('tf_orders', "SELECT * FROM (VALUES (1, 'eu', 10.5::DOUBLE), (2, 'us', 3.25), (3, 'eu', 7.0), (4, NULL, 1.0)) t(id, region, amount)");
  await app.openTable('tf_regions', "SELECT * FROM (VALUES ('eu', 'Europe'), ('us', 'United States')) t(code, name)");
  const model = models.transform(app);
  model.setInput('tf_orders');
  await model.rerun();
  return { app, model };
}

const filter = (sql: string): Step['params'] => ({ predicate: { sql } });

describe('the Transform model: the input and its preview', () => {
  it('previews the input: its rows, and a profile per column, the chosen column first', async () => {
    const { model } = await started();
    expect(model.runError).toBeNull();
    expect(model.result?.input.rowCount).toBe(4);
    expect(model.previewRows).toHaveLength(4);
    expect(model.profileColumn).toBe('id');
    await expect.poll(() => Object.keys(model.profiles).sort()).toEqual(['amount', 'id', 'region']);
    expect(model.schemaForNewStep.map((f) => f.name)).toEqual(['id', 'region', 'amount']);
  });

  it('shows nothing without an input', async () => {
    const { model } = await started();
    model.setInput(null);
    await model.rerun();
    expect(model.result).toBeNull();
    expect(model.output).toBeNull();
  });
});

describe('the Transform model: editing the steps', () => {
  it('adds a step after the selected one, filled from the schema it reads, and previews its output', async () => {
    const { model } = await started();
    model.addStep('Filter');
    expect(model.steps.map((s) => s.id)).toEqual(['filter_1']);
    expect(model.selected).toBe('filter_1');
    expect(JSON.parse(model.drafts['filter_1']!.text)).toEqual(model.steps[0]!.params);
    model.addStep('DropFields');
    model.select('filter_1');
    model.addStep('Derived');
    expect(model.steps.map((s) => s.id)).toEqual(['filter_1', 'derived_1', 'drop_fields_1']);
    model.select('input');
    model.addStep('Filter');
    expect(model.steps.map((s) => s.id)).toEqual(['filter_2', 'filter_1', 'derived_1', 'drop_fields_1']);
  });

  it('keeps invalid params text in the editor with its error, leaving the step as it was', async () => {
    const { model } = await started();
    model.addStep('Filter');
    const before = model.steps[0];
    model.editParams('filter_1', '{ "predicate": ');
    expect(model.drafts['filter_1']).toMatchObject({ text: '{ "predicate": ', error: expect.any(String) });
    expect(model.steps[0]).toBe(before);
    model.editParams('filter_1', JSON.stringify(filter('amount > 5')));
    expect(model.drafts['filter_1']!.error).toBeNull();
    await model.rerun();
    expect(model.result?.steps[0]?.rowCount).toBe(2);
  });

  it('runs params a form hands over as a $state proxy: the engine gets a plain snapshot (a proxy cannot be posted to the worker)', async () => {
    const { model } = await started();
    model.addStep('Filter');
    const params = $state(filter('region = \'eu\''));
    model.setParams('filter_1', params);
    await model.rerun();
    expect(model.runError).toBeNull();
    expect(model.result?.steps[0]?.rowCount).toBe(2);
    expect(JSON.parse(model.stepsJson)).toEqual([{ id: 'filter_1', kind: 'Filter', params: filter('region = \'eu\'') }]);
  });

  it('removes a step, selecting the one before it (the input before the first), and moves steps within bounds', async () => {
    const { model } = await started();
    model.addStep('Filter');
    model.addStep('Derived');
    model.addStep('DropFields');
    model.moveStep('drop_fields_1', 1);
    model.moveStep('filter_1', -1);
    expect(model.steps.map((s) => s.id)).toEqual(['filter_1', 'derived_1', 'drop_fields_1']);
    model.moveStep('filter_1', 1);
    expect(model.steps.map((s) => s.id)).toEqual(['derived_1', 'filter_1', 'drop_fields_1']);
    model.select('filter_1');
    model.removeStep('filter_1');
    expect(model.selected).toBe('derived_1');
    expect(model.drafts['filter_1']).toBeUndefined();
    model.removeStep('derived_1');
    expect(model.selected).toBe('input');
    model.select('drop_fields_1');
    model.removeStep('drop_fields_1');
    expect(model.steps).toEqual([]);
    expect(model.selected).toBe('input');
  });

  it('says where a step fails, at the step, and previews the input still', async () => {
    const { model } = await started();
    model.addStep('Filter');
    model.setParams('filter_1', filter('no_such_column > 1'));
    await model.rerun();
    expect(model.failure).toMatchObject({ stepId: 'filter_1', message: expect.stringMatching(/no_such_column/) });
    expect(model.result?.input.rowCount).toBe(4);
  });
});

describe('the Transform model: the other side of a Join', () => {
  it('offers the other workspace tables and the catalog\'s tables, and fits the right keys to the side picked', async () => {
    const { app, model } = await started();
    await app.catalog.createDatabase({ Name: 'lake' });
    await app.catalog.createTable('lake', { Name: 'events', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: 'opfs://lake/events' } });
    await model.loadCatalogTables();
    expect(model.catalogTables).toEqual([{ database: 'lake', table: 'events' }]);
    model.addStep('Join');
    const choices = model.sideChoices('join_1');
    expect(choices.map((c) => `${c.group}: ${c.label}`)).toEqual(['Workspace tables: tf_regions', 'Catalog tables: lake.events']);
    expect(model.steps[0]).toMatchObject({ params: { right: 'tf_regions', leftKeys: ['id'], rightKeys: ['code'] } });
    model.setParams('join_1', { right: 'tf_regions', leftKeys: ['region'], rightKeys: ['region'], how: 'inner' });
    await model.setSide('join_1', 'tf_regions');
    expect(model.steps[0]).toMatchObject({ params: { right: 'tf_regions', leftKeys: ['region'], rightKeys: ['code'] } });
    await model.rerun();
    expect(model.result?.steps[0]?.rowCount).toBe(3);
  });

  it('says why a catalog table cannot be opened, naming it, and leaves the side as it was', async () => {
    const { app, model } = await started();
    await app.catalog.createDatabase({ Name: 'lake' });
    await app.catalog.createTable('lake', { Name: 'events', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: 's3://bucket/events/' } });
    model.addStep('Join');
    await model.setSide('join_1', JSON.stringify(['\u0000catalog', 'lake', 'events']));
    expect(model.openProblem).toMatch(/^lake\.events: /);
    expect(model.openProblem).not.toMatch(/object Object/);
    expect(model.steps[0]).toMatchObject({ params: { right: 'tf_regions' } });
  });
});
