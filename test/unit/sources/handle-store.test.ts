import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { canPickFolders, canRead, HandleStore } from '../../../src/sources/handle-store';

describe('remembered folder handles', () => {
  it('keeps a handle per crawler across reopening, and forgets it on delete', async () => {
    const name = `h-${Math.random()}`;
    // Node has no FileSystemDirectoryHandle: a structured-cloneable stand-in exercises the real store.
    const handle = { kind: 'directory', name: 'lake' } as unknown as FileSystemDirectoryHandle;
    const a = await HandleStore.open(name);
    await a.put('lake_crawler', handle);
    a.close();
    const b = await HandleStore.open(name);
    expect((await b.get('lake_crawler'))?.name).toBe('lake');
    await b.delete('lake_crawler');
    expect(await b.get('lake_crawler')).toBeUndefined();
    b.close();
  });

  it('asks for permission only when allowed to, and says when folders cannot be picked', async () => {
    let asked = 0;
    const denied = { queryPermission: async () => 'prompt', requestPermission: async () => { asked++; return 'granted'; } } as unknown as FileSystemDirectoryHandle;
    expect(await canRead(denied, false)).toBe(false);
    expect(asked).toBe(0);
    expect(await canRead(denied, true)).toBe(true);
    expect(asked).toBe(1);
    expect(canPickFolders()).toBe(false);
  });
});
