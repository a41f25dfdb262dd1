import { ArrowFormatError, arrowProblem, compressionProblem, readArrowLayout, schemaMessage, type ArrowMessageRef } from '../../classifiers/arrow';
import type { DataSource } from '../../engine/engine';
import type { ReaderEngine } from './json';
import { randomAccess } from './random-access';
import { concatBytes, IPC_EOS } from '../../engine/bytes';
import { errorMessage } from '../../util/errors';

/** Stream pieces handed to DuckDB are cut at about this size (a larger single batch goes alone). */
const PIECE_BYTES = 16 * 1024 * 1024;

/**
 * Read an Arrow IPC file (Feather v2) or stream into `table`, a few batches at a time. DuckDB-WASM ingests
 * IPC streams only, so each piece is re-framed as a stream — the schema message, the dictionaries in force,
 * the batches' messages copied byte for byte, an end marker — without decoding a value in JavaScript. Only
 * the current piece is in memory. Compressed batches and Feather v1 are refused with what to do instead.
 */
export async function readArrowInto(engine: ReaderEngine, table: string, source: DataSource): Promise<{ table: string; rows: number; batches: number }> {
  const ra = await randomAccess(source);
  try {
    const layout = await readArrowLayout((o, l) => ra.read(o, l), ra.size).catch((err) => { throw new ArrowFormatError(arrowProblem(err)); });
    if (layout.compression) throw new ArrowFormatError(compressionProblem(layout.compression));
    // Re-encoded from the decoded schema: a file written by apache-arrow has its schema only in the footer.
    const schema = schemaMessage(layout.schema);
    const raw = (m: ArrowMessageRef) => ra.read(m.offset, m.metadataLength + m.bodyLength);
    const dictionaries = new Map<number, Uint8Array[]>();
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let created = false;
    const flush = () => {
      if (created && pending.length === 0) return;
      try {
        engine.insertArrowIPC(table, concatBytes([schema, ...[...dictionaries.values()].flat(), ...pending, IPC_EOS]), !created);
      } catch (err) {
        throw new ArrowFormatError(`DuckDB cannot load it: ${duckMessage(err)}`);
      }
      created = true;
      pending = [];
      pendingBytes = 0;
    };
    let batches = 0;
    for (const m of layout.messages) {
      if (m.type === 'dictionary') {
        // Batches already queued were written against the dictionary in force before this one.
        if (pending.length) flush();
        const bytes = await raw(m);
        const id = m.dictionaryId ?? 0;
        dictionaries.set(id, m.isDelta ? [...(dictionaries.get(id) ?? []), bytes] : [bytes]);
        continue;
      }
      const bytes = await raw(m);
      if (pendingBytes + bytes.length > PIECE_BYTES && pending.length) flush();
      pending.push(bytes);
      pendingBytes += bytes.length;
      batches++;
    }
    flush();
    return { table, rows: layout.recordCount, batches };
  } finally {
    await ra.close();
  }
}

/**
 * DuckDB-WASM's Arrow import fails with its exception as JSON text (`{"exception_type":"Conversion",
 * "exception_message":"... Could not convert Interval to Microsecond"}`): keep the sentence a user can act on.
 */
function duckMessage(err: unknown): string {
  const text = errorMessage(err);
  try {
    const parsed = JSON.parse(text) as { exception_message?: string };
    if (parsed.exception_message) return parsed.exception_message.replace(/^Failed to create table '[^']*': /, '');
  } catch { /* not JSON: DuckDB's plain text */ }
  return text;
}
