import { expect, test, type Page } from '@playwright/test';
import { openApp } from './helpers';

// A newer Epoxy is simulated in one tab by opening the scheduler's queue database one version higher than
// this build does (the app's upgrade steps are all guarded by oldVersion, so the extra version is empty).
// The hook lives in the test only: the app has no switch for it.
async function asNewerBuild(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      return name === 'epoxy-scheduler' && version !== undefined ? open.call(this, name, version + 1) : open.call(this, name, version);
    };
  });
}

test('an old tab lets go of the scheduler queue when a newer tab upgrades it, says "reload to update", and the newer tab runs the schedule (issue 16: the upgrade hung with no message)', async ({ context }) => {
  const old = await context.newPage();
  await openApp(old);
  await old.goto('/#/schedules');
  await expect(old.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');

  const newer = await context.newPage();
  await asNewerBuild(newer);
  await openApp(newer);
  await newer.goto('/#/schedules');

  const banner = old.getByTestId('db-upgrade');
  await expect(banner).toHaveAttribute('data-kind', 'versionchange');
  await expect(banner).toHaveAttribute('data-database', 'scheduler queue');
  await expect(banner).toContainText('A newer version of Epoxy opened in another tab and upgraded the scheduler queue database: this tab let go of it. Reload to update.');
  await expect(banner.getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect(old.getByTestId('scheduler-role')).toHaveText('This tab no longer runs schedules: a newer Epoxy in another tab took over (reload to update).');
  await old.screenshot({ path: 'test-results/db-upgrade-old-tab.png' });

  // The old tab gave up the executor lock with the database: the newer tab executes, and its queue works.
  await expect(newer.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await expect(newer.getByTestId('db-upgrade')).toHaveCount(0);
  expect(await newer.evaluate(() => new Promise<number>((resolve, reject) => {
    const req = indexedDB.open('epoxy-scheduler');
    req.onsuccess = () => { const v = req.result.version; req.result.close(); resolve(v); };
    req.onerror = () => reject(req.error);
  }))).toBe(4);
});

test('a newer tab blocked by an old build holding the queue open says what it waits for, and continues once that tab lets go', async ({ context }) => {
  const first = await context.newPage();
  await openApp(first); // creates the queue database at this build's version
  await first.close();

  // An Epoxy tab of an older build: it holds the database and never answers versionchange.
  const oldBuild = await context.newPage();
  await oldBuild.goto('/manifest.webmanifest');
  await oldBuild.evaluate(() => new Promise<void>((resolve, reject) => {
    const req = indexedDB.open('epoxy-scheduler');
    req.onsuccess = () => { (globalThis as unknown as { held: IDBDatabase }).held = req.result; resolve(); };
    req.onerror = () => reject(req.error);
  }));

  const newer = await context.newPage();
  await asNewerBuild(newer);
  await openApp(newer);
  await newer.goto('/#/schedules');
  const banner = newer.getByTestId('db-upgrade');
  await expect(banner).toHaveAttribute('data-kind', 'blocked');
  await expect(banner).toContainText('Epoxy is upgrading its scheduler queue database and waits for other Epoxy tabs that still have the old version open: close or reload them; this tab continues as soon as they let go.');
  await expect(newer.getByTestId('scheduler-role')).toHaveText('The scheduler waits for older Epoxy tabs to let go of its queue.');
  await newer.screenshot({ path: 'test-results/db-upgrade-blocked-tab.png' });

  await oldBuild.evaluate(() => (globalThis as unknown as { held: IDBDatabase }).held.close());
  await expect(newer.getByTestId('db-upgrade')).toHaveCount(0);
  await expect(newer.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
});

test('after another tab upgrades the catalog, every Catalog view of the old tab says to reload, also one opened afterwards (issue 18: one catalog session for the app)', async ({ context }) => {
  const old = await context.newPage();
  await openApp(old);
  await old.goto('/#/catalog');
  await expect(old.getByTestId('catalog-empty')).toBeVisible();

  // A newer build upgrades the catalog database from another tab: the old tab lets go, so this open is not blocked.
  const newer = await context.newPage();
  await newer.goto('/manifest.webmanifest');
  const upgraded = await newer.evaluate(() => new Promise<number>((resolve, reject) => {
    const probe = indexedDB.open('epoxy-catalog');
    probe.onsuccess = () => {
      const version = probe.result.version;
      probe.result.close();
      const req = indexedDB.open('epoxy-catalog', version + 1);
      req.onsuccess = () => { req.result.close(); resolve(req.result.version); };
      req.onerror = () => reject(req.error);
    };
    probe.onerror = () => reject(probe.error);
  }));
  expect(upgraded).toBeGreaterThan(1);

  const reload = 'Another tab upgraded the catalog. Reload this page to keep editing.';
  await expect(old.getByTestId('catalog-sticky')).toHaveText(reload);
  await expect(old.locator('[data-testid="db-upgrade"][data-database="catalog"]')).toHaveAttribute('data-kind', 'versionchange');
  // A Catalog view mounted after the upgrade learns it from the app's one catalog session, not by failing to open.
  await old.goto('/#/crawlers');
  await old.goto('/#/catalog');
  await expect(old.getByTestId('catalog-sticky')).toHaveText(reload);
  await old.screenshot({ path: 'test-results/db-upgrade-catalog-old-tab.png' });
});
