import { t, type GlueType, type StructField } from '../schema/types';
import type { CsvClassifierSpec } from './custom-types';
import { CsvTokenizer, type Dialect } from './csv-tokenizer';
import { Cell, ColumnStats, scanCell, type ColumnType } from './infer';
import { estimateCount } from './stats';
import { decodeText, detectBom, looksBinary } from './text';
import type { ClassifierResult, Sample } from './types';

/** Glue's CSV delimiters, in its order of preference. */
export const CSV_DELIMITERS = [',', '\t', '|', ';', '\u0001'];
/** Records used for typing in a sample (Glue: the first 1,000). */
export const CSV_SAMPLE_RECORDS = 1000;
/** Rows read per candidate dialect when sniffing. */
const SNIFF_ROWS = 100;
const SNIFF_CHARS = 256 * 1024;

/** Options of the CSV classifier; the custom CsvClassifier maps onto them. */
export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  header?: 'UNKNOWN' | 'PRESENT' | 'ABSENT';
  columnNames?: string[];
  disableTrim?: boolean;
  allowSingleColumn?: boolean;
  /** Glue CustomDatatypes (upper case); when set, other inferred types fall back. */
  allowedTypes?: string[];
  /** Type every record (full scan) instead of the first CSV_SAMPLE_RECORDS. */
  allRecords?: boolean;
  /** The crawler's decimal rule: fixed-scale columns are decimal(p,s) instead of double. */
  keepDecimals?: boolean;
}

/** Map a Glue CsvClassifier to CSV options. */
export function csvOptionsFromSpec(spec: CsvClassifierSpec): CsvOptions {
  return {
    delimiter: spec.Delimiter,
    quote: spec.QuoteSymbol,
    header: spec.ContainsHeader,
    columnNames: spec.Header,
    disableTrim: spec.DisableValueTrimming,
    allowSingleColumn: spec.AllowSingleColumn,
    allowedTypes: spec.CustomDatatypeConfigured ? (spec.CustomDatatypes ?? []).map((x) => x.toUpperCase()) : undefined,
  };
}

interface Sniff { dialect: Dialect; columns: number; consistency: number; rows: number }

/**
 * Find the dialect that splits the first rows most consistently (the modal field count covers the
 * most rows, then more columns, then Glue's delimiter order). Needs >= 2 columns unless allowed.
 */
export function sniffDialect(text: string, final: boolean, options: CsvOptions = {}): Sniff | null {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  const headFinal = final && head.length === text.length;
  const delimiters = options.delimiter ? [options.delimiter] : CSV_DELIMITERS;
  const quotes = options.quote !== undefined ? [options.quote] : ['"', "'"];
  const escape = /\\"/.test(head) ? 92 : 0;
  let best: Sniff | null = null;
  for (const d of delimiters) {
    for (const q of quotes) {
      const dialect: Dialect = { delimiter: d.charCodeAt(0), quote: q ? q.charCodeAt(0) : 0, escape: q === '"' ? escape : 0 };
      const tok = new CsvTokenizer(head, dialect, headFinal);
      const counts = new Map<number, number>();
      let rows = 0;
      for (let n = tok.next(); n >= 0 && rows < SNIFF_ROWS; n = tok.next()) {
        if (n === 1 && tok.start[0] === tok.end[0] && tok.quoted[0] === 0) continue;
        if (tok.unclosedQuote) break;
        counts.set(n, (counts.get(n) ?? 0) + 1);
        rows++;
      }
      if (rows === 0) continue;
      let columns = 0, top = 0;
      for (const [n, c] of counts) if (c > top || (c === top && n > columns)) { columns = n; top = c; }
      if (columns < 2 && !options.allowSingleColumn) continue;
      const cand: Sniff = { dialect, columns, consistency: top / rows, rows };
      // A quote character must earn its place: the single quote only wins when it splits better.
      if (!best || cand.consistency > best.consistency + 1e-9 || (Math.abs(cand.consistency - best.consistency) < 1e-9 && cand.columns > best.columns && q === '"')) best = cand;
    }
  }
  return best;
}

const CLASS_UPPER = 1, CLASS_LOWER = 2, CLASS_DIGIT = 4, CLASS_SPACE = 8, CLASS_PUNCT = 16, CLASS_OTHER = 32;

/** Character classes present in s[start, end). */
function classMask(s: string, start: number, end: number): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) m |= CLASS_UPPER;
    else if (c >= 97 && c <= 122) m |= CLASS_LOWER;
    else if (c >= 48 && c <= 57) m |= CLASS_DIGIT;
    else if (c === 32 || c === 9) m |= CLASS_SPACE;
    else if (c < 128) m |= CLASS_PUNCT;
    else m |= CLASS_OTHER;
  }
  return m;
}

/** Per-column evidence about the first row versus the body, for header detection. */
class HeaderEvidence {
  orMask = 0;
  andMask = -1;
  seenInBody = false;
  constructor(readonly name: string, readonly mask: number) {}
}

function sameText(s: string, start: number, end: number, other: string): boolean {
  if (end - start !== other.length) return false;
  for (let i = 0; i < other.length; i++) if (s.charCodeAt(start + i) !== other.charCodeAt(i)) return false;
  return true;
}

/** Column statistics over rows, shared by sampled and full-scan CSV inference. */
export class CsvAccumulator {
  readonly stats: ColumnStats[] = [];
  rows = 0;
  ragged = 0;
  wide = 0;
  evidence: HeaderEvidence[] | null = null;
  firstRow: { texts: string[]; kinds: Cell[] } | null = null;

  constructor(private readonly disableTrim = false) {}

  /** Remember the first row (a header candidate) without typing it. */
  setFirstRow(tok: CsvTokenizer, n: number): void {
    const texts: string[] = [], kinds: Cell[] = [];
    this.evidence = [];
    for (let k = 0; k < n; k++) {
      const text = tok.fieldText(k);
      texts.push(text);
      kinds.push(scanCell(text, 0, text.length));
      this.evidence.push(new HeaderEvidence(text.trim(), classMask(text, 0, text.length)));
    }
    this.firstRow = { texts, kinds };
  }

  /** Type one body row. */
  addRow(tok: CsvTokenizer, n: number, width: number): void {
    this.rows++;
    if (n !== width) this.ragged++;
    if (tok.wide) this.wide++;
    const s = tok.text;
    while (this.stats.length < n) {
      const st = new ColumnStats();
      // Columns that appear late were null in earlier rows.
      st.nulls = this.rows - 1;
      this.stats.push(st);
    }
    const ev = this.evidence;
    for (let k = 0; k < n; k++) {
      const a = tok.start[k]!, b = tok.end[k]!;
      const st = this.stats[k]!;
      if (tok.quoted[k] === 2) st.addKind(Cell.Str);
      else if (this.disableTrim && b > a && (s.charCodeAt(a) === 32 || s.charCodeAt(b - 1) === 32)) st.addKind(Cell.Str);
      else st.add(s, a, b);
      if (ev && k < ev.length && this.rows <= CSV_SAMPLE_RECORDS) {
        const e = ev[k]!;
        if (a === b) continue;
        const m = classMask(s, a, b);
        e.orMask |= m;
        e.andMask &= m;
        if (!e.seenInBody && sameText(s, a, b, e.name)) e.seenInBody = true;
      }
    }
    for (let k = n; k < this.stats.length; k++) this.stats[k]!.nulls++;
  }

  /**
   * Whether the first row is a header. Glue's rule: the first row is all strings while some body
   * column is typed. Beyond Glue, an all-string file has a header when its first-row cells are
   * non-empty, unique, never repeated in their column, and differ in shape (character classes)
   * from the body in at least half of the columns.
   */
  detectHeader(): boolean {
    const first = this.firstRow, ev = this.evidence;
    if (!first || !ev || this.rows === 0) return false;
    const names = first.texts.map((x) => x.trim().toLowerCase());
    if (names.some((x) => x === '') || new Set(names).size !== names.length) return false;
    const types = this.stats.map((s) => s.result().type);
    let typedColumns = 0;
    for (let k = 0; k < first.kinds.length; k++) {
      const ty = types[k];
      if (!ty || (ty.kind === 'primitive' && ty.name === 'string')) continue;
      if (this.stats[k]!.nonNull === 0) continue;
      typedColumns++;
      if (first.kinds[k] !== Cell.Str) return false;
    }
    if (typedColumns > 0) return true;
    if (ev.some((e) => e.seenInBody)) return false;
    let differ = 0;
    for (const e of ev) {
      if (e.andMask === -1) continue;
      if ((e.mask & ~e.orMask) !== 0 || (e.andMask & ~e.mask) !== 0) differ++;
    }
    return differ * 2 >= ev.length && differ > 0;
  }
}

/** Column names from a header row: trimmed, lower-cased like the Glue catalog, unique, never empty. */
export function columnNames(header: string[] | null, width: number): string[] {
  const out: string[] = [];
  const used = new Set<string>();
  for (let k = 0; k < width; k++) {
    let name = (header?.[k] ?? '').trim().toLowerCase();
    if (!name) name = `col${k}`;
    let unique = name;
    for (let i = 1; used.has(unique); i++) unique = `${name}_${i}`;
    used.add(unique);
    out.push(unique);
  }
  return out;
}

/** Apply Glue CustomDatatypes: a type the user did not allow falls back to one it did (or string). */
export function restrictType(type: GlueType, allowed: string[] | undefined): GlueType {
  if (!allowed || type.kind !== 'primitive' && type.kind !== 'decimal') return type;
  const has = (x: string) => allowed.includes(x);
  if (type.kind === 'decimal') return has('DECIMAL') ? type : has('DOUBLE') ? t.double : t.string;
  switch (type.name) {
    case 'bigint': return has('LONG') ? type : has('INT') ? t.int : has('DECIMAL') ? t.decimal(38, 0) : has('DOUBLE') ? t.double : t.string;
    case 'double': return has('DOUBLE') ? type : has('FLOAT') ? { kind: 'primitive', name: 'float' } : t.string;
    case 'boolean': return has('BOOLEAN') ? type : t.string;
    case 'date': return has('DATE') ? type : has('TIMESTAMP') ? t.timestamp : t.string;
    case 'timestamp': return has('TIMESTAMP') ? type : t.string;
    default: return type;
  }
}

/** Build the result once rows are typed. */
export function csvResult(acc: CsvAccumulator, dialect: Dialect, sniffCols: number, opts: CsvOptions, header: boolean, extra: { certainty: number; counts: Pick<ClassifierResult, 'recordCount' | 'recordCountEstimated' | 'averageRecordSize'>; warnings: string[]; sawQuote: boolean; sawEscape: boolean }): ClassifierResult {
  const width = Math.max(sniffCols, acc.stats.length, header ? acc.firstRow?.texts.length ?? 0 : 0);
  const names = opts.columnNames?.length ? columnNames(opts.columnNames, width) : columnNames(header ? acc.firstRow?.texts ?? null : null, width);
  const schema: StructField[] = [];
  const columnFormats: Record<string, string> = {};
  for (let k = 0; k < width; k++) {
    const ct: ColumnType = acc.stats[k]?.result({ keepDecimals: opts.keepDecimals }) ?? { type: t.string };
    const type = restrictType(ct.type, opts.allowedTypes);
    schema.push({ name: names[k]!, type });
    if (ct.format && type === ct.type) columnFormats[names[k]!] = ct.format;
  }
  const delim = String.fromCharCode(dialect.delimiter);
  const properties: Record<string, string> = { delimiter: delim };
  if (header) properties['skip.header.line.count'] = '1';
  if (extra.sawQuote && dialect.quote) properties.quoteChar = String.fromCharCode(dialect.quote);
  if (extra.sawEscape && dialect.escape) properties.escapeChar = String.fromCharCode(dialect.escape);
  // LazySimpleSerDe cannot read quoted fields; OpenCSVSerde can (Glue picks it the same way).
  properties['serialization.format'] = extra.sawQuote ? '1' : delim;
  properties.serde = extra.sawQuote ? 'org.apache.hadoop.hive.serde2.OpenCSVSerde' : 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';
  const warnings = [...extra.warnings];
  if (acc.ragged) warnings.push(`${acc.ragged} of ${acc.rows} records have a different number of fields than ${sniffCols}`);
  if (acc.wide) warnings.push(`${acc.wide} records have more than the maximum number of fields; extra fields were dropped`);
  return {
    classification: 'csv',
    certainty: extra.certainty,
    schema,
    properties,
    ...extra.counts,
    ...(Object.keys(columnFormats).length ? { columnFormats } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * CSV, TSV and other delimited text (comma, tab, pipe, semicolon, \u0001). Needs >= 2 columns and
 * >= 2 records (unless AllowSingleColumn). Certainty is the share of rows with the modal width.
 */
export function classifyCsv(sample: Sample, opts: CsvOptions = {}): ClassifierResult | null {
  const bom = detectBom(sample.bytes);
  if (bom.bomLength === 0 && looksBinary(sample.bytes)) return null;
  const { text } = decodeText(sample.bytes);
  const sniff = sniffDialect(text, sample.complete, opts);
  if (!sniff) return null;
  if (sniff.consistency < 0.5) return null;
  const tok = new CsvTokenizer(text, sniff.dialect, sample.complete);
  const acc = new CsvAccumulator(opts.disableTrim);
  const limit = opts.allRecords ? Infinity : CSV_SAMPLE_RECORDS;
  let records = 0, lastEnd = 0, first = true, unclosed = false;
  for (let n = tok.next(); n >= 0; n = tok.next()) {
    if (n === 1 && tok.start[0] === tok.end[0] && tok.quoted[0] === 0) continue;
    if (tok.unclosedQuote) { unclosed = true; break; }
    if (first && opts.header !== 'ABSENT') { acc.setFirstRow(tok, n); first = false; continue; }
    first = false;
    records++;
    lastEnd = tok.pos;
    if (records <= limit) acc.addRow(tok, n, sniff.columns);
  }
  const header = opts.header === 'PRESENT' ? true : opts.header === 'ABSENT' ? false : acc.detectHeader();
  if (!header && acc.firstRow) {
    // The candidate row was data after all: type it too (re-tokenize just that row).
    const again = new CsvTokenizer(text, sniff.dialect, sample.complete);
    let n = again.next();
    while (n === 1 && again.start[0] === again.end[0] && again.quoted[0] === 0) n = again.next();
    if (n >= 0) acc.addRow(again, n, sniff.columns);
    records++;
  }
  // Glue needs two rows, the header counting as one.
  if (records + (header ? 1 : 0) < 2 && !opts.allowSingleColumn) return null;
  if (records === 0) return null;
  const warnings: string[] = [];
  if (unclosed) warnings.push(sample.complete ? 'unbalanced quote: a quoted field runs to the end of the file' : 'a quoted field runs past the end of the sample');
  const bytesPerChar = text.length ? sample.bytes.length / text.length : 1;
  const counts = estimateCount(records, Math.round(lastEnd * bytesPerChar), sample);
  const certainty = Math.min(1, sniff.consistency) * (unclosed && sample.complete ? 0.5 : 1);
  return csvResult(acc, sniff.dialect, sniff.columns, opts, header, { certainty, counts, warnings, sawQuote: tok.sawQuote, sawEscape: tok.sawEscape });
}
