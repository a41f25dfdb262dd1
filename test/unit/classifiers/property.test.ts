import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classifiers/classify';
import { ColumnStats } from '../../../src/classifiers/infer';
import { renderType } from '../../../src/schema/types';
import { cols, sampleOf } from './helpers';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Typed value generators: each prints values the way files do, with the Glue type they must infer to (with the decimal rule on). */
const typed: Record<string, fc.Arbitrary<string>> = {
  bigint: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  double: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)).map(String),
  boolean: fc.boolean().map(String),
  date: fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  timestamp: fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace('T', ' ')),
  string: fc.stringMatching(/^[a-z][a-z ]{2,12}[a-z]$/).filter((s) => !['null', 'true', 'false'].includes(s)),
  'decimal(18,2)': fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 9 })).map(([w, c]) => `${w}.${c}0`),
  'date:us': fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1900, max: 2100 })).map(([m, d, y]) => `${pad(m, 2)}/${pad(d, 2)}/${y}`),
};
const expectedType = (k: string) => k.split(':')[0]!;

describe('property: classification never throws', () => {
  it('on arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
      const r = await classify(sampleOf(bytes));
      expect(r.certainty).toBeGreaterThanOrEqual(0);
    }), { numRuns: 300 });
  });

  it('on arbitrary text, including delimiters, quotes, brackets and newlines', async () => {
    const alphabet = fc.constantFrom(',', ';', '|', '\t', '"', "'", '\n', '\r', '{', '}', '[', ']', '<', '>', '/', ':', '\\', 'a', '1', ' ', '\u0000', 'é');
    await fc.assert(fc.asyncProperty(fc.array(alphabet, { maxLength: 500 }).map((a) => a.join('')), async (text) => {
      const r = await classify(sampleOf(text));
      expect(typeof r.classification).toBe('string');
    }), { numRuns: 300 });
  });

  it('on partial samples of arbitrary text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 800 }), fc.nat(800), async (text, cut) => {
      const bytes = new TextEncoder().encode(text);
      const r = await classify({ name: 'x', bytes: bytes.subarray(0, cut), totalSize: bytes.length, complete: false });
      expect(r.certainty).toBeGreaterThanOrEqual(0);
    }), { numRuns: 200 });
  });
});

describe('property: inferred type is the generator type', () => {
  it('for a column of generated values', () => {
    for (const [kind, arb] of Object.entries(typed)) {
      fc.assert(fc.property(fc.array(arb, { minLength: 1, maxLength: 30 }), (values) => {
        const st = new ColumnStats();
        for (const v of values) st.add(v, 0, v.length);
        expect(renderType(st.result({ keepDecimals: true }).type), `${kind}: ${JSON.stringify(values)}`).toBe(expectedType(kind));
      }), { numRuns: 100 });
    }
  });

  it('for generated CSV tables with a header', async () => {
    const kinds = Object.keys(typed).filter((k) => k !== 'string');
    const table = fc.array(fc.constantFrom(...kinds), { minLength: 2, maxLength: 6 }).chain((columnKinds) =>
      fc.tuple(fc.constant(columnKinds), fc.array(fc.tuple(...columnKinds.map((k) => typed[k]!)), { minLength: 2, maxLength: 20 })));
    await fc.assert(fc.asyncProperty(table, async ([columnKinds, rows]) => {
      const header = columnKinds.map((_, i) => `c_${i}`);
      const text = [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
      const r = await classify(sampleOf(text), [], { keepDecimals: true });
      expect(r.classification).toBe('csv');
      expect(cols(r.schema)).toEqual(columnKinds.map((k, i) => `c_${i}:${expectedType(k)}`));
      expect(r.recordCount).toBe(rows.length);
    }), { numRuns: 100 });
  });

  it('for generated JSON Lines records', async () => {
    const value = fc.oneof(
      fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }).map((v) => ({ json: Number(v), type: 'bigint' })),
      fc.boolean().map((v) => ({ json: v, type: 'boolean' })),
      fc.string().filter((s) => s.length < 10).map((v) => ({ json: v, type: 'string' })),
      fc.array(fc.integer(), { minLength: 1, maxLength: 3 }).map((v) => ({ json: v, type: 'array<bigint>' })),
    );
    await fc.assert(fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 5 }), async (fields, n) => {
      const records = Array.from({ length: n }, () => Object.fromEntries(fields.map((f, i) => [`f${i}`, f.json])));
      const r = await classify(sampleOf(records.map((x) => JSON.stringify(x)).join('\n')));
      expect(r.classification).toBe('json');
      expect(cols(r.schema)).toEqual(fields.map((f, i) => `f${i}:${f.type}`));
    }), { numRuns: 100 });
  });
});
