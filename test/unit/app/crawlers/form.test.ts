import { describe, expect, it } from 'vitest';
import { dropTarget, progressText } from '../../../../src/app/crawlers/drop';
import { classifierFromForm, crawlerFromForm, formFromCrawler, newClassifierForm, newCrawlerForm } from '../../../../src/app/crawlers/form';

describe('crawler form', () => {
  it('builds a Glue crawler and reads it back', () => {
    const form = { ...newCrawlerForm(['crawler_1']), name: 'sales_crawler', database: 'Sales', exclusions: '**/_tmp/**\n\n*.crc', combineCompatibleSchemas: true, tableThreshold: '20', newFoldersOnly: true, fullScan: true, classifiers: ['apache_custom'] };
    expect(newCrawlerForm(['crawler_1']).name).toBe('crawler_2');
    const { crawler, errors } = crawlerFromForm(form);
    expect(errors).toEqual({});
    expect(crawler).toMatchObject({
      Name: 'sales_crawler', DatabaseName: 'sales', Classifiers: ['apache_custom'],
      Targets: { EpoxyTargets: [{ Kind: 'dropped', Exclusions: ['**/_tmp/**', '*.crc'] }] },
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
      Configuration: '{"Version":1,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"},"CrawlerOutput":{"Tables":{"TableThreshold":20}}}',
      Epoxy: { fullScan: true },
    });
    expect(formFromCrawler(crawler!)).toEqual({ ...form, database: 'sales', exclusions: '**/_tmp/**\n*.crc' });
  });

  it('keeps the decimal rule setting: off (Glue\'s double) by default, Epoxy.keepDecimals when ticked (issue 17)', () => {
    const blank = newCrawlerForm([]);
    expect(blank.keepDecimals).toBe(false);
    const on = crawlerFromForm({ ...blank, keepDecimals: true }).crawler!;
    expect(on.Epoxy).toMatchObject({ keepDecimals: true });
    expect(formFromCrawler(on).keepDecimals).toBe(true);
    expect(formFromCrawler({ ...on, Epoxy: {} }).keepDecimals).toBe(false);
  });

  it('builds a crawler IndexedDB can store when the ticked classifiers are a reactive proxy (issue 15 #1: "[object Object] could not be cloned")', () => {
    // A Svelte $state array is a Proxy; structuredClone (what IndexedDB and postMessage use) refuses it the same way.
    const ticked = new Proxy(['applog_grok', 'scores_csv'], {});
    expect(() => structuredClone(ticked)).toThrow(/could not be cloned/);
    const { crawler } = crawlerFromForm({ ...newCrawlerForm([]), classifiers: ticked });
    expect(structuredClone(crawler)).toMatchObject({ Classifiers: ['applog_grok', 'scores_csv'] });
    const back = formFromCrawler(crawler!);
    expect(back.classifiers).not.toBe(crawler!.Classifiers);
  });

  it('names each invalid field', () => {
    const { crawler, errors } = crawlerFromForm({ ...newCrawlerForm([]), database: 'bad\nname', tablePrefix: 'X-', tableThreshold: '0', exclusions: 'ok\n' });
    expect(crawler).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['database', 'tablePrefix', 'tableThreshold']);
    expect(errors['database']).toMatch(/bad\?name/);
  });

  it('builds custom classifiers in Glue shape with an order', () => {
    expect(classifierFromForm({ ...newClassifierForm(), name: 'app_log', classification: 'applog', grokPattern: '%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:msg}' }, 1)).toEqual({
      classifier: { GrokClassifier: { Name: 'app_log', Classification: 'applog', GrokPattern: '%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:msg}', CustomPatterns: undefined }, order: 1 },
    });
    expect(classifierFromForm({ ...newClassifierForm(), kind: 'CsvClassifier', name: 'pipes', delimiter: '|', containsHeader: 'ABSENT', header: 'a, b' }, 2).classifier).toEqual({
      CsvClassifier: { Name: 'pipes', Delimiter: '|', QuoteSymbol: '"', ContainsHeader: 'ABSENT', Header: ['a', 'b'] }, order: 2,
    });
    expect(classifierFromForm({ ...newClassifierForm(), kind: 'JsonClassifier', name: 'j', jsonPath: 'records' }, 1).error).toMatch(/starts with \$/);
  });
});

describe('drops as crawl targets', () => {
  const f = (path: string, text = 'a,b\n1,2\n') => ({ path, file: new File([text], path.split('/').pop()!) });

  it('makes one dropped folder the target, relative paths inside it', () => {
    const t = dropTarget([f('sales/year=2024/a.csv'), f('sales/year=2025/a.csv')]);
    expect(t).toMatchObject({ rootName: 'sales', label: 'folder sales', locationPrefix: 'dropped://sales', totalBytes: 16 });
    expect(t.sources.map((s) => s.path)).toEqual(['year=2024/a.csv', 'year=2025/a.csv']);
  });

  it('keeps loose files and several folders under a virtual root', () => {
    const t = dropTarget([f('a.csv'), f('logs/x.log')]);
    expect(t).toMatchObject({ rootName: null, label: '2 dropped items', locationPrefix: 'dropped://files' });
    expect(t.sources.map((s) => s.path)).toEqual(['a.csv', 'logs/x.log']);
  });

  it('says files, bytes and time left', () => {
    expect(progressText({ done: 3, total: 10, bytesDone: 3 * 1048576, bytesTotal: 10 * 1048576, etaMs: 4200 })).toBe('3 of 10 files · 3.0 of 10 MB · 5 s left');
    expect(progressText({ done: 10, total: 10, bytesDone: 10, bytesTotal: 10, etaMs: 0 })).toBe('10 of 10 files · 0.0 of 0.0 MB');
  });
});
