import { describe, expect, it } from 'vitest';
import { expectDuckParity } from '../../../support/duck-parity';
import { examplesJob } from './brew-jobs';

describe('the DataBrew kinds on native DuckDB (the DuckDB SQL export, @duckdb/node-api)', () => {
  it('writes the same rows, names and types as the tab for every example and edge case', async () => {
    const { job, targets } = examplesJob();
    const report = await expectDuckParity(job);
    expect(report.targets).toHaveLength(targets.length);
    for (const t of report.targets) expect(t.tab.rows, t.nodeId).toBeGreaterThan(0);
  }, 300_000);
});
