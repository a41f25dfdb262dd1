import { Message, MessageHeader, Type, type DataType, type Field, type Schema } from 'apache-arrow';
import { Block as FbBlock } from 'apache-arrow/fb/block';
import { DictionaryBatch as FbDictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Footer as FbFooter } from 'apache-arrow/fb/footer';
import { Message as FbMessage } from 'apache-arrow/fb/message';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { ByteBuffer } from 'flatbuffers';
import { t, type GlueType, type StructField } from '../schema/types';
import { startsWith } from './text';
import type { ClassifierResult, Sample } from './types';
import { errorMessage } from '../util/errors';

/**
 * Arrow IPC: the file format (Feather v2, magic `ARROW1` at both ends, a footer indexing the record batches)
 * and the stream format (messages one after another, as `tableToIPC(..., 'stream')` writes). Only message
 * headers are read — the schema and each batch's row count — never the column data.
 */

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const FEATHER_V1 = [0x46, 0x45, 0x41, 0x31]; // "FEA1"
/** More record batches than this in one file is refused (each costs a header read). */
const MAX_BATCHES = 1_000_000;
/** A message header larger than this is corrupt (real ones are bytes to kilobytes). */
const MAX_METADATA = 64 * 1024 * 1024;

/** A problem reading an Arrow file, worded for the user. */
export class ArrowFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArrowFormatError';
  }
}

/** Which Arrow container the leading bytes announce. */
export function arrowKind(bytes: Uint8Array): 'file' | 'stream' | 'feather1' | null {
  if (startsWith(bytes, FILE_MAGIC)) return 'file';
  if (startsWith(bytes, FEATHER_V1)) return 'feather1';
  // A stream opens with the continuation marker, a metadata length, then a flatbuffer Message holding a Schema.
  if (bytes.length >= 16 && startsWith(bytes, [0xff, 0xff, 0xff, 0xff])) {
    const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(4, true);
    if (len > 0 && len <= MAX_METADATA && len + 8 <= bytes.length) {
      try {
        const m = FbMessage.getRootAsMessage(new ByteBuffer(bytes.subarray(8, 8 + len)));
        if (m.headerType() === MessageHeader.Schema) return 'stream';
      } catch { /* not a flatbuffer: not Arrow */ }
    }
  }
  return null;
}

/** One encapsulated message in the file: where its header and body are. */
export interface ArrowMessageRef {
  offset: number;
  /** Bytes of the prefix + flatbuffer (+ padding). */
  metadataLength: number;
  bodyLength: number;
  type: 'dictionary' | 'batch';
  /** Rows of a record batch. */
  rows: number;
  /** Dictionary id and whether it extends the previous one (dictionary messages only). */
  dictionaryId?: number;
  isDelta?: boolean;
}

/** What an Arrow file holds, from its message headers. */
export interface ArrowLayout {
  kind: 'file' | 'stream';
  schema: Schema;
  messages: ArrowMessageRef[];
  recordCount: number;
  /** True when recordCount is extrapolated (more batches than the caller's maxHeaders). */
  recordCountEstimated?: boolean;
  /** Body compression codec when any batch is compressed (apache-arrow 17 and DuckDB-WASM decode none). */
  compression: 'lz4' | 'zstd' | null;
}

type Read = (offset: number, length: number) => Promise<Uint8Array>;

function int32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(at, true);
}

/** Read one encapsulated message header at `offset`: [0xFFFFFFFF] int32 length, flatbuffer (legacy: no marker). */
async function readMessage(read: Read, offset: number, size: number): Promise<{ fb: FbMessage; bytes: Uint8Array; metadataLength: number } | null> {
  if (offset + 4 > size) return null;
  const head = await read(offset, Math.min(8, size - offset));
  let prefix = 4, len = int32(head, 0);
  if (len === -1) {
    if (head.length < 8) return null;
    prefix = 8;
    len = int32(head, 4);
  }
  if (len === 0) return null; // end-of-stream marker
  if (len < 0 || len > MAX_METADATA || offset + prefix + len > size) throw new ArrowFormatError(`a damaged Arrow file: a message at byte ${offset} declares ${len} bytes of metadata`);
  const bytes = await read(offset + prefix, len);
  return { fb: FbMessage.getRootAsMessage(new ByteBuffer(bytes)), bytes, metadataLength: prefix + len };
}

function batchInfo(fb: FbMessage): { rows: number; compression: 'lz4' | 'zstd' | null } {
  const rb = fb.header(new FbRecordBatch()) as FbRecordBatch | null;
  const codec = rb?.compression()?.codec();
  return { rows: Number(rb?.length() ?? 0), compression: codec === undefined ? null : codec === 1 ? 'zstd' : 'lz4' };
}

/**
 * The layout of an Arrow IPC file or stream through random reads: the schema, and every dictionary and record
 * batch message with its row count. The file format is walked from its footer; a stream message by message.
 */
export async function readArrowLayout(read: Read, size: number, opts: { maxHeaders?: number } = {}): Promise<ArrowLayout> {
  const maxHeaders = opts.maxHeaders ?? Infinity;
  let estimated = false;
  const head = await read(0, Math.min(size, 8));
  // A file's schema is read from its footer and a stream's first message must be one (both below): the magic
  // or the stream's marker is enough to choose the walk.
  const kind = startsWith(head, FILE_MAGIC) ? 'file' : startsWith(head, FEATHER_V1) ? 'feather1' : startsWith(head, [0xff, 0xff, 0xff, 0xff]) ? 'stream' : null;
  if (kind === 'feather1') throw new ArrowFormatError('Feather v1 (the format of feather-format and pandas before 0.25) is not supported: rewrite it as Feather v2 / Arrow IPC, e.g. pyarrow.feather.write_feather(table, path, compression="uncompressed")');
  if (kind === null) throw new ArrowFormatError('not an Arrow IPC file or stream');
  const messages: ArrowMessageRef[] = [];
  let compression: ArrowLayout['compression'] = null;
  const add = (fb: FbMessage, offset: number, metadataLength: number) => {
    const bodyLength = Number(fb.bodyLength());
    if (fb.headerType() === MessageHeader.RecordBatch) {
      const info = batchInfo(fb);
      compression ??= info.compression;
      messages.push({ offset, metadataLength, bodyLength, type: 'batch', rows: info.rows });
    } else if (fb.headerType() === MessageHeader.DictionaryBatch) {
      messages.push({ offset, metadataLength, bodyLength, type: 'dictionary', rows: 0, ...dictionaryInfo(fb) });
    }
    if (messages.length > MAX_BATCHES) throw new ArrowFormatError(`the Arrow file has more than ${MAX_BATCHES.toLocaleString('en-US')} batches`);
  };
  let schema: Schema;
  let footerBatches = 0;
  let streamEstimate = 0;
  if (kind === 'file') {
    if (size < 18) throw new ArrowFormatError('a damaged Arrow file: too short for its footer');
    const tail = await read(size - 10, 10);
    if (!startsWith(tail, FILE_MAGIC, 4)) throw new ArrowFormatError('a damaged or truncated Arrow file: the closing ARROW1 magic is missing');
    const footerLength = int32(tail, 0);
    if (footerLength <= 0 || footerLength > size - 18) throw new ArrowFormatError('a damaged Arrow file: its footer length is impossible');
    const footerBytes = await read(size - 10 - footerLength, footerLength);
    const footer = FbFooter.getRootAsFooter(new ByteBuffer(footerBytes));
    // The footer holds the schema (apache-arrow's own writer puts it nowhere else).
    schema = Footer.decode(footerBytes).schema;
    const blocks = (n: number, get: (i: number, b: FbBlock) => FbBlock | null) => Array.from({ length: n }, (_, i) => get(i, new FbBlock())!);
    const refs = [
      ...blocks(footer.dictionariesLength(), (i, b) => footer.dictionaries(i, b)),
      ...blocks(footer.recordBatchesLength(), (i, b) => footer.recordBatches(i, b)),
    ];
    footerBatches = footer.recordBatchesLength();
    if (refs.length > MAX_BATCHES) throw new ArrowFormatError(`the Arrow file has more than ${MAX_BATCHES.toLocaleString('en-US')} batches`);
    const dictionaryCount = footer.dictionariesLength();
    for (const [i, b] of refs.entries()) {
      if (i - dictionaryCount >= maxHeaders) { estimated = true; break; }
      const offset = Number(b.offset());
      const m = await readMessage(read, offset, size);
      if (!m) throw new ArrowFormatError(`a damaged Arrow file: no message where its footer points (byte ${offset})`);
      add(m.fb, offset, Number(b.metaDataLength()));
    }
  } else {
    const first = await readMessage(read, 0, size);
    if (!first || first.fb.headerType() !== MessageHeader.Schema) throw new ArrowFormatError('a damaged Arrow stream: it does not start with a schema');
    schema = Message.decode(first.bytes).header() as Schema;
    let offset = first.metadataLength + Number(first.fb.bodyLength());
    let batchesSeen = 0;
    for (;;) {
      const m = await readMessage(read, offset, size);
      if (!m) break;
      if (m.fb.headerType() === MessageHeader.RecordBatch && ++batchesSeen > maxHeaders) {
        // Extrapolated by the bytes the batches so far took, as Avro's block walk does.
        const rows = messages.reduce((n, x) => n + x.rows, 0);
        streamEstimate = Math.round((rows / Math.max(1, offset)) * size);
        estimated = true;
        break;
      }
      add(m.fb, offset, m.metadataLength);
      offset += m.metadataLength + Number(m.fb.bodyLength());
      if (offset > size) throw new ArrowFormatError('a truncated Arrow stream: its last batch ends past the end of the file');
    }
  }
  let recordCount = messages.reduce((n, m) => n + m.rows, 0);
  if (estimated && kind === 'stream') recordCount = streamEstimate;
  if (estimated && kind === 'file') {
    // Beyond maxHeaders batches the count is extrapolated from the ones read (the footer knows how many there are).
    const total = footerBatches;
    const read = messages.filter((m) => m.type === 'batch').length;
    recordCount = read ? Math.round((recordCount / read) * total) : 0;
  }
  return { kind, schema, messages, recordCount, compression, ...(estimated ? { recordCountEstimated: true } : {}) };
}

function dictionaryInfo(fb: FbMessage): { dictionaryId: number; isDelta: boolean } {
  const db = fb.header(new FbDictionaryBatch()) as FbDictionaryBatch | null;
  return { dictionaryId: Number(db?.id() ?? 0), isDelta: db?.isDelta() ?? false };
}

/** Glue type of an Arrow type (as parquet.ts maps Parquet's): dictionaries by their values, unsigned ints wider. */
export function arrowGlueType(type: DataType): GlueType {
  switch (type.typeId) {
    case Type.Bool: return t.boolean;
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      const width = isSigned ? bitWidth : bitWidth * 2;
      if (width <= 8) return { kind: 'primitive', name: 'tinyint' };
      if (width <= 16) return { kind: 'primitive', name: 'smallint' };
      if (width <= 32) return t.int;
      if (width <= 64) return t.bigint;
      return t.decimal(20, 0);
    }
    case Type.Float: return (type as unknown as { precision: number }).precision === 2 ? t.double : { kind: 'primitive', name: 'float' };
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number };
      const p = Math.min(38, precision);
      return t.decimal(p, Math.min(p, scale));
    }
    case Type.Utf8: case Type.LargeUtf8: return t.string;
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return { kind: 'primitive', name: 'binary' };
    case Type.Date: return t.date;
    case Type.Timestamp: return t.timestamp;
    case Type.Dictionary: return arrowGlueType((type as unknown as { dictionary: DataType }).dictionary);
    case Type.List: case Type.FixedSizeList: return t.array(arrowGlueType((type as unknown as { children: Field[] }).children[0]!.type));
    case Type.Struct: return { kind: 'struct', fields: (type as unknown as { children: Field[] }).children.map(arrowField) };
    case Type.Map: {
      const entries = (type as unknown as { children: Field[] }).children[0]!.type as unknown as { children: Field[] };
      return t.map(arrowGlueType(entries.children[0]!.type), arrowGlueType(entries.children[1]!.type));
    }
    case Type.Null: return t.null;
    // Time of day, intervals, durations and unions have no Glue type: the catalog keeps them as text.
    default: return t.string;
  }
}

function arrowField(f: Field): StructField {
  return { name: f.name, type: arrowGlueType(f.type) };
}

/** The Glue schema of an Arrow schema. */
export function arrowSchema(schema: Schema): StructField[] {
  return schema.fields.map(arrowField);
}

/**
 * The arrow classifier: Arrow IPC files (Feather v2) and streams. Schema and exact record count come from the
 * message headers (the footer for files), read with `readRange`; column data is never read. Feather v1 and
 * compressed batches are recognised and refused with what to do instead.
 */
export async function classifyArrow(sample: Sample): Promise<ClassifierResult | null> {
  const kind = arrowKind(sample.bytes);
  if (!kind) return null;
  const fail = (why: string): ClassifierResult => ({ classification: 'arrow', certainty: 1, schema: [], properties: {}, warnings: [why] });
  const read: Read | undefined = sample.complete
    ? async (o, l) => sample.bytes.subarray(o, o + l)
    : sample.readRange;
  if (!read) return fail('a compressed Arrow file (.arrow.gz) cannot be read: decompress it first');
  // Feather v1 ends with its magic too: text that merely starts with "FEA1" is left to the other classifiers.
  if (kind === 'feather1' && (sample.totalSize < 8 || !startsWith(await read(sample.totalSize - 4, 4), FEATHER_V1))) return null;
  try {
    // Each batch header is a read (an HTTP range request for a URL): past 10,000 the count is extrapolated.
    const layout = await readArrowLayout(read, sample.totalSize, { maxHeaders: 10_000 });
    const schema = arrowSchema(layout.schema);
    if (layout.compression) return fail(compressionProblem(layout.compression));
    const properties: Record<string, string> = { 'epoxy.arrowFormat': layout.kind };
    return {
      classification: 'arrow', certainty: 1, schema, properties, recordCount: layout.recordCount,
      ...(layout.recordCountEstimated ? { recordCountEstimated: true } : {}),
      ...(layout.recordCount > 0 ? { averageRecordSize: Math.max(1, Math.round(sample.totalSize / layout.recordCount)) } : {}),
    };
  } catch (err) {
    return fail(arrowProblem(err));
  }
}

/** Why a compressed Arrow file is refused, and how to write one Epoxy reads. */
export function compressionProblem(codec: 'lz4' | 'zstd'): string {
  return `its record batches are ${codec === 'lz4' ? 'LZ4' : 'ZSTD'}-compressed, which Epoxy cannot decode (apache-arrow 17 and DuckDB-WASM have no IPC compression): write it uncompressed, e.g. pyarrow.feather.write_feather(table, path, compression="uncompressed")`;
}

/** The schema as an encapsulated IPC message (continuation marker, length, flatbuffer, 8-byte padding). */
export function schemaMessage(schema: Schema): Uint8Array {
  const fb = Message.encode(Message.from(schema));
  const padded = (fb.length + 7) & ~7;
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setInt32(0, -1, true);
  view.setInt32(4, padded, true);
  out.set(fb, 8);
  return out;
}

/** Why Arrow metadata could not be read, for the user: apache-arrow's "Unrecognized type" names the type. */
export function arrowProblem(err: unknown): string {
  if (err instanceof ArrowFormatError) return err.message;
  const text = errorMessage(err);
  const type = /Unrecognized type: "(\w+)"/.exec(text)?.[1];
  if (type === 'undefined') return 'a damaged Arrow file: its schema names a type that does not exist';
  if (type) return `it uses the Arrow type ${type}, which Epoxy's Arrow reader (apache-arrow 17) does not decode`;
  return `unreadable Arrow metadata: ${text}`;
}
