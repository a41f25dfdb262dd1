import { expect, test } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

// The page's clock is Playwright's (Date and timers faked, time still flowing), so "closed for 2½ minutes"
// takes no real time: the scheduler, the durable queue and the job runner are the app's own.
const T0 = Date.UTC(2031, 0, 15, 10, 0, 1);

test('a cron trigger missed twice while the tab was closed runs exactly once on reopening, marked as a catch-up (issue 15 #4: 3 catch-up runs in 2 s)', async ({ context }) => {
  const first = await context.newPage();
  await first.clock.install({ time: T0 });
  await openApp(first);
  await dropFiles(first, [{ name: 'orders.csv', content: 'id,amount\n1,2.5\n2,4\n' }]);
  await expect(first.getByTestId('table-meta')).toContainText('2 rows');
  await first.getByRole('link', { name: 'Jobs' }).click();
  await first.getByTestId('new-job-name').fill('tick_job');
  await first.getByTestId('new-job').click();
  await first.getByTestId('source-choice').selectOption('table:orders');
  await first.getByTestId('add-source').click();
  await first.getByTestId('add-target').click();
  await first.getByTestId('save-job').click();
  await expect(first.getByTestId('job-unsaved')).toHaveCount(0);

  await first.getByRole('link', { name: 'Schedules' }).click();
  await expect(first.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await first.getByRole('button', { name: 'New trigger' }).click();
  const form = first.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('every-minute');
  await form.getByLabel('Schedule (UTC)').fill('cron(* * * * ? *)');
  await form.getByLabel('If runs were missed while closed').selectOption('run-once');
  await form.getByLabel('job tick_job').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  await expect(first.getByTestId('trigger-row').filter({ hasText: 'every-minute' })).toBeVisible();
  // Still before the first fire (10:01:00 on the page's clock): nothing has run while the tab was open.
  expect(await first.evaluate(() => Date.now())).toBeLessThan(T0 + 59_000);
  await expect(first.getByTestId('job-run')).toHaveCount(0);
  await first.close();

  // Reopened at 10:02:31: the fires of 10:01 and 10:02 were missed.
  const again = await context.newPage();
  await again.clock.install({ time: T0 + 150_000 });
  await again.goto('/#/schedules');
  const runs = again.getByTestId('job-run');
  await expect(runs).toHaveCount(1, { timeout: 30_000 });
  await expect(runs).toHaveAttribute('data-state', 'FAILED', { timeout: 30_000 });
  await expect(again.getByTestId('queue-item')).toHaveCount(0);
  await expect(runs).toHaveCount(1);
  await expect(runs.getByTestId('run-cause')).toHaveText('trigger every-minute · catch-up: one run for 1 fire missed while Epoxy was closed');
  // The tab's tables closed with it: the run says so in words (not DuckDB's "Did you mean pg_constraint").
  await expect(runs).toContainText('no table orders is open in this tab now');
  await expect(runs).not.toContainText('pg_constraint');
  await expect(again.getByTestId('timeline-bar')).toHaveCount(1);
  expect(await again.evaluate(() => Date.now())).toBeLessThan(T0 + 179_000);
});
