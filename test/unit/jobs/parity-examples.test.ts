/**
 * Every transform kind's worked examples (src/frames/transforms/<Kind>.ts `examples`) run in the tab and, exported
 * as DuckDB SQL, on native DuckDB: the same names, types and rows (EXCEPT ALL both ways). A kind added to the
 * registry is in this suite by its examples alone.
 */
import { describe, it } from 'vitest';
import { allExampleJobs } from '../../support/examples';
import { expectDuckParity } from '../../support/duck-parity';

describe('native DuckDB runs every example the way the tab does', () => {
  for (const e of allExampleJobs()) {
    it(`${e.kind}: ${e.title}`, async () => {
      await expectDuckParity(e.job);
    }, 120_000);
  }
});
