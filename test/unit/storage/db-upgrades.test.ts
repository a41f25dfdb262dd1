import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import { SCHEMA_VERSION } from '../../../src/catalog/schema';
import { DurableQueue, QUEUE_VERSION } from '../../../src/scheduler/queue';
import { onDatabaseUpgrade, type UpgradeEvent } from '../../../src/storage/db-upgrades';
import { HandleStore, HANDLES_VERSION } from '../../../src/sources/handle-store';
import { applyUpgradeEvent } from '../../../src/app/pwa/db-upgrade-notices';

/** Open a database the way a newer Epoxy would: at a higher version; fails if the open is ever blocked. */
function openNewer(name: string, version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onblocked = () => reject(new Error(`the upgrade of ${name} to version ${version} is blocked by the old connection`));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** A connection held by an Epoxy tab of an older build, which never handles versionchange. */
function holdOld(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const events: UpgradeEvent[] = [];
const stop = onDatabaseUpgrade((e) => events.push(e));
afterEach(() => { events.length = 0; });
void stop;

describe('IndexedDB upgrades with another tab open (issue 16: the queue upgrade hung with no message)', () => {
  it('the scheduler queue: an old tab lets go at once and says "reload to update"; the newer open proceeds', async () => {
    const name = `up-${Math.random()}`;
    let told = '';
    const old = await DurableQueue.open(name, { onVersionChange: (m) => { told = m; } });
    await old.setMeta('lastCheck', 1);
    const newer = await openNewer(name, QUEUE_VERSION + 1);
    expect(told).toBe('A newer version of Epoxy opened in another tab and upgraded the scheduler queue database: this tab let go of it. Reload to update.');
    expect(old.closedBy).toBe(told);
    await expect(old.all()).rejects.toThrow('Reload to update');
    expect(events).toEqual([{ kind: 'versionchange', database: 'scheduler queue', name, message: told }]);
    newer.close();
  });

  it('the scheduler queue: an open blocked by an old build says what it waits for, then goes through when that tab lets go', async () => {
    const name = `up-${Math.random()}`;
    (await DurableQueue.open(name)).close();
    const oldBuild = await holdOld(name);
    let told: (m: string) => void = () => {};
    const blocked = new Promise<string>((r) => { told = r; });
    const opening = DurableQueue.open(name, { version: QUEUE_VERSION + 1, onBlocked: (m) => told(m) });
    expect(await blocked).toBe('Epoxy is upgrading its scheduler queue database and waits for other Epoxy tabs that still have the old version open: close or reload them; this tab continues as soon as they let go.');
    expect(events.map((e) => e.kind)).toEqual(['blocked']);
    oldBuild.close();
    const queue = await opening;
    expect(await queue.all()).toEqual([]);
    expect(events.map((e) => `${e.kind} ${e.database}`)).toEqual(['blocked scheduler queue', 'unblocked scheduler queue']);
    queue.close();
  });

  it('the folder handles: the same, both ways', async () => {
    const name = `up-${Math.random()}`;
    const old = await HandleStore.open(name);
    const newer = await openNewer(name, HANDLES_VERSION + 1);
    expect(old.closedBy).toContain('upgraded the folder handles database');
    await expect(old.get('x')).rejects.toThrow('Reload to update');
    newer.close();

    const oldBuild = await holdOld(name);
    let told: (m: string) => void = () => {};
    const blocked = new Promise<string>((r) => { told = r; });
    const opening = HandleStore.open(name, { version: HANDLES_VERSION + 2, onBlocked: (m) => told(m) });
    expect(await blocked).toContain('waits for other Epoxy tabs');
    oldBuild.close();
    (await opening).close();
    expect(events.map((e) => `${e.kind} ${e.database}`)).toEqual(['versionchange folder handles', 'blocked folder handles', 'unblocked folder handles']);
  });

  it('the catalog reports to the app too, whichever view opened it (issue 16: only the Catalog view said so)', async () => {
    const name = `up-${Math.random()}`;
    const old = await Catalog.open({ name });
    const newer = await openNewer(name, SCHEMA_VERSION + 1);
    expect(events.map((e) => `${e.kind} ${e.database}`)).toEqual(['versionchange catalog']);
    newer.close();
    old.close();
  });

  it('the banner keeps one line per database: a blocked line goes when the open goes through, a let-go line stays', () => {
    let notices = applyUpgradeEvent([], { kind: 'blocked', database: 'catalog', name: 'c', message: 'waiting' });
    notices = applyUpgradeEvent(notices, { kind: 'versionchange', database: 'scheduler queue', name: 'q', message: 'reload' });
    expect(notices.map((n) => `${n.database}: ${n.kind}`)).toEqual(['catalog: blocked', 'scheduler queue: versionchange']);
    notices = applyUpgradeEvent(notices, { kind: 'unblocked', database: 'catalog', name: 'c' });
    notices = applyUpgradeEvent(notices, { kind: 'unblocked', database: 'scheduler queue', name: 'q' });
    expect(notices.map((n) => `${n.database}: ${n.kind}`)).toEqual(['scheduler queue: versionchange']);
  });
});
