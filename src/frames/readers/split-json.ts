/**
 * Cut a stream of JSON text into top-level records without parsing it: newline-delimited (or simply
 * concatenated) values, or the elements of one top-level array. Records may span chunks; only the
 * unfinished record is kept between pushes, so memory stays bounded by the largest record.
 */
export class JsonRecordSplitter {
  private buf = '';
  private pos = 0;
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private mode: 'unknown' | 'array' | 'values' | 'done' = 'unknown';

  /** Feed more text; returns the records completed by it. */
  push(text: string): string[] {
    this.buf += text;
    const out: string[] = [];
    const buf = this.buf;
    for (; this.pos < buf.length; this.pos++) {
      const ch = buf.charCodeAt(this.pos);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 92) this.escaped = true; // backslash
        else if (ch === 34) {
          this.inString = false;
          if (this.depth === 0) this.finish(out, this.pos + 1);
        }
        continue;
      }
      const ws = ch === 32 || ch === 10 || ch === 13 || ch === 9;
      if (this.mode === 'unknown') {
        if (ws || ch === 0xfeff) continue;
        if (ch === 91) { this.mode = 'array'; continue; } // [
        this.mode = 'values';
      }
      if (this.depth === 0 && this.start < 0) {
        if (ws || (this.mode === 'array' && ch === 44)) continue;
        if (this.mode === 'array' && ch === 93) { this.mode = 'done'; continue; }
        if (this.mode === 'done') continue;
        this.start = this.pos;
      }
      if (ch === 34) this.inString = true;
      else if (ch === 123 || ch === 91) this.depth++;
      else if (ch === 125 || ch === 93) {
        if (this.depth === 0) { // a scalar record followed by the closing ] of the array
          this.finish(out, this.pos);
          this.mode = 'done';
          continue;
        }
        this.depth--;
        if (this.depth === 0) this.finish(out, this.pos + 1);
      } else if (this.depth === 0 && (this.mode === 'array' ? ws || ch === 44 : ch === 10 || ch === 13)) {
        // A bare (non-container) value ends at a comma in an array, or at the end of its line in NDJSON.
        this.finish(out, this.pos);
      }
    }
    if (this.start >= 0) {
      this.buf = buf.slice(this.start);
      this.pos -= this.start;
      this.start = 0;
    } else {
      this.buf = '';
      this.pos = 0;
    }
    return out;
  }

  /** The last record, if the text ended without a newline after it. */
  end(): string[] {
    const rest = this.start >= 0 ? this.buf.slice(this.start).trim() : '';
    this.buf = '';
    this.start = -1;
    return rest ? [rest] : [];
  }

  private finish(out: string[], end: number): void {
    if (this.start < 0) return;
    out.push(this.buf.slice(this.start, end));
    this.start = -1;
  }
}
