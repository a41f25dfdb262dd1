import type { DataSource } from '../../engine/engine';

const CHUNK = 1 << 20;

/** Read a data source as a stream of byte chunks, never as one whole-file copy. */
export async function* sourceChunks(source: DataSource): AsyncGenerator<Uint8Array> {
  switch (source.kind) {
    case 'buffer':
      for (let i = 0; i < source.bytes.length; i += CHUNK) yield source.bytes.subarray(i, i + CHUNK);
      return;
    case 'file':
      yield* streamChunks(source.file.stream());
      return;
    case 'url': {
      const res = await fetch(source.url);
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} reading ${source.url.replace(/\?.*$/, '?…')}`);
      yield* streamChunks(res.body);
      return;
    }
    case 'path': {
      const fs = await import('node:fs');
      for await (const chunk of fs.createReadStream(source.path, { highWaterMark: CHUNK })) yield chunk as Uint8Array;
      return;
    }
  }
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Decode byte chunks as UTF-8 text chunks (a character split across chunks is kept whole). */
export async function* textChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}
