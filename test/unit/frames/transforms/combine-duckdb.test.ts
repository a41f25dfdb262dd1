/** The set and ordering kinds' hand-made edge cases exported as DuckDB SQL run on native DuckDB as in the tab (their examples run in test/unit/jobs/parity-examples.test.ts). */
import { describe, it } from 'vitest';
import { expectDuckParity } from '../../../support/duck-parity';
import { exampleJob } from '../../../support/examples';
import { EDGE_CASES } from './combine-helpers';

describe('native DuckDB runs the set and ordering edge cases the way the tab does', () => {
  for (const [kind, cases] of Object.entries(EDGE_CASES)) {
    cases.forEach((e, i) => {
      it(`${kind}: ${e.title}`, async () => { await expectDuckParity(exampleJob(kind, e, i).job); }, 120_000);
    });
  }
});
