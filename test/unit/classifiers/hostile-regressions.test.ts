import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classifyAvro } from '../../../src/classifiers/avro';
import { BudgetedGunzip } from '../../../src/classifiers/compression';
import { classifyParquet } from '../../../src/classifiers/parquet';
import { classifySource } from '../../../src/classifiers/sample';
import { memorySource, sampleOf } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);

describe('regressions found by the hostile corpus (test/support/hostile-corpus.ts)', () => {
  it('gzip bomb: a 256 KB read is not inflated whole before the sample budget is checked', () => {
    const member = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const bomb = new Uint8Array(member.length * 4);
    for (let i = 0; i < 4; i++) bomb.set(member, i * member.length);
    const gz = new BudgetedGunzip(1024 * 1024);
    gz.push(bomb.subarray(0, 256 * 1024), false);
    expect(gz.full).toBe(true);
    // Before the fix the whole chunk was inflated at once: ~256 MB produced for a 1 MB budget.
    expect(gz.produced).toBeLessThan(4 * 1024 * 1024);
    expect(gz.result().bytes.length).toBe(1024 * 1024);
  });

  it('parquet corrupt footer: a garbled footer says so instead of "Cannot read properties of undefined"', async () => {
    // A valid-looking trailer (length + PAR1) around Thrift bytes that end before the required fields.
    const footer = new Uint8Array([0x15, 0x02, 0x00]);
    const bytes = new Uint8Array([...enc('PAR1'), ...footer, footer.length, 0, 0, 0, ...enc('PAR1')]);
    const r = (await classifyParquet(sampleOf(bytes)))!;
    expect(r.schema).toEqual([]);
    expect(r.warnings?.[0]).toMatch(/^unreadable Parquet footer: /);
    expect(r.warnings?.[0]).not.toMatch(/undefined|is not a function|argument must be/);
  });

  it('avro schema with a non-list "fields": a specific message, not "map is not a function"', async () => {
    const schema = '{"type":"record","name":"R","fields":"x"}';
    const bytes = new Uint8Array([...enc('Obj\u0001'), 2, 22, ...enc('avro.schema'), schema.length * 2, ...enc(schema), 0, ...new Uint8Array(16)]);
    const r = (await classifyAvro(sampleOf(bytes)))!;
    expect(r.schema).toEqual([]);
    expect(r.warnings?.join(' ')).toMatch(/record R has no valid list of named fields/);
  });

  it('gzip inside gzip: says the file is compressed twice, not a developer hint', async () => {
    const r = await classifySource(memorySource(gzipSync(gzipSync(strToU8('{"a":1}\n'.repeat(50)))), 'x.json.gz'));
    expect(r.classification).toBe('UNKNOWN');
    expect(r.warnings?.join(' ')).toMatch(/gzip inside gzip \(compressed twice\)/);
  });

  it('an unrecognised file says why: binary content, blank text, or text of no known shape (was only "not recognised")', async () => {
    const why = async (bytes: Uint8Array) => (await classifySource(memorySource(bytes, 'x.csv'))).warnings?.join(' ');
    expect(await why(new Uint8Array([7, 0, 1, 2, 0, 9]))).toMatch(/binary content \(NUL or control bytes\) that is not Avro, ORC or Parquet/);
    expect(await why(enc('   \n\n  '))).toMatch(/only blank text/);
    expect(await why(enc('just one line of prose'))).toMatch(/text that is not JSON, XML, a known log format, or CSV with at least 2 columns and 2 rows/);
  });
});
