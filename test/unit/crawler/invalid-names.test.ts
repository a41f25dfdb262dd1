import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { bufferSource, type ByteSource } from '../../../src/sources/byte-source';

const file = (path: string, text: string): ByteSource => bufferSource(path, new TextEncoder().encode(text), 1_700_000_000_000);
const crawler: Crawler = { Name: 'names', DatabaseName: 'names_db', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'lake' }] } };
const crawl = (catalog: Catalog, sources: ByteSource[]) =>
  runCrawl({ crawler, sources, rootName: 'lake', locationPrefix: 'file:///lake', catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });

describe('names from files that the catalog refuses', () => {
  it('a refused column name fails only its own table (was: the whole crawl FAILED and wrote nothing)', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names' });
    const report = await crawl(catalog, [
      file('good/a.csv', 'id,region\n1,eu\n2,us\n'),
      file('bad/b.csv', 'id,"a""; DROP TABLE x; --"\n1,x\n2,y\n'),
    ]);
    expect(report.state).toBe('COMPLETED');
    expect(report.tables).toEqual(['good']);
    expect(report.filesClassified).toBe(1);
    expect(report.failures).toEqual([{ path: 'bad/b.csv', error: expect.stringMatching(/^its columns cannot be stored in the catalog: .*column name "a"; drop table x; --" contains """/i) }]);
    expect((await catalog.getTables('names_db')).map((t) => t.Name)).toEqual(['good']);
    catalog.close();
  });

  it('a table the catalog refuses as a whole is reported per file, and the crawl still completes', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names-prefix' });
    const report = await runCrawl({
      crawler: { ...crawler, TablePrefix: 'raw-' }, sources: [file('t/a.csv', 'id,v\n1,x\n2,y\n')], rootName: 'lake', locationPrefix: 'file:///lake', catalog,
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
    });
    expect(report).toMatchObject({ state: 'COMPLETED', tablesCreated: 0, filesClassified: 0 });
    expect(report.failures).toEqual([{ path: 't/a.csv', error: expect.stringMatching(/^its table raw-t cannot be added to the catalog: The table name "raw-t" contains "-"/) }]);
    catalog.close();
  });

  it('a partition folder whose key is not a valid name gets a positional key (was: the crawl FAILED)', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names-keys' });
    const report = await crawl(catalog, [file('t/my key=1/a.csv', 'id,v\n1,x\n2,y\n'), file('t/my key=2/a.csv', 'id,v\n3,x\n4,y\n')]);
    expect(report.state).toBe('COMPLETED');
    expect((await catalog.getTable('names_db', 't')).PartitionKeys).toEqual([{ Name: 'partition_0', Type: 'string' }]);
    catalog.close();
  });
});
