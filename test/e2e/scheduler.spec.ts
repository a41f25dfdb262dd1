import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { crawlFolder } from './helpers';
import { startS3, type TestS3 } from '../support/s3';

// A workflow crawler -> job A -> job B where job A reads S3 through a fault-injecting proxy.
const origin = `http://127.0.0.1:${process.env.EPOXY_E2E_PORT ?? 4181}`;
let s3: TestS3;
let proxy: FaultProxy;

test.beforeAll(async () => {
  s3 = await startS3({ corsOrigins: [origin] });
  await s3.put('in/orders.csv', 'id,region,amount\n1,eu,10.5\n2,us,3.25\n3,eu,7\n');
  proxy = await startFaultProxy(s3.endpoint);
  proxy.corsOrigin(origin);
});
test.afterAll(async () => {
  await proxy?.close();
  await s3?.close();
});

function folder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'epoxy-e2e-wf-')), 'raw');
  mkdirSync(join(root, 'day=1'), { recursive: true });
  writeFileSync(join(root, 'day=1', 'a.csv'), 'id,v\n1,2\n');
  return root;
}

async function makeJob(page: Page, name: string, url: string, maxRetries: number) {
  await page.goto('/#/jobs');
  await page.getByTestId('new-job-name').fill(name);
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('job-name')).toHaveText(name);
  await page.getByTestId('source-location').fill(url);
  await page.getByTestId('add-location-source').click();
  await expect(page.getByTestId('preview-meta')).toHaveText('3 rows · 3 columns');
  await page.getByTestId('add-target').click();
  await page.getByLabel('Max retries').fill(String(maxRetries));
  await page.getByLabel('Max retries').blur();
  await page.getByTestId('save-job').click();
}

async function addTrigger(page: Page, name: string, condition: string | null, action: string) {
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Workflow').fill('nightly');
  await form.getByLabel('Type').selectOption(condition ? 'CONDITIONAL' : 'ON_DEMAND');
  if (condition) {
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Condition 1 job or crawler').selectOption(condition);
  }
  await form.getByLabel(action.replace(':', ' ')).check();
  await form.getByRole('button', { name: 'Save trigger' }).click();
  await expect(page.getByTestId('trigger-row').filter({ hasText: name })).toBeVisible();
}

test('crawler -> job A -> job B: A fails on S3 503s and succeeds on retry, with two tabs open each run executes once', async ({ page, context }) => {
  await crawlFolder(page, 'wf', folder(), 'raw');

  await makeJob(page, 'job_a', proxy.via(await s3.presignGet('in/orders.csv')), 5);
  await makeJob(page, 'job_b', await s3.presignGet('in/orders.csv'), 0);

  await page.goto('/#/schedules');
  await expect(page.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await addTrigger(page, 'start', null, 'crawler:raw');
  await addTrigger(page, 'after-raw', 'crawler:raw', 'job:job_a');
  await addTrigger(page, 'after-a', 'job:job_a', 'job:job_b');
  await expect(page.getByRole('img', { name: 'Workflow nightly graph' })).toBeVisible();

  // A second tab: it does not execute while the first holds the lock; it can still start the workflow.
  const other = await context.newPage();
  await other.goto('/#/schedules');
  await expect(other.getByTestId('scheduler-status')).toContainText('Another Epoxy tab runs the schedule.');

  proxy.script(Array.from({ length: 200 }, () => 503));
  await other.getByTestId('trigger-row').filter({ hasText: 'start' }).getByRole('button', { name: 'Run now' }).click();
  // Job A's first attempt fails on the 503s (transient): once it has, S3 answers again.
  await expect(other.getByTestId('job-run').filter({ hasText: 'job_a' }).filter({ hasText: 'FAILED' }).first()).toBeVisible({ timeout: 60_000 });
  proxy.script([]);
  await expect(other.getByText(/run wr_\S+: COMPLETED/)).toBeVisible({ timeout: 60_000 });

  const runs = other.getByTestId('job-run');
  const aRuns = runs.filter({ hasText: 'job_a' });
  await expect(aRuns.filter({ hasText: 'SUCCEEDED' })).toHaveCount(1);
  expect(await aRuns.filter({ hasText: 'FAILED' }).count()).toBeGreaterThanOrEqual(1);
  await expect(aRuns.filter({ hasText: 'FAILED' }).first()).toContainText('503');
  await expect(runs.filter({ hasText: 'job_b' })).toHaveCount(1);
  await expect(runs.filter({ hasText: 'job_b' })).toContainText('SUCCEEDED');
  // The crawler ran once by hand and exactly once in the workflow, though two tabs were open.
  await page.goto('/#/crawlers');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(3);
});

test('closing the tab that runs a job mid-run: another tab marks the attempt, retries it and completes it', async ({ page, context }) => {
  await makeJob(page, 'job_c', proxy.via(await s3.presignGet('in/orders.csv')), 2);
  await page.goto('/#/schedules');
  await expect(page.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.');
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('form', { name: 'New trigger' });
  await form.getByLabel('Name').fill('go');
  await form.getByLabel('Type').selectOption('ON_DEMAND');
  await form.getByLabel('job job_c').check();
  await form.getByRole('button', { name: 'Save trigger' }).click();

  const other = await context.newPage();
  await other.goto('/#/schedules');
  await expect(other.getByTestId('scheduler-status')).toContainText('Another Epoxy tab runs the schedule.');

  // S3 stops answering: job_c hangs in the first tab, which is then closed mid-run.
  proxy.script(Array.from({ length: 50 }, () => 'stall' as const));
  await other.getByTestId('trigger-row').filter({ hasText: 'go' }).getByRole('button', { name: 'Run now' }).click();
  await expect(other.getByTestId('job-run').filter({ hasText: 'job_c' }).filter({ hasText: 'RUNNING' })).toBeVisible({ timeout: 30_000 });
  proxy.script([]);
  await page.close();

  await expect(other.getByTestId('scheduler-status')).toContainText('This tab runs the schedule.', { timeout: 30_000 });
  const runs = other.getByTestId('job-run').filter({ hasText: 'job_c' });
  await expect(runs.filter({ hasText: 'SUCCEEDED' })).toHaveCount(1, { timeout: 60_000 });
  await expect(runs.filter({ hasText: 'FAILED' })).toContainText('the tab was closed while the run was in progress');
});
