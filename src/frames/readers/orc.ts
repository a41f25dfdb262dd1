import type { DataSource } from '../../engine/engine';
import type { StructField } from '../../schema/types';
import { orcType } from '../../classifiers/orc';
import { orcCodec, orcDecompress } from '../../classifiers/orc-codec';
import { readMessage, repeatedVarints, type ProtoField } from '../../classifiers/protobuf';
import type { ReaderEngine } from './json';
import { insertRecords, type InsertResult } from './insert';
import { randomAccess, type RandomAccess } from './random-access';
import { errorMessage } from '../../util/errors';

// ORC (https://orc.apache.org/specification/ORCv1/): a tail (PostScript, Footer) lists stripes; each stripe's
// footer lists its streams (per column: PRESENT, DATA, LENGTH, ...) laid out one after another from the
// stripe's start. A stripe is decoded whole, column by column, into records for insertRecords: memory is
// bounded by one stripe (writers cut them at 64 MiB by default), never the file.

const STREAM = { PRESENT: 0, DATA: 1, LENGTH: 2, DICTIONARY_DATA: 3, SECONDARY: 5 } as const;
const KIND = { BOOLEAN: 0, BYTE: 1, SHORT: 2, INT: 3, LONG: 4, FLOAT: 5, DOUBLE: 6, STRING: 7, BINARY: 8, TIMESTAMP: 9, LIST: 10, MAP: 11, STRUCT: 12, UNION: 13, DECIMAL: 14, DATE: 15, VARCHAR: 16, CHAR: 17, TIMESTAMP_INSTANT: 18 } as const;
const KIND_NAMES = ['boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'binary', 'timestamp', 'array', 'map', 'struct', 'uniontype', 'decimal', 'date', 'varchar', 'char', 'timestamp with local time zone'];
/** Values one stripe may hold per column: a stripe is decoded whole, so this bounds its memory. */
const MAX_STRIPE_VALUES = 16_000_000;
/** Seconds from 1970 to ORC's timestamp epoch, 2015-01-01 00:00:00 UTC. */
const ORC_EPOCH = 1_420_070_400;

type Int = number | bigint;

interface OrcType { kind: number; subtypes: number[]; names: string[]; scale: number }
interface Stripe { offset: number; indexLength: number; dataLength: number; footerLength: number; rows: number }
interface OrcTail { codec: string; types: OrcType[]; stripes: Stripe[]; rows: number; schema: StructField[] }

const num = (fields: ProtoField[], field: number) => fields.find((f) => f.field === field)?.value;

/** A read position in a decompressed stream; reading past its end says which stream ended early. */
class Bytes {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly what: string) {}
  get done(): boolean { return this.pos >= this.buf.length; }
  byte(): number {
    if (this.pos >= this.buf.length) throw new Error(`the ORC ${this.what} stream ends early (corrupt file)`);
    return this.buf[this.pos++]!;
  }
  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error(`the ORC ${this.what} stream ends early (corrupt file)`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** A number when exact, else a bigint (64-bit ORC longs beyond 2^53). */
function small(v: bigint): Int {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function add(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return small(BigInt(a) + BigInt(b));
}

function unzigzag(v: Int): Int {
  if (typeof v === 'number') return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  return small((v >> 1n) ^ -(v & 1n));
}

function uvarint(s: Bytes): Int {
  let n = 0, mul = 1, b = 0, i = 0;
  do { b = s.byte(); n += (b & 0x7f) * mul; mul *= 128; i++; } while (b & 0x80 && i < 7);
  if (!(b & 0x80)) return n;
  let big = BigInt(n), shift = 49n;
  do {
    // A 64-bit value takes at most 10 bytes: a longer run is corruption, not a number to build bit by bit.
    if (shift > 63n) throw new Error(`an ORC integer in the ${s.what} stream is longer than 64 bits (corrupt file)`);
    b = s.byte(); big |= BigInt(b & 0x7f) << shift; shift += 7n;
  } while (b & 0x80);
  return small(BigInt.asUintN(64, big));
}

const svarint = (s: Bytes): Int => unzigzag(uvarint(s));

/** `width` bytes, big-endian, unsigned. */
function bigEndian(s: Bytes, width: number): Int {
  if (width <= 6) { let v = 0; for (let i = 0; i < width; i++) v = v * 256 + s.byte(); return v; }
  let v = 0n;
  for (let i = 0; i < width; i++) v = (v << 8n) | BigInt(s.byte());
  return small(v);
}

/** `count` unsigned values of `width` bits, packed big-endian from a byte boundary (RLE v2 runs). */
function unpack(s: Bytes, width: number, count: number): Int[] {
  const out: Int[] = new Array(count);
  let cur = 0, left = 0;
  for (let k = 0; k < count; k++) {
    if (width <= 48) {
      let v = 0, need = width;
      while (need > 0) {
        if (left === 0) { cur = s.byte(); left = 8; }
        const t = need < left ? need : left;
        v = v * (1 << t) + ((cur >>> (left - t)) & ((1 << t) - 1));
        left -= t; need -= t;
      }
      out[k] = v;
    } else {
      let v = 0n, need = width;
      while (need > 0) {
        if (left === 0) { cur = s.byte(); left = 8; }
        const t = Math.min(need, left);
        v = (v << BigInt(t)) | BigInt((cur >>> (left - t)) & ((1 << t) - 1));
        left -= t; need -= t;
      }
      out[k] = small(v);
    }
  }
  return out;
}

const WIDTHS = [...Array.from({ length: 24 }, (_, i) => i + 1), 26, 28, 30, 32, 40, 48, 56, 64];
function closestFixedBits(n: number): number {
  if (n === 0) return 1;
  return WIDTHS.find((w) => w >= n) ?? 64;
}

/** Integer run-length encoding, version 2 (short repeat, direct, patched base, delta), `count` values. */
function intRleV2(s: Bytes, signed: boolean, count: number): Int[] {
  const out: Int[] = [];
  while (out.length < count) {
    const h = s.byte();
    const enc = h >>> 6;
    if (enc === 0) { // short repeat
      const width = ((h >>> 3) & 7) + 1;
      let v = bigEndian(s, width);
      if (signed) v = unzigzag(v);
      for (let i = (h & 7) + 3; i > 0; i--) out.push(v);
      continue;
    }
    const len = (((h & 1) << 8) | s.byte()) + 1;
    if (enc === 1) { // direct
      const vals = unpack(s, WIDTHS[(h >>> 1) & 31]!, len);
      for (const v of vals) out.push(signed ? unzigzag(v) : v);
    } else if (enc === 2) { // patched base: base + values, a few values patched with their high bits
      const width = WIDTHS[(h >>> 1) & 31]!;
      const b2 = s.byte(), b3 = s.byte();
      const baseWidth = ((b2 >>> 5) & 7) + 1, patchWidth = WIDTHS[b2 & 31]!;
      const gapWidth = ((b3 >>> 5) & 7) + 1, patches = b3 & 31;
      let base = BigInt(bigEndian(s, baseWidth));
      const signBit = 1n << BigInt(baseWidth * 8 - 1);
      if (base & signBit) base = -(base & ~signBit);
      const data = unpack(s, width, len).map((v) => BigInt(v));
      const list = unpack(s, closestFixedBits(gapWidth + patchWidth), patches);
      const mask = (1n << BigInt(patchWidth)) - 1n;
      let at = 0;
      for (const entry of list) {
        const e = BigInt(entry);
        const gap = Number(e >> BigInt(patchWidth)), patch = e & mask;
        at += gap;
        if (patch === 0n) continue; // a gap longer than 255 is split into entries with no patch
        if (at >= len) throw new Error('an ORC patched-base run patches past its end (corrupt file)');
        data[at] = data[at]! | (patch << BigInt(width));
      }
      for (const v of data) out.push(small(base + v));
    } else { // delta
      const code = (h >>> 1) & 31;
      const width = code === 0 ? 0 : WIDTHS[code]!;
      let v = signed ? svarint(s) : uvarint(s);
      const delta = svarint(s);
      out.push(v);
      if (len > 1) {
        if (width === 0) {
          for (let i = 1; i < len; i++) { v = add(v, delta); out.push(v); }
        } else {
          v = add(v, delta);
          out.push(v);
          const negative = delta < 0;
          for (const d of unpack(s, width, len - 2)) {
            v = add(v, negative ? -d : d);
            out.push(v);
          }
        }
      }
    }
  }
  if (out.length > count) out.length = count;
  return out;
}

/** Integer run-length encoding, version 1 (runs with a byte delta, or literal varints), `count` values. */
function intRleV1(s: Bytes, signed: boolean, count: number): Int[] {
  const out: Int[] = [];
  while (out.length < count) {
    const h = (s.byte() << 24) >> 24;
    if (h >= 0) {
      const delta = (s.byte() << 24) >> 24;
      let v = signed ? svarint(s) : uvarint(s);
      for (let i = 0; i < h + 3; i++) { out.push(v); v = add(v, delta); }
    } else {
      for (let i = 0; i < -h; i++) out.push(signed ? svarint(s) : uvarint(s));
    }
  }
  if (out.length > count) out.length = count;
  return out;
}

/** Byte run-length encoding, `count` bytes. */
function byteRle(s: Bytes, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let n = 0;
  while (n < count) {
    const h = (s.byte() << 24) >> 24;
    if (h >= 0) { const b = s.byte(); for (let i = 0; i < h + 3 && n < count; i++) out[n++] = b; }
    else for (let i = 0; i < -h && n < count; i++) out[n++] = s.byte();
  }
  return out;
}

/** Boolean RLE: byte RLE of bits, most significant first. */
function booleans(s: Bytes, count: number): boolean[] {
  const bytes = byteRle(s, Math.ceil(count / 8));
  const out: boolean[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = ((bytes[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
  return out;
}

const utf8 = new TextDecoder();
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isoDay(days: number): string {
  // JS dates reach ±100,000,000 days from 1970 (beyond DuckDB's range too).
  if (!(Math.abs(days) <= 100_000_000)) throw new Error(`an ORC date ${days} days from 1970 is out of range (corrupt file?)`);
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS.fffffffff' of unix seconds + nanos, as DuckDB casts text to TIMESTAMP. */
function timestampText(seconds: number, nanos: number): string {
  const d = new Date(seconds * 1000);
  const y = d.getUTCFullYear();
  const date = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${nanos ? `.${pad(nanos, 9)}` : ''}`;
}

function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  if (scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-scale);
  const padded = digits.padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

function bigVarint(s: Bytes): bigint {
  let v = 0n, shift = 0n, b: number;
  do {
    // Decimals hold at most 38 digits (127 bits): 19 bytes of varint.
    if (shift > 133n) throw new Error('an ORC decimal is longer than 128 bits (corrupt file)');
    b = s.byte(); v |= BigInt(b & 0x7f) << shift; shift += 7n;
  } while (b & 0x80);
  return (v >> 1n) ^ -(v & 1n);
}

/**
 * Offset (seconds east of UTC) of a time zone at a UTC instant, through Intl (no tz database of our own).
 * Cached per zone and hour: offsets change on hour boundaries in every zone Intl knows.
 */
const offsetCache = new Map<string, number>();
function zoneOffset(zone: string, unixSeconds: number): number {
  const hour = Math.floor(unixSeconds / 3600);
  const key = `${zone}@${hour}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' }).formatToParts(new Date(hour * 3600_000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = era === 'BC' || era === 'B' ? 1 - get('year') : get('year');
  const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
  const offset = wall - hour * 3600;
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

const UTC_ZONES = new Set(['', 'UTC', 'GMT', 'Etc/UTC', 'Etc/GMT', 'Z', 'Zulu', 'UCT', 'Universal']);

class StripeReader {
  private readonly streams = new Map<string, Uint8Array>();
  private readonly encodings: number[];
  private readonly dictSizes: number[];
  private readonly zone: string;

  constructor(private readonly tail: OrcTail, bytes: Uint8Array, stripe: Stripe) {
    let footer: ProtoField[];
    try {
      footer = readMessage(orcDecompress(bytes.subarray(stripe.indexLength + stripe.dataLength, stripe.indexLength + stripe.dataLength + stripe.footerLength), tail.codec));
    } catch (err) {
      throw new Error(`an ORC stripe footer cannot be read (${errorMessage(err)}): the file is damaged`);
    }
    let at = 0;
    for (const f of footer.filter((x) => x.field === 1)) {
      const stream = readMessage(f.bytes!);
      const kind = num(stream, 1) ?? 0, column = num(stream, 2) ?? 0, length = num(stream, 3) ?? 0;
      if (at + length > stripe.indexLength + stripe.dataLength) throw new Error('an ORC stream runs past its stripe (corrupt file)');
      if (kind <= STREAM.SECONDARY) this.streams.set(`${column}:${kind}`, bytes.subarray(at, at + length));
      at += length;
    }
    const encodings = footer.filter((x) => x.field === 2).map((f) => readMessage(f.bytes!));
    this.encodings = encodings.map((e) => num(e, 1) ?? 0);
    this.dictSizes = encodings.map((e) => num(e, 2) ?? 0);
    const zone = footer.find((x) => x.field === 3)?.bytes;
    this.zone = zone ? utf8.decode(zone) : '';
  }

  private stream(column: number, kind: number, what: string): Bytes | null {
    const raw = this.streams.get(`${column}:${kind}`);
    return raw ? new Bytes(orcDecompress(raw, this.tail.codec), what) : null;
  }

  private need(column: number, kind: number, what: string): Bytes {
    const s = this.stream(column, kind, what);
    if (!s) throw new Error(`the ORC file lacks the ${what} stream of ${this.name(column)} (corrupt file or an encoding Epoxy does not read)`);
    return s;
  }

  private name(column: number): string {
    for (let parent = 0; parent < this.tail.types.length; parent++) {
      const i = this.tail.types[parent]!.subtypes.indexOf(column);
      if (i >= 0) return `column ${this.tail.types[parent]!.names[i] ?? `#${column}`}`;
    }
    return `column #${column}`;
  }

  private ints(column: number, kind: number, what: string, signed: boolean, count: number): Int[] {
    const s = this.need(column, kind, what);
    return (this.encodings[column] ?? 0) >= 2 ? intRleV2(s, signed, count) : intRleV1(s, signed, count);
  }

  /** The `count` values column `id` holds in this stripe (nulls included), as plain JS for RecordBatcher. */
  column(id: number, count: number): unknown[] {
    const type = this.tail.types[id];
    if (!type) throw new Error(`ORC column #${id} has no type in the footer`);
    const present = this.stream(id, STREAM.PRESENT, 'PRESENT');
    const mask = present ? booleans(present, count) : null;
    const n = mask ? mask.reduce((a, p) => a + (p ? 1 : 0), 0) : count;
    const values = this.values(id, type, n);
    if (!mask) return values;
    const out: unknown[] = new Array(count);
    let j = 0;
    for (let i = 0; i < count; i++) out[i] = mask[i] ? values[j++] : null;
    return out;
  }

  private values(id: number, type: OrcType, n: number): unknown[] {
    switch (type.kind) {
      case KIND.BOOLEAN: return booleans(this.need(id, STREAM.DATA, 'DATA'), n);
      case KIND.BYTE: return Array.from(byteRle(this.need(id, STREAM.DATA, 'DATA'), n), (b) => (b << 24) >> 24);
      case KIND.SHORT: case KIND.INT: case KIND.LONG: return this.ints(id, STREAM.DATA, 'DATA', true, n);
      case KIND.DATE: return this.ints(id, STREAM.DATA, 'DATA', true, n).map((d) => isoDay(Number(d)));
      case KIND.FLOAT: case KIND.DOUBLE: {
        const size = type.kind === KIND.FLOAT ? 4 : 8;
        const s = this.need(id, STREAM.DATA, 'DATA');
        const b = s.take(n * size);
        const view = new DataView(b.buffer, b.byteOffset, b.length);
        const out: number[] = new Array(n);
        if (size === 4) for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
        else for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
        return out;
      }
      case KIND.STRING: case KIND.VARCHAR: case KIND.CHAR: case KIND.BINARY: {
        const text = type.kind !== KIND.BINARY;
        const decode = (b: Uint8Array) => text ? utf8.decode(b) : Array.from(b, (x) => `\\x${x.toString(16).padStart(2, '0')}`).join('');
        const encoding = this.encodings[id] ?? 0;
        if (encoding === 1 || encoding === 3) {
          const dict = this.stream(id, STREAM.DICTIONARY_DATA, 'DICTIONARY_DATA') ?? new Bytes(new Uint8Array(0), 'DICTIONARY_DATA');
          const lengths = this.ints(id, STREAM.LENGTH, 'LENGTH', false, this.dictionarySize(id));
          const words = lengths.map((len) => decode(dict.take(Number(len))));
          return this.ints(id, STREAM.DATA, 'DATA', false, n).map((i) => {
            const w = words[Number(i)];
            if (w === undefined) throw new Error(`ORC dictionary index ${i} is out of range in ${this.name(id)} (corrupt file)`);
            return w;
          });
        }
        const data = this.stream(id, STREAM.DATA, 'DATA') ?? new Bytes(new Uint8Array(0), 'DATA');
        return this.ints(id, STREAM.LENGTH, 'LENGTH', false, n).map((len) => decode(data.take(Number(len))));
      }
      case KIND.TIMESTAMP: case KIND.TIMESTAMP_INSTANT: {
        const secs = this.ints(id, STREAM.DATA, 'DATA', true, n);
        const nanos = this.ints(id, STREAM.SECONDARY, 'SECONDARY', false, n);
        // TIMESTAMP is a wall clock in the writer's zone (seconds from 2015-01-01 00:00 there); an INSTANT is UTC.
        const zone = type.kind === KIND.TIMESTAMP && !UTC_ZONES.has(this.zone) ? this.zone : '';
        const epoch = zone ? ORC_EPOCH - zoneOffset(zone, ORC_EPOCH) : ORC_EPOCH;
        return secs.map((s, i) => {
          // The nanos stream is unsigned, but the C++ writer stores a time before 1970 as seconds truncated
          // toward zero plus negative nanos: read it as a signed 64-bit value.
          const raw = BigInt.asIntN(64, BigInt(nanos[i]!));
          const zeros = Number(raw & 7n);
          const ns = Number(zeros ? (raw >> 3n) * 10n ** BigInt(zeros + 1) : raw >> 3n);
          let unix = Number(s) + epoch;
          // Java writers truncate seconds toward zero and keep nanos positive: such a time is one second late.
          if (unix < 0 && ns > 999_999) unix -= 1;
          if (zone) unix += zoneOffset(zone, unix);
          const carry = Math.floor(ns / 1e9);
          return timestampText(unix + carry, ns - carry * 1e9);
        });
      }
      case KIND.DECIMAL: {
        const data = this.need(id, STREAM.DATA, 'DATA');
        const scales = this.ints(id, STREAM.SECONDARY, 'SECONDARY', true, n);
        return scales.map((sc) => decimalText(bigVarint(data), Number(sc)));
      }
      case KIND.STRUCT: {
        const children = type.subtypes.map((c) => this.column(c, n));
        const names = type.subtypes.map((_c, k) => type.names[k] ?? `_col${k}`);
        const out: Record<string, unknown>[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const o: Record<string, unknown> = {};
          for (let k = 0; k < names.length; k++) o[names[k]!] = children[k]![i];
          out[i] = o;
        }
        return out;
      }
      case KIND.LIST: case KIND.MAP: {
        const lengths = this.ints(id, STREAM.LENGTH, 'LENGTH', false, n).map(Number);
        const total = lengths.reduce((a, b) => a + b, 0);
        if (total > MAX_STRIPE_VALUES) throw new Error(`${this.name(id)} holds ${total} items in one stripe, more than Epoxy reads at once (${MAX_STRIPE_VALUES}); rewrite the file with smaller stripes`);
        const items = this.column(type.subtypes[0]!, total);
        const vals = type.kind === KIND.MAP ? this.column(type.subtypes[1]!, total) : null;
        let at = 0;
        return lengths.map((len) => {
          const start = at;
          at += len;
          if (!vals) return items.slice(start, at);
          // A map is stored as the JSON text of an object (storedType), so its keys become text.
          const o: Record<string, unknown> = {};
          for (let i = start; i < at; i++) o[String(items[i])] = vals[i];
          return o;
        });
      }
      case KIND.UNION: {
        // Each child holds the values of the rows tagged with it, in order. The Glue type is a choice, whose
        // option RecordBatcher picks by the value's JS type (as for JSON): exact for unions of distinct kinds.
        const tags = byteRle(this.need(id, STREAM.DATA, 'DATA'), n);
        const counts = type.subtypes.map(() => 0);
        for (const tag of tags) {
          if (tag >= counts.length) throw new Error(`ORC union tag ${tag} is out of range in ${this.name(id)} (corrupt file)`);
          counts[tag]!++;
        }
        const children = type.subtypes.map((c, k) => this.column(c, counts[k]!));
        const at = type.subtypes.map(() => 0);
        return Array.from(tags, (tag) => children[tag]![at[tag]!++]);
      }
      default:
        throw new Error(`${this.name(id)} is an ORC ${KIND_NAMES[type.kind] ?? `type ${type.kind}`} column, which Epoxy cannot read yet`);
    }
  }

  private dictionarySize(id: number): number {
    return this.dictSizes[id] ?? 0;
  }
}

/** Read an ORC file's tail: PostScript, Footer (schema, stripes); a damaged one says so. */
async function readTail(file: RandomAccess): Promise<OrcTail> {
  try {
    return await parseTail(file);
  } catch (err) {
    const message = errorMessage(err);
    throw new Error(/^not an ORC file|compression/.test(message) ? message : `the ORC footer cannot be read (${message}): the file is damaged or not ORC`);
  }
}

async function parseTail(file: RandomAccess): Promise<OrcTail> {
  if (file.size < 4) throw new Error('not an ORC file (too short)');
  const head = await file.read(0, 3);
  if (utf8.decode(head) !== 'ORC') throw new Error('not an ORC file (no ORC magic at its start)');
  const last = await file.read(Math.max(0, file.size - 16_384), Math.min(file.size, 16_384));
  const psLen = last[last.length - 1]!;
  if (psLen + 1 > last.length) throw new Error('the ORC PostScript is cut short');
  const ps = readMessage(last.subarray(last.length - 1 - psLen, last.length - 1));
  const footerLength = num(ps, 1) ?? 0;
  const codec = orcCodec(num(ps, 2) ?? 0);
  const tailLength = footerLength + psLen + 1;
  if (tailLength > file.size) throw new Error('the ORC file is shorter than its footer says');
  const end = tailLength <= last.length ? last.subarray(last.length - tailLength) : await file.read(file.size - tailLength, tailLength);
  const footer = readMessage(orcDecompress(end.subarray(0, footerLength), codec));
  const rawTypes = footer.filter((f) => f.field === 4).map((f) => readMessage(f.bytes!));
  if (!rawTypes.length) throw new Error('the ORC footer lists no types');
  const types = rawTypes.map((ty) => ({ kind: num(ty, 1) ?? 0, subtypes: repeatedVarints(ty, 2), names: ty.filter((f) => f.field === 3).map((f) => utf8.decode(f.bytes)), scale: num(ty, 6) ?? 0 }));
  // DuckDB's SQL text ends at a NUL, so such a name would break the statements that create the table.
  if (types.some((t) => t.names.some((n) => n.includes('\0')))) throw new Error('a column name holds a NUL character');
  const root = orcType(rawTypes, 0);
  const stripes = footer.filter((f) => f.field === 3).map((f) => {
    const s = readMessage(f.bytes!);
    return { offset: num(s, 1) ?? 0, indexLength: num(s, 2) ?? 0, dataLength: num(s, 3) ?? 0, footerLength: num(s, 4) ?? 0, rows: num(s, 5) ?? 0 };
  });
  return { codec, types, stripes, rows: num(footer, 6) ?? 0, schema: root.kind === 'struct' ? root.fields : [{ name: 'col0', type: root }] };
}

/**
 * Stream the rows of an ORC file stripe by stripe (one stripe's bytes and values in memory at a time):
 * the first value yielded is the file's Glue schema (the classifier's mapping), then one record per row.
 */
export async function* orcRecords(source: DataSource): AsyncGenerator<{ schema: StructField[] } | { record: unknown }> {
  const file = await randomAccess(source);
  try {
    const tail = await readTail(file);
    yield { schema: tail.schema };
    const rootIsStruct = tail.types[0]!.kind === KIND.STRUCT;
    for (const stripe of tail.stripes) {
      if (!stripe.rows) continue;
      if (stripe.rows > MAX_STRIPE_VALUES) throw new Error(`an ORC stripe holds ${stripe.rows} rows, more than Epoxy reads at once (${MAX_STRIPE_VALUES}); rewrite the file with smaller stripes`);
      if (stripe.offset + stripe.indexLength + stripe.dataLength + stripe.footerLength > file.size) throw new Error('an ORC stripe runs past the end of the file (corrupt or cut short)');
      const bytes = await file.read(stripe.offset, stripe.indexLength + stripe.dataLength + stripe.footerLength);
      const reader = new StripeReader(tail, bytes, stripe);
      const rows = reader.column(0, stripe.rows);
      for (const row of rows) yield { record: rootIsStruct ? row : { col0: row } };
    }
  } finally {
    await file.close();
  }
}

/**
 * Read an ORC file (uncompressed, ZLIB or SNAPPY; RLE v1 and v2, DIRECT and DICTIONARY encodings) into a
 * DuckDB table, stripe by stripe. The schema comes from the file's footer unless given (e.g. the catalog's).
 */
export async function readOrcInto(engine: ReaderEngine, table: string, source: DataSource, schema: StructField[] | null = null, batchRows = 10_000): Promise<InsertResult & { schema: StructField[] }> {
  const stream = orcRecords(source);
  const first = await stream.next();
  if (first.done || !('schema' in first.value)) throw new Error('Empty ORC file');
  const fields = schema ?? first.value.schema;
  async function* records() {
    for await (const item of stream) if ('record' in item) yield item.record;
  }
  const result = await insertRecords(engine, table, fields, records(), batchRows);
  return { ...result, schema: fields };
}
