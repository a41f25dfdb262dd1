import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, CatalogError, ConcurrentModificationError, openDatabase } from '../../../../src/catalog';
import { CatalogSession, UPGRADED_ELSEWHERE } from '../../../../src/app/shared/catalog-session';
import { onDatabaseUpgrade, type UpgradeEvent } from '../../../../src/storage/db-upgrades';

/** Resolves once `list` holds `n` entries (subscribers are told a task after the commit, like a BroadcastChannel). */
function until<T>(list: T[], n: number): Promise<T[]> {
  return new Promise((resolve) => {
    const check = () => (list.length >= n ? resolve(list) : setTimeout(check, 1));
    check();
  });
}

describe('CatalogSession: the app\'s one catalog', () => {
  it('opens the catalog once, however many models ask at once, and hands each the same one', async () => {
    const session = new CatalogSession({ factory: new IDBFactory(), name: 'once' });
    const [a, b] = await Promise.all([session.open(), session.open()]);
    const c = await session.open();
    expect(a).toBeInstanceOf(Catalog);
    expect(b).toBe(a);
    expect(c).toBe(a);
    session.close();
  });

  it('tells every subscriber what another view of this tab and what another tab committed, once each (issue 18: one sync for the app)', async () => {
    const factory = new IDBFactory();
    const tab = new CatalogSession({ factory, name: 'fan-out' });
    const otherTab = new CatalogSession({ factory, name: 'fan-out' });
    const catalogView: string[][] = [];
    const jobsView: string[][] = [];
    const there: string[][] = [];
    const catalog = await tab.open();
    const stopCatalogView = tab.subscribe((changed) => catalogView.push(changed));
    tab.subscribe((changed) => jobsView.push(changed));
    otherTab.subscribe((changed) => there.push(changed));
    const theirs = await otherTab.open();

    await catalog.createDatabase({ Name: 'shop' });
    expect(await until(there, 1)).toEqual([['database:shop']]);
    await theirs.createDatabase({ Name: 'lake' });
    // A commit here reaches this tab's subscribers once (not again through the channel); theirs arrives too.
    expect(await until(catalogView, 2)).toEqual([['database:shop'], ['database:lake']]);
    expect(await until(jobsView, 2)).toEqual([['database:shop'], ['database:lake']]);
    expect((await catalog.getDatabases()).map((d) => d.Name).sort()).toEqual(['lake', 'shop']);

    // A view that stops unsubscribes; the catalog stays open for the others.
    stopCatalogView();
    await theirs.createDatabase({ Name: 'sea' });
    expect(await until(jobsView, 3)).toEqual([['database:shop'], ['database:lake'], ['database:sea']]);
    expect(catalogView).toHaveLength(2);
    expect((await catalog.getDatabases()).map((d) => d.Name).sort()).toEqual(['lake', 'sea', 'shop']);
    tab.close();
    otherTab.close();
  });

  it('says "Another tab upgraded the catalog" when a newer tab upgrades it, to views that come later too', async () => {
    const factory = new IDBFactory();
    const session = new CatalogSession({ factory, name: 'upgraded', version: 2 });
    const said: string[] = [];
    session.onNotice((notice) => said.push(notice));
    const events: UpgradeEvent[] = [];
    const stopEvents = onDatabaseUpgrade((e) => events.push(e));
    await session.open();
    expect(session.notice).toBeNull();
    // A newer build: the session's connection lets go at once, so this open is not blocked.
    const newer = await Catalog.open({ factory, name: 'upgraded' });
    expect(said).toEqual([UPGRADED_ELSEWHERE]);
    expect(session.notice).toBe('Another tab upgraded the catalog. Reload this page to keep editing.');
    expect(events.map((e) => e.kind)).toEqual(['versionchange']);
    stopEvents();
    newer.close();
    session.close();
  });

  it('says what an upgrade waits for while an older tab holds the catalog, then opens when it lets go', async () => {
    const factory = new IDBFactory();
    const old = await openDatabase(factory, 'blocked', 1); // an old tab that does not close on versionchange
    const session = new CatalogSession({ factory, name: 'blocked' });
    let blocked!: () => void;
    const told = new Promise<void>((resolve) => { blocked = resolve; });
    session.onNotice(() => blocked());
    const opening = session.open();
    await told;
    expect(session.notice).toContain('another Epoxy tab still has the old one open');
    old.close();
    const catalog = await opening;
    expect(await catalog.getDatabases()).toEqual([]);
    session.close();
  });

  it('tries a failed open again on the next use, instead of keeping the failure for every later model', async () => {
    const real = new IDBFactory();
    let refuse = true;
    const flaky = {
      open: (name: string, version?: number) => {
        if (refuse) { refuse = false; throw new DOMException('the disk is busy', 'UnknownError'); }
        return real.open(name, version);
      },
      deleteDatabase: (name: string) => real.deleteDatabase(name),
      databases: () => real.databases(),
      cmp: (a: unknown, b: unknown) => real.cmp(a, b),
    } as IDBFactory;
    const session = new CatalogSession({ factory: flaky, name: 'flaky' });
    await expect(session.open()).rejects.toBeInstanceOf(Error);
    const catalog = await session.open();
    expect(await catalog.getDatabases()).toEqual([]);
    session.close();
  });

  it('lets go for good when closed: a newer tab then upgrades without this page being told to reload', async () => {
    const factory = new IDBFactory();
    const session = new CatalogSession({ factory, name: 'closing', version: 2 });
    const said: string[] = [];
    session.onNotice((n) => said.push(n));
    await session.open();
    session.close();
    const newer = await Catalog.open({ factory, name: 'closing' });
    // An open connection would have got versionchange (see above); a closed one has nothing to let go of.
    expect(said).toEqual([]);
    expect(session.notice).toBeNull();
    newer.close();
  });

  it('reconnects after close when used again (a page back from the cache), connection and sync alike', async () => {
    const factory = new IDBFactory();
    const session = new CatalogSession({ factory, name: 'back' });
    const heard: string[][] = [];
    session.subscribe((changed) => heard.push(changed));
    await session.open();
    session.close();
    const catalog = await session.open();
    const other = new CatalogSession({ factory, name: 'back' });
    await (await other.open()).createDatabase({ Name: 'again' });
    expect(await until(heard, 1)).toEqual([['database:again']]);
    expect((await catalog.getDatabases()).map((d) => d.Name)).toEqual(['again']);
    other.close();
    session.close();
  });

  it('keeps the refusal of a stale save: two tabs through two sessions still get ConcurrentModification', async () => {
    const factory = new IDBFactory();
    const a = await new CatalogSession({ factory, name: 'versions' }).open();
    const b = await new CatalogSession({ factory, name: 'versions' }).open();
    await a.put('crawler', { Name: 'c', DatabaseName: 'd', Targets: {} }, { expectedVersionId: null });
    const seen = (await b.get('crawler', 'c')).VersionId!;
    await a.put('crawler', { Name: 'c', DatabaseName: 'd2', Targets: {} }, { expectedVersionId: seen });
    const err = await b.put('crawler', { Name: 'c', DatabaseName: 'd3', Targets: {} }, { expectedVersionId: seen }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect(err).toBeInstanceOf(ConcurrentModificationError);
    a.close();
    b.close();
  });
});
