import { describe, expect, it } from 'vitest';
import { classifyCsv, sniffDialect } from '../../../src/classifiers/csv';
import { CsvTokenizer } from '../../../src/classifiers/csv-tokenizer';
import { classify } from '../../../src/classifiers/classify';
import { cols, enc, sampleOf } from './helpers';

describe('CSV tokenizer', () => {
  it('splits quoted fields with doubled quotes, embedded delimiters and newlines, and CRLF', () => {
    const tok = new CsvTokenizer('a,"b,""c""\nd",e\r\n1,,3', { delimiter: 44, quote: 34, escape: 0 });
    expect(tok.next()).toBe(3);
    expect([0, 1, 2].map((k) => tok.fieldText(k))).toEqual(['a', 'b,"c"\nd', 'e']);
    expect(tok.next()).toBe(3);
    expect([0, 1, 2].map((k) => tok.fieldText(k))).toEqual(['1', '', '3']);
    expect(tok.next()).toBe(-1);
  });

  it('holds back an unfinished row until more text is fed', () => {
    const tok = new CsvTokenizer('x,y\n1,"multi', { delimiter: 44, quote: 34, escape: 0 }, false);
    expect(tok.next()).toBe(2);
    expect(tok.next()).toBe(-1);
    tok.feed('\nline"\n', true);
    expect(tok.next()).toBe(2);
    expect(tok.fieldText(1)).toBe('multi\nline');
  });

  it('applies a backslash escape inside quotes', () => {
    const tok = new CsvTokenizer('"a\\"b",c\n', { delimiter: 44, quote: 34, escape: 92 });
    expect(tok.next()).toBe(2);
    expect(tok.fieldText(0)).toBe('a"b');
  });
});

describe('CSV classifier', () => {
  it('types columns and detects the header of a typed file (Glue rule)', () => {
    const r = classifyCsv(sampleOf('id,name,price,day,ok,ts\n1,Alice,12.50,2024-01-02,true,2024-01-02 10:00:00\n2,Bob,3.00,2024-02-03,false,2024-01-02 11:30:00\n'))!;
    expect(r.classification).toBe('csv');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(['id:bigint', 'name:string', 'price:double', 'day:date', 'ok:boolean', 'ts:timestamp']);
    expect(r.properties).toMatchObject({ delimiter: ',', 'skip.header.line.count': '1' });
    expect(r.recordCount).toBe(2);
    expect(r.recordCountEstimated).toBeUndefined();
  });

  it('detects the header of an all-string file when names differ in shape from values (beats Glue)', () => {
    const r = classifyCsv(sampleOf('first_name,city\nAlice,Paris\nBob,Berlin\nCarla,Rome\n'))!;
    expect(cols(r.schema)).toEqual(['first_name:string', 'city:string']);
    expect(r.properties['skip.header.line.count']).toBe('1');
    expect(r.recordCount).toBe(3);
  });

  it('names columns col0.. when the first row is data', () => {
    const r = classifyCsv(sampleOf('alice,paris\nbob,berlin\ncarla,rome\n'))!;
    expect(cols(r.schema)).toEqual(['col0:string', 'col1:string']);
    expect(r.properties['skip.header.line.count']).toBeUndefined();
    expect(r.recordCount).toBe(3);
    const typed = classifyCsv(sampleOf('1,2\n3,4\n'))!;
    expect(cols(typed.schema)).toEqual(['col0:bigint', 'col1:bigint']);
    expect(typed.recordCount).toBe(2);
  });

  it('rejects a header whose names repeat or also occur as values', () => {
    expect(classifyCsv(sampleOf('a,a\nB1,C1\nB2,C2\n'))!.properties['skip.header.line.count']).toBeUndefined();
    expect(classifyCsv(sampleOf('x,y\nx,Y1\nZ,y\n'))!.properties['skip.header.line.count']).toBeUndefined();
  });

  it('detects tab, pipe, semicolon and \\u0001 delimiters', () => {
    for (const d of ['\t', '|', ';', '\u0001']) {
      const r = classifyCsv(sampleOf(['k', 'v'].join(d) + '\n' + ['a', '1'].join(d) + '\n' + ['b', '2'].join(d) + '\n'))!;
      expect(r.properties.delimiter, JSON.stringify(d)).toBe(d);
      expect(cols(r.schema)).toEqual(['k:string', 'v:bigint']);
    }
  });

  it('prefers the delimiter that splits rows consistently, even when commas occur in values', () => {
    const s = sniffDialect('name;note\nA;"x, y, z"\nB;"p, q"\nC;w\n', true)!;
    expect(String.fromCharCode(s.dialect.delimiter)).toBe(';');
    expect(s.columns).toBe(2);
  });

  it('reports quote and escape characters and picks the quoting SerDe', () => {
    const r = classifyCsv(sampleOf('id,text\n1,"he said \\"hi\\""\n2,"a, b"\n'))!;
    expect(r.properties).toMatchObject({ quoteChar: '"', escapeChar: '\\', serde: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' });
    expect(cols(r.schema)).toEqual(['id:bigint', 'text:string']);
  });

  it('keeps leading-zero codes as strings and records non-ISO date formats', () => {
    const r = classifyCsv(sampleOf('zip,when\n01234,03/04/2024\n98765,12/31/2024\n'))!;
    expect(cols(r.schema)).toEqual(['zip:string', 'when:date']);
    expect(r.columnFormats).toEqual({ when: '%m/%d/%Y' });
  });

  it('needs two columns and two records unless told otherwise', () => {
    expect(classifyCsv(sampleOf('just one column\nanother line\n'))).toBeNull();
    expect(classifyCsv(sampleOf('a,b\n'))).toBeNull();
    const single = classifyCsv(sampleOf('value\n1\n2\n'), { allowSingleColumn: true, header: 'PRESENT' })!;
    expect(cols(single.schema)).toEqual(['value:bigint']);
  });

  it('warns about ragged rows and still types them', () => {
    const r = classifyCsv(sampleOf('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n'))!;
    expect(cols(r.schema)).toEqual(['a:bigint', 'b:bigint', 'c:bigint']);
    expect(r.warnings?.[0]).toMatch(/1 of 4 records have a different number of fields/);
  });

  it('estimates the record count of a partial sample and drops its cut last row', () => {
    const body = 'id,v\n' + Array.from({ length: 100 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n';
    const bytes = enc(body);
    const cut = bytes.subarray(0, 300);
    const r = classifyCsv({ name: 'x.csv', bytes: cut, totalSize: bytes.length, complete: false })!;
    expect(r.recordCountEstimated).toBe(true);
    expect(r.recordCount).toBeGreaterThan(60);
    expect(r.recordCount).toBeLessThan(140);
    expect(cols(r.schema)).toEqual(['id:bigint', 'v:bigint']);
  });

  it('handles BOMs (UTF-8 and UTF-16) before the header', async () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('a,b\n1,x\n2,y\n')]);
    expect(cols((await classify(sampleOf(utf8))).schema)).toEqual(['a:bigint', 'b:string']);
    const text = 'a,b\n1,x\n2,y\n';
    const u16 = new Uint8Array(2 + text.length * 2);
    u16[0] = 0xff; u16[1] = 0xfe;
    for (let i = 0; i < text.length; i++) u16[2 + 2 * i] = text.charCodeAt(i);
    const r = await classify(sampleOf(u16));
    expect(r.classification).toBe('csv');
    expect(cols(r.schema)).toEqual(['a:bigint', 'b:string']);
  });
});
