import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, syncCatalog } from '../../../src/catalog';
import './helpers';

describe('syncCatalog', () => {
  it('tells another tab (another connection) what changed, and it then reads the new data', async () => {
    const factory = new IDBFactory();
    const tabA = await Catalog.open({ factory, name: 'shared' });
    const tabB = await Catalog.open({ factory, name: 'shared' });
    const received = new Promise<string[]>((resolve) => {
      const stop = syncCatalog(tabB, (changed) => { stop(); resolve(changed); });
    });
    const stopA = syncCatalog(tabA, () => undefined);
    await tabA.createDatabase({ Name: 'shop' });
    expect(await received).toEqual(['database:shop']);
    expect((await tabB.getDatabases()).map((d) => d.Name)).toEqual(['shop']);
    stopA();
    tabA.close();
    tabB.close();
  });
});
