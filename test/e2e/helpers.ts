import { expect, type Page } from '@playwright/test';

/** Open the app and wait until DuckDB reports ready. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
}

/** Drop files on the real drop zone through a DataTransfer, as a user's drag and drop does. */
export async function dropFiles(page: Page, files: { name: string; content: string; type?: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.content], f.name, { type: f.type ?? 'text/csv' }));
    return dt;
  }, files);
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
}
