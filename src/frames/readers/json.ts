import type { DataSource } from '../../engine/engine';
import { quoteIdent } from '../../engine/sql';
import { mergeTypes, t, type GlueType, type StructField } from '../../schema/types';
import { sourceChunks, textChunks } from './chunks';
import { JsonRecordSplitter } from './split-json';
import { parseJsonExact } from '../../classifiers/json-exact';
import { finalizeSelect, RecordBatcher, type ReadError } from './records';
import { errorMessage } from '../../util/errors';

/** The engine calls a reader needs. */
export interface ReaderEngine {
  insertArrowIPC(table: string, ipc: Uint8Array, create?: boolean): void;
  query(sql: string, limit?: number): unknown;
}

export interface JsonReadOptions {
  /** Records per Arrow batch handed to DuckDB. */
  batchRows?: number;
  /** Gzip-compressed input (e.g. `.json.gz`). */
  gzip?: boolean;
}

export interface JsonReadResult {
  table: string;
  rows: number;
  /** Values that did not fit the schema (first 1,000), and how many there were in all. */
  errors: ReadError[];
  errorCount: number;
}

/**
 * Read JSON (one top-level array of records) or NDJSON into a DuckDB table with the given Glue schema.
 * The text is streamed: split into records, parsed, built into Arrow batches of `batchRows`, and appended
 * to a staging table, so no whole-file copy is ever held. A top-level choice column is stored as a UNION.
 */
export async function readJsonInto(engine: ReaderEngine, table: string, source: DataSource | AsyncIterable<Uint8Array>, schema: StructField[], opts: JsonReadOptions = {}): Promise<JsonReadResult> {
  if (!schema.length) throw new Error('readJsonInto needs a schema with at least one column');
  const batchRows = opts.batchRows ?? 10_000;
  const staging = `${table}__staging`;
  const batcher = new RecordBatcher(schema);
  const splitter = new JsonRecordSplitter();
  let index = 0;
  // Invalid JSON produces no row; a value that does not fit its column nulls that value only.
  let invalid = 0;
  let created = false;
  const flush = () => {
    if (!batcher.pending && created) return;
    engine.insertArrowIPC(staging, batcher.flush(), !created);
    created = true;
  };
  const take = (records: string[]) => {
    for (const text of records) {
      let value: unknown;
      try {
        // Integers beyond 2^53 must reach a bigint column exact, never through a double.
        value = parseJsonExact(text);
      } catch (err) {
        batcher.addInvalid(text, index++, `invalid JSON: ${errorMessage(err)}`);
        invalid++;
        continue;
      }
      batcher.add(value, index++);
      if (batcher.pending >= batchRows) flush();
    }
  };
  engine.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  let bytes: AsyncIterable<Uint8Array> = isSource(source) ? sourceChunks(source) : source;
  if (opts.gzip) bytes = gunzipChunks(bytes);
  for await (const text of textChunks(bytes)) take(splitter.push(text));
  take(splitter.end());
  flush();
  engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT ${finalizeSelect(schema)} FROM ${quoteIdent(staging)}`);
  engine.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  return { table, rows: index - invalid, errors: batcher.errors, errorCount: batcher.errorCount };
}

function isSource(x: unknown): x is DataSource {
  return typeof x === 'object' && x !== null && 'kind' in x;
}

/** Decompress gzip byte chunks as they stream. */
export async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  }).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * A minimal schema inference over sample records (for tests and quick previews only — the classifiers
 * module owns real inference): field types merge across records, and disagreements become choices.
 */
export function inferRecordsSchema(records: unknown[]): StructField[] {
  let merged: GlueType = { kind: 'struct', fields: [] };
  let scalars: GlueType = t.null;
  for (const r of records) {
    if (r && typeof r === 'object' && !Array.isArray(r)) merged = mergeTypes(merged, typeOfValue(r));
    else if (r !== null && r !== undefined) scalars = mergeTypes(scalars, typeOfValue(r));
  }
  // A file of scalars (or arrays) only is one column `col0`, as the JSON classifier types it.
  if (merged.kind === 'struct' && merged.fields.length === 0 && scalars.kind !== 'null') return [{ name: 'col0', type: scalars }];
  return merged.kind === 'struct' ? merged.fields.map((f) => ({ name: f.name, type: f.type.kind === 'null' ? t.string : f.type })) : [];
}

function typeOfValue(v: unknown): GlueType {
  if (v === null || v === undefined) return t.null;
  if (typeof v === 'boolean') return t.boolean;
  if (typeof v === 'bigint') return v >= -(2n ** 63n) && v < 2n ** 63n ? t.bigint : t.decimal(38, 0);
  if (typeof v === 'symbol') return t.double; // parseJsonExact's marker for a number written with a fraction
  if (typeof v === 'number') return Number.isInteger(v) ? t.bigint : t.double;
  if (typeof v === 'string') return t.string;
  if (Array.isArray(v)) return t.array(v.reduce<GlueType>((a, x) => mergeTypes(a, typeOfValue(x)), t.null));
  return { kind: 'struct', fields: Object.entries(v as object).map(([name, x]) => ({ name, type: typeOfValue(x) })) };
}
