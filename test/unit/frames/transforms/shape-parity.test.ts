import { describe, expect, it } from 'vitest';
import { transformOf } from '../../../../src/frames/transforms';
import type { Step } from '../../../../src/frames/steps';
import type { JobNode } from '../../../../src/jobs/model';
import { expectDuckParity, file, stepJob } from '../../../support/duck-parity';

const KINDS = ['Pivot', 'Unpivot', 'Explode', 'Flatten', 'Identifier', 'ConditionalRouter'];

describe('native DuckDB parity of the structure transforms\' examples (issue 20)', () => {
  for (const kind of KINDS) {
    for (const [i, e] of transformOf(kind)!.examples.entries()) {
      it(`${kind}: ${e.title}`, async () => {
        const step = { id: 'step', kind, params: e.params } as Step;
        await expectDuckParity(stepJob(`${kind.toLowerCase()}_${i + 1}`, file(e.input), [step], { format: 'ndjson' }));
      });
    }
  }

  it('ConditionalRouter: a group read by a second target as t0:<group> matches too', async () => {
    const e = transformOf('ConditionalRouter')!.examples[0]!;
    const job = stepJob('router_groups', file(e.input), [{ id: 'step', kind: 'ConditionalRouter', params: e.params } as Step], { format: 'ndjson' });
    const wet: JobNode = { id: 'wet_out', kind: 'target', inputs: ['t0:wet'], target: { type: 'workspace', path: 'lake/wet', format: 'ndjson' } };
    job.nodes.push(wet);
    const report = await expectDuckParity(job);
    expect(report.targets.map((t) => [t.nodeId, t.tab.rows, t.native.rows])).toEqual([['out', 744, 744], ['wet_out', 702, 702]]);
  });
});
