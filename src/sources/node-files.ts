import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ByteSource } from './byte-source';
import { isIgnoredName } from './dropped';
import { COMMIT_MARKER, currentVersionFiles, versionNumber } from './versions';

/** A source over a file on disk (Node: CLI and tests), read with positioned reads. */
export async function nodeFileSource(absolutePath: string, path: string): Promise<ByteSource> {
  const info = await stat(absolutePath);
  return {
    path,
    size: info.size,
    lastModified: info.mtimeMs,
    read: async (offset, length) => {
      const handle = await open(absolutePath, 'r');
      try {
        const want = Math.max(0, Math.min(length, info.size - offset));
        const buffer = new Uint8Array(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buffer.subarray(0, got);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Every data file under a folder (hidden files and OS litter skipped), paths relative to the folder; a
 * versioned output folder shows only its current version (see versions.ts).
 */
export async function listNodeFolder(root: string): Promise<ByteSource[]> {
  const out: ByteSource[] = [];
  const complete: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const rel = relative(root, dir).split(sep).join('/');
    const isVersion = rel !== '' && versionNumber(rel.split('/').at(-1)!) !== null;
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (isVersion && entry.name === COMMIT_MARKER && entry.isFile() && (await stat(full)).size > 0) complete.push(rel);
      if (isIgnoredName(entry.name)) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(await nodeFileSource(full, relative(root, full).split(sep).join('/')));
    }
  };
  await walk(root);
  return currentVersionFiles(out, complete);
}
