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

describe('names from files, as Glue takes them (issue 17: every header outside [a-z0-9_] was refused)', () => {
  it('a hostile header is a column stored as text; only a name Glue refuses (a control character) fails its own table', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names' });
    const report = await crawl(catalog, [
      file('good/a.csv', 'id,region\n1,eu\n2,us\n'),
      file('odd/b.csv', 'id,"a""; DROP TABLE x; --"\n1,x\n2,y\n'),
      file('bad/c.json', '{"id":1,"bell\\u0007":"x"}\n'),
    ]);
    expect(report.state).toBe('COMPLETED');
    expect(report.tables).toEqual(['good', 'odd']);
    expect(report.filesClassified).toBe(2);
    expect(report.failures).toEqual([{ path: 'bad/c.json', error: 'its columns cannot be stored in the catalog: The column name "bell?" contains the control character U+0007: Glue names are single-line text (tab allowed).' }]);
    expect((await catalog.getTable('names_db', 'odd')).StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['id', 'a"; drop table x; --']);
    catalog.close();
  });

  it('a table the catalog refuses as a whole is reported per file, and the crawl still completes', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names-prefix' });
    const report = await runCrawl({
      crawler: { ...crawler, TablePrefix: 'raw\u0007' }, sources: [file('t/a.csv', 'id,v\n1,x\n2,y\n')], rootName: 'lake', locationPrefix: 'file:///lake', catalog,
      classify: inProcessClassifier({ customClassifiers: [], fullScan: false }),
    });
    expect(report).toMatchObject({ state: 'COMPLETED', tablesCreated: 0, filesClassified: 0 });
    expect(report.failures).toEqual([{ path: 't/a.csv', error: expect.stringMatching(/^its table raw\u0007t cannot be added to the catalog: The table name "raw\?t" contains the control character U\+0007/) }]);
    catalog.close();
  });

  it('a partition folder key with a space is kept as Glue keeps it; one the catalog refuses gets a positional key', async () => {
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'names-keys' });
    const report = await crawl(catalog, [file('t/My Key=1/a.csv', 'id,v\n1,x\n2,y\n'), file('t/My Key=2/a.csv', 'id,v\n3,x\n4,y\n'), file('u/k%07=1/a.csv', 'name,day,flag\nx,2024-01-01,true\ny,2024-01-02,false\n'), file('u/k%07=2/a.csv', 'name,day,flag\nz,2024-01-03,true\nw,2024-01-04,false\n')]);
    expect(report.state).toBe('COMPLETED');
    expect((await catalog.getTable('names_db', 't')).PartitionKeys).toEqual([{ Name: 'my key', Type: 'string' }]);
    expect((await catalog.getTable('names_db', 'u')).PartitionKeys).toEqual([{ Name: 'partition_0', Type: 'string' }]);
    catalog.close();
  });
});
