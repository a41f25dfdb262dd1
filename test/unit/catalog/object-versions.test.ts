import { describe, expect, it } from 'vitest';
import {
  bundleFromSnapshot, CatalogError, ConcurrentModificationError, diffObjects, importGlueJson, toJsonText,
  type Catalog, type ObjectKind, type ObjectTypes,
} from '../../../src/catalog';
import { freshCatalog, ordersTable } from './helpers';

async function rejects(p: Promise<unknown>): Promise<CatalogError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CatalogError);
  return err as CatalogError;
}

// One definition per kind, and a changed one.
const samples: { [K in ObjectKind]: [ObjectTypes[K], ObjectTypes[K], string] } = {
  job: [{ Name: 'nightly', MaxRetries: 0, DefaultArguments: { '--day': 'today' } }, { Name: 'nightly', MaxRetries: 2, DefaultArguments: { '--day': 'yesterday' } }, 'nightly'],
  trigger: [{ Name: 'at-two', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'nightly' }] }, { Name: 'at-two', Type: 'SCHEDULED', Schedule: 'cron(0 3 * * ? *)', Actions: [{ JobName: 'nightly' }] }, 'at-two'],
  crawler: [{ Name: 'orders', DatabaseName: 'shop', Targets: { S3Targets: [{ Path: 's3://a/' }] } }, { Name: 'orders', DatabaseName: 'shop', Targets: { S3Targets: [{ Path: 's3://b/' }] }, TablePrefix: 'raw_' }, 'orders'],
  connection: [{ Name: 'lake', ConnectionType: 'NETWORK', ConnectionProperties: { A: '1' } }, { Name: 'lake', ConnectionType: 'NETWORK', ConnectionProperties: { A: '2' } }, 'lake'],
  classifier: [{ CsvClassifier: { Name: 'pipes', Delimiter: '|' }, order: 1 }, { CsvClassifier: { Name: 'pipes', Delimiter: ';' }, order: 1 }, 'pipes'],
};
const KINDS = Object.keys(samples) as ObjectKind[];

describe('versions of ETL objects', () => {
  for (const kind of KINDS) {
    it(`keeps every version of a ${kind} and restores one as a new version`, async () => {
      const { catalog } = await freshCatalog();
      const [v0, v1, name] = samples[kind];
      expect(await catalog.put(kind, v0)).toBe('0');
      expect(await catalog.put(kind, v1)).toBe('1');
      expect((await catalog.get(kind, name)).VersionId).toBe('1');
      const versions = await catalog.getObjectVersions(kind, name);
      expect(versions.map((v) => v.VersionId)).toEqual(['1', '0']);
      expect(versions.every((v) => typeof v.SavedAt === 'string')).toBe(true);
      expect(diffObjects(versions[1]!.Value, v0)).toEqual([]);
      expect(await catalog.restoreObjectVersion(kind, name, '0')).toBe('2');
      const current = await catalog.get(kind, name);
      expect(current.VersionId).toBe('2');
      expect(diffObjects({ ...current, VersionId: undefined, CreationTime: undefined, LastUpdatedTime: undefined }, v0)).toEqual([]);
      expect((await catalog.getObjectVersions(kind, name)).map((v) => v.VersionId)).toEqual(['2', '1', '0']);
      expect((await rejects(catalog.getObjectVersion(kind, name, '9'))).code).toBe('EntityNotFoundException');
      expect((await rejects(catalog.getObjectVersion(kind, name, 'abc'))).code).toBe('EntityNotFoundException');
      expect((await rejects(catalog.restoreObjectVersion(kind, name, '-1'))).code).toBe('EntityNotFoundException');
    });
  }

  it('an identical put (fields in another order, a VersionId in the value) makes no version and changes nothing', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('trigger', { Name: 't', Type: 'ON_DEMAND', Actions: [{ JobName: 'j' }], Description: 'd' });
    const stored = await catalog.get('trigger', 't');
    const result = await catalog.commit([{ op: 'putObject', kind: 'trigger', value: { VersionId: '7', Description: 'd', Actions: [{ JobName: 'j' }], Type: 'ON_DEMAND', Name: 't' } }]);
    expect(result.changed).toEqual([]);
    expect(result.versionIds).toEqual({ 'trigger:t': '0' });
    expect(await catalog.get('trigger', 't')).toEqual(stored);
    expect((await catalog.getObjectVersions('trigger', 't')).length).toBe(1);
    // A connection is stamped by the store; putting it back unchanged keeps its stamp and its version.
    await catalog.put('connection', samples.connection[0]);
    const c = await catalog.get('connection', 'lake');
    await catalog.put('connection', c);
    expect(await catalog.get('connection', 'lake')).toEqual(c);
  });

  it('a replacement without expectedVersionId still keeps the previous definition as a version', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('job', samples.job[0]);
    await catalog.commit([{ op: 'putObject', kind: 'job', value: samples.job[1] }]);
    const versions = await catalog.getObjectVersions('job', 'nightly');
    expect(versions.map((v) => v.Value.MaxRetries)).toEqual([2, 0]);
  });

  it('deleting an object removes its versions, and undo puts them back', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('job', samples.job[0]);
    await catalog.put('job', samples.job[1]);
    const before = await catalog.snapshot();
    const removed = await catalog.delete('job', 'nightly');
    expect(await catalog.getObjectVersions('job', 'nightly')).toEqual([]);
    // A job created again under the name starts a new history.
    expect(await catalog.put('job', samples.job[0])).toBe('0');
    await catalog.delete('job', 'nightly');
    await catalog.restore(removed);
    expect(await catalog.snapshot()).toEqual(before);
  });
});

describe('optimistic concurrency (Glue VersionId -> ConcurrentModificationException)', () => {
  async function withTable(): Promise<Catalog> {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'shop' });
    await catalog.createTable('shop', ordersTable);
    return catalog;
  }

  it('refuses an UpdateTable on a stale version, and the whole commit with it (issue 14: two tabs lost an edit 50 of 50 times)', async () => {
    const catalog = await withTable();
    const loaded = await catalog.getTable('shop', 'orders'); // both tabs load version 0
    expect(await catalog.updateTable('shop', { ...loaded, Description: 'tab A' }, { expectedVersionId: '0' })).toBe('1');
    const before = await catalog.snapshot();
    const err = await rejects(catalog.commit([
      { op: 'createDatabase', database: { Name: 'other' } },
      { op: 'putObject', kind: 'job', value: samples.job[0] },
      { op: 'updateTable', databaseName: 'shop', table: { ...loaded, Description: 'tab B' }, expectedVersionId: '0' },
    ]));
    expect(err).toBeInstanceOf(ConcurrentModificationError);
    expect(err.code).toBe('ConcurrentModificationException');
    expect(err.message).toBe('Table shop.orders was changed in another tab (now version 1, you edited version 0). Nothing was saved: reload theirs, compare, or save yours anyway.');
    expect((err as ConcurrentModificationError).currentVersionId).toBe('1');
    expect((err as ConcurrentModificationError).expectedVersionId).toBe('0');
    expect(await catalog.snapshot()).toEqual(before);
    // "Save mine anyway": the same edit with the VersionId now stored; tab A's edit stays a version.
    expect(await catalog.updateTable('shop', { ...loaded, Description: 'tab B' }, { expectedVersionId: '1' })).toBe('2');
    expect((await catalog.getTableVersions('shop', 'orders')).map((v) => v.Table.Description)).toEqual(['tab B', 'tab A', 'Orders by day']);
  });

  it('checks putTable too, and says when the table was deleted meanwhile', async () => {
    const catalog = await withTable();
    const loaded = await catalog.getTable('shop', 'orders');
    await catalog.updateTable('shop', { ...loaded, Description: 'x' });
    expect((await rejects(catalog.commit([{ op: 'putTable', databaseName: 'shop', table: { ...loaded, Description: 'y' }, expectedVersionId: '0' }]))).code).toBe('ConcurrentModificationException');
    await catalog.deleteTable('shop', 'orders');
    const gone = await rejects(catalog.updateTable('shop', { ...loaded, Description: 'z' }, { expectedVersionId: '1' }));
    expect(gone.message).toContain('Table shop.orders was deleted in another tab (you edited version 1)');
  });

  it('checks putObject for every kind; without expectedVersionId it replaces as before', async () => {
    for (const kind of KINDS) {
      const { catalog } = await freshCatalog();
      const [v0, v1, name] = samples[kind];
      await catalog.put(kind, v0, { expectedVersionId: null });
      await catalog.put(kind, v1, { expectedVersionId: '0' });
      const before = await catalog.snapshot();
      const err = await rejects(catalog.put(kind, v0, { expectedVersionId: '0' }));
      expect(err.message).toMatch(new RegExp(`^\\w+ ${name} was changed in another tab \\(now version 1, you edited version 0\\)`));
      expect(await catalog.snapshot()).toEqual(before);
      const exists = await rejects(catalog.put(kind, v0, { expectedVersionId: null }));
      expect(exists.message).toContain(`${name} already exists (version 1)`);
      expect(await catalog.put(kind, v0)).toBe('2');
    }
  });

  it('checks a restore and a delete against the version the user saw', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('trigger', samples.trigger[0]);
    await catalog.put('trigger', samples.trigger[1]);
    expect((await rejects(catalog.restoreObjectVersion('trigger', 'at-two', '0', { expectedVersionId: '0' }))).code).toBe('ConcurrentModificationException');
    expect((await rejects(catalog.delete('trigger', 'at-two', { expectedVersionId: '0' }))).code).toBe('ConcurrentModificationException');
    expect(await catalog.restoreObjectVersion('trigger', 'at-two', '0', { expectedVersionId: '1' })).toBe('2');
    await catalog.delete('trigger', 'at-two', { expectedVersionId: '2' });
    const gone = await rejects(catalog.put('trigger', samples.trigger[1], { expectedVersionId: '2' }));
    expect(gone.message).toContain('Trigger at-two was deleted in another tab');
  });
});

describe('run state is not a version', () => {
  it('moving a job bookmark makes no version, keeps the VersionId, and a later definition put keeps the bookmark', async () => {
    const { catalog } = await freshCatalog();
    await catalog.put('job', { ...samples.job[0], Epoxy: { definition: { nodes: [] } } });
    const bookmark = { jobName: 'nightly', runId: 'jr_1', history: [] };
    await catalog.commit([{ op: 'setJobBookmark', jobName: 'nightly', bookmark }]);
    const job = await catalog.get('job', 'nightly');
    expect(job.VersionId).toBe('0');
    expect(job.Epoxy?.bookmark).toEqual(bookmark);
    expect((await catalog.getObjectVersions('job', 'nightly')).map((v) => v.Value.Epoxy)).toEqual([{ definition: { nodes: [] } }]);
    // An editor that loaded version 0 before the run saves without conflict; a definition never brings back an old bookmark.
    expect(await catalog.put('job', { ...samples.job[1], Epoxy: { definition: { nodes: [] }, bookmark: { stale: true } } }, { expectedVersionId: '0' })).toBe('1');
    expect((await catalog.get('job', 'nightly')).Epoxy?.bookmark).toEqual(bookmark);
    // Restoring version 0 brings back its definition, not a bookmark.
    await catalog.restoreObjectVersion('job', 'nightly', '0');
    const restored = await catalog.get('job', 'nightly');
    expect([restored.VersionId, restored.MaxRetries, restored.Epoxy?.bookmark]).toEqual(['2', 0, bookmark]);
    expect((await rejects(catalog.commit([{ op: 'setJobBookmark', jobName: 'missing', bookmark }]))).code).toBe('EntityNotFoundException');
  });
});

describe('diffObjects', () => {
  it('lists changed fields as paths, matching array elements by id or name', () => {
    const a = { name: 'j', nodes: [{ id: 'src', kind: 'source' }, { id: 'f', kind: 'transform', step: { params: { expr: 'a > 1' } } }], parameters: [{ name: 'day', default: 'today' }], tags: ['x'] };
    const b = { name: 'j', nodes: [{ id: 'src', kind: 'source' }, { id: 'new', kind: 'target' }, { id: 'f', kind: 'transform', step: { params: { expr: 'a > 2' } } }], parameters: [{ name: 'day', default: 'yesterday' }], tags: ['x', 'y'] };
    expect(diffObjects(a, b)).toEqual([
      { path: 'nodes[f].step.params.expr', left: 'a > 1', right: 'a > 2' },
      { path: 'nodes[new].id', left: undefined, right: 'new' },
      { path: 'nodes[new].kind', left: undefined, right: 'target' },
      { path: 'parameters[day].default', left: 'today', right: 'yesterday' },
      { path: 'tags', left: '["x"]', right: '["x","y"]' },
    ]);
    expect(diffObjects(a, structuredClone(a))).toEqual([]);
  });
});

describe('catalog bundle with object versions', () => {
  it('download -> import restores every VersionId and kept version; an old bundle imports its objects at version 0', async () => {
    const { catalog } = await freshCatalog();
    for (const kind of KINDS) { await catalog.put(kind, samples[kind][0]); await catalog.put(kind, samples[kind][1]); }
    const before = await catalog.snapshot();
    const bundle = bundleFromSnapshot(before);
    expect(bundle.Jobs![0]!.VersionId).toBeUndefined(); // Glue's create-job input has no such field
    expect(bundle.History!.ObjectVersions!.find((o) => o.Kind === 'job')!.Versions.map((v) => v.VersionId)).toEqual(['1', '0']);
    const text = toJsonText(bundle);
    const { catalog: other } = await freshCatalog();
    await importGlueJson(other, JSON.parse(text));
    expect(await other.snapshot()).toEqual(before);
    expect(toJsonText(bundleFromSnapshot(await other.snapshot()))).toBe(text);

    const old = JSON.parse(text);
    delete old.History.ObjectVersions;
    const { catalog: third } = await freshCatalog();
    await importGlueJson(third, old);
    expect((await third.get('job', 'nightly')).VersionId).toBe('0');
    expect((await third.getObjectVersions('job', 'nightly')).map((v) => v.VersionId)).toEqual(['0']);
    expect(await third.put('job', samples.job[0], { expectedVersionId: '0' })).toBe('1');
  });
});
