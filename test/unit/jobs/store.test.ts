import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, CatalogError } from '../../../src/catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { schedulerJobRunner, startJobRun } from '../../../src/jobs/runs';
import { diffJobs, loadBookmark, resetJobBookmark, saveJob, toGlueJob } from '../../../src/jobs/store';
import { ordersFolder, ordersJob } from './fixtures';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

describe('job store: versions and run state', () => {
  it('runs that move the bookmark make no version and never make an editor\'s save fail (issue 14)', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'job-versions' });
    const f = ordersFolder();
    const def = ordersJob(f.dir);
    expect(await saveJob(catalog, def, { expectedVersionId: null })).toBe('0');
    const editorHolds = (await catalog.get('job', def.name)).VersionId!; // an editor tab opens the job
    const env = nodeJobEnv(serviceOf(engine), f.out, { catalog });
    const first = await startJobRun(catalog, def.name, env);
    expect(first.run.JobRunState).toBe('SUCCEEDED');
    f.addDay2();
    const runner = schedulerJobRunner(catalog, env);
    expect((await runner({ name: def.name, runId: 'jr_scheduled' }, new AbortController().signal)).state).toBe('SUCCEEDED');
    await resetJobBookmark(catalog, def.name);
    await startJobRun(catalog, def.name, env);
    const job = await catalog.get('job', def.name);
    expect(job.VersionId).toBe('0');
    expect((await catalog.getObjectVersions('job', def.name)).length).toBe(1);
    const bookmarkRun = (await loadBookmark(catalog, def.name)).runId;
    expect(bookmarkRun).not.toBe('');

    // The editor saves what it changed on version 0: no conflict, a new version, the bookmark untouched.
    const edited = { ...def, parameters: [{ name: 'min_amount', default: '5' }] };
    expect(await saveJob(catalog, edited, { expectedVersionId: editorHolds })).toBe('1');
    expect((await loadBookmark(catalog, def.name)).runId).toBe(bookmarkRun);
    expect((await startJobRun(catalog, def.name, env)).result.rowsRead).toBe(0);
    const versions = await catalog.getObjectVersions('job', def.name);
    expect(versions.map((v) => v.VersionId)).toEqual(['1', '0']);
    expect(versions.every((v) => v.Value.Epoxy?.bookmark === undefined)).toBe(true);
    expect(diffJobs(versions[1]!.Value, versions[0]!.Value)).toEqual([
      { path: 'parameters[min_amount].default', left: '2', right: '5' },
    ]);
  });

  it('a second tab saving a stale job is refused with the versions in the message; nothing is written', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'job-conflict' });
    const def = ordersJob('/nowhere');
    await saveJob(catalog, def);
    await saveJob(catalog, { ...def, description: 'tab A' }, { expectedVersionId: '0' });
    const err = await saveJob(catalog, { ...def, description: 'tab B' }, { expectedVersionId: '0' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).message).toMatch(/^Job orders_daily was changed in another tab \(now version 1, you edited version 0\)/);
    expect((await catalog.get('job', def.name)).Description).toBe('tab A');
    // Two tabs creating a job under the same name: the second is told, not silently replacing the first.
    const created = await saveJob(catalog, { ...def, name: 'fresh' }, { expectedVersionId: null });
    expect(created).toBe('0');
    const again = await saveJob(catalog, { ...def, name: 'fresh', description: 'other tab' }, { expectedVersionId: null }).then(() => null, (e: unknown) => e);
    expect((again as CatalogError).code).toBe('ConcurrentModificationException');
    expect(diffJobs(toGlueJob(def), toGlueJob({ ...def, description: 'x' }))).toEqual([{ path: 'description', left: 'Clean orders and write them by region', right: 'x' }]);
  });
});
