import { valueEnd } from './json-scan';

/**
 * JSON.parse loses what a number looked like: `10.0` comes back as the integer 10, and
 * 9223372036854775807 as the double 9223372036854775808. Node 20 has no reviver `context.source`,
 * so numbers that JSON.parse would misrepresent are read here from their source text instead.
 */

/** Options of parseJsonExact. */
export interface ExactJsonOptions {
  /**
   * What a number written with a fraction or exponent becomes (type inference passes a marker, so
   * `10.0` is known to be a double); by default its JS number.
   */
  fraction?: unknown;
}

/** Nesting deeper than this is handed to JSON.parse (bounded recursion; such depths are typed string anyway). */
const MAX_DEPTH = 256;
/** 16+ digits in a row: an integer JSON.parse might round (2^53 has 16 digits). */
const LONG_DIGITS = /\d{16}/;
/** A digit before a `.` or exponent: a number written with a fraction (or a string that looks so). */
const FRACTION = /\d[.eE]/;

/**
 * Parse JSON like JSON.parse (same accepted syntax, same errors thrown as SyntaxError), except that an
 * integer outside ±(2^53-1) is a `bigint` with its exact value, and, when `fraction` is given, every
 * number written with a fraction or exponent is that value. Text without such numbers goes to JSON.parse.
 */
export function parseJsonExact(text: string, opts: ExactJsonOptions = {}): unknown {
  const marks = 'fraction' in opts;
  if (!LONG_DIGITS.test(text) && !(marks && FRACTION.test(text))) return JSON.parse(text);
  const p = new Parser(text, marks, opts.fraction);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail();
  return v;
}

/** JSON text for a value that may hold bigints (written as exact digits, where JSON.stringify throws). */
export function stringifyExact(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyExact(v))).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${stringifyExact(v)}`);
  return `{${parts.join(',')}}`;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class Parser {
  i = 0;
  constructor(private readonly s: string, private readonly marks: boolean, private readonly fraction: unknown) {}

  fail(): never {
    const at = this.i < this.s.length ? `token ${JSON.stringify(this.s[this.i])} at position ${this.i}` : 'end of JSON input';
    throw new SyntaxError(`Unexpected ${at}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.i++;
    }
  }

  value(depth: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (depth >= MAX_DEPTH && (c === 123 || c === 91)) {
      const end = valueEnd(s, this.i);
      if (end < 0) this.fail();
      const v: unknown = JSON.parse(s.slice(this.i, end));
      this.i = end;
      return v;
    }
    switch (c) {
      case 123: return this.object(depth);
      case 91: return this.array(depth);
      case 34: return this.string();
      case 116: return this.word('true', true);
      case 102: return this.word('false', false);
      case 110: return this.word('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        return this.fail();
    }
  }

  private word(w: string, v: unknown): unknown {
    if (!this.s.startsWith(w, this.i)) this.fail();
    this.i += w.length;
    return v;
  }

  private digits(): number {
    const s = this.s, from = this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c < 48 || c > 57) break;
      this.i++;
    }
    return this.i - from;
  }

  private number(): unknown {
    const s = this.s, start = this.i;
    if (s.charCodeAt(this.i) === 45) this.i++;
    const first = s.charCodeAt(this.i);
    const n = this.digits();
    if (n === 0 || (first === 48 && n > 1)) this.fail();
    let fractional = false;
    if (s.charCodeAt(this.i) === 46) {
      this.i++;
      if (this.digits() === 0) this.fail();
      fractional = true;
    }
    const e = s.charCodeAt(this.i);
    if (e === 101 || e === 69) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 43 || sign === 45) this.i++;
      if (this.digits() === 0) this.fail();
      fractional = true;
    }
    const token = s.slice(start, this.i);
    if (fractional) return this.marks ? this.fraction : Number(token);
    if (n < 16) return Number(token);
    const big = BigInt(token);
    return big > MAX_SAFE || big < -MAX_SAFE ? big : Number(big);
  }

  private string(): string {
    const s = this.s, start = this.i;
    let plain = true;
    for (let j = start + 1; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 34) {
        this.i = j + 1;
        // Escapes and control characters: let JSON.parse decode (and reject) exactly as it would.
        return plain ? s.slice(start + 1, j) : (JSON.parse(s.slice(start, j + 1)) as string);
      }
      if (c === 92) { plain = false; j++; } else if (c < 32) plain = false;
    }
    this.i = s.length;
    return this.fail();
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) { this.i++; return out; }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) { this.i++; continue; }
      if (c === 93) { this.i++; return out; }
      this.fail();
    }
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) { this.i++; return out; }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 34) this.fail();
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail();
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      // `__proto__` is an own data property in JSON.parse's result; plain assignment would set the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 44) { this.i++; continue; }
      if (c === 125) { this.i++; return out; }
      this.fail();
    }
  }
}
