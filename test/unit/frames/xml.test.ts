import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { parseXmlRow, readXmlInto, XmlRowSplitter } from '../../../src/frames/readers/xml';
import { parseType, type StructField } from '../../../src/schema/types';
import { engineOnce, rows } from './helpers';

let engine: Engine;
beforeAll(async () => { engine = await engineOnce(); });

const doc = `<?xml version="1.0"?>
<!DOCTYPE orders [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<orders>
  <!-- <order id="0">commented out</order> -->
  <order id="1"><sku>A&amp;B</sku><qty>2</qty><tag>x</tag><tag>y</tag><price currency="USD">3.5</price></order>
  <order id="2"><sku><![CDATA[</order> in cdata]]></sku><qty>many</qty><tag>z</tag><price currency="EUR">4</price></order>
  <order id="3"/>
  <order id="4"><sku>&b;</sku></order>
</orders>`;

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('XML reader', () => {
  it('splits rowTag elements across chunks, skipping comments, CDATA and the DOCTYPE', () => {
    for (const size of [1, 7, 10_000]) {
      const s = new XmlRowSplitter('order');
      const out: string[] = [];
      for (let i = 0; i < doc.length; i += size) out.push(...s.push(doc.slice(i, i + size)));
      expect(out.map((x) => x.slice(0, 14))).toEqual(['<order id="1">', '<order id="2">', '<order id="3"/', '<order id="4">']);
    }
  });

  it('never expands entities declared in the DOCTYPE', () => {
    expect(parseXmlRow('<order id="4"><sku>&b;</sku></order>', 'order')).toEqual({ _id: '4', sku: '&b;' });
  });

  it('reads rows into a typed table: attributes, repeated elements as arrays, text next to attributes', async () => {
    const schema = (parseType('struct<_id:int,sku:string,qty:int,tag:array<string>,price:struct<_currency:string,_VALUE:double>>') as { fields: StructField[] }).fields;
    const r = await readXmlInto(engine, 'xml_orders', pieces(doc, 5), 'order', schema);
    expect(r.rows).toBe(4);
    expect(r.errors.map((e) => [e.record, e.column])).toEqual([[1, 'qty']]);
    expect(rows(engine, 'xml_orders')).toEqual([
      [1, 'A&B', 2, ['x', 'y'], { _currency: 'USD', _VALUE: 3.5 }],
      [2, '</order> in cdata', null, ['z'], { _currency: 'EUR', _VALUE: 4 }],
      [3, null, null, null, null],
      [4, '&b;', null, null, null],
    ]);
  });
});
