import { expect, test, type Page } from '@playwright/test';
import { dropFiles, openApp } from './helpers';

/**
 * Issue 19, the attacker's pass, in the browser: what only the page shows — hostile file content rendered as
 * text in the grid, the filter box and the chart, and refusals of SQL that would change the engine for later.
 */

const EVIL_HEADER = '<img src=x onerror=alert(1)>';
const EVIL_CELL = "<img src=y onerror=alert(2)>'\"";

/** Elements the file's HTML would make if it were rendered (shadow roots, the SQL editor's, included). */
async function injectedElements(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    const walk = (root: Document | ShadowRoot) => {
      n += root.querySelectorAll('[onerror], img[src="x"], img[src="y"], b').length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return n;
  });
}

async function runSql(page: Page, sql: string): Promise<void> {
  await page.getByRole('textbox', { name: 'SQL query' }).fill(sql);
  await page.getByRole('button', { name: 'Run query' }).click();
}

test('a CSV whose header and cells are HTML shows them as text in the grid, the result, its filter and a chart (issue 19 attack)', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await openApp(page);
  const csv = `"${EVIL_HEADER}",n\n"${EVIL_CELL.replace(/"/g, '""')}",1\n"<b>bold</b>",2\n`;
  await dropFiles(page, [{ name: 'evil.csv', content: csv }]);
  await expect(page.getByTestId('table-title')).toHaveText('evil');
  await expect(page.getByRole('grid', { name: 'Rows of evil' }).getByRole('columnheader').nth(1)).toContainText(EVIL_HEADER);

  await runSql(page, "SELECT * FROM 'evil.csv'");
  const result = page.getByRole('grid', { name: 'Query result' });
  await expect(result.locator('[aria-rowindex="1"]').getByRole('gridcell').first()).toHaveText(EVIL_CELL);
  await expect(result.locator('[aria-rowindex="2"]').getByRole('gridcell').first()).toHaveText('<b>bold</b>');
  // The filter box of the HTML-named column: its text is a literal, quotes and all.
  await result.getByTestId(`filter-${EVIL_HEADER}`).fill(`=${EVIL_CELL}`);
  await expect(page.getByTestId('view-rows')).toHaveText('1 after filters');
  await page.getByTestId('chart-button').click();
  await expect(page.getByTestId('chart-canvas')).toHaveAttribute('data-drawn', /^[1-9]/);
  await page.screenshot({ path: 'test-results/attacks-i19-html.png', fullPage: true });

  expect(await injectedElements(page)).toBe(0);
  expect(dialogs).toEqual([]);
});

test('the SQL box refuses a shared CREATE MACRO and COPY … TO, saying why, and the engine computes as before (issue 19 attack)', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'nums.csv', content: 'i,name\n1,a\n2,b\n3,c\n' }]);
  await expect(page.getByTestId('table-title')).toHaveText('nums');
  await runSql(page, 'CREATE MACRO sum(x) AS 0');
  await expect(page.getByTestId('query-error')).toContainText('CREATE MACRO without TEMP is refused');
  await runSql(page, "COPY (SELECT 'PWNED' AS i) TO '/epoxy/1/nums.csv' (HEADER)");
  await expect(page.getByTestId('query-error')).toContainText('COPY … TO is refused here');
  await runSql(page, 'SELECT sum(i) AS total, count(*) AS n FROM nums');
  await expect(page.getByRole('grid', { name: 'Query result' }).locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['6', '3']);
  await runSql(page, 'CREATE TEMP MACRO twice(x) AS x * 2; SELECT twice(21) AS v');
  await expect(page.getByRole('grid', { name: 'Query result' }).locator('[aria-rowindex="1"]').getByRole('gridcell')).toHaveText(['42']);
});
