import avro from 'avsc';

/**
 * An Avro object container file written by avsc (an implementation independent of Epoxy's reader). Given the
 * schema itself (not a Type), avsc writes it verbatim, logical-type attributes included.
 */
export async function avroFile(schema: object, records: Iterable<unknown>, options: { codec?: string; blockSize?: number; codecs?: Record<string, unknown> } = {}): Promise<Uint8Array> {
  const encoder = new avro.streams.BlockEncoder(schema as avro.Schema, { codec: options.codec ?? 'null', ...(options.blockSize ? { blockSize: options.blockSize } : {}), ...(options.codecs ? { codecs: options.codecs as never } : {}) });
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => encoder.on('end', resolve));
  for (const r of records) encoder.write(r);
  encoder.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
