/** A CSV dialect: field delimiter, quote (0 = none) and escape (0 = none; quote doubling always works). */
export interface Dialect {
  delimiter: number;
  quote: number;
  escape: number;
}

/** Rows wider than this are cut (and flagged): a 10 MB line of commas must not allocate millions of slots. */
export const MAX_FIELDS = 16_384;

/**
 * Row-at-a-time CSV tokenizer over a string. Fields are reported as index ranges into the text
 * (`start[i]`, `end[i]`, content without quotes), so typing cells needs no substring. `quoted[i]`
 * is 1 for quoted fields, 2 when the content holds doubled quotes or escapes (needs `fieldText`).
 */
export class CsvTokenizer {
  readonly start = new Int32Array(MAX_FIELDS);
  readonly end = new Int32Array(MAX_FIELDS);
  readonly quoted = new Uint8Array(MAX_FIELDS);
  /** Index where the next row starts. */
  pos = 0;
  /** Index where the last returned row started. */
  rowStart = 0;
  /** The last row had more than MAX_FIELDS fields (the rest were dropped). */
  wide = false;
  /** The last row had a quote opened and never closed before the text ended. */
  unclosedQuote = false;
  /** Any field was quoted / used the escape character so far. */
  sawQuote = false;
  sawEscape = false;

  constructor(public text: string, readonly dialect: Dialect, private final = true) {}

  /** Continue on more text (streaming): keep the unread tail, append the next chunk. */
  feed(chunk: string, final: boolean): void {
    this.text = this.text.slice(this.pos) + chunk;
    this.pos = 0;
    this.final = final;
  }

  /**
   * Read the next row; returns its field count, or -1 when no complete row is left (at the end
   * of the text, or — when not final — when the remaining text may continue in the next chunk).
   */
  next(): number {
    const s = this.text, len = s.length, { delimiter, quote, escape } = this.dialect;
    let i = this.pos;
    if (i >= len) return -1;
    this.rowStart = i;
    this.wide = false;
    this.unclosedQuote = false;
    let n = 0;
    for (;;) {
      let c = i < len ? s.charCodeAt(i) : -1;
      let fStart: number, fEnd: number, q = 0;
      if (c === quote && quote !== 0) {
        q = 1;
        fStart = ++i;
        for (;;) {
          if (i >= len) {
            if (!this.final) return -1;
            this.unclosedQuote = true;
            fEnd = len;
            break;
          }
          const d = s.charCodeAt(i);
          if (d === escape && escape !== 0 && escape !== quote) { q = 2; this.sawEscape = true; i += 2; continue; }
          if (d === quote) {
            if (i + 1 < len && s.charCodeAt(i + 1) === quote) { q = 2; i += 2; continue; }
            if (i + 1 >= len && !this.final) return -1;
            fEnd = i++;
            break;
          }
          i++;
        }
        this.sawQuote = true;
        // Lenient like most readers: text after the closing quote belongs to the field.
        const after = i;
        while (i < len) {
          c = s.charCodeAt(i);
          if (c === delimiter || c === 10 || c === 13) break;
          i++;
        }
        if (i > after) { fEnd = i; q = 2; }
      } else {
        fStart = i;
        while (i < len) {
          c = s.charCodeAt(i);
          if (c === delimiter || c === 10 || c === 13) break;
          i++;
        }
        fEnd = i;
      }
      if (n < MAX_FIELDS) { this.start[n] = fStart; this.end[n] = fEnd; this.quoted[n] = q; n++; } else this.wide = true;
      if (i >= len) {
        if (!this.final) return -1;
        this.pos = len;
        return n;
      }
      c = s.charCodeAt(i);
      if (c === delimiter) { i++; continue; }
      // Row end: \n, \r\n or \r.
      if (c === 13) { if (i + 1 >= len && !this.final) return -1; i += s.charCodeAt(i + 1) === 10 ? 2 : 1; }
      else i++;
      this.pos = i;
      return n;
    }
  }

  /** The text of field k of the last row, with quotes undoubled and escapes applied. */
  fieldText(k: number): string {
    const raw = this.text.slice(this.start[k]!, this.end[k]!);
    if (this.quoted[k] !== 2) return raw;
    const { quote, escape } = this.dialect;
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === escape && escape !== 0 && escape !== quote && i + 1 < raw.length) { out += raw[++i]; continue; }
      if (c === quote && raw.charCodeAt(i + 1) === quote) { out += raw[i]; i++; continue; }
      if (c === quote) continue;
      out += raw[i];
    }
    return out;
  }
}
