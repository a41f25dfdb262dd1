import { describe, expect, it } from 'vitest';

describe('a hand-made step never reaches the Python text unchecked', () => {
  it('refuses a Limit whose count is code, and a Spigot whose topk is text (the tab\'s compile checks params first)', async () => {
    const { exportSpark, SparkExportError } = await import('../../../src/jobs/export-spark');
    const schema = [{ name: 'a', type: { kind: 'primitive', name: 'bigint' } as const }];
    const job = (kind: string, params: unknown) => ({
      version: 1 as const, name: 'x', bookmark: 'job-bookmark-disable' as const, parameters: [],
      nodes: [
        { id: 'src', kind: 'source' as const, source: { type: 'file' as const, path: '/x.csv' } },
        { id: 'step', kind: 'transform' as const, inputs: ['src'], step: { id: 'step', kind, params } as never },
        { id: 'out', kind: 'target' as const, inputs: ['step'], target: { type: 'download' as const, name: 'o', format: 'csv' as const } },
      ],
    });
    const opts = { sources: { src: { location: '/x.csv', format: 'csv' as const } }, schemas: { src: schema } };
    expect(() => exportSpark(job('Limit', { count: '1); import os; os.system("id") #' }), opts)).toThrow(SparkExportError);
    expect(() => exportSpark(job('Limit', { count: '1); import os; os.system("id") #' }), opts)).toThrow(/step: the number of records must be a whole number/);
    expect(() => exportSpark(job('Spigot', { topk: '5' }), opts)).toThrow(/topk and seed must be whole numbers/);
    expect(exportSpark(job('Limit', { count: 5 }), opts)).toContain('step = src.limit(5)');
  });
});
