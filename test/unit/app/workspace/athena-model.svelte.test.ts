/**
 * The Workspace's Athena model (issue 19: no catalog table could be queried in the SQL box): real catalog on fake
 * IndexedDB, real crawl of a Hive folder, the real resolver and DuckDB behind the worker's clone boundary.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AthenaModel } from '../../../../src/app/workspace/athena.svelte';
import type { Crawler } from '../../../../src/catalog';
import { runCrawl } from '../../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../../src/crawler/in-process';
import { listLocalFiles } from '../../../../src/jobs/node-env';
import { UnreachableLocationError } from '../../../../src/query/resolve';
import { listNodeFolder } from '../../../../src/sources/node-files';
import { testApp, type TestApp } from '../support';

/** localStorage as a page has it (Node has none): what the model keeps across reloads. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => { items.set(k, v); }, removeItem: (k) => { items.delete(k); } };
}

async function crawledApp(): Promise<{ app: TestApp; dir: string }> {
  const app = await testApp();
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-athena-model-'));
  for (const [day, rows] of [['1', ['1,a', '2,b']], ['2', ['3,c']]] as const) {
    mkdirSync(join(dir, `day=${day}`), { recursive: true });
    writeFileSync(join(dir, `day=${day}`, 'x.csv'), ['id,v', ...rows].join('\n') + '\n');
  }
  const crawler: Crawler = { Name: 'events_crawler', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(dir).href }] } };
  const report = await runCrawl({ crawler, sources: await listNodeFolder(dir), rootName: 'events', locationPrefix: pathToFileURL(dir).href, catalog: app.catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
  expect(report.failures).toEqual([]);
  return { app, dir };
}

describe('the Athena model of the Workspace', () => {
  it('chooses the only database as the default, keeps it across reloads, and reads unqualified names from it with stats', async () => {
    const { app } = await crawledApp();
    const storage = memoryStorage();
    const model = new AthenaModel(app.host.engine, app.session, { lister: () => ({ listFiles: listLocalFiles }) }, storage);
    await model.start();
    expect(model.databases).toEqual(['lake']);
    expect(model.schema).toEqual({ lake: { events: ['id', 'v', 'day'] } });
    expect(model.defaultDatabase).toBe('lake');
    expect(storage.items.get('epoxy.athena.defaultDatabase')).toBe('lake');
    const result = await model.run("SELECT v FROM events WHERE day = '2' ORDER BY v", []);
    expect(result?.rows).toEqual([['c']]);
    expect(model.stats).toMatchObject([{ database: 'lake', table: 'events', files: { read: 1, total: 2 } }]);
    // A reload: a new model reads the kept choice.
    const again = new AthenaModel(app.host.engine, app.session, { lister: () => ({ listFiles: listLocalFiles }) }, storage);
    expect(again.defaultDatabase).toBe('lake');
    model.stop();
  });

  it('follows USE and catalog changes of other views and tabs', async () => {
    const { app } = await crawledApp();
    const model = new AthenaModel(app.host.engine, app.session, { lister: () => ({ listFiles: listLocalFiles }) }, memoryStorage());
    await model.start();
    await app.catalog.createDatabase({ Name: 'curated' });
    await expect.poll(() => model.databases).toEqual(['curated', 'lake']);
    await model.run('USE curated', []);
    expect(model.defaultDatabase).toBe('curated');
    model.setDefaultDatabase(null);
    expect(model.defaultDatabase).toBeNull();
    model.stop();
  });

  it('turns a table this tab cannot reach into a notice with its fix: a folder is granted again and the query can rerun (issue 19)', async () => {
    const { app } = await crawledApp();
    await app.catalog.createTable('lake', { Name: 'kept', StorageDescriptor: { Location: 'folder://trips/', Columns: [{ Name: 'id', Type: 'bigint' }] }, Parameters: { classification: 'csv' } });
    let granted = false;
    const asked: string[] = [];
    const routes: string[] = [];
    const model = new AthenaModel(app.host.engine, app.session, {
      lister: () => ({
        async listFiles(location) {
          if (location.startsWith('folder://') && !granted) throw new UnreachableLocationError(location, { state: 'unreachable', reason: 'Epoxy needs your permission again to read the folder trips', fix: 'allow reading it again' });
          return listLocalFiles(location);
        },
      }),
      grantFolder: async (_catalog, location) => { asked.push(location); granted = true; return true; },
      navigate: (route) => { routes.push(route); },
    }, memoryStorage());
    await model.start();
    expect(await model.run('SELECT * FROM lake.kept', [])).toBeNull();
    expect(model.unreachable).toMatchObject({ database: 'lake', table: 'kept', reason: 'Epoxy needs your permission again to read the folder trips', action: { kind: 'grant-folder', location: 'folder://trips/', label: 'Grant access to the folder' } });
    expect(await model.fix(model.unreachable!.action)).toBe(true);
    expect(asked).toEqual(['folder://trips/']);
    expect(await model.fix({ kind: 'link', href: '#/connections', label: 'Paste fresh presigned URLs (Connections)' })).toBe(false);
    expect(routes).toEqual(['#/connections']);
    model.stop();
  });
});
