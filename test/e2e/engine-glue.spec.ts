import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const RELOCATE = 'wasmExports=relocateExports(wasmExports,1024)';

test("the built engine worker runs DuckDB's glue patched, and DuckDB still answers (issue 21: 75,011 GOT entries and table slots made at every start)", async ({ page }) => {
  // The worker is bundled with its own plugin list (vite.config.ts worker.plugins): the patch must be in the shipped chunk.
  // The coi build's glue (opt-in, ?duckdb=coi) is another Emscripten build the patch leaves alone.
  const chunks = readdirSync('dist/assets').filter((f) => f.endsWith('.js') && !f.includes('coi')).map((f) => readFileSync(join('dist/assets', f), 'utf8')).filter((c) => c.includes(RELOCATE));
  expect(chunks.length).toBeGreaterThan(0);
  for (const chunk of chunks) expect(chunk.split(RELOCATE).length - 1).toBe(chunk.split(`__epoxyMainGOT=!0,${RELOCATE}`).length - 1);

  await openApp(page);
  const answers = await page.evaluate(async () => {
    interface Engine { query(sql: string): Promise<{ rows: unknown[][] }> }
    const engine = (globalThis as unknown as { epoxy: Engine }).epoxy;
    const rows = async (sql: string) => (await engine.query(sql)).rows;
    const error = await engine.query("SELECT 'abc'::INTEGER").then(() => 'no error', (e: unknown) => String(e instanceof Error ? e.message : e));
    return {
      // Lambdas, regular expressions, hashing, window functions, dates and a sort: calls through DuckDB's own function pointers.
      mix: await rows(`SELECT list_transform([3, 1, 2], x -> x * 10) AS l, regexp_extract('order-4711', '(\\d+)', 1) AS re,
        md5('epoxy') AS h, strftime(DATE '2024-02-29', '%d/%m/%Y') AS d`),
      window: await rows('SELECT i, sum(i) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM range(4) t(i) ORDER BY i DESC LIMIT 2'),
      // A C++ exception thrown and caught across the wasm (the eh build's unwinding).
      error,
    };
  });
  expect(answers.mix).toEqual([[[30, 10, 20], '4711', createHash('md5').update('epoxy').digest('hex'), '29/02/2024']]);
  expect(answers.window.map((r) => r.map(Number))).toEqual([[3, 5], [2, 3]]);
  expect(answers.error).toContain('Could not convert string');
});
