import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classify, BUILTIN_CLASSIFIERS } from '../../../src/classifiers/classify';
import type { CustomClassifier } from '../../../src/classifiers/custom-types';
import { cols, enc, sampleOf } from './helpers';

describe('classifier order and certainty (Glue rules)', () => {
  it('runs built-ins in Glue order, Arrow (not in Glue) with the binary formats, then the text-log fallback (issue 17; xlsx is tried for zips)', () => {
    expect(BUILTIN_CLASSIFIERS.map((c) => c.name)).toEqual(['avro', 'orc', 'parquet', 'arrow', 'json', 'xml', 'log', 'csv', 'text']);
  });

  it('returns UNKNOWN when nothing is above 0, with a reason for empty files', async () => {
    expect((await classify(sampleOf(''))).classification).toBe('UNKNOWN');
    expect((await classify(sampleOf(''))).warnings).toEqual(['empty file']);
    expect((await classify(sampleOf('just some words on one line'))).classification).toBe('UNKNOWN');
    expect((await classify(sampleOf(new Uint8Array([0, 1, 2, 3, 0, 255, 254, 0])))).classification).toBe('UNKNOWN');
  });

  it('runs custom classifiers first; a custom 1.0 wins over built-ins', async () => {
    const custom: CustomClassifier[] = [{ GrokClassifier: { Name: 'kv', Classification: 'keyvalue', GrokPattern: '%{WORD:k},%{INT:v:int}' } }];
    const r = await classify(sampleOf('a,1\nb,2\nc,3\n'), custom);
    expect(r.classification).toBe('keyvalue');
    expect(cols(r.schema)).toEqual(['k:string', 'v:int']);
    expect(r.properties.grokPattern).toBe('%{WORD:k},%{INT:v:int}');
    expect((await classify(sampleOf('a,1\nb,2\nc,3\n'))).classification).toBe('csv');
  });

  it('falls through a custom classifier that does not match, and reports a broken one', async () => {
    const custom: CustomClassifier[] = [
      { GrokClassifier: { Name: 'broken', Classification: 'x', GrokPattern: '%{NOPE:x}' } },
      { XMLClassifier: { Name: 'xml', Classification: 'orders', RowTag: 'order' } },
    ];
    const r = await classify(sampleOf('id,v\n1,2\n3,4\n'), custom);
    expect(r.classification).toBe('csv');
    expect(r.warnings?.[0]).toMatch(/classifier broken failed: unknown grok pattern/);
  });

  it('applies custom XML, JSON and CSV classifiers', async () => {
    const xml = await classify(sampleOf('<o><order n="1"><x>1</x></order><order n="2"><x>2</x></order><item/></o>'), [{ XMLClassifier: { Name: 'o', Classification: 'orders', RowTag: 'order' } }]);
    expect(xml.classification).toBe('orders');
    expect(cols(xml.schema)).toEqual(['x:bigint', '_n:bigint']);
    const json = await classify(sampleOf('{"data":[{"a":1},{"a":2}]}'), [{ JsonClassifier: { Name: 'j', JsonPath: '$.data[*]' } }]);
    expect(cols(json.schema)).toEqual(['a:bigint']);
    expect(json.properties.jsonPath).toBe('$.data[*]');
    const csv = await classify(sampleOf('1;2\n3;4\n'), [{ CsvClassifier: { Name: 'c', Delimiter: ';', ContainsHeader: 'ABSENT', Header: ['left', 'right'], CustomDatatypeConfigured: true, CustomDatatypes: ['INT'] } }]);
    expect(csv.properties.delimiter).toBe(';');
    expect(cols(csv.schema)).toEqual(['left:int', 'right:int']);
    const headed = await classify(sampleOf('a|b\nx|y\n'), [{ CsvClassifier: { Name: 'h', Delimiter: '|', ContainsHeader: 'PRESENT' } }]);
    expect(cols(headed.schema)).toEqual(['a:string', 'b:string']);
  });

  it('classifies each format through the one entry point', async () => {
    expect((await classify(sampleOf('{"a":1}\n{"a":2}\n'))).classification).toBe('json');
    expect((await classify(sampleOf('<r><i>1</i><i>2</i></r>'))).classification).toBe('xml');
    expect((await classify(sampleOf('a\tb\n1\t2\n'))).classification).toBe('csv');
    expect((await classify(sampleOf('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 12\n'))).classification).toBe('apache');
  });

  it('tells when it was handed a still-compressed sample', async () => {
    const r = await classify(sampleOf(gzipSync(enc('a,b\n1,2\n'))));
    expect(r.classification).toBe('UNKNOWN');
    expect(r.warnings?.[0]).toMatch(/readSample/);
  });
});

describe('hostile input', () => {
  it('survives deep nesting, NUL bytes, a 10 MB line, unbalanced quotes and ragged rows', async () => {
    const cases: (string | Uint8Array)[] = [
      '{"a":' + '['.repeat(200_000),
      '<a>'.repeat(100_000),
      'a,b\n1,\u0000\n',
      'x'.repeat(10 * 1024 * 1024),
      ','.repeat(1_000_000) + '\n' + ','.repeat(10) + '\n',
      'a,b\n"unclosed,1\n2,3\n',
      'a,b,c\n1\n1,2,3,4,5\n\n\n',
      new Uint8Array([0xfe, 0xff, 0, 0x61, 0, 0x2c]),
      '\ufeff',
    ];
    for (const c of cases) {
      const r = await classify(sampleOf(c));
      expect(typeof r.classification).toBe('string');
    }
  });

  it('reports an unbalanced quote in a complete file', async () => {
    const r = await classify(sampleOf('a,b\n1,2\n3,"open\n4,5\n'));
    expect(r.classification).toBe('csv');
    expect(r.warnings?.some((w) => /unbalanced quote/.test(w))).toBe(true);
  });
});
