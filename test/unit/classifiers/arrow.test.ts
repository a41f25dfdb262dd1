import { readFileSync } from 'node:fs';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classifiers/classify';
import { classifySource } from '../../../src/classifiers/sample';
import { cols, memorySource, sampleOf } from './helpers';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/arrow/${name}`, import.meta.url)));

describe('arrow classifier', () => {
  it('reads schema and exact count of a file past the 1 MB sample from its footer, reading a fraction of the bytes', async () => {
    const n = 200_000;
    const part = (from: number) => tableFromArrays({ id: Float64Array.from({ length: n }, (_, i) => from + i), flag: Int8Array.from({ length: n }, (_, i) => i % 2) });
    const bytes = tableToIPC(part(0).concat(part(n)), 'file');
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    const src = memorySource(bytes, 'big.feather');
    const r = await classifySource(src);
    expect(r).toMatchObject({ classification: 'arrow', recordCount: 2 * n, properties: { 'epoxy.arrowFormat': 'file' } });
    expect(cols(r.schema)).toEqual(['id:double', 'flag:tinyint']);
    expect(src.bytesRead).toBeLessThan(bytes.length / 2);
  });

  it('extrapolates the count past 10,000 batch headers (each would be a range request), file and stream', async () => {
    const batch = tableFromArrays({ a: Int32Array.from([1, 2, 3]) });
    const many = new Table(Array.from({ length: 12_000 }, () => batch.batches[0]!));
    for (const format of ['file', 'stream'] as const) {
      const r = await classify(sampleOf(tableToIPC(many, format), `many.${format}`));
      expect(r.recordCountEstimated).toBe(true);
      expect(Math.abs(r.recordCount! - 36_000) / 36_000).toBeLessThan(0.02);
    }
    const few = await classify(sampleOf(tableToIPC(new Table(Array.from({ length: 50 }, () => batch.batches[0]!)), 'file'), 'few.arrow'));
    expect(few).toMatchObject({ recordCount: 150 });
    expect(few.recordCountEstimated).toBeUndefined();
  });

  it('reads an IPC stream and the arrow-testing integration files (file and stream agree)', async () => {
    const s = await classify(sampleOf(tableToIPC(tableFromArrays({ a: Int32Array.from([1, 2, 3]) }), 'stream'), 'x.arrows'));
    expect(s).toMatchObject({ classification: 'arrow', recordCount: 3, properties: { 'epoxy.arrowFormat': 'stream' } });
    const file = await classify(sampleOf(fixture('generated_primitive.arrow_file'), 'p.arrow'));
    const stream = await classify(sampleOf(fixture('generated_primitive.stream'), 'p.arrows'));
    expect(file.recordCount).toBe(37);
    expect(stream.recordCount).toBe(37);
    expect(cols(stream.schema)).toEqual(cols(file.schema));
    expect(cols(file.schema)).toContain('uint64_nullable:decimal(20,0)');
    const dt = await classify(sampleOf(fixture('generated_datetime.arrow_file'), 'd.arrow'));
    expect(cols(dt.schema).slice(0, 2)).toEqual(['f0:date', 'f1:date']);
  });

  it('refuses LZ4-compressed batches, Feather v1 and a truncated file with what is wrong', async () => {
    const lz4 = await classify(sampleOf(fixture('generated_lz4.arrow_file'), 'c.arrow'));
    expect(lz4).toMatchObject({ classification: 'arrow', schema: [] });
    expect(lz4.warnings?.[0]).toMatch(/LZ4-compressed/);
    const v1 = new Uint8Array(128);
    v1.set(new TextEncoder().encode('FEA1'));
    v1.set(new TextEncoder().encode('FEA1'), 124);
    const old = await classify(sampleOf(v1, 'old.feather'));
    expect(old).toMatchObject({ classification: 'arrow', schema: [] });
    expect(old.warnings?.[0]).toMatch(/^Feather v1 .* is not supported: rewrite it as Feather v2/);
    expect((await classify(sampleOf('FEA1,b\n1,2\n3,4\n', 'x.csv'))).classification).toBe('csv');
    const full = tableToIPC(tableFromArrays({ a: Int32Array.from([1, 2, 3]) }), 'file');
    const cut = await classify(sampleOf(full.subarray(0, full.length - 20), 'cut.arrow'));
    expect(cut.warnings?.join(' ')).toMatch(/truncated Arrow file: the closing ARROW1 magic is missing/);
  });
});
