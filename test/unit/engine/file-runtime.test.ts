import { describe, expect, it } from 'vitest';
import { FILE_READ_CHUNK_BYTES, fileReaderRuntime } from '../../../src/engine/file-runtime';

// DuckDB's runtime contract for readFile: copy `bytes` bytes at `location` of file `fileId` into the heap at
// `buf`, return how many were copied (fewer at the end of the file). The base stands in for DuckDB-WASM's
// browser runtime, whose FileReaderSync exists only in a browser worker.
function setup(size: number, chunkBytes?: number) {
  const content = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff);
  const file = new Blob([content]);
  const passedThrough: number[] = [];
  const base = {
    _files: new Map<string, unknown>([['/epoxy/1/big.csv', file], ['/epoxy/2/buf', new Uint8Array(4)]]),
    getFileInfo: (_mod: unknown, id: number) => (id === 1 ? { dataProtocol: 2, fileName: '/epoxy/1/big.csv' } : id === 2 ? { dataProtocol: 1, fileName: '/epoxy/2/buf' } : { dataProtocol: 4, fileName: 'https://x' }),
    readFile: (_mod: unknown, id: number, _buf: number, _bytes: number, _location: number) => { passedThrough.push(id); return -1; },
    other: () => 'still the base runtime',
  };
  const slices: [number, number][] = [];
  const freed: ArrayBuffer[] = [];
  const runtime = fileReaderRuntime(base, {
    readSlice: (blob, start, end) => {
      expect(blob).toBe(file);
      slices.push([start, end]);
      return content.slice(start, end).buffer;
    },
    free: (b) => freed.push(b),
    ...(chunkBytes ? { chunkBytes } : {}),
  });
  const mod = { HEAPU8: new Uint8Array(size + 64) };
  return { content, runtime, mod, slices, freed, passedThrough };
}

describe('reading a dropped File into the WASM heap (issue 21: a 2 GB CSV job peaked at 1.7 GB, most of it dead read buffers)', () => {
  it('splits one large read into bounded slices, each copied to its place and freed at once', () => {
    const { content, runtime, mod, slices, freed } = setup(10_000, 4096);
    const n = runtime.readFile(mod, 1, 16, 9_000, 500);
    expect(n).toBe(9_000);
    expect(slices).toEqual([[500, 4596], [4596, 8692], [8692, 9500]]);
    expect(mod.HEAPU8.subarray(16, 16 + 9_000)).toEqual(content.subarray(500, 9_500));
    expect(mod.HEAPU8[15]).toBe(0);
    expect(mod.HEAPU8[16 + 9_000]).toBe(0);
    expect(freed.map((b) => b.byteLength)).toEqual([4096, 4096, 808]);
    expect(runtime.fileReadStats).toEqual({ reads: 1, bytes: 9_000, largestRead: 9_000 });
  });

  it('returns the bytes there are when a read runs past the end of the file', () => {
    const { content, runtime, mod } = setup(1_000, 256);
    expect(runtime.readFile(mod, 1, 0, 4_096, 900)).toBe(100);
    expect(mod.HEAPU8.subarray(0, 100)).toEqual(content.subarray(900));
    expect(runtime.readFile(mod, 1, 0, 10, 1_000)).toBe(0);
  });

  it('reads at most FILE_READ_CHUNK_BYTES (32 MB) at a time by default', () => {
    const { runtime, mod, slices } = setup(FILE_READ_CHUNK_BYTES + 10);
    expect(runtime.readFile(mod, 1, 0, FILE_READ_CHUNK_BYTES + 10, 0)).toBe(FILE_READ_CHUNK_BYTES + 10);
    expect(slices).toEqual([[0, FILE_READ_CHUNK_BYTES], [FILE_READ_CHUNK_BYTES, FILE_READ_CHUNK_BYTES + 10]]);
  });

  it("leaves every other protocol and method to DuckDB's runtime", () => {
    const { runtime, mod, slices, passedThrough } = setup(100);
    expect(runtime.readFile(mod, 2, 0, 4, 0)).toBe(-1);
    expect(runtime.readFile(mod, 3, 0, 4, 0)).toBe(-1);
    expect(passedThrough).toEqual([2, 3]);
    expect(slices).toEqual([]);
    expect(runtime.other()).toBe('still the base runtime');
    expect(runtime.fileReadStats.reads).toBe(0);
  });
});
