import { describe, expect, it } from 'vitest';
import { transformOf } from '../../../../src/frames/transforms';
import type { Step } from '../../../../src/frames/steps';
import type { JobNode } from '../../../../src/jobs/model';
import { expectDuckParity, file, stepJob } from '../../../support/duck-parity';

describe('native DuckDB parity of a router group read by another node (issue 20)', () => {
  // Every example of every kind is in test/unit/jobs/parity-examples.test.ts; this is what the examples do not show.
  it('ConditionalRouter: a group read by a second target as t0:<group> matches too', async () => {
    const e = transformOf('ConditionalRouter')!.examples[0]!;
    const job = stepJob('router_groups', file(e.input), [{ id: 'step', kind: 'ConditionalRouter', params: e.params } as Step], { format: 'ndjson' });
    const wet: JobNode = { id: 'wet_out', kind: 'target', inputs: ['t0:wet'], target: { type: 'workspace', path: 'lake/wet', format: 'ndjson' } };
    job.nodes.push(wet);
    const report = await expectDuckParity(job);
    expect(report.targets.map((t) => [t.nodeId, t.tab.rows, t.native.rows])).toEqual([['out', 744, 744], ['wet_out', 702, 702]]);
  });
});
