import { renderType, type StructField } from '../../../src/schema/types';
import type { ByteSource } from '../../../src/classifiers/sample';
import type { Sample } from '../../../src/classifiers/types';

export const enc = (s: string) => new TextEncoder().encode(s);

/** A whole-file sample of text or bytes. */
export function sampleOf(content: string | Uint8Array, name = 'file'): Sample {
  const bytes = typeof content === 'string' ? enc(content) : content;
  return { name, bytes, totalSize: bytes.length, complete: true, readRange: async (o, l) => bytes.slice(o, o + l) };
}

/** A byte source over memory that counts reads (to check sampling stays within budgets). */
export function memorySource(content: string | Uint8Array, name = 'file'): ByteSource & { bytesRead: number; reads: number } {
  const bytes = typeof content === 'string' ? enc(content) : content;
  const src = {
    name,
    size: bytes.length,
    bytesRead: 0,
    reads: 0,
    async read(offset: number, length: number) {
      src.reads++;
      const out = bytes.slice(offset, offset + length);
      src.bytesRead += out.length;
      return out;
    },
  };
  return src;
}

/** A schema as `name:type` strings, easy to write out by hand in expectations. */
export function cols(schema: StructField[]): string[] {
  return schema.map((f) => `${f.name}:${renderType(f.type)}`);
}
