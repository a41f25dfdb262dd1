import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { duckdbGluePlugin, patchDuckDbGlue } from '../../../scripts/duckdb-glue.mjs';

const require = createRequire(import.meta.url);
// Where vite.config.ts aliases 'duckdb-browser-blocking' (the package's exports do not name this build).
const browserGlue = fileURLToPath(new URL('../../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url));
const RELOCATE = 'wasmExports=relocateExports(wasmExports,1024)';

/** Run the plugin's transform hook the way Vite does, collecting its warnings. */
function transform(code: string, id: string): { result: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const plugin = duckdbGluePlugin();
  const hook = plugin.transform as (this: { warn(message: string): void }, code: string, id: string) => unknown;
  const result = hook.call({ warn: (message: string) => warnings.push(message) }, code, id);
  return { result, warnings };
}

describe("the engine worker's DuckDB glue as the Vite build patches it (issue 21: cold start spent ~200 ms on a GOT entry and a table slot per export)", () => {
  const glue = readFileSync(browserGlue, 'utf8');

  it('patches every main module relocation of the installed browser glue, whatever path Vite resolves it by', () => {
    const sites = glue.split(RELOCATE).length - 1;
    expect(sites).toBeGreaterThan(0);
    // node_modules is a symlink in the worktrees and Vite hands transform the real path, with a query at times.
    for (const id of [browserGlue, realpathSync(browserGlue), `${realpathSync(browserGlue)}?worker_file&type=module`]) {
      const { result, warnings } = transform(glue, id);
      expect(warnings).toEqual([]);
      const code = (result as { code: string }).code;
      expect(code).toBe(patchDuckDbGlue(glue));
      expect(code.split(`__epoxyMainGOT=!0,${RELOCATE},__epoxyMainGOT=!1`).length - 1).toBe(sites);
    }
  });

  it('leaves every other module alone', () => {
    const nodeGlue = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
    expect(transform(readFileSync(nodeGlue, 'utf8'), nodeGlue)).toEqual({ result: null, warnings: [] });
    expect(transform(glue, '/work/app/src/engine/browser.ts')).toEqual({ result: null, warnings: [] });
  });

  it('builds a glue it does not recognise unpatched, with a build warning naming the module', () => {
    const { result, warnings } = transform('export default {}', browserGlue);
    expect(result).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(browserGlue);
    expect(warnings[0]).toContain('unpatched');
    // Already patched (a second pass): the patch never applies twice.
    expect(transform(patchDuckDbGlue(glue)!, browserGlue).result).toBeNull();
  });
});
