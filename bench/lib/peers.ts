import Papa from 'papaparse';

/** Something with a size that can be read in ranges (a classifier ByteSource, a File adapter). */
export interface RangeReader {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The plain JSON peer: stream the file in 4 MB chunks and JSON.parse each line; returns the record count. */
export async function jsonLinesPass(source: RangeReader, chunkSize = 4 * 1024 * 1024): Promise<number> {
  const decoder = new TextDecoder();
  let carry = '';
  let records = 0;
  const take = (text: string, final: boolean): string => {
    let start = 0;
    for (;;) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (!final) break;
        nl = text.length;
      }
      if (nl > start) {
        JSON.parse(text.slice(start, nl));
        records++;
      }
      start = nl + 1;
      if (start >= text.length) break;
    }
    return start >= text.length ? '' : text.slice(start);
  };
  for (let offset = 0; offset < source.size; offset += chunkSize) {
    const bytes = await source.read(offset, Math.min(chunkSize, source.size - offset));
    carry = take(carry + decoder.decode(bytes, { stream: true }), false);
  }
  take(carry + decoder.decode(), true);
  return records;
}

/** Options of the papaparse peer: a full typed pass (header + dynamicTyping), streamed in 4 MB chunks. */
export const PAPA_OPTIONS = { header: true, dynamicTyping: true, skipEmptyLines: true, chunkSize: 4 * 1024 * 1024 } as const;

/** The papaparse peer over text in memory; returns the record count. */
export function papaparseText(text: string): number {
  let records = 0;
  Papa.parse<Record<string, unknown>>(text, { ...PAPA_OPTIONS, chunk: (r: Papa.ParseResult<Record<string, unknown>>) => { records += r.data.length; }, complete: () => {} });
  return records;
}
