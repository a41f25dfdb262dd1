import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('the Schedules view warns when due runs wait longer than the executor would let them, and keeps the runs-at-a-time setting (issue 16: a growing backlog nobody saw)', async ({ page }) => {
  // An executor that is stuck: the executor lock is held and never let go, so due runs only wait.
  await page.addInitScript(() => {
    void navigator.locks.request('epoxy-executor', () => new Promise(() => {}));
  });
  await openApp(page);
  await page.goto('/#/schedules');
  await expect(page.getByTestId('scheduler-role')).toHaveText('Another Epoxy tab runs the schedule.');
  await expect(page.getByTestId('backlog-warning')).toHaveCount(0);

  await page.getByTestId('concurrency').fill('5');
  await page.getByTestId('concurrency').blur();
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const req = indexedDB.open('epoxy-scheduler');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction('queue', 'readwrite');
      const now = Date.now();
      for (let i = 0; i < 4; i++) {
        tx.objectStore('queue').put({ id: `fire:nightly:${i}:0`, kind: 'job', name: i < 3 ? 'nightly' : 'hourly', arguments: {}, attempt: 1, maxAttempts: 1, notBefore: now - (5 - i) * 60_000, enqueuedAt: now - 5 * 60_000, cause: { trigger: 'nightly' }, runId: `jr_${i}` });
      }
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByRole('link', { name: 'Schedules' }).click();
  const warning = page.getByTestId('backlog-warning');
  await expect(warning).toContainText('Fires arrive faster than runs finish: 4 runs are due and waiting, the oldest for 5 min; 0 running, at most 5 at a time.');
  await expect(page.getByTestId('queue-item')).toHaveCount(4);
  await page.screenshot({ path: 'test-results/schedules-backlog.png' });

  await page.reload();
  await page.goto('/#/schedules');
  await expect(page.getByTestId('concurrency')).toHaveValue('5');
});
