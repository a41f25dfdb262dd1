import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlFolder } from './helpers';

function makeFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-sched-')), 'raw');
  mkdirSync(join(root, 'day=1'), { recursive: true });
  mkdirSync(join(root, 'day=2'), { recursive: true });
  writeFileSync(join(root, 'day=1', 'a.csv'), 'id,v\n1,2\n2,3\n');
  writeFileSync(join(root, 'day=2', 'a.csv'), 'id,v\n3,4\n');
  return root;
}

test('a workflow trigger runs a crawler from the scheduler queue; schedules preview their next fires; the workflow shares as a link', async ({ page, browser }) => {
  await crawlFolder(page, 'raw_db', makeFolder(), 'raw');

  await page.getByRole('link', { name: 'Schedules' }).click();
  await expect(page.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('nightly-start');
  await form.getByLabel('Workflow').fill('nightly');
  await form.getByLabel('Schedule (UTC)').fill('cron(0 2 * * * *)');
  await expect(form.getByText(/Use \? in exactly one of Day-of-month and Day-of-week/)).toBeVisible();
  await form.getByLabel('Schedule (UTC)').fill('cron(0 2 * * ? *)');
  await expect(form.getByTestId('next-fires')).toContainText('02:00 UTC');
  await form.getByLabel('crawler raw').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  await expect(page.getByTestId('trigger-row')).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'Workflow nightly graph' })).toBeVisible();

  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByText(/run wr_.*COMPLETED/)).toBeVisible({ timeout: 30_000 });
  const bars = page.getByTestId('timeline-bar');
  await expect(bars).toHaveCount(2);
  await expect(bars.last()).toHaveAttribute('data-state', 'COMPLETED');
  await expect(page.getByTestId('queue-item')).toHaveCount(0);

  // Reload: triggers, workflow run and the timeline are persisted.
  await page.reload();
  await expect(page.getByTestId('trigger-row')).toHaveCount(1);
  await expect(page.getByTestId('timeline-bar')).toHaveCount(2);

  // Shared as a link, the workflow arrives in another browser with its trigger disabled: nothing runs by itself.
  await page.getByText('Share this workflow', { exact: true }).click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('shared-workflow-title')).toContainText('nightly');
  await other.getByTestId('add-workflow').click();
  await other.getByRole('link', { name: 'Open Schedules' }).click();
  await expect(other.getByTestId('trigger-row')).toHaveCount(1);
  await expect(other.getByTestId('trigger-row').getByRole('checkbox', { name: 'enabled' })).not.toBeChecked();
  await expect(other.getByTestId('job-run')).toHaveCount(0);
  await fresh.close();
});

test('a conditional trigger that starts a crawler: its crawls are listed in the Schedules runs table (issue 15 #6: only job runs were listed)', async ({ page }) => {
  await crawlFolder(page, 'raw_db', makeFolder(), 'raw');
  await page.getByRole('button', { name: 'New crawler' }).click();
  await crawlFolder(page, 'raw_db', makeFolder(), 'raw_copy');

  await page.goto('/#/schedules');
  await expect(page.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  const newTrigger = async (name: string, type: 'ON_DEMAND' | 'CONDITIONAL', action: string) => {
    await page.getByRole('button', { name: 'New trigger' }).click();
    const form = page.getByRole('form', { name: 'New trigger' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Type').selectOption(type);
    if (type === 'CONDITIONAL') {
      await form.getByRole('button', { name: 'Add condition' }).click();
      await form.getByLabel('Condition 1 job or crawler').selectOption('crawler:raw');
      await form.getByLabel('Condition 1 state').selectOption('SUCCEEDED');
    }
    await form.getByLabel(action, { exact: true }).check();
    await form.getByRole('button', { name: 'Save trigger' }).click();
    await expect(page.getByTestId('trigger-row').filter({ hasText: name })).toBeVisible();
  };
  await newTrigger('start', 'ON_DEMAND', 'crawler raw');
  await newTrigger('after-raw', 'CONDITIONAL', 'crawler raw_copy');

  await page.getByTestId('trigger-row').filter({ hasText: 'start' }).getByRole('button', { name: 'Run now' }).click();
  const copies = page.getByTestId('crawler-run').filter({ hasText: 'raw_copy' });
  // One crawl by hand in the Crawlers view, one started by the conditional trigger.
  await expect(copies).toHaveCount(2, { timeout: 30_000 });
  await expect(copies.first()).toHaveAttribute('data-state', 'COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('crawler-run').filter({ hasText: /crawler raw cr/ })).toHaveCount(2);
  await expect(page.getByTestId('timeline-bar')).toHaveCount(4);
  await expect(page.getByTestId('job-run')).toHaveCount(0);
});

test('a disabled scheduled trigger says it will not fire instead of showing a next fire time (issue 15 #12)', async ({ page }) => {
  await crawlFolder(page, 'raw_db', makeFolder(), 'raw');
  await page.goto('/#/schedules');
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('nightly');
  await form.getByLabel('Schedule (UTC)').fill('cron(0 2 * * ? *)');
  await form.getByLabel('crawler raw').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  const row = page.getByTestId('trigger-row').filter({ hasText: 'nightly' });
  await expect(row.getByTestId('next-fire')).toHaveText(/^next \d{4}-\d\d-\d\d 02:00 UTC$/);
  await row.getByRole('checkbox', { name: 'enabled' }).uncheck();
  await expect(row.getByTestId('next-fire')).toHaveText('disabled: no next fire');
  await page.reload();
  await expect(page.getByTestId('trigger-row').filter({ hasText: 'nightly' }).getByTestId('next-fire')).toHaveText('disabled: no next fire');
});
