import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classifySource, readSample, sampleBudget, SAMPLE_BUDGETS, textChunks } from '../../../src/classifiers/sample';
import { fullScan } from '../../../src/classifiers/full-scan';
import { detectCodec } from '../../../src/classifiers/compression';
import { cols, enc, memorySource } from './helpers';

const csvRows = (n: number) => 'id,name\n' + Array.from({ length: n }, (_, i) => `${i},name${i}`).join('\n') + '\n';

describe('sampling budgets', () => {
  it('follows Glue: 1 MB for text, JSON up to 10 MB', () => {
    expect(sampleBudget('csv')).toBe(1024 * 1024);
    expect(sampleBudget()).toBe(1024 * 1024);
    expect(SAMPLE_BUDGETS.jsonMax).toBe(10 * 1024 * 1024);
  });

  it('reads only the budget of a large plain file and marks it partial', async () => {
    const src = memorySource(csvRows(200_000));
    const s = await readSample(src, 64 * 1024);
    expect(s.bytes.length).toBe(64 * 1024);
    expect(s.complete).toBe(false);
    expect(src.bytesRead).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('gzip', () => {
  it('is detected by magic bytes whatever the name, and reported as compressionType', async () => {
    const gz = gzipSync(enc(csvRows(10)));
    expect(detectCodec(gz)).toBe('gzip');
    const r = await classifySource(memorySource(gz, 'data.bin'));
    expect(r.classification).toBe('csv');
    expect(r.properties.compressionType).toBe('gzip');
    expect(r.recordCount).toBe(10);
    expect(cols(r.schema)).toEqual(['id:bigint', 'name:string']);
  });

  it('inflates by streaming and stops at the sample budget', async () => {
    const big = enc(csvRows(300_000));
    const gz = gzipSync(big);
    const src = memorySource(gz, 'big.csv.gz');
    const s = await readSample(src, 128 * 1024);
    expect(s.bytes.length).toBe(128 * 1024);
    expect(s.complete).toBe(false);
    expect(src.bytesRead).toBeLessThan(gz.length);
    expect(s.totalSize).toBeGreaterThan(big.length / 2);
  });

  it('gives a specific warning for a truncated gzip and still classifies what it inflated', async () => {
    const gz = gzipSync(enc(csvRows(2000)));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const s = await readSample(memorySource(cut, 'cut.gz'));
    expect(s.warnings?.[0]).toMatch(/truncated gzip/);
    expect(s.complete).toBe(false);
    const r = await classifySource(memorySource(cut, 'cut.gz'));
    expect(r.classification).toBe('csv');
    expect(r.warnings?.some((w) => /truncated gzip/.test(w))).toBe(true);
  });

  it('names unsupported codecs instead of guessing', async () => {
    const r = await classifySource(memorySource(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3])));
    expect(r.classification).toBe('UNKNOWN');
    expect(r.warnings?.[0]).toMatch(/zstd compression is not supported/);
  });
});

describe('JSON sample growth', () => {
  it('grows the sample until a record is complete (up to 10 MB)', async () => {
    const huge = JSON.stringify({ id: 1, blob: 'x'.repeat(1_500_000) }) + '\n' + JSON.stringify({ id: 2, blob: 'y' }) + '\n';
    const r = await classifySource(memorySource(huge, 'big.json'));
    expect(r.classification).toBe('json');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(['id:bigint', 'blob:string']);
  });
});

describe('full scan', () => {
  it('types every CSV record and counts exactly, beyond the first 1,000 (streaming)', async () => {
    const text = 'id,v\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i}`).join('\n') + '\n5000,oops\n';
    const src = memorySource(text);
    const sampled = await classifySource(src);
    expect(cols(sampled.schema)).toEqual(['id:bigint', 'v:bigint']);
    const full = await fullScan(src);
    expect(cols(full.schema)).toEqual(['id:bigint', 'v:string']);
    expect(full.recordCount).toBe(5001);
    expect(full.recordCountEstimated).toBeUndefined();
    expect(full.properties['skip.header.line.count']).toBe('1');
  });

  it('streams gzip CSV and JSON arrays and counts exactly', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ i, s: i === 2999 ? 1.5 : 1 }));
    const gz = gzipSync(enc(JSON.stringify(rows)));
    const full = await fullScan(memorySource(gz, 'rows.json.gz'));
    expect(full.classification).toBe('json');
    expect(full.recordCount).toBe(3000);
    expect(cols(full.schema)).toEqual(['i:bigint', 's:double']);
    expect(full.properties.compressionType).toBe('gzip');
  });

  it('keeps a custom CsvClassifier\'s CustomDatatypes in the full scan', async () => {
    const text = 'a;b\n' + Array.from({ length: 1500 }, (_, i) => `${i};2024-01-0${(i % 9) + 1}`).join('\n') + '\n';
    const custom = [{ CsvClassifier: { Name: 'semi', Delimiter: ';', ContainsHeader: 'PRESENT' as const, CustomDatatypeConfigured: true, CustomDatatypes: ['INT', 'STRING'] } }];
    const full = await fullScan(memorySource(text), custom);
    expect(full.classifier).toBe('semi');
    expect(cols(full.schema)).toEqual(['a:int', 'b:string']);
    expect(full.recordCount).toBe(1500);
  });

  it('carries records, quoted newlines and array commas across small chunks', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ i, note: `line ${i}, "q"` }));
    const json = await fullScan(memorySource(JSON.stringify(rows, null, 1)), [], { chunkSize: 37 });
    expect(json.recordCount).toBe(200);
    expect(cols(json.schema)).toEqual(['i:bigint', 'note:string']);
    const csv = 'id,note\n' + rows.map((r) => `${r.i},"${r.note.replace(/"/g, '""')}\nmore"`).join('\n') + '\n';
    const full = await fullScan(memorySource(csv), [], { chunkSize: 29 });
    expect(full.recordCount).toBe(200);
    expect(cols(full.schema)).toEqual(['id:bigint', 'note:string']);
  });

  it('decodes text chunks across multi-byte characters and chunk borders', async () => {
    const text = 'é'.repeat(1000);
    let out = '';
    for await (const c of textChunks(memorySource(text), 7)) out += c;
    expect(out).toBe(text);
  });
});
