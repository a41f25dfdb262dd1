import { XMLParser } from 'fast-xml-parser';
import type { StructField } from '../../schema/types';
import { insertRecords, type InsertResult } from './insert';
import type { ReaderEngine } from './json';

/**
 * Cut a stream of XML text into the elements named `rowTag` (Glue's XML rowTag), skipping comments,
 * CDATA, processing instructions and the DOCTYPE. Only the unfinished element is kept between pushes.
 * The DOCTYPE never reaches the parser, so user-declared entities are never expanded (no entity bombs).
 */
export class XmlRowSplitter {
  private buf = '';
  private pos = 0;
  private start = -1;
  private depth = 0;
  private readonly open: RegExp;

  constructor(readonly rowTag: string) {
    if (!/^[A-Za-z_][\w.:-]*$/.test(rowTag)) throw new Error(`Invalid rowTag ${rowTag}`);
    this.open = new RegExp(`^<${rowTag.replace(/[.]/g, '\\.')}[\\s/>]`);
  }

  push(text: string): string[] {
    this.buf += text;
    const out: string[] = [];
    for (;;) {
      const lt = this.buf.indexOf('<', this.pos);
      if (lt < 0) { this.pos = this.buf.length; break; }
      const rest = this.buf.slice(lt, lt + this.rowTag.length + 3);
      const skip = (endMark: string): boolean => {
        const end = this.buf.indexOf(endMark, lt);
        if (end < 0) return false;
        this.pos = end + endMark.length;
        return true;
      };
      if (this.buf.startsWith('<!--', lt)) { if (!skip('-->')) { this.pos = lt; break; } continue; }
      if (this.buf.startsWith('<![CDATA[', lt)) { if (!skip(']]>')) { this.pos = lt; break; } continue; }
      if (this.buf.startsWith('<?', lt)) { if (!skip('?>')) { this.pos = lt; break; } continue; }
      if (this.buf.startsWith('<!', lt)) {
        const bracket = this.buf.indexOf('[', lt);
        const gt = this.buf.indexOf('>', lt);
        if (gt < 0) { this.pos = lt; break; }
        if (bracket >= 0 && bracket < gt) { if (!skip(']>')) { this.pos = lt; break; } } else this.pos = gt + 1;
        continue;
      }
      const gt = this.buf.indexOf('>', lt);
      if (gt < 0 || rest.length < this.rowTag.length + 2) { this.pos = lt; break; }
      if (this.buf.startsWith(`</${this.rowTag}`, lt) && /[\s>]/.test(this.buf[lt + this.rowTag.length + 2] ?? '')) {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) { out.push(this.buf.slice(this.start, gt + 1)); this.start = -1; }
      } else if (this.open.test(rest)) {
        if (this.depth === 0) this.start = lt;
        if (this.buf[gt - 1] === '/') {
          if (this.depth === 0) { out.push(this.buf.slice(this.start, gt + 1)); this.start = -1; }
        } else this.depth++;
      }
      this.pos = gt + 1;
    }
    const keep = this.start >= 0 ? this.start : Math.min(this.pos, this.buf.length);
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    if (this.start >= 0) this.start = 0;
    return out;
  }
}

/** Parse one row element into a record: attributes as `_name`, text next to attributes as `_VALUE` (as Glue). */
export function parseXmlRow(xml: string, rowTag: string): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '_', textNodeName: '_VALUE',
    parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true, htmlEntities: false,
  });
  const doc = parser.parse(xml) as Record<string, unknown>;
  const row = doc[rowTag];
  if (row === undefined || row === null || row === '') return {};
  if (typeof row !== 'object') return { _VALUE: row };
  // Attributes first, as they are written in the document (the parser lists them after the children).
  const entries = Object.entries(row as Record<string, unknown>);
  const isAttr = ([k]: [string, unknown]) => k.startsWith('_') && k !== '_VALUE';
  return Object.fromEntries([...entries.filter(isAttr), ...entries.filter((e) => !isAttr(e))]);
}

/** Read the `rowTag` elements of an XML stream into a DuckDB table with the given Glue schema. */
export async function readXmlInto(engine: ReaderEngine, table: string, text: AsyncIterable<string>, rowTag: string, schema: StructField[], batchRows = 10_000): Promise<InsertResult> {
  const splitter = new XmlRowSplitter(rowTag);
  async function* records() {
    for await (const chunk of text) for (const row of splitter.push(chunk)) yield parseXmlRow(row, rowTag);
  }
  return insertRecords(engine, table, schema, records(), batchRows, true);
}
