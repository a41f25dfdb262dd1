import { describe, expect, it } from 'vitest';
import { expectDuckParity } from '../../../support/duck-parity';
import { examplesJob } from './brew-jobs';

describe('the DataBrew kinds on native DuckDB (the DuckDB SQL export, @duckdb/node-api)', () => {
  // The examples themselves run in test/unit/jobs/parity-examples.test.ts.
  it('writes the same rows, names and types as the tab for the edge cases (NULL structs, tabs, regex escapes, ties, bad ISO text)', async () => {
    const { job, targets } = examplesJob(false);
    const report = await expectDuckParity(job);
    expect(report.targets).toHaveLength(targets.length);
    for (const t of report.targets) expect(t.tab.rows, t.nodeId).toBeGreaterThan(0);
  }, 300_000);
});
