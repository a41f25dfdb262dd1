/**
 * Arrow for the native engine (@duckdb/node-api), both ways, exactly as DuckDB-WASM 1.32 (DuckDB 1.4.3) makes
 * and reads it. This module runs inside the native engine's worker thread.
 *
 * Out (`resultToIPC`): a native result becomes the Arrow IPC stream DuckDB-WASM's bindings would return for the
 * same statement (castBigIntToDouble off), so `tableToResult`, `sqlTypeName` and direct cell reads see the same
 * columns and values. The node-api has no Arrow export (the C API's is deprecated and not bound), so each
 * column is built from the raw chunk vectors: fixed-width data is copied whole, strings are fetched a heap run
 * at a time (one native call per run of strings stored back to back, not one per string).
 * DuckDB 1.4.3's Arrow types, as measured on DuckDB-WASM:
 * - HUGEINT → Decimal128(38,0); UHUGEINT → FixedSizeBinary(16) tagged `arrow.opaque` {uhugeint, DuckDB};
 *   BIGNUM (VARINT) → Binary tagged `arrow.opaque` {bignum}; every DECIMAL → Decimal128(width, scale).
 * - UUID → Utf8 (text); ENUM → Dictionary<Uint8|16|32, Utf8> holding every member; BIT → Binary (DuckDB's
 *   own bit layout: padding count, then the bits); JSON → plain Utf8.
 * - DATE → Date32; TIME and TIME WITH TIME ZONE → Time64(µs) (the local time, offset dropped, as WASM does);
 *   TIMESTAMP(_S/_MS/_NS) → Timestamp of that unit; TIMESTAMPTZ → Timestamp(µs, 'UTC') (WASM has no ICU, so
 *   its zone is always UTC; the native engine's TimeZone setting is not consulted).
 * - INTERVAL → Interval(MONTH_DAY_NANO). apache-arrow 17 gets this type's stride wrong (3 words, not 4): its
 *   writer would cut each value to 12 bytes, so the Data built here carries stride 4 and the stream holds the
 *   full 16 bytes DuckDB writes. (Reading it back, apache-arrow 17 shows the same odd values for WASM's bytes.)
 * - LIST → List (child `l`), ARRAY → FixedSizeList (child ``), MAP → Map (`entries`, non-null `key`),
 *   STRUCT → Struct, UNION → sparse Union (a NULL row: type id 0, every member NULL).
 * - No-row statements: DuckDB's own one-column results (`Count` BIGINT, `Success` BOOLEAN), as WASM returns.
 * Not matched, by design: TIME_NS, VARIANT and GEOMETRY throw (DuckDB-WASM 1.4.3 refuses TIME_NS as Arrow and
 * has no VARIANT or GEOMETRY). Column names are the native DuckDB's (1.5 names a few expressions differently,
 * e.g. `CAST('a' AS "mood")` where 1.4.3 says `CAST('a' AS mood)`); record batch boundaries differ (nothing
 * reads them).
 *
 * In (`insertIPC`): DuckDB-WASM's insertArrowFromIPCStream, i.e. DuckDB 1.4.3's Arrow scan: the same column
 * types (dictionaries become their value type, FixedSizeList an ARRAY, `arrow.uuid` UUID, `arrow.json` JSON,
 * the DuckDB `arrow.opaque` tags their type, Null INTEGER, duplicate names deduplicated as DuckDB does), the same
 * value conversions (time and timestamp units truncated toward zero, durations and intervals to INTERVAL,
 * DuckDB 1.4.3's reading of a DAY_TIME interval's 8 bytes as one count of milliseconds, a union row whose
 * member is NULL loaded as a NULL union, a NULL struct's fields NULL too), and the same refusals
 * (Float16, dense unions, decimals over 128 bits). The stream is read with apache-arrow and written into DuckDB
 * data chunks, a column at a time, through an appender: no temporary file and no row objects (a Parquet detour
 * through parquet-wasm would cost an encode and a decode, and Parquet has no UNION, UHUGEINT or MONTH_DAY_NANO,
 * nor ARRAY as distinct from LIST). Not matched, by design: a MONTH_DAY_NANO column apache-arrow 17 wrote
 * (12 bytes a value, see above) is refused, where WASM reads past each value; types apache-arrow 17 cannot
 * decode (string views, large lists, run-end encoding) are refused as unreadable, where WASM may load them.
 *
 * Needs `@duckdb/node-bindings` (node-api's own dependency) importable: node-api does not expose raw vectors.
 */
import duckdb from '@duckdb/node-bindings';
import type { Vector as RawVector } from '@duckdb/node-bindings';
import {
  DuckDBDataChunk,
  DuckDBMaterializedResult,
  DuckDBTypeId,
  type DuckDBArrayType,
  type DuckDBConnection,
  type DuckDBDecimalType,
  type DuckDBEnumType,
  type DuckDBListType,
  type DuckDBMapType,
  type DuckDBResult,
  type DuckDBStructType,
  type DuckDBType,
  type DuckDBUnionType,
} from '@duckdb/node-api';
import {
  Binary, Bool, DataType, DateDay, Decimal, Dictionary, Field, FixedSizeBinary, FixedSizeList, Float32, Float64,
  Int16, Int32, Int64, Int8, Interval, IntervalUnit, List, Map_, Null, RecordBatch, RecordBatchStreamWriter,
  RecordBatchReader, Schema, SparseUnion, Struct, TimeMicrosecond, TimestampMicrosecond, TimestampMillisecond,
  TimestampNanosecond, TimestampSecond, Type, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, vectorFromArray,
  type Data, type Vector,
} from 'apache-arrow';
import { quoteIdent } from './sql';

// ---------------------------------------------------------------------------------------------------------
// Native result → Arrow IPC
// ---------------------------------------------------------------------------------------------------------

/** Rows per record batch: big enough that per-batch costs vanish, small enough to bound string offsets. */
const BATCH_ROWS = 122_880;
/** A batch is cut early when its variable-length data passes this (Arrow's 32-bit offsets end at 2 GiB). */
const BATCH_BYTES = 1 << 30;
const TWO_32 = 4294967296;

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/** A growable byte buffer whose bytes past `len` are always zero. */
class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(capacity, 16));
  }
  reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  /** The bytes so far (a view, not a copy), and a fresh empty buffer for what follows. */
  take(nextCapacity: number): Uint8Array {
    const out = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(Math.max(nextCapacity, 16));
    this.len = 0;
    return out;
  }
}

/** An Arrow validity (or boolean) bitmap under construction. */
class Bits {
  private bytes: Bytes;
  length = 0;
  unset = 0;
  constructor(capacityBits = 2048) {
    this.bytes = new Bytes((capacityBits + 7) >> 3);
  }
  private grow(count: number): Uint8Array {
    const needBytes = ((this.length + count + 7) >> 3) - this.bytes.len;
    if (needBytes > 0) {
      this.bytes.reserve(needBytes);
      this.bytes.len += needBytes;
    }
    return this.bytes.buf;
  }
  /** Append `count` bits all set (or all clear). */
  pushRun(set: boolean, count: number): void {
    const out = this.grow(count);
    if (!set) {
      this.length += count;
      this.unset += count;
      return;
    }
    let i = this.length;
    const end = i + count;
    while (i < end && (i & 7)) { out[i >> 3]! |= 1 << (i & 7); i++; }
    const fullEnd = end & ~7;
    if (i < fullEnd) { out.fill(0xff, i >> 3, fullEnd >> 3); i = fullEnd; }
    while (i < end) { out[i >> 3]! |= 1 << (i & 7); i++; }
    this.length = end;
  }
  /** Append the bits of a DuckDB validity mask (null: all valid) for the rows `sel` (or `start`..). */
  pushMask(mask: Uint8Array | null, count: number, sel: Int32Array | null, start: number): void {
    if (!mask) { this.pushRun(true, count); return; }
    const out = this.grow(count);
    if (!sel && (start & 7) === 0 && (this.length & 7) === 0) {
      const from = start >> 3;
      const n = (count + 7) >> 3;
      const at = this.length >> 3;
      out.set(mask.subarray(from, from + n), at);
      if (count & 7) out[at + n - 1]! &= (1 << (count & 7)) - 1;
      let ones = 0;
      for (let b = at; b < at + n; b++) ones += POPCOUNT[out[b]!]!;
      this.unset += count - ones;
      this.length += count;
      return;
    }
    let i = this.length;
    for (let k = 0; k < count; k++, i++) {
      const r = sel ? sel[k]! : start + k;
      if ((mask[r >> 3]! >> (r & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
      else this.unset++;
    }
    this.length = i;
  }
  /** Append one bit. */
  push(set: boolean): void {
    const out = this.grow(1);
    if (set) out[this.length >> 3]! |= 1 << (this.length & 7);
    else this.unset++;
    this.length++;
  }
  /** Clear bit `i` (already appended). */
  clear(i: number): void {
    const buf = this.bytes.buf;
    const m = 1 << (i & 7);
    if (buf[i >> 3]! & m) { buf[i >> 3]! &= ~m; this.unset++; }
  }
  /** The bitmap (undefined when every bit is set and `omitFull`), then start over. */
  take(omitFull: boolean, nextCapacityBits: number): Uint8Array | undefined {
    const full = this.unset === 0;
    const out = this.bytes.take((nextCapacityBits + 7) >> 3);
    this.length = 0;
    this.unset = 0;
    return full && omitFull ? undefined : out;
  }
}

/** Builds one Arrow column (or child) from DuckDB vectors, chunk after chunk. */
interface Builder {
  readonly type: DataType;
  readonly metadata?: Map<string, string>;
  /** The validity of what is appended so far (a union masks its members through it). */
  readonly valid: Bits | null;
  /** Append `count` rows of `vec`: the rows `sel[k]`, or `start + k` without a selection. */
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void;
  /** Bytes of variable-length data held (to cut batches before Arrow's 2 GiB offsets). */
  heavy(): number;
  /** What was appended, as Arrow data; the builder starts over. */
  finish(nextRows: number): Data;
}

/** Number of entries of a vector a read of these rows needs. */
function extentOf(count: number, sel: Int32Array | null, start: number): number {
  if (!sel) return start + count;
  let max = -1;
  for (let k = 0; k < count; k++) if (sel[k]! > max) max = sel[k]!;
  return max + 1;
}

function validityOf(vec: RawVector, extent: number): Uint8Array | null {
  if (extent === 0) return null;
  return duckdb.vector_get_validity(vec, Math.ceil(extent / 64) * 8) ?? null;
}

/** A copy of the first `bytes` of a vector's data, aligned for any typed-array view. */
/**
 * The start of a chunk for a column with 32-bit offsets (text, binary, lists): its validity pushed, room for
 * `count` more offsets, and the chunk's extent and validity mask for reading its 16-byte entries.
 */
function beginOffsetChunk(vec: RawVector, count: number, sel: Int32Array | null, start: number, valid: Bits, offsets: Bytes): { extent: number; mask: Uint8Array | null } {
  const extent = extentOf(count, sel, start);
  const mask = validityOf(vec, extent);
  valid.pushMask(mask, count, sel, start);
  offsets.reserve(count * 4);
  return { extent, mask };
}

function dataOf(vec: RawVector, bytes: number): Uint8Array {
  const data = duckdb.vector_get_data(vec, bytes);
  return data.byteOffset % 8 === 0 ? data : data.slice();
}

const isValidAt = (mask: Uint8Array | null, r: number) => !mask || ((mask[r >> 3]! >> (r & 7)) & 1) === 1;

/** How a fixed-width DuckDB value (row `r` of `src`) becomes a fixed-width Arrow one (at byte `at` of `dst`). */
type Convert = (src: DataView, r: number, dst: DataView, at: number) => void;

/** Fixed-width columns: numbers, dates, times, timestamps, decimals, intervals, UHUGEINT. */
class FixedBuilder implements Builder {
  readonly valid: Bits;
  private values: Bytes;
  private rows = 0;
  constructor(
    readonly type: DataType,
    private readonly inWidth: number,
    private readonly outWidth: number,
    capacity: number,
    private readonly convert: Convert | null = null,
    readonly metadata?: Map<string, string>,
  ) {
    this.valid = new Bits(capacity);
    this.values = new Bytes(capacity * outWidth);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const extent = extentOf(count, sel, start);
    this.valid.pushMask(validityOf(vec, extent), count, sel, start);
    const { inWidth: wi, outWidth: wo } = this;
    this.values.reserve(count * wo);
    const dst = this.values.buf;
    const at = this.values.len;
    this.values.len += count * wo;
    this.rows += count;
    if (count === 0) return;
    const src = dataOf(vec, extent * wi);
    if (this.convert) {
      const from = new DataView(src.buffer, src.byteOffset, src.byteLength);
      const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
      for (let k = 0; k < count; k++) this.convert(from, sel ? sel[k]! : start + k, to, at + k * wo);
    } else if (!sel) {
      dst.set(src.subarray(start * wi, (start + count) * wi), at);
    } else {
      gather(src, sel, count, wi, dst, at);
    }
  }
  heavy(): number { return 0; }
  finish(nextRows: number): Data {
    const length = this.rows;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    const data = this.values.take(nextRows * this.outWidth);
    this.rows = 0;
    // makeData's overloads are per type; the flat types here all take their values as `data`.
    const out = (makeData as unknown as (props: object) => Data)({ type: this.type, length, nullCount, nullBitmap, data });
    // apache-arrow 17 strides MONTH_DAY_NANO as 3 words; the value is 4 (see the module's doc).
    if (this.type.typeId === Type.Interval) (out as unknown as { stride: number }).stride = 4;
    return out;
  }
}

/** Copy the `width`-byte elements `sel[k]` of `src` to `dst` at `at`, one after another. */
function gather(src: Uint8Array, sel: Int32Array, count: number, width: number, dst: Uint8Array, at: number): void {
  if (width === 1) {
    for (let k = 0; k < count; k++) dst[at + k] = src[sel[k]!]!;
    return;
  }
  if (width % 4 === 0 && at % 4 === 0) {
    const s = new Uint32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
    const d = new Uint32Array(dst.buffer, dst.byteOffset + at, count * (width >> 2));
    const words = width >> 2;
    for (let k = 0; k < count; k++) {
      const from = sel[k]! * words;
      for (let w = 0; w < words; w++) d[k * words + w] = s[from + w]!;
    }
    return;
  }
  for (let k = 0; k < count; k++) dst.set(src.subarray(sel[k]! * width, (sel[k]! + 1) * width), at + k * width);
}

/** BOOLEAN: DuckDB's one byte per value becomes one bit. */
class BoolBuilder implements Builder {
  readonly type = new Bool();
  readonly valid: Bits;
  private values: Bits;
  constructor(capacity: number) {
    this.valid = new Bits(capacity);
    this.values = new Bits(capacity);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const extent = extentOf(count, sel, start);
    this.valid.pushMask(validityOf(vec, extent), count, sel, start);
    const src = count ? dataOf(vec, extent * duckdb.sizeof_bool) : new Uint8Array(0);
    const size = duckdb.sizeof_bool;
    for (let k = 0; k < count; k++) {
      const r = sel ? sel[k]! : start + k;
      let set = false;
      for (let b = 0; b < size; b++) if (src[r * size + b]) set = true;
      this.values.push(set);
    }
  }
  heavy(): number { return 0; }
  finish(nextRows: number): Data {
    const length = this.values.length;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    const data = this.values.take(false, nextRows)!;
    return makeData({ type: this.type, length, nullCount, nullBitmap, data });
  }
}

/**
 * VARCHAR, BLOB, BIT, BIGNUM: DuckDB's 16-byte string_t (length, then the bytes inline up to 12, else a
 * prefix and a pointer). Long strings stored back to back in DuckDB's heap are fetched as one run.
 */
/** A variable-width column (validity, 32-bit offsets, bytes): what text and binary builders share. */
abstract class VarWidthBuilder implements Builder {
  readonly valid: Bits;
  protected offsets: Bytes;
  protected values: Bytes;
  protected rows = 0;
  abstract readonly type: Utf8 | Binary;
  readonly metadata?: Map<string, string>;
  constructor(capacity: number, bytesPerRow: number) {
    this.valid = new Bits(capacity);
    this.offsets = new Bytes((capacity + 1) * 4);
    this.offsets.len = 4;
    this.values = new Bytes(capacity * bytesPerRow);
  }
  abstract append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void;
  heavy(): number { return this.values.len; }
  /** The bytes the next batch of `nextRows` rows is expected to need. */
  protected abstract nextBytes(nextRows: number): number;
  finish(nextRows: number): Data {
    const length = this.rows;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    const valueOffsets = this.offsets.take((nextRows + 1) * 4);
    this.offsets.len = 4;
    const data = this.values.take(this.nextBytes(nextRows));
    this.rows = 0;
    this.startBatch(nextRows);
    return makeData({ type: this.type as Utf8, length, nullCount, nullBitmap, valueOffsets: valueOffsets as never, data });
  }
  protected startBatch(_rows: number): void {}
}

class StringBuilder extends VarWidthBuilder {
  private lens = new Int32Array(2048);
  /** Rows the current batch is expected to reach, to size the text buffer from the first chunks' lengths. */
  private expected: number;
  constructor(readonly type: Utf8 | Binary, capacity: number, override readonly metadata?: Map<string, string>) {
    super(capacity, 8);
    this.expected = capacity;
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const { extent, mask } = beginOffsetChunk(vec, count, sel, start, this.valid, this.offsets);
    if (count === 0) return;
    const raw = dataOf(vec, extent * 16);
    const words = new Uint32Array(raw.buffer, raw.byteOffset, extent * 4);
    if (this.lens.length < count) this.lens = new Int32Array(count);
    const lens = this.lens;
    // Pass 1: lengths, and the runs of long strings that lie back to back in DuckDB's heap.
    const runRow: number[] = [];
    const runLen: number[] = [];
    let runEnd = -1;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const r = sel ? sel[k]! : start + k;
      if (!isValidAt(mask, r)) { lens[k] = 0; continue; }
      const len = words[r * 4]!;
      lens[k] = len;
      total += len;
      if (len > 12) {
        const ptr = words[r * 4 + 2]! + words[r * 4 + 3]! * TWO_32;
        if (ptr === runEnd) runLen[runLen.length - 1]! += len;
        else { runRow.push(r); runLen.push(len); }
        runEnd = ptr + len;
      }
    }
    const runs = runRow.map((r, i) => duckdb.get_data_from_pointer(raw.buffer as ArrayBuffer, raw.byteOffset + r * 16 + 8, runLen[i]!));
    // Pass 2: the bytes, in row order; consecutive long strings of a run are copied at once.
    const need = this.values.len + total;
    if (need > this.values.buf.length && this.expected > this.rows + count) {
      this.values.reserve(Math.ceil((need / (this.rows + count)) * this.expected * 1.05) - this.values.len);
    }
    this.values.reserve(total);
    const out = this.values.buf;
    let pos = this.values.len;
    if (pos + total > 0x7fffffff) throw new Error('A result column holds more than 2 GiB of text in one batch: too large for Arrow');
    const offs = new Int32Array(this.offsets.buf.buffer, this.offsets.buf.byteOffset + this.offsets.len, count);
    let run = 0;
    let runPos = 0;
    let pendFrom = 0;
    let pendLen = 0;
    let pendAt = 0;
    const flush = () => {
      if (pendLen) out.set(runs[run]!.subarray(pendFrom, pendFrom + pendLen), pendAt);
      pendLen = 0;
    };
    for (let k = 0; k < count; k++) {
      const len = lens[k]!;
      if (len > 12) {
        if (runPos === runs[run]!.length) { flush(); run++; runPos = 0; }
        if (!pendLen) { pendFrom = runPos; pendAt = pos; }
        pendLen += len;
        runPos += len;
      } else if (len > 0) {
        flush();
        const base = (sel ? sel[k]! : start + k) * 16 + 4;
        for (let b = 0; b < len; b++) out[pos + b] = raw[base + b]!;
      }
      pos += len;
      offs[k] = pos;
    }
    flush();
    this.values.len = pos;
    this.offsets.len += count * 4;
    this.rows += count;
  }
  // The next batch likely holds text of the same length per row as this one.
  protected nextBytes(nextRows: number): number { return Math.ceil((this.values.len / Math.max(this.rows, 1)) * nextRows); }
  protected override startBatch(rows: number): void { this.expected = rows; }
}

const HEX = new TextEncoder().encode('0123456789abcdef');

/** UUID: DuckDB's 128-bit integer (top bit flipped) becomes its 36-character text, as WASM gives it. */
class UuidBuilder extends VarWidthBuilder {
  readonly type = new Utf8();
  constructor(capacity: number) {
    super(capacity, 36);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const { extent, mask } = beginOffsetChunk(vec, count, sel, start, this.valid, this.offsets);
    this.values.reserve(count * 36);
    if (count === 0) return;
    const raw = dataOf(vec, extent * 16);
    const words = new Uint32Array(raw.buffer, raw.byteOffset, extent * 4);
    const out = this.values.buf;
    let pos = this.values.len;
    const offs = new Int32Array(this.offsets.buf.buffer, this.offsets.buf.byteOffset + this.offsets.len, count);
    const hex = (w: number, at: number, digits: number) => {
      for (let d = digits - 1; d >= 0; d--) { out[at + d] = HEX[w & 15]!; w >>>= 4; }
    };
    for (let k = 0; k < count; k++) {
      const r = sel ? sel[k]! : start + k;
      if (isValidAt(mask, r)) {
        const w3 = (words[r * 4 + 3]! ^ 0x80000000) >>> 0;
        const w2 = words[r * 4 + 2]!;
        const w1 = words[r * 4 + 1]!;
        const w0 = words[r * 4]!;
        hex(w3, pos, 8);
        out[pos + 8] = 45;
        hex(w2 >>> 16, pos + 9, 4);
        out[pos + 13] = 45;
        hex(w2 & 0xffff, pos + 14, 4);
        out[pos + 18] = 45;
        hex(w1 >>> 16, pos + 19, 4);
        out[pos + 23] = 45;
        hex(w1 & 0xffff, pos + 24, 4);
        hex(w0, pos + 28, 8);
        pos += 36;
      }
      offs[k] = pos;
    }
    this.values.len = pos;
    this.offsets.len += count * 4;
    this.rows += count;
  }
  protected nextBytes(nextRows: number): number { return nextRows * 36; }
}

/** ENUM: its codes, over a dictionary of every member (one Vector, so the stream carries it once). */
class EnumBuilder implements Builder {
  readonly type: Dictionary;
  private codes: FixedBuilder;
  private dictionary: Vector<Utf8>;
  constructor(enumType: DuckDBEnumType, id: number, capacity: number) {
    const width = enumType.internalTypeId === DuckDBTypeId.UTINYINT ? 1 : enumType.internalTypeId === DuckDBTypeId.USMALLINT ? 2 : 4;
    const indices = width === 1 ? new Uint8() : width === 2 ? new Uint16() : new Uint32();
    this.type = new Dictionary(new Utf8(), indices, id, false);
    this.codes = new FixedBuilder(indices, width, width, capacity);
    this.dictionary = vectorFromArray([...enumType.values], new Utf8());
  }
  get valid(): Bits { return this.codes.valid; }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    this.codes.append(vec, count, sel, start);
  }
  heavy(): number { return 0; }
  finish(nextRows: number): Data {
    const codes = this.codes.finish(nextRows);
    return makeData({ type: this.type, length: codes.length, nullCount: codes.nullCount, nullBitmap: codes.nullBitmap, data: codes.values, dictionary: this.dictionary });
  }
}

/** LIST and MAP: offsets into one child column. */
class ListBuilder implements Builder {
  readonly valid: Bits;
  private offsets: Bytes;
  private childRows = 0;
  private rows = 0;
  constructor(readonly type: List | Map_, private readonly child: Builder, capacity: number) {
    this.valid = new Bits(capacity);
    this.offsets = new Bytes((capacity + 1) * 4);
    this.offsets.len = 4;
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const { extent, mask } = beginOffsetChunk(vec, count, sel, start, this.valid, this.offsets);
    if (count === 0) return;
    const raw = dataOf(vec, extent * 16);
    const entries = new Uint32Array(raw.buffer, raw.byteOffset, extent * 4);
    const offs = new Int32Array(this.offsets.buf.buffer, this.offsets.buf.byteOffset + this.offsets.len, count);
    // Usually the entries of a chunk follow each other in the child vector: then it is appended as one range.
    let first = -1;
    let next = -1;
    let contiguous = true;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const r = sel ? sel[k]! : start + k;
      if (isValidAt(mask, r)) {
        const off = entries[r * 4]! + entries[r * 4 + 1]! * TWO_32;
        const len = entries[r * 4 + 2]! + entries[r * 4 + 3]! * TWO_32;
        if (len > 0) {
          if (first < 0) first = off;
          else if (off !== next) contiguous = false;
          next = off + len;
          total += len;
        }
      }
      offs[k] = this.childRows + total;
    }
    if (this.childRows + total > 0x7fffffff) throw new Error('A result list column holds more than 2^31 values in one batch: too large for Arrow');
    this.offsets.len += count * 4;
    this.rows += count;
    if (total === 0) return;
    const childVec = duckdb.list_vector_get_child(vec);
    if (contiguous) {
      this.child.append(childVec, total, null, first);
    } else {
      const childSel = new Int32Array(total);
      let at = 0;
      for (let k = 0; k < count; k++) {
        const r = sel ? sel[k]! : start + k;
        if (!isValidAt(mask, r)) continue;
        const off = entries[r * 4]! + entries[r * 4 + 1]! * TWO_32;
        const len = entries[r * 4 + 2]! + entries[r * 4 + 3]! * TWO_32;
        for (let i = 0; i < len; i++) childSel[at++] = off + i;
      }
      this.child.append(childVec, total, childSel, 0);
    }
    this.childRows += total;
  }
  heavy(): number { return this.child.heavy(); }
  finish(nextRows: number): Data {
    const length = this.rows;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    const valueOffsets = this.offsets.take((nextRows + 1) * 4);
    this.offsets.len = 4;
    this.rows = 0;
    this.childRows = 0;
    const child = this.child.finish(nextRows);
    return makeData({ type: this.type as List, length, nullCount, nullBitmap, valueOffsets: valueOffsets as never, child });
  }
}

/** ARRAY: `size` child values per row, nulls included. */
class ArrayBuilder implements Builder {
  readonly valid: Bits;
  private rows = 0;
  constructor(readonly type: FixedSizeList, private readonly child: Builder, private readonly size: number, capacity: number) {
    this.valid = new Bits(capacity);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const extent = extentOf(count, sel, start);
    this.valid.pushMask(validityOf(vec, extent), count, sel, start);
    this.rows += count;
    if (count === 0) return;
    const childVec = duckdb.array_vector_get_child(vec);
    const n = this.size;
    if (!sel) {
      this.child.append(childVec, count * n, null, start * n);
    } else {
      const childSel = new Int32Array(count * n);
      for (let k = 0; k < count; k++) for (let i = 0; i < n; i++) childSel[k * n + i] = sel[k]! * n + i;
      this.child.append(childVec, count * n, childSel, 0);
    }
  }
  heavy(): number { return this.child.heavy(); }
  finish(nextRows: number): Data {
    const length = this.rows;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    this.rows = 0;
    const child = this.child.finish(nextRows * this.size);
    return makeData({ type: this.type, length, nullCount, nullBitmap, child });
  }
}

/** STRUCT (and a MAP's entries): one child column per field. */
class StructBuilder implements Builder {
  readonly valid: Bits;
  private rows = 0;
  constructor(readonly type: Struct, private readonly children: Builder[], capacity: number) {
    this.valid = new Bits(capacity);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const extent = extentOf(count, sel, start);
    this.valid.pushMask(validityOf(vec, extent), count, sel, start);
    this.rows += count;
    this.children.forEach((child, i) => child.append(duckdb.struct_vector_get_child(vec, i), count, sel, start));
  }
  heavy(): number { return this.children.reduce((n, c) => n + c.heavy(), 0); }
  finish(nextRows: number): Data {
    const length = this.rows;
    const nullCount = this.valid.unset;
    const nullBitmap = this.valid.take(true, nextRows);
    this.rows = 0;
    const children = this.children.map((c) => c.finish(nextRows));
    return makeData({ type: this.type, length, nullCount, nullBitmap, children });
  }
}

/**
 * UNION: a sparse Arrow union. DuckDB keeps a union as a struct of its tag and its members; DuckDB 1.4.3's Arrow
 * writer gives a NULL row type id 0, and every member but the row's own is NULL.
 */
class UnionBuilder implements Builder {
  readonly valid = null;
  private typeIds: Bytes;
  private rows = 0;
  constructor(readonly type: SparseUnion, private readonly members: Builder[], capacity: number) {
    this.typeIds = new Bytes(capacity);
  }
  append(vec: RawVector, count: number, sel: Int32Array | null, start: number): void {
    const extent = extentOf(count, sel, start);
    const mask = validityOf(vec, extent);
    const tagVec = duckdb.struct_vector_get_child(vec, 0);
    const tags = count ? dataOf(tagVec, extent) : new Uint8Array(0);
    const tagMask = validityOf(tagVec, extent);
    this.typeIds.reserve(count);
    const ids = this.typeIds.buf;
    const at = this.typeIds.len;
    for (let k = 0; k < count; k++) {
      const r = sel ? sel[k]! : start + k;
      ids[at + k] = isValidAt(mask, r) && isValidAt(tagMask, r) ? tags[r]! : 0;
    }
    this.typeIds.len += count;
    this.members.forEach((member, m) => {
      const base = this.rows;
      member.append(duckdb.struct_vector_get_child(vec, m + 1), count, sel, start);
      const valid = member.valid;
      if (!valid) return;
      for (let k = 0; k < count; k++) {
        const r = sel ? sel[k]! : start + k;
        if (!(isValidAt(mask, r) && ids[at + k] === m)) valid.clear(base + k);
      }
    });
    this.rows += count;
  }
  heavy(): number { return this.members.reduce((n, c) => n + c.heavy(), 0); }
  finish(nextRows: number): Data {
    const length = this.rows;
    const typeIds = new Int8Array(this.typeIds.take(nextRows).buffer, 0, length);
    this.rows = 0;
    const children = this.members.map((c) => c.finish(nextRows));
    return makeData({ type: this.type, length, typeIds, children });
  }
}

/** A column of DuckDB's NULL type (Arrow's Null). */
class NullBuilder implements Builder {
  readonly type = new Null();
  readonly valid = null;
  private rows = 0;
  append(_vec: RawVector, count: number): void { this.rows += count; }
  heavy(): number { return 0; }
  finish(): Data {
    const length = this.rows;
    this.rows = 0;
    return makeData({ type: this.type, length });
  }
}

/**
 * A field name as DuckDB writes it. apache-arrow 17 leaves an empty name out of the stream (`if (field.name)`),
 * which reads back as null; DuckDB writes it as an empty string (an ARRAY's child is always named ''). A String
 * object is truthy, so it gets written, as the empty string it converts to.
 */
function arrowName(name: string): string {
  // eslint-disable-next-line no-new-wrappers
  return name === '' ? (new String('') as unknown as string) : name;
}

const opaque = (typeName: string) => new Map([
  ['ARROW:extension:metadata', JSON.stringify({ type_name: typeName, vendor_name: 'DuckDB' })],
  ['ARROW:extension:name', 'arrow.opaque'],
]);

/** Widen a DECIMAL stored in 2, 4 or 8 bytes to Arrow's 16-byte two's complement. */
function widenDecimal(width: number): Convert {
  return (view, r, out, at) => {
    let lo: number;
    let hi: number;
    if (width === 2) { lo = view.getInt16(r * 2, true); hi = lo < 0 ? -1 : 0; }
    else if (width === 4) { lo = view.getInt32(r * 4, true); hi = lo < 0 ? -1 : 0; }
    else { lo = view.getUint32(r * 8, true); hi = view.getInt32(r * 8 + 4, true); }
    const sign = hi < 0 ? 0xffffffff : 0;
    out.setUint32(at, lo >>> 0, true);
    out.setUint32(at + 4, hi >>> 0, true);
    out.setUint32(at + 8, sign, true);
    out.setUint32(at + 12, sign, true);
  };
}

/** TIME WITH TIME ZONE: the upper 40 bits of DuckDB's 64 are the local time in µs (the offset is dropped). */
const timeTzToMicros: Convert = (view, r, out, at) => {
  const micros = view.getUint32(r * 8 + 4, true) * 256 + (view.getUint32(r * 8, true) >>> 24);
  out.setUint32(at, micros % TWO_32, true);
  out.setUint32(at + 4, Math.floor(micros / TWO_32), true);
};

/** INTERVAL: DuckDB's (months, days, µs) becomes Arrow's (months, days, ns). */
const intervalToMonthDayNano: Convert = (view, r, out, at) => {
  out.setInt32(at, view.getInt32(r * 16, true), true);
  out.setInt32(at + 4, view.getInt32(r * 16 + 4, true), true);
  out.setBigInt64(at + 8, BigInt.asIntN(64, view.getBigInt64(r * 16 + 8, true) * 1000n), true);
};

interface BuildContext {
  nextDictionaryId: number;
  capacity: number;
}

function unsupported(type: DuckDBType, why: string): Error {
  return new Error(`The native engine cannot return a ${String(type)} column as Arrow: ${why}`);
}

/** The builder of a DuckDB type, making the Arrow type DuckDB-WASM 1.4.3 gives it. */
function builderFor(type: DuckDBType, ctx: BuildContext): Builder {
  const cap = ctx.capacity;
  const fixed = (arrowType: DataType, width: number, metadata?: Map<string, string>) => new FixedBuilder(arrowType, width, width, cap, null, metadata);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return new BoolBuilder(cap);
    case DuckDBTypeId.TINYINT: return fixed(new Int8(), 1);
    case DuckDBTypeId.SMALLINT: return fixed(new Int16(), 2);
    case DuckDBTypeId.INTEGER: return fixed(new Int32(), 4);
    case DuckDBTypeId.BIGINT: return fixed(new Int64(), 8);
    case DuckDBTypeId.UTINYINT: return fixed(new Uint8(), 1);
    case DuckDBTypeId.USMALLINT: return fixed(new Uint16(), 2);
    case DuckDBTypeId.UINTEGER: return fixed(new Uint32(), 4);
    case DuckDBTypeId.UBIGINT: return fixed(new Uint64(), 8);
    case DuckDBTypeId.HUGEINT: return fixed(new Decimal(0, 38, 128), 16);
    case DuckDBTypeId.UHUGEINT: return fixed(new FixedSizeBinary(16), 16, opaque('uhugeint'));
    case DuckDBTypeId.FLOAT: return fixed(new Float32(), 4);
    case DuckDBTypeId.DOUBLE: return fixed(new Float64(), 8);
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as DuckDBDecimalType;
      const arrowType = new Decimal(scale, width, 128);
      if (width > 18) return fixed(arrowType, 16);
      const inWidth = width <= 4 ? 2 : width <= 9 ? 4 : 8;
      return new FixedBuilder(arrowType, inWidth, 16, cap, widenDecimal(inWidth));
    }
    case DuckDBTypeId.VARCHAR: return new StringBuilder(new Utf8(), cap);
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT: return new StringBuilder(new Binary(), cap);
    case DuckDBTypeId.BIGNUM: return new StringBuilder(new Binary(), cap, opaque('bignum'));
    case DuckDBTypeId.UUID: return new UuidBuilder(cap);
    case DuckDBTypeId.DATE: return fixed(new DateDay(), 4);
    case DuckDBTypeId.TIME: return fixed(new TimeMicrosecond(), 8);
    case DuckDBTypeId.TIME_TZ: return new FixedBuilder(new TimeMicrosecond(), 8, 8, cap, timeTzToMicros);
    case DuckDBTypeId.TIMESTAMP: return fixed(new TimestampMicrosecond(), 8);
    case DuckDBTypeId.TIMESTAMP_S: return fixed(new TimestampSecond(), 8);
    case DuckDBTypeId.TIMESTAMP_MS: return fixed(new TimestampMillisecond(), 8);
    case DuckDBTypeId.TIMESTAMP_NS: return fixed(new TimestampNanosecond(), 8);
    case DuckDBTypeId.TIMESTAMP_TZ: return fixed(new TimestampMicrosecond('UTC'), 8);
    case DuckDBTypeId.INTERVAL: return new FixedBuilder(new Interval(IntervalUnit.MONTH_DAY_NANO), 16, 16, cap, intervalToMonthDayNano);
    case DuckDBTypeId.ENUM: return new EnumBuilder(type as DuckDBEnumType, ctx.nextDictionaryId++, cap);
    case DuckDBTypeId.LIST: {
      const child = builderFor((type as DuckDBListType).valueType, ctx);
      return new ListBuilder(new List(new Field('l', child.type, true, child.metadata)), child, cap);
    }
    case DuckDBTypeId.ARRAY: {
      const { valueType, length } = type as DuckDBArrayType;
      const child = builderFor(valueType, ctx);
      return new ArrayBuilder(new FixedSizeList(length, new Field(arrowName(''), child.type, true, child.metadata)), child, length, cap);
    }
    case DuckDBTypeId.STRUCT: {
      const { entryNames, entryTypes } = type as DuckDBStructType;
      const children = entryTypes.map((t) => builderFor(t, ctx));
      const fields = children.map((c, i) => new Field(arrowName(entryNames[i]!), c.type, true, c.metadata));
      return new StructBuilder(new Struct(fields), children, cap);
    }
    case DuckDBTypeId.MAP: {
      const { keyType, valueType } = type as DuckDBMapType;
      const key = builderFor(keyType, ctx);
      const value = builderFor(valueType, ctx);
      const entries = new Struct([new Field('key', key.type, false, key.metadata), new Field('value', value.type, true, value.metadata)]);
      const entriesBuilder = new StructBuilder(entries, [key, value], cap);
      return new ListBuilder(new Map_(new Field('entries', entries, false), false), entriesBuilder, cap);
    }
    case DuckDBTypeId.UNION: {
      const { memberTags, memberTypes } = type as DuckDBUnionType;
      const members = memberTypes.map((t) => builderFor(t, ctx));
      const fields = members.map((m, i) => new Field(arrowName(memberTags[i]!), m.type, true, m.metadata));
      return new UnionBuilder(new SparseUnion(members.map((_, i) => i), fields), members, cap);
    }
    case DuckDBTypeId.SQLNULL: return new NullBuilder();
    case DuckDBTypeId.TIME_NS: throw unsupported(type, 'DuckDB-WASM refuses it too ("Unsupported Arrow type TIME_NS"); cast it to TIME');
    default: throw unsupported(type, 'DuckDB-WASM 1.4 has no such type; cast it to VARCHAR');
  }
}

/**
 * A native result as the Arrow IPC stream DuckDB-WASM would return for the same statement (see the module's
 * doc for each type). A materialized result (`connection.run`) is read chunk by chunk without waiting; a
 * streaming one (`connection.stream`) is fetched to its end.
 */
export async function resultToIPC(result: DuckDBResult): Promise<Uint8Array> {
  if (result instanceof DuckDBMaterializedResult) {
    const chunks = function* () {
      for (let c = 0; c < result.chunkCount; c++) yield result.getChunk(c);
    };
    return chunksToIPC(result.columnNames(), result.columnTypes(), chunks(), result.rowCount);
  }
  const chunks = async function* () {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk;
    }
  };
  return chunksToIPC(result.columnNames(), result.columnTypes(), chunks());
}

/**
 * Data chunks of the given columns as one Arrow IPC stream (resultToIPC's work). `rowCount`, when known,
 * sizes each batch's buffers once.
 */
export async function chunksToIPC(
  names: readonly string[],
  types: readonly DuckDBType[],
  chunks: Iterable<DuckDBDataChunk> | AsyncIterable<DuckDBDataChunk>,
  rowCount = -1,
): Promise<Uint8Array> {
  const known = rowCount >= 0;
  const capacity = known ? Math.min(Math.max(rowCount, 1), BATCH_ROWS) : 2048;
  const ctx: BuildContext = { nextDictionaryId: 0, capacity };
  const builders = types.map((t) => builderFor(t, ctx));
  const schema = new Schema(builders.map((b, i) => new Field(arrowName(names[i]!), b.type, true, b.metadata)));
  const writer = new RecordBatchStreamWriter();
  let rows = 0;
  let written = 0;
  const flush = (nextRows: number) => {
    const children = builders.map((b) => b.finish(nextRows));
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children })));
    written += rows;
    rows = 0;
  };
  for await (const chunk of chunks) {
    const raw = chunk.chunk;
    const n = duckdb.data_chunk_get_size(raw);
    if (n === 0) continue;
    builders.forEach((b, c) => b.append(duckdb.data_chunk_get_vector(raw, c), n, null, 0));
    rows += n;
    if (rows >= BATCH_ROWS || builders.some((b) => b.heavy() > BATCH_BYTES)) {
      flush(known ? Math.min(Math.max(rowCount - written - rows, 1), BATCH_ROWS) : 2048);
    }
  }
  // WASM always returns at least one batch, an empty one for an empty result.
  if (rows > 0 || written === 0) flush(0);
  writer.finish();
  return writer.toUint8Array(true);
}

// ---------------------------------------------------------------------------------------------------------
// Arrow IPC → native table
// ---------------------------------------------------------------------------------------------------------

/** Which rows of an Arrow column go into a vector: `take[k]` (-1: NULL), or `from + k` without `take`. */
interface Rows {
  count: number;
  from: number;
  take: Int32Array | null;
}

/** How one Arrow column becomes a DuckDB column: its SQL type, and how its values are written. */
interface Plan {
  sql: string;
  write(vec: RawVector, data: Data, rows: Rows, dst: number): void;
}

const rowAt = (rows: Rows, k: number) => (rows.take ? rows.take[k]! : rows.from + k);

/**
 * Whether Arrow row `r` of `data` holds a value (a negative `r`, from a `take`, never does): a test made once
 * per column and write, its type and bitmap looked up once (it runs for every value loaded).
 */
function validity(data: Data): (r: number) => boolean {
  if (data.typeId === Type.Null) return () => false;
  const bits = data.nullBitmap;
  if (data.nullCount <= 0 || !bits || bits.length === 0) return (r) => r >= 0;
  const offset = data.offset;
  return (r) => r >= 0 && ((bits[(offset + r) >> 3]! >> ((offset + r) & 7)) & 1) === 1;
}

/** Mark the NULL rows of `data` (and of `take`) invalid in the vector, at `dst` on. */
function writeValidity(vec: RawVector, data: Data, rows: Rows, dst: number): void {
  if (!rows.take && data.typeId !== Type.Null && data.nullCount <= 0) return;
  const valid = validity(data);
  writeValidityBy(vec, rows.count, dst, rows.take ? (k) => valid(rows.take![k]!) : (k) => valid(rows.from + k));
}

/** Mark invalid, in the vector at `dst` on, the rows `k` of `count` that are not `valid(k)`. */
function writeValidityBy(vec: RawVector, count: number, dst: number, valid: (k: number) => boolean): void {
  let firstNull = -1;
  for (let k = 0; k < count; k++) if (!valid(k)) { firstNull = k; break; }
  if (firstNull < 0) return;
  duckdb.vector_ensure_validity_writable(vec);
  const byteStart = (dst + firstNull) >> 3;
  const byteEnd = (dst + count + 7) >> 3;
  const current = duckdb.vector_get_validity(vec, byteEnd);
  const bits = current ? current.slice() : new Uint8Array(byteEnd).fill(0xff);
  for (let k = firstNull; k < count; k++) {
    if (valid(k)) continue;
    const i = dst + k;
    bits[i >> 3]! &= ~(1 << (i & 7));
  }
  duckdb.copy_data_to_vector_validity(vec, byteStart, bits.buffer as ArrayBuffer, bits.byteOffset + byteStart, byteEnd - byteStart);
}

/** Write `count` elements of `width` bytes, made by `fill` into a scratch buffer, at element `dst`. */
function writeFixed(vec: RawVector, dst: number, width: number, count: number, fill: (out: DataView, bytes: Uint8Array) => void): void {
  if (count === 0) return;
  const bytes = new Uint8Array(count * width);
  fill(new DataView(bytes.buffer), bytes);
  duckdb.copy_data_to_vector(vec, dst * width, bytes.buffer, 0, bytes.byteLength);
}

/** A fixed-width Arrow column whose values DuckDB stores byte for byte the same. */
function samePlan(sql: string, width: number): Plan {
  return {
    sql,
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      const values = data.values as unknown as ArrayBufferView;
      if (!rows.take) {
        duckdb.copy_data_to_vector(vec, dst * width, values.buffer as ArrayBuffer, values.byteOffset + rows.from * width, rows.count * width);
        return;
      }
      const src = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      writeFixed(vec, dst, width, rows.count, (_, out) => {
        for (let k = 0; k < rows.count; k++) {
          const r = rows.take![k]!;
          if (r >= 0) out.set(src.subarray(r * width, (r + 1) * width), k * width);
        }
      });
    },
  };
}

/** Converts Arrow row `r` of `src` (the column's values) into DuckDB's bytes at `at` of `out`. */
type Conversion = (src: DataView, r: number, out: DataView, at: number) => void;

/** A fixed-width column converted value by value. */
function convertPlan(sql: string, width: number, convert: Conversion, check?: (data: Data) => void): Plan {
  return {
    sql,
    write(vec, data, rows, dst) {
      check?.(data);
      writeValidity(vec, data, rows, dst);
      const src = valuesView(data);
      const valid = validity(data);
      writeFixed(vec, dst, width, rows.count, (out) => {
        for (let k = 0; k < rows.count; k++) {
          const r = rowAt(rows, k);
          if (valid(r)) convert(src, r, out, k * width);
        }
      });
    },
  };
}

/** BOOLEAN: Arrow's bits (which start at the data's offset) become DuckDB's bytes. */
function boolPlan(): Plan {
  return {
    sql: 'BOOLEAN',
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      const bits = data.values as Uint8Array;
      const size = duckdb.sizeof_bool;
      writeFixed(vec, dst, size, rows.count, (_, out) => {
        for (let k = 0; k < rows.count; k++) {
          const r = rowAt(rows, k);
          if (r < 0) continue;
          const pos = data.offset + r;
          if ((bits[pos >> 3]! >> (pos & 7)) & 1) out[k * size] = 1;
        }
      });
    },
  };
}

/**
 * Strings, written as DuckDB's 16-byte string_t: up to 12 bytes inline; a longer one as its length, its first 4
 * bytes and a pointer. The long strings of a write are handed to DuckDB as one blob, which it copies into the
 * vector's own string heap: the pointers are then that copy's address plus each string's offset in it. (One
 * native call per string, DuckDB's own way, took 0.25 µs a string: most of a text-heavy load.)
 */
function stringPlan(sql: string): Plan {
  return {
    sql,
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      const n = rows.count;
      if (n === 0) return;
      const values = data.values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined;
      const fixedWidth = data.typeId === Type.FixedSizeBinary ? (data.type as FixedSizeBinary).byteWidth : 0;
      const begins = new Float64Array(n);
      const lens = new Int32Array(n);
      const valid = validity(data);
      let longBytes = 0;
      for (let k = 0; k < n; k++) {
        const r = rows.take ? rows.take[k]! : rows.from + k;
        if (!valid(r)) { lens[k] = -1; continue; }
        const begin = fixedWidth ? r * fixedWidth : Number(offsets![r]!);
        const len = fixedWidth || Number(offsets![r + 1]!) - begin;
        begins[k] = begin;
        lens[k] = len;
        if (len > 12) longBytes += len;
      }
      let ptrLo = 0;
      let ptrHi = 0;
      if (longBytes > 0xffffffff) throw new Error('A chunk of one text column holds more than 4 GiB: too large to load');
      if (longBytes > 0) {
        const blob = new Uint8Array(longBytes);
        let at = 0;
        for (let k = 0; k < n; k++) {
          const len = lens[k]!;
          if (len <= 12) continue;
          const begin = begins[k]!;
          if (len > 64) blob.set(values.subarray(begin, begin + len), at);
          else for (let b = 0; b < len; b++) blob[at + b] = values[begin + b]!;
          at += len;
        }
        // Row `dst` holds the blob until its own string_t is written below; the heap copy outlives that.
        duckdb.vector_assign_string_element_len(vec, dst, blob);
        const head = new DataView(duckdb.vector_get_data(vec, (dst + 1) * 16).slice().buffer);
        ptrLo = head.getUint32(dst * 16 + 8, true);
        ptrHi = head.getUint32(dst * 16 + 12, true);
      }
      const structs = new Uint8Array(n * 16);
      const view = new DataView(structs.buffer);
      let at = 0;
      for (let k = 0; k < n; k++) {
        const len = lens[k]!;
        if (len < 0) continue;
        const begin = begins[k]!;
        view.setUint32(k * 16, len, true);
        if (len <= 12) {
          for (let b = 0; b < len; b++) structs[k * 16 + 4 + b] = values[begin + b]!;
          continue;
        }
        for (let b = 0; b < 4; b++) structs[k * 16 + 4 + b] = values[begin + b]!;
        const lo = ptrLo + at;
        view.setUint32(k * 16 + 8, lo % TWO_32, true);
        view.setUint32(k * 16 + 12, ptrHi + Math.floor(lo / TWO_32), true);
        at += len;
      }
      duckdb.copy_data_to_vector(vec, dst * 16, structs.buffer, 0, structs.byteLength);
    },
  };
}

function valuesView(data: Data): DataView {
  const v = data.values as unknown as ArrayBufferView | undefined;
  return v ? new DataView(v.buffer, v.byteOffset, v.byteLength) : new DataView(new ArrayBuffer(0));
}

/** A count of `unit`s (Arrow's TimeUnit: 0 s, 1 ms, 2 µs, 3 ns) in µs, truncated toward zero as DuckDB does. */
function toMicros(value: bigint, unit: number): bigint {
  switch (unit) {
    case 0: return value * 1_000_000n;
    case 1: return value * 1000n;
    case 3: return value / 1000n;
    default: return value;
  }
}

function putInterval(out: DataView, at: number, months: number, days: number, micros: bigint): void {
  out.setInt32(at, months, true);
  out.setInt32(at + 4, days, true);
  out.setBigInt64(at + 8, BigInt.asIntN(64, micros), true);
}

function refused(field: Field, why: string): Error {
  return new Error(`Cannot load column "${field.name}" (${String(field.type)}): ${why}`);
}

/** The extension type of a field, when it is one DuckDB 1.4.3 reads as a type of its own. */
function extensionOf(field: Field): string | null {
  const name = field.metadata.get('ARROW:extension:name');
  if (name === 'arrow.uuid' || name === 'arrow.json') return name;
  if (name !== 'arrow.opaque') return null;
  try {
    const meta = JSON.parse(field.metadata.get('ARROW:extension:metadata') ?? '{}') as { type_name?: string; vendor_name?: string };
    return meta.vendor_name === 'DuckDB' && meta.type_name ? `duckdb.${meta.type_name}` : null;
  } catch {
    return null;
  }
}

function decimalPlan(type: Decimal, field: Field): Plan {
  const { precision, scale, bitWidth } = type;
  if (bitWidth !== 128) throw refused(field, `DuckDB reads ${bitWidth}-bit decimals only up to 128 bits`);
  if (precision > 38) throw refused(field, 'DuckDB decimals hold at most 38 digits');
  const sql = `DECIMAL(${precision},${scale})`;
  if (precision > 18) return samePlan(sql, 16);
  const width = precision <= 4 ? 2 : precision <= 9 ? 4 : 8;
  return convertPlan(sql, width, (w, r, out, at) => {
    if (width === 2) out.setInt16(at, w.getInt16(r * 16, true), true);
    else if (width === 4) out.setInt32(at, w.getInt32(r * 16, true), true);
    else out.setBigInt64(at, w.getBigInt64(r * 16, true), true);
  });
}

/** The plan of an Arrow field: the DuckDB type DuckDB 1.4.3's Arrow scan gives it, and its conversion. */
function planFor(field: Field): Plan {
  const type = field.type as DataType;
  const ext = extensionOf(field);
  if (ext === 'arrow.uuid' && type.typeId === Type.FixedSizeBinary && (type as FixedSizeBinary).byteWidth === 16) {
    // Arrow's UUID is 16 big-endian bytes; DuckDB's a little-endian 128-bit integer with its top bit flipped.
    return convertPlan('UUID', 16, (src, r, out, at) => {
      for (let b = 0; b < 8; b++) {
        out.setUint8(at + b, src.getUint8(r * 16 + 15 - b));
        out.setUint8(at + 8 + b, src.getUint8(r * 16 + 7 - b));
      }
      out.setUint8(at + 15, out.getUint8(at + 15) ^ 0x80);
    });
  }
  if (ext === 'arrow.json' && (type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8)) return stringPlan('JSON');
  if (ext === 'duckdb.uhugeint' && type.typeId === Type.FixedSizeBinary) return samePlan('UHUGEINT', 16);
  if (ext === 'duckdb.hugeint' && type.typeId === Type.FixedSizeBinary) return samePlan('HUGEINT', 16);
  if (ext === 'duckdb.bignum' && type.typeId === Type.Binary) return stringPlan('BIGNUM');
  if (ext === 'duckdb.bit' && type.typeId === Type.Binary) return stringPlan('BIT');
  switch (type.typeId) {
    case Type.Null:
      return { sql: 'INTEGER', write: (vec, data, rows, dst) => writeValidity(vec, data, rows, dst) };
    case Type.Bool:
      return boolPlan();
    case Type.Int: {
      const { bitWidth, isSigned } = type as Int32;
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[bitWidth as 8 | 16 | 32 | 64];
      return samePlan(isSigned ? name : 'U' + name, bitWidth / 8);
    }
    case Type.Float: {
      const { precision } = type as Float64;
      if (precision === 0) throw refused(field, 'DuckDB-WASM refuses half floats too ("Unsupported Internal Arrow Type e")');
      return precision === 1 ? samePlan('FLOAT', 4) : samePlan('DOUBLE', 8);
    }
    case Type.Decimal: return decimalPlan(type as Decimal, field);
    case Type.Utf8: case Type.LargeUtf8: return stringPlan('VARCHAR');
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return stringPlan('BLOB');
    case Type.Date:
      if ((type as DateDay).unit === 0) return samePlan('DATE', 4);
      return convertPlan('DATE', 4, (src, r, out, at) => out.setInt32(at, Number(src.getBigInt64(r * 8, true) / 86_400_000n), true));
    case Type.Time: {
      const { unit, bitWidth } = type as TimeMicrosecond;
      if (unit === 2) return samePlan('TIME', 8);
      return convertPlan('TIME', 8, (src, r, out, at) => {
        const value = bitWidth === 32 ? BigInt(src.getInt32(r * 4, true)) : src.getBigInt64(r * 8, true);
        out.setBigInt64(at, toMicros(value, unit), true);
      });
    }
    case Type.Timestamp: {
      const { unit, timezone } = type as TimestampMicrosecond;
      if (!timezone) return samePlan(['TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP', 'TIMESTAMP_NS'][unit]!, 8);
      if (unit === 2) return samePlan('TIMESTAMP WITH TIME ZONE', 8);
      return convertPlan('TIMESTAMP WITH TIME ZONE', 8, (src, r, out, at) => out.setBigInt64(at, toMicros(src.getBigInt64(r * 8, true), unit), true));
    }
    case Type.Duration: {
      const { unit } = type as unknown as { unit: number };
      return convertPlan('INTERVAL', 16, (src, r, out, at) => putInterval(out, at, 0, 0, toMicros(src.getBigInt64(r * 8, true), unit)));
    }
    case Type.Interval: {
      const { unit } = type as Interval;
      return convertPlan('INTERVAL', 16, (w, r, out, at) => {
        if (unit === IntervalUnit.YEAR_MONTH) putInterval(out, at, w.getInt32(r * 4, true), 0, 0n);
        // DuckDB 1.4.3 reads a DAY_TIME value's 8 bytes as one int64 of milliseconds (as WASM does).
        else if (unit === IntervalUnit.DAY_TIME) putInterval(out, at, 0, 0, w.getBigInt64(r * 8, true) * 1000n);
        else putInterval(out, at, w.getInt32(r * 16, true), w.getInt32(r * 16 + 4, true), w.getBigInt64(r * 16 + 8, true) / 1000n);
      }, (data) => {
        // apache-arrow 17 writes MONTH_DAY_NANO values 12 bytes long (see the module's doc): such a stream is broken.
        const bytes = (data.values as unknown as ArrayBufferView | undefined)?.byteLength ?? 0;
        if (unit === IntervalUnit.MONTH_DAY_NANO && bytes < data.length * 16) {
          throw refused(field, `its MONTH_DAY_NANO values take ${bytes} bytes where ${data.length} of them need ${data.length * 16} (apache-arrow 17 writes them 12 bytes long)`);
        }
      });
    }
    case Type.Dictionary: return dictionaryPlan(field);
    case Type.List: case Type.Map: return listPlan(field);
    case Type.FixedSizeList: return arrayPlan(field);
    case Type.Struct: return structPlan(field);
    case Type.Union: return unionPlan(field);
    default: throw refused(field, 'DuckDB-WASM cannot load this Arrow type either');
  }
}

/** Rows of the children of a struct: its own, with its NULL rows NULL in every child too. */
function childRows(data: Data, rows: Rows): Rows {
  if (data.nullCount <= 0) return rows;
  const take = new Int32Array(rows.count);
  const valid = validity(data);
  for (let k = 0; k < rows.count; k++) {
    const r = rowAt(rows, k);
    take[k] = valid(r) ? r : -1;
  }
  return { count: rows.count, from: 0, take };
}

function dictionaryPlan(field: Field): Plan {
  const type = field.type as Dictionary;
  const value = planFor(new Field(field.name, type.dictionary, true));
  return {
    sql: value.sql,
    write(vec, data, rows, dst) {
      const dictionary = data.dictionary!;
      const dict = dictionary.data.length === 1 ? dictionary.data[0]! : vectorFromArray([...dictionary], dictionary.type).data[0]!;
      const codes = data.values as unknown as ArrayLike<number | bigint>;
      const take = new Int32Array(rows.count);
      const valid = validity(data);
      for (let k = 0; k < rows.count; k++) {
        const r = rowAt(rows, k);
        take[k] = valid(r) ? Number(codes[r]!) : -1;
      }
      value.write(vec, dict as Data, { count: rows.count, from: 0, take }, dst);
    },
  };
}

function listPlan(field: Field): Plan {
  const isMap = field.type.typeId === Type.Map;
  const childField = (field.type as List).children[0]!;
  if (isMap) {
    const [key, val] = (childField.type as Struct).children;
    const keyPlan = planFor(key!);
    const valuePlan = planFor(val!);
    return listWriter(`MAP(${keyPlan.sql}, ${valuePlan.sql})`, {
      sql: '',
      write(entries, data, rows, dst) {
        keyPlan.write(duckdb.struct_vector_get_child(entries, 0), data.children[0]!, rows, dst);
        valuePlan.write(duckdb.struct_vector_get_child(entries, 1), data.children[1]!, rows, dst);
      },
    });
  }
  const child = planFor(childField);
  return listWriter(`${child.sql}[]`, child);
}

function listWriter(sql: string, child: Plan): Plan {
  return {
    sql,
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      const offsets = data.valueOffsets as Int32Array;
      const base = duckdb.list_vector_get_size(vec);
      const entries = new Float64Array(rows.count * 2);
      let total = 0;
      let take: Int32Array | null = null;
      if (!rows.take) {
        const first = offsets[rows.from]!;
        for (let k = 0; k < rows.count; k++) {
          const r = rows.from + k;
          entries[2 * k] = base + offsets[r]! - first;
          entries[2 * k + 1] = offsets[r + 1]! - offsets[r]!;
        }
        total = offsets[rows.from + rows.count]! - first;
      } else {
        const valid = validity(data);
        for (let k = 0; k < rows.count; k++) {
          const r = rows.take[k]!;
          const len = valid(r) ? offsets[r + 1]! - offsets[r]! : 0;
          entries[2 * k] = base + total;
          entries[2 * k + 1] = len;
          total += len;
        }
        take = new Int32Array(total);
        let at = 0;
        for (let k = 0; k < rows.count; k++) {
          const len = entries[2 * k + 1]!;
          const from = offsets[rows.take[k]!]!;
          for (let i = 0; i < len; i++) take[at++] = from + i;
        }
      }
      writeFixed(vec, dst, 16, rows.count, (out) => {
        for (let k = 0; k < rows.count; k++) {
          out.setBigUint64(k * 16, BigInt(entries[2 * k]!), true);
          out.setBigUint64(k * 16 + 8, BigInt(entries[2 * k + 1]!), true);
        }
      });
      duckdb.list_vector_reserve(vec, base + total);
      duckdb.list_vector_set_size(vec, base + total);
      if (total === 0) return;
      const childRowsOf: Rows = take ? { count: total, from: 0, take } : { count: total, from: offsets[rows.from]!, take: null };
      child.write(duckdb.list_vector_get_child(vec), data.children[0]!, childRowsOf, base);
    },
  };
}

function arrayPlan(field: Field): Plan {
  const type = field.type as FixedSizeList;
  const n = type.listSize;
  const child = planFor(type.children[0]!);
  return {
    sql: `${child.sql}[${n}]`,
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      let inner: Rows;
      if (!rows.take && data.nullCount <= 0) {
        inner = { count: rows.count * n, from: rows.from * n, take: null };
      } else {
        const take = new Int32Array(rows.count * n);
        const validAt = validity(data);
        for (let k = 0; k < rows.count; k++) {
          const r = rowAt(rows, k);
          const valid = validAt(r);
          for (let i = 0; i < n; i++) take[k * n + i] = valid ? r * n + i : -1;
        }
        inner = { count: rows.count * n, from: 0, take };
      }
      child.write(duckdb.array_vector_get_child(vec), data.children[0]!, inner, dst * n);
    },
  };
}

function structPlan(field: Field): Plan {
  const children = (field.type as Struct).children.map((c) => planFor(c));
  const fields = (field.type as Struct).children;
  return {
    sql: `STRUCT(${children.map((c, i) => `${quoteIdent(fields[i]!.name ?? '')} ${c.sql}`).join(', ')})`,
    write(vec, data, rows, dst) {
      writeValidity(vec, data, rows, dst);
      const inner = childRows(data, rows);
      children.forEach((c, i) => c.write(duckdb.struct_vector_get_child(vec, i), data.children[i]!, inner, dst));
    },
  };
}

function unionPlan(field: Field): Plan {
  const type = field.type as SparseUnion;
  if (type.mode !== 0) throw refused(field, 'DuckDB-WASM refuses dense unions too (Unsupported Internal Arrow Type: "d" Union)');
  const members = type.children.map((c) => planFor(c));
  return {
    sql: `UNION(${members.map((m, i) => `${quoteIdent(type.children[i]!.name ?? '')} ${m.sql}`).join(', ')})`,
    write(vec, data, rows, dst) {
      const ids = data.typeIds as Int8Array;
      const tags = new Uint8Array(rows.count);
      for (let k = 0; k < rows.count; k++) {
        const r = rowAt(rows, k);
        tags[k] = r < 0 ? 0 : type.typeIdToChildIndex[ids[r]!]!;
      }
      const tagVec = duckdb.struct_vector_get_child(vec, 0);
      duckdb.copy_data_to_vector(tagVec, dst, tags.buffer, 0, tags.byteLength);
      // DuckDB 1.4.3 reads a row whose member is NULL as a NULL union; DuckDB marks one by its tag too.
      const memberValid = (data.children as Data[]).map((c) => validity(c));
      const valid = (k: number) => memberValid[tags[k]!]!(rowAt(rows, k));
      writeValidityBy(vec, rows.count, dst, valid);
      writeValidityBy(tagVec, rows.count, dst, valid);
      members.forEach((m, i) => {
        const take = new Int32Array(rows.count);
        for (let k = 0; k < rows.count; k++) {
          const r = rowAt(rows, k);
          take[k] = r >= 0 && tags[k] === i ? r : -1;
        }
        m.write(duckdb.struct_vector_get_child(vec, i + 1), data.children[i]!, { count: rows.count, from: 0, take }, dst);
      });
    },
  };
}

/** Column names as DuckDB's Arrow scan makes them: `v<i>` for an empty one, then repeats numbered. */
export function arrowColumnNames(names: readonly (string | null)[]): string[] {
  // apache-arrow reads a name left out of the stream as null: DuckDB takes it for an empty one.
  const out = names.map((n, i) => (n ? n : `v${i}`));
  const seen = new Map<string, number>();
  return out.map((name) => {
    const low = name.toLowerCase();
    if (!seen.has(low)) { seen.set(low, 1); return name; }
    let candidate = `${name}_${seen.get(low)}`;
    while (seen.has(candidate.toLowerCase())) {
      seen.set(low, seen.get(low)! + 1);
      candidate = `${name}_${seen.get(low)}`;
    }
    seen.set(candidate.toLowerCase(), (seen.get(candidate.toLowerCase()) ?? 0) + 1);
    return candidate;
  });
}

let stagingCounter = 0;

/**
 * Load an Arrow IPC stream (or file) into a native table, as DuckDB-WASM's insertArrowFromIPCStream does:
 * `create` makes the table from the Arrow schema (an error if it exists), else the rows are appended to the
 * existing table by position with DuckDB's INSERT casts. Column types and values are DuckDB 1.4.3's (see the
 * module's doc). Written through an appender, a data chunk at a time; when appending, the rows go first to a
 * temporary table of the Arrow types, so DuckDB's INSERT does the casting as WASM's does.
 */
export async function insertIPC(conn: DuckDBConnection, ipc: Uint8Array, options: { name: string; schema?: string; create: boolean }): Promise<void> {
  // A reader, not tableFromIPC: a Table renames a field the stream leaves unnamed to "null", which DuckDB
  // would name v<i>; the reader keeps the name null.
  let fields: Field[];
  let batches: RecordBatch[];
  try {
    const reader = RecordBatchReader.from(ipc);
    reader.open();
    fields = reader.schema?.fields ?? [];
    batches = [...reader];
  } catch (err) {
    throw new Error(`Not a readable Arrow IPC stream: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (fields.length === 0) throw new Error('Not a readable Arrow IPC stream: it has no columns');
  const plans = fields.map((f) => planFor(f));
  const names = arrowColumnNames(fields.map((f) => f.name));
  const columns = plans.map((p, i) => `${quoteIdent(names[i]!)} ${p.sql}`).join(', ');
  const target = (options.schema ? quoteIdent(options.schema) + '.' : '') + quoteIdent(options.name);
  const staging = options.create ? null : `__epoxy_arrow_insert_${++stagingCounter}`;
  await conn.run(staging ? `CREATE TEMP TABLE ${quoteIdent(staging)} (${columns})` : `CREATE TABLE ${target} (${columns})`);
  try {
    const appender = staging ? await conn.createAppender(staging, 'main', 'temp') : await conn.createAppender(options.name, options.schema ?? null);
    try {
      const types = plans.map((_, i) => appender.columnType(i));
      const chunk = DuckDBDataChunk.create(types);
      const size = duckdb.vector_size();
      for (const batch of batches) {
        for (let from = 0; from < batch.numRows; from += size) {
          const count = Math.min(size, batch.numRows - from);
          chunk.reset();
          plans.forEach((p, c) => p.write(duckdb.data_chunk_get_vector(chunk.chunk, c), batch.data.children[c]!, { count, from, take: null }, 0));
          chunk.rowCount = count;
          appender.appendDataChunk(chunk);
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    if (staging) await conn.run(`INSERT INTO ${target} SELECT * FROM temp.main.${quoteIdent(staging)}`);
  } catch (err) {
    if (!staging) await conn.run(`DROP TABLE IF EXISTS ${target}`).catch(() => {});
    throw err;
  } finally {
    if (staging) await conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(staging)}`).catch(() => {});
  }
}
