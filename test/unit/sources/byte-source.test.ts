import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource, fileSource, readAll } from '../../../src/sources/byte-source';
import { isIgnoredName } from '../../../src/sources/dropped';
import { listNodeFolder, nodeFileSource } from '../../../src/sources/node-files';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('byte sources', () => {
  it('read ranges from a Blob, a buffer and a file, clamped at the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-src-'));
    writeFileSync(join(dir, 'a.txt'), 'hello world');
    const sources = [
      fileSource('a.txt', new Blob(['hello world'])),
      bufferSource('a.txt', new TextEncoder().encode('hello world')),
      await nodeFileSource(join(dir, 'a.txt'), 'a.txt'),
    ];
    for (const s of sources) {
      expect(s.size).toBe(11);
      expect(text(await s.read(6, 100))).toBe('world');
      expect(text(await s.read(0, 5))).toBe('hello');
      expect(text(await s.read(20, 5))).toBe('');
      expect(text(await readAll(s))).toBe('hello world');
    }
  });

  it('lists a folder recursively with relative paths, skipping hidden files and OS litter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-list-'));
    mkdirSync(join(dir, 'year=2024', 'month=01'), { recursive: true });
    writeFileSync(join(dir, 'year=2024', 'month=01', 'part-0.csv'), 'a\n1\n');
    writeFileSync(join(dir, 'top.json'), '{}');
    writeFileSync(join(dir, '.DS_Store'), 'x');
    writeFileSync(join(dir, '_SUCCESS'), '');
    const files = await listNodeFolder(dir);
    expect(files.map((f) => f.path)).toEqual(['top.json', 'year=2024/month=01/part-0.csv']);
    expect(isIgnoredName('~$book.xlsx')).toBe(true);
  });
});
