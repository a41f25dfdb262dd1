import { describe, expect, it } from 'vitest';
import { classifyXml, detectRowTag } from '../../../src/classifiers/xml';
import { cols, enc, sampleOf } from './helpers';

const catalog = `<?xml version="1.0"?>
<!-- a comment with <fake> tags -->
<catalog>
  <book id="b1" lang="en"><title>Dune</title><price>9.99</price><year>1965</year><tag>sf</tag><tag>classic</tag></book>
  <book id="b2"><title>Emma</title><price>5.5</price><year>1815</year><author><name>Austen</name></author></book>
</catalog>`;

describe('XML classifier', () => {
  it('detects the row tag and types attributes, nested and repeated elements', () => {
    expect(detectRowTag(catalog)).toBe('book');
    const r = classifyXml(sampleOf(catalog))!;
    expect(r.classification).toBe('xml');
    expect(r.certainty).toBe(1);
    expect(r.properties.rowTag).toBe('book');
    expect(cols(r.schema)).toEqual(['title:string', 'price:double', 'year:bigint', 'tag:array<string>', '_id:string', '_lang:string', 'author:struct<name:string>']);
    expect(r.recordCount).toBe(2);
  });

  it('uses a given row tag and classification (custom XMLClassifier)', () => {
    const r = classifyXml(sampleOf(catalog), { rowTag: 'author', classification: 'authors' })!;
    expect(r.classification).toBe('authors');
    expect(cols(r.schema)).toEqual(['name:string']);
    expect(classifyXml(sampleOf(catalog), { rowTag: 'missing' })).toBeNull();
  });

  it('keeps element text next to attributes as _VALUE', () => {
    const r = classifyXml(sampleOf('<r><p unit="kg">12</p><p unit="g">7</p></r>'))!;
    expect(r.properties.rowTag).toBe('p');
    expect(cols(r.schema)).toEqual(['_VALUE:bigint', '_unit:string']);
  });

  it('never expands entities (billion laughs) nor fetches external ones', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rows><row><a>&lol3;</a><b>&xxe;</b></row><row><a>x</a><b>y</b></row></rows>`;
    const r = classifyXml(sampleOf(bomb))!;
    expect(cols(r.schema)).toEqual(['a:string', 'b:string']);
    expect(r.warnings?.some((w) => /DOCTYPE ignored/.test(w))).toBe(true);
    expect(JSON.stringify(r).length).toBeLessThan(2000);
  });

  it('keeps the complete rows of a truncated sample', () => {
    const text = '<rows>' + Array.from({ length: 20 }, (_, i) => `<row><i>${i}</i></row>`).join('');
    const bytes = enc(text);
    const r = classifyXml({ name: 'x.xml', bytes: bytes.subarray(0, 120), totalSize: bytes.length, complete: false })!;
    expect(cols(r.schema)).toEqual(['i:bigint']);
    expect(r.recordCountEstimated).toBe(true);
  });

  it('declines non-XML', () => {
    expect(classifyXml(sampleOf('a,b\n1,2'))).toBeNull();
    expect(classifyXml(sampleOf('<<<<'))).toBeNull();
  });
});
