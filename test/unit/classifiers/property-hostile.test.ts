import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ColumnStats, inferText } from '../../../src/classifiers/infer';
import { classifyByteSource } from '../../../src/crawler/classify-file';
import { bufferSource } from '../../../src/sources/byte-source';
import { parseType, renderType } from '../../../src/schema/types';
import { buildHostileCorpus } from '../../support/hostile-corpus';

/** The contract of classifyByteSource on any input: resolves, and says either what the file is or why not. */
async function expectDefinite(path: string, bytes: Uint8Array, fullScan: boolean): Promise<void> {
  const r = await classifyByteSource(bufferSource(path, bytes), { customClassifiers: [], fullScan });
  if (r.error) {
    expect(r.error.length).toBeGreaterThan(10);
    expect(r.error).not.toMatch(/\bundefined\b|is not a function|\n\s+at /);
    expect(r.schema).toEqual([]);
  } else {
    expect(r.schema.length).toBeGreaterThan(0);
    for (const f of r.schema) {
      // Names are kept as the file has them (even ""): the crawler reports names the catalog refuses, per file.
      expect(typeof f.name).toBe('string');
      // Whatever the file, the inferred type is one the catalog can store and read back.
      expect(renderType(parseType(renderType(f.type)))).toBe(renderType(f.type));
    }
  }
}

const names = fc.constantFrom('x.csv', 'x.tsv', 'x.json', 'x.ndjson', 'x.xml', 'x.avro', 'x.parquet', 'x.orc', 'x.log', 'x.csv.gz', 'x');

describe('property: a file never crashes classification, and the answer is always definite', () => {
  it('arbitrary bytes, sampled and full scan, plain or gzipped and cut anywhere', async () => {
    await fc.assert(fc.asyncProperty(names, fc.uint8Array({ maxLength: 3000 }), fc.boolean(), fc.boolean(), fc.nat(), async (name, bytes, gz, fullScan, cut) => {
      let data = gz ? gzipSync(bytes) : bytes;
      if (cut % 3 === 0) data = data.subarray(0, cut % (data.length + 1));
      await expectDefinite(name, data, fullScan);
    }), { numRuns: 300 });
  });

  it('valid files of every binary format with bytes flipped or cut off', async () => {
    // The corpus controls are real Avro/Parquet/CSV/JSON files: mutate them where parsers are most fragile.
    const { cases } = await buildHostileCorpus({ hugeLineBytes: 16 });
    const seeds = cases.filter((c) => c.family === 'control');
    await fc.assert(fc.asyncProperty(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }), fc.option(fc.nat()), fc.boolean(), async (seed, flips, cut, fullScan) => {
      const bytes = seed.bytes.slice();
      // Bias half the flips towards the tail, where footers, postscripts and sync markers live.
      for (const [at, value] of flips) bytes[at % 2 ? bytes.length - 1 - (at % Math.min(64, bytes.length)) : at % bytes.length] = value;
      await expectDefinite(seed.path, cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1)), fullScan);
    }), { numRuns: 300 });
  });

  it('random JSON documents of any depth and shape', async () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'large', withCrossShrink: true }, tie('leaf'), tie('obj'), tie('arr')),
      leaf: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.constant(null)),
      obj: fc.dictionary(fc.string({ maxLength: 12 }), tie('tree'), { maxKeys: 5 }),
      arr: fc.array(tie('tree'), { maxLength: 4 }),
    }));
    await fc.assert(fc.asyncProperty(fc.array(tree, { minLength: 1, maxLength: 6 }), fc.boolean(), async (docs, lines) => {
      const text = lines ? docs.map((d) => JSON.stringify(d)).join('\n') : JSON.stringify(docs);
      await expectDefinite('x.json', new TextEncoder().encode(text), false);
    }), { numRuns: 200 });
  });
});

describe('property: type inference takes any text', () => {
  it('never throws, and the type it gives renders and parses back', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 30 }), (values) => {
      const st = new ColumnStats();
      for (const v of values) st.add(v, 0, v.length);
      const type = renderType(st.result().type);
      expect(renderType(parseType(type))).toBe(type);
      for (const v of values) expect(() => inferText(v)).not.toThrow();
    }), { numRuns: 500 });
  });
});
