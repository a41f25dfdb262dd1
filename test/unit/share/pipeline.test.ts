import { describe, expect, it } from 'vitest';
import { newJob } from '../../../src/jobs/model';
import { parseType } from '../../../src/schema/types';
import { encodePayload } from '../../../src/share/codec';
import { jobSharePayload, matchInput } from '../../../src/share/pipeline';
import { findSecrets } from '../../../src/share/secrets';
import { makeShareLink, readShareLink } from '../../../src/share/payload';

const f = (name: string, type: string) => ({ name, type: parseType(type) });

describe('sharing a pipeline', () => {
  const def = { ...newJob('daily_orders'), nodes: [
    { id: 'orders', kind: 'source' as const, source: { type: 'file' as const, path: 'https://lake.s3.amazonaws.com/o.csv?X-Amz-Signature=0123456789abcdef0123' } },
    { id: 'big', kind: 'transform' as const, inputs: ['orders'], step: { id: 's1', kind: 'Filter', params: { sql: 'amount > 5' } } as never },
    { id: 'out', kind: 'target' as const, inputs: ['big'], target: { type: 'download' as const, format: 'parquet' as const } },
  ] };

  it('carries the definition and the expected input columns, never the signature, in a short link', () => {
    const payload = jobSharePayload(def, { orders: [f('id', 'bigint'), f('amount', 'double'), f('u', 'struct<n:string>')] });
    expect(payload.inputs).toEqual([{ name: 'orders', columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'double' }, { Name: 'u', Type: 'struct<n:string>' }] }]);
    const link = makeShareLink('https://epoxy.example/', payload);
    expect(link.length).toBeLessThan(2000);
    const back = readShareLink(link.split('#/share/')[1]!);
    expect(findSecrets(back)).toEqual([]);
    expect(JSON.stringify(back)).toContain('amount > 5');
    expect(encodePayload(payload).length).toBeGreaterThan(0);
  });

  it('matches supplied files against the expected columns with clear messages', () => {
    const expected = [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'double' }, { Name: 'day', Type: 'date' }];
    expect(matchInput(expected, [f('id', 'int'), f('amount', 'double'), f('day', 'date'), f('note', 'string')])).toEqual({
      errors: [], notes: ['column id is int, read as bigint', 'extra column not used by the link: note'],
    });
    expect(matchInput(expected, [f('ID', 'bigint'), f('amount', 'string')]).errors).toEqual([
      'column amount is string but the pipeline expects double', 'missing column day (date)',
    ]);
    expect(matchInput([], [f('x', 'string')]).notes[0]).toMatch(/does not say which columns/);
  });
});
