import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import type { ClassifyOptions } from '../../../src/crawler/classify-file';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { localLocks } from '../../../src/crawler/recovery';
import { resolveCrawlTarget, schedulerCrawlerRunner, startCrawlerRun, type CrawlEnv, type CrawlTarget } from '../../../src/crawler/runs';
import type { ByteSource } from '../../../src/sources/byte-source';
import { listNodeFolder } from '../../../src/sources/node-files';

let dir: string;
let lake: ByteSource[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'epoxy-runs-'));
  for (const [year, rows] of [['2024', '1,12.50\n2,3.25\n'], ['2025', '3,7.75\n4,1.00\n']] as const) {
    await mkdir(join(dir, 'lake', 'orders', `year=${year}`), { recursive: true });
    await writeFile(join(dir, 'lake', 'orders', `year=${year}`, 'part-0.csv'), `order_id,amount\n${rows}`);
  }
  await mkdir(join(dir, 'lake', '_tmp'), { recursive: true });
  await writeFile(join(dir, 'lake', '_tmp', 'scratch.csv'), 'a,b\n1,2\n');
  lake = await listNodeFolder(join(dir, 'lake'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const crawler = (over: Partial<Crawler> = {}): Crawler => ({
  Name: 'lake_crawler', DatabaseName: 'lake', Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://lake', Exclusions: ['_tmp/**'] }] },
  SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' }, ...over,
});

/** Crawls in this process: the in-process pool over real files, the files of `dropped://lake` being the lake folder. */
const nodeEnv = (over: Partial<CrawlEnv> = {}): CrawlEnv => ({
  classifier: (options) => inProcessClassifier(options),
  files: { dropped: (location) => (location === 'dropped://lake' ? lake : null) },
  locks: localLocks(),
  ...over,
});

async function catalogWith(c: Crawler): Promise<{ catalog: Catalog; factory: IDBFactory }> {
  const factory = new IDBFactory();
  const catalog = await Catalog.open({ factory, name: 'runs' });
  await catalog.put('crawler', c, { expectedVersionId: null });
  return { catalog, factory };
}

const handed = (over: Partial<CrawlTarget> = {}): CrawlTarget => ({ sources: lake, rootName: 'lake', locationPrefix: 'dropped://lake', ...over });

describe('startCrawlerRun (one crawl for the Crawlers view and the scheduler)', () => {
  it('crawls a handed target into the catalog with a COMPLETED run, and records that target on the crawler', async () => {
    const { catalog } = await catalogWith(crawler({ Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://old', Exclusions: ['_tmp/**'] }] } }));
    const result = await startCrawlerRun(catalog, 'lake_crawler', nodeEnv(), { target: handed({ locationPrefix: 'folder://lake', kind: 'dropped' }) });
    expect(result).toMatchObject({ state: 'COMPLETED', report: { state: 'COMPLETED', tablesCreated: 1, partitionsWritten: 2, filesClassified: 2, filesExcluded: 1, tables: ['orders'] } });
    expect('warning' in result).toBe(false);
    const table = await catalog.getTable('lake', 'orders');
    expect(table.StorageDescriptor?.Location).toBe('folder://lake/orders');
    expect(table.PartitionKeys?.map((k) => k.Name)).toEqual(['year']);
    const [run] = await catalog.getCrawlerRuns('lake_crawler');
    expect(run).toMatchObject({ State: 'COMPLETED', CrawlId: result.state === 'COMPLETED' ? result.report.crawlId : '' });
    // Where it read is the crawler's target now, its exclusions kept.
    const stored = await catalog.get('crawler', 'lake_crawler');
    expect(stored.Targets.EpoxyTargets).toEqual([{ Kind: 'dropped', Path: 'folder://lake', Exclusions: ['_tmp/**'] }]);
    catalog.close();
  });

  it('keeps settings another tab saved during the crawl when it records the target (not the ones the run started with)', async () => {
    const { catalog, factory } = await catalogWith(crawler());
    const otherTab = await Catalog.open({ factory, name: 'runs' });
    const env = nodeEnv({
      classifier: (options) => async (sources, onProgress, signal) => {
        const seen = await otherTab.get('crawler', 'lake_crawler');
        await otherTab.put('crawler', { ...seen, TablePrefix: 'raw_' }, { expectedVersionId: seen.VersionId! });
        return inProcessClassifier(options)(sources, onProgress, signal);
      },
    });
    const result = await startCrawlerRun(catalog, 'lake_crawler', env, { target: handed({ locationPrefix: 'dropped://lake2' }) });
    expect(result.state).toBe('COMPLETED');
    const stored = await catalog.get('crawler', 'lake_crawler');
    expect(stored.TablePrefix).toBe('raw_');
    expect(stored.Targets.EpoxyTargets?.[0]?.Path).toBe('dropped://lake2');
    otherTab.close();
    catalog.close();
  });

  it('crawls the stored target for the scheduler, as the given run id, and leaves the crawler as it is', async () => {
    const { catalog } = await catalogWith(crawler());
    const before = await catalog.get('crawler', 'lake_crawler');
    const result = await startCrawlerRun(catalog, 'lake_crawler', nodeEnv(), { runId: 'cr_sched_1' });
    expect(result).toMatchObject({ state: 'COMPLETED', report: { crawlId: 'cr_sched_1', tablesCreated: 1, filesExcluded: 1 } });
    expect((await catalog.getTable('lake', 'orders')).StorageDescriptor?.Location).toBe('dropped://lake/orders');
    expect((await catalog.get('crawler', 'lake_crawler')).VersionId).toBe(before.VersionId);
    expect((await catalog.getCrawlerRuns('lake_crawler')).map((r) => [r.CrawlId, r.State])).toEqual([['cr_sched_1', 'COMPLETED']]);
    catalog.close();
  });

  it('applies the crawler\'s own settings: its custom classifiers, fullScan and decimal rule reach the pool', async () => {
    const { catalog } = await catalogWith(crawler({ Classifiers: ['semi'], Epoxy: { fullScan: true, keepDecimals: true } }));
    await catalog.put('classifier', { CsvClassifier: { Name: 'semi', Delimiter: ';' } }, { expectedVersionId: null });
    const asked: ClassifyOptions[] = [];
    const env = nodeEnv({ classifier: (options) => { asked.push(options); return inProcessClassifier(options); } });
    const result = await startCrawlerRun(catalog, 'lake_crawler', env, { target: handed() });
    expect(result.state).toBe('COMPLETED');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ fullScan: true, keepDecimals: true, customClassifiers: [{ CsvClassifier: { Name: 'semi' } }] });
    // The decimal rule is real: fixed-scale amounts are decimal, not Glue's double.
    const amount = (await catalog.getTable('lake', 'orders')).StorageDescriptor?.Columns?.find((c) => c.Name === 'amount');
    expect(amount?.Type).toMatch(/^decimal\(/);
    catalog.close();
  });

  it('refuses a crawler naming a classifier that does not exist, and records nothing', async () => {
    const { catalog } = await catalogWith(crawler({ Classifiers: ['gone'] }));
    await expect(startCrawlerRun(catalog, 'lake_crawler', nodeEnv(), { target: handed() })).rejects.toThrow('Crawler lake_crawler uses classifier gone, which does not exist');
    expect(await catalog.getCrawlerRuns('lake_crawler')).toEqual([]);
    catalog.close();
  });

  it('stops when cancelled: a STOPPED run, no table, and the reason', async () => {
    const { catalog } = await catalogWith(crawler());
    const controller = new AbortController();
    const env = nodeEnv({
      classifier: (options) => async (sources, onProgress, signal) => {
        const outcomes = await inProcessClassifier(options)(sources, onProgress, signal);
        controller.abort(); // the user clicks Cancel while the files are being classified
        return outcomes;
      },
    });
    const result = await startCrawlerRun(catalog, 'lake_crawler', env, { target: handed(), signal: controller.signal });
    expect(result).toMatchObject({ state: 'STOPPED', error: 'The crawl was cancelled; the catalog was not changed' });
    expect(await catalog.getTables('lake').catch(() => [])).toEqual([]);
    expect((await catalog.getCrawlerRuns('lake_crawler')).map((r) => r.State)).toEqual(['STOPPED']);
    catalog.close();
  });

  it('reports the objects a target could not read before the crawl with the files it could not classify', async () => {
    const { catalog } = await catalogWith(crawler());
    const unreadable = [{ path: 'orders/year=2026/x.csv', error: 'the presigned URL expired' }];
    const result = await startCrawlerRun(catalog, 'lake_crawler', nodeEnv(), { target: handed({ unreadable, kind: 's3-presigned', locationPrefix: 'https://bucket.example/lake' }) });
    expect(result.state).toBe('COMPLETED');
    expect(result.state === 'COMPLETED' && result.report.failures).toEqual(unreadable);
    expect((await catalog.get('crawler', 'lake_crawler')).Targets.EpoxyTargets?.[0]).toMatchObject({ Kind: 's3-presigned', Path: 'https://bucket.example/lake' });
    catalog.close();
  });

  it('does not start when the stored target\'s files are not here, saying what to do; nothing is recorded', async () => {
    const { catalog } = await catalogWith(crawler({ Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://elsewhere' }] } }));
    expect(await startCrawlerRun(catalog, 'lake_crawler', nodeEnv())).toEqual({
      state: 'NOT_STARTED', error: 'Crawler lake_crawler has no files in this session (its target dropped://elsewhere); drop the data again in the Crawlers view',
    });
    expect(await catalog.getCrawlerRuns('lake_crawler')).toEqual([]);
    catalog.close();
  });
});

describe('resolveCrawlTarget', () => {
  it('finds a stored target\'s files: dropped in this session, or the remembered folder', async () => {
    const files = { dropped: (l: string) => (l.startsWith('dropped://lake') ? lake : null), rememberedFolder: async (name: string) => (name === 'lake_crawler' ? lake : null) };
    expect(await resolveCrawlTarget(crawler(), files)).toEqual({ sources: lake, rootName: 'lake', locationPrefix: 'dropped://lake', kind: 'dropped' });
    expect(await resolveCrawlTarget(crawler({ Targets: { EpoxyTargets: [{ Kind: 'dropped', Path: 'dropped://files' }] } }), { dropped: () => lake })).toMatchObject({ rootName: null });
    expect(await resolveCrawlTarget(crawler({ Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'folder://my%20lake' }] } }), files)).toMatchObject({ rootName: 'my lake', locationPrefix: 'folder://my%20lake' });
    expect(await resolveCrawlTarget(crawler({ Name: 'other', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'folder://lake' }] } }), files)).toEqual({
      problem: 'Crawler other needs permission to read its folder again: open the Crawlers view and click "Use remembered folder"',
    });
    expect(await resolveCrawlTarget(crawler({ Targets: {} }), files)).toEqual({ problem: 'Crawler lake_crawler has no files in this session (its target is not set); drop the data again in the Crawlers view' });
  });
});

describe('schedulerCrawlerRunner', () => {
  it('answers the executor in its states: SUCCEEDED, FAILED with what to do, STOPPED', async () => {
    const { catalog } = await catalogWith(crawler());
    const run = schedulerCrawlerRunner(catalog, nodeEnv());
    expect(await run({ name: 'lake_crawler', runId: 'r1' }, new AbortController().signal)).toEqual({ state: 'SUCCEEDED' });
    const nowhere = schedulerCrawlerRunner(catalog, nodeEnv({ files: {} }));
    expect(await nowhere({ name: 'lake_crawler', runId: 'r2' }, new AbortController().signal)).toEqual({
      state: 'FAILED', error: 'Crawler lake_crawler has no files in this session (its target dropped://lake); drop the data again in the Crawlers view',
    });
    const stopped = new AbortController();
    stopped.abort();
    expect(await run({ name: 'lake_crawler', runId: 'r3' }, stopped.signal)).toEqual({ state: 'STOPPED', error: 'The crawl was cancelled; the catalog was not changed' });
    expect((await catalog.getCrawlerRuns('lake_crawler')).map((r) => [r.CrawlId, r.State]).sort()).toEqual([['r1', 'COMPLETED'], ['r3', 'STOPPED']]);
    catalog.close();
  });
});
