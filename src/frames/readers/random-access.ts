import type { DataSource } from '../../engine/engine';
import { httpSource } from '../../sources/http';

/** Random reads into a data source, for formats indexed from their end (zip directories, Arrow footers). */
export interface RandomAccess {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Open a data source for random reads: a File by slices, a URL by range GETs, a Node path by a file handle. */
export async function randomAccess(source: DataSource): Promise<RandomAccess> {
  switch (source.kind) {
    case 'buffer': {
      const b = source.bytes;
      return { size: b.length, read: async (o, l) => b.subarray(o, o + l), close: async () => {} };
    }
    case 'file': {
      const f = source.file;
      return { size: f.size, read: async (o, l) => new Uint8Array(await f.slice(o, o + l).arrayBuffer()), close: async () => {} };
    }
    case 'url': {
      const src = await httpSource(source.url, source.url);
      return { size: src.size, read: (o, l) => src.read(o, l), close: async () => {} };
    }
    case 'path': {
      const fs = await import('node:fs/promises');
      const handle = await fs.open(source.path, 'r');
      const { size } = await handle.stat();
      return {
        size,
        async read(o, l) {
          const out = new Uint8Array(Math.max(0, Math.min(l, size - o)));
          await handle.read(out, 0, out.length, o);
          return out;
        },
        close: () => handle.close(),
      };
    }
  }
}
