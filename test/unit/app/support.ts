/**
 * What the UI model tests stand on: a real Catalog on a fresh fake IndexedDB, the real DuckDB engine behind
 * the same structured-clone boundary the engine worker has, and one constructor per model. How a model gets
 * its catalog is decided HERE only (today each model opens the app's catalog itself, so the fake IndexedDB
 * is installed as the global one; when the models take a shared app session, only `models` below changes).
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { Remote } from 'comlink';
import { afterAll } from 'vitest';
import { Catalog, syncCatalog } from '../../../src/catalog';
import { createNodeEngine } from '../../../src/engine/node';
import { browserJobEnv } from '../../../src/app/jobs/browser-env';
import { CatalogModel } from '../../../src/app/catalog/catalog.svelte';
import { ConnectionsModel } from '../../../src/app/connections/connections.svelte';
import { CatalogSession } from '../../../src/app/shared/catalog-session';
import { JobsModel } from '../../../src/app/jobs/jobs.svelte';
import { SchedulesModel } from '../../../src/app/schedules/schedules.svelte';
import { TransformModel } from '../../../src/app/transform/transform.svelte';
import { schedulerJobRunner } from '../../../src/jobs/runs';
import { createEngineService } from '../../../src/service/engine-service';
import type { EngineWorkerApi } from '../../../src/service/protocol';

/** The engine as a page holds it: every argument and result is structured-cloned, as Comlink's postMessage does. */
export type PageEngine = Remote<EngineWorkerApi>;

let engine: Promise<EngineWorkerApi> | null = null;
/** One DuckDB per test file (each file runs in its own process); tests use their own table names. */
function sharedEngine(): Promise<EngineWorkerApi> {
  engine ??= createNodeEngine().then((e) => createEngineService(async () => e));
  return engine;
}

/**
 * The engine behind a clone boundary: a `$state` proxy handed to it fails here (DataCloneError) as it does
 * when posted to the worker, instead of passing unnoticed in one process.
 */
function cloned(service: EngineWorkerApi): PageEngine {
  return new Proxy(service, {
    get(target, key) {
      const member = target[key as keyof EngineWorkerApi] as unknown;
      if (typeof member !== 'function') return member;
      return async (...args: unknown[]) => structuredClone(await (member as (...a: unknown[]) => Promise<unknown>)(...args.map((a) => structuredClone(a))));
    },
  }) as unknown as PageEngine;
}

/** What a test sees of the app: the catalog as another tab holds it, the workspace host (engine + open tables). */
export interface TestApp {
  /** The app's catalog as a second tab holds it (its commits are broadcast): seed it, read what the models wrote. */
  catalog: Catalog;
  /** The IndexedDB factory every catalog and queue connection of this test uses. */
  factory: IDBFactory;
  /** The app's one catalog session, as App.svelte hands it to every model. */
  session: CatalogSession;
  /** The workspace as the Jobs and Transform models read it: the engine and the tables open in it. */
  host: { engine: PageEngine; tables: { table: string; columns?: { name: string; type: string }[] }[] };
  /** Open a table in the engine from SQL, listed as open in the workspace. */
  openTable(name: string, selectSql: string): Promise<void>;
}

const opened: { close(): void }[] = [];
afterAll(() => { for (const c of opened) c.close(); });

/** A fresh app: an empty catalog on its own fake IndexedDB, and the shared engine. */
export async function testApp(): Promise<TestApp> {
  const factory = new IDBFactory();
  // The models open the app's catalog (and the scheduler its queue) on the global IndexedDB.
  globalThis.indexedDB = factory;
  const catalog = await Catalog.open({ factory });
  // Its commits are announced to the models as another tab's are (BroadcastChannel).
  const stopSync = syncCatalog(catalog, () => undefined);
  opened.push({ close: () => { stopSync(); catalog.close(); } });
  const page = cloned(await sharedEngine());
  const host: TestApp['host'] = { engine: page, tables: [] };
  const session = new CatalogSession({ factory });
  opened.push(session);
  return {
    catalog,
    factory,
    session,
    host,
    async openTable(name, selectSql) {
      await page.query(`CREATE OR REPLACE TABLE "${name}" AS ${selectSql}`);
      const described = await page.query(`DESCRIBE "${name}"`);
      host.tables.push({ table: name, columns: described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })) });
    },
  };
}

/** The models over a test app, constructed the way the app constructs them. */
export const models = {
  jobs: (app: TestApp) => new JobsModel(() => app.host, app.session),
  transform: (app: TestApp) => new TransformModel(() => app.host, app.session),
  catalog: (app: TestApp) => new CatalogModel(app.session),
  connections: (app: TestApp) => new ConnectionsModel(app.host.engine, app.session),
  /** The scheduler with the real job runner of the app (jobs run on the test's engine). */
  schedules: (app: TestApp) => new SchedulesModel(app.session, (catalog) => schedulerJobRunner(catalog, browserJobEnv(app.host.engine, catalog))),
};
