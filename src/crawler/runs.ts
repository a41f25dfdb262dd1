/**
 * Crawler runs as StartCrawler does them, beside jobs' `startJobRun`: the stored crawler and its classifiers,
 * the files of its target, the pool that classifies them, the catalog write with the CrawlerRun record
 * (RUNNING, then COMPLETED, FAILED or STOPPED, see `runCrawl`), and cancel. The Crawlers view and the
 * scheduler both start crawls here; only where files come from differs between a browser tab and Node.
 */
import type { Catalog, Crawler } from '../catalog';
import type { ByteSource } from '../sources/byte-source';
import { errorMessage } from '../util/errors';
import { crawlerClassifiers, keepsDecimals, type ClassifyOptions } from './classify-file';
import { runCrawl, type ClassifyMany, type CrawlProgress, type CrawlReport } from './crawl';
import type { CrawlLocks } from './recovery';

/** The data a crawl reads: its files, the folder they are under, and the location the catalog records. */
export interface CrawlTarget {
  sources: ByteSource[];
  /** Name of the target folder (tables are named after it); null for loose files. */
  rootName: string | null;
  /** Location of the target, written into table and partition locations and as the crawler's target Path. */
  locationPrefix: string;
  /** The target kind recorded on the crawler ('dropped' when absent). */
  kind?: string;
  /** Objects of the target that could not be read before the crawl (expired, 403, CORS): reported with it. */
  unreadable?: { path: string; error: string }[];
}

/** Where the files under a stored crawler target are found, in this tab or process. */
export interface CrawlTargetFiles {
  /** The files dropped in this session under a `dropped://` location (or a part of it), or null. */
  dropped?(location: string): ByteSource[] | null;
  /** The files of the folder remembered for a crawler (`folder://`), or null when there is none or it may not be read. */
  rememberedFolder?(crawlerName: string): Promise<ByteSource[] | null>;
}

/** What crawls run with where they run: a classifying pool (Web Workers in a tab, in-process in Node) and file access. */
export interface CrawlEnv {
  /** The pool that classifies the files, with the crawler's classify options. */
  classifier(options: ClassifyOptions): ClassifyMany;
  /** Where a stored target's files are, for runs that are not handed a target (the scheduler's). */
  files?: CrawlTargetFiles;
  /** Where crawl locks live (the browser's Web Locks by default). */
  locks?: CrawlLocks;
  now?: () => Date;
}

export interface StartCrawlerRunOptions {
  /**
   * Crawl this data, and record it as the crawler's target once the crawl completed (the Crawlers view's
   * drop, folder or URLs). Without it the crawler's stored target is crawled, found through `env.files`.
   */
  target?: CrawlTarget;
  signal?: AbortSignal;
  onProgress?: (p: CrawlProgress) => void;
  /** The CrawlId of the run (the scheduler's run id); a new one by default. */
  runId?: string;
}

/** How a crawler run ended: its report, or why it could not start (nothing was recorded then). */
export type CrawlerRunResult =
  /** `warning`: the crawl completed, but the target it read was not recorded on the crawler. */
  | { state: 'COMPLETED'; report: CrawlReport; warning?: string }
  | { state: 'FAILED' | 'STOPPED'; report: CrawlReport; error: string }
  /** The target's files are not reachable here (dropped in another session, folder permission needed). */
  | { state: 'NOT_STARTED'; error: string };

/**
 * The files under a crawler's stored target, or why they cannot be had: dropped files exist only in the
 * session that dropped them, and a remembered folder needs the user's permission again after a reload.
 */
export async function resolveCrawlTarget(crawler: Crawler, files: CrawlTargetFiles = {}): Promise<CrawlTarget | { problem: string }> {
  const stored = crawler.Targets.EpoxyTargets?.[0];
  const location = stored?.Path ?? '';
  let sources = location ? (files.dropped?.(location) ?? null) : null;
  if (!sources && location.startsWith('folder://')) {
    sources = (await files.rememberedFolder?.(crawler.Name)) ?? null;
    if (!sources) return { problem: `Crawler ${crawler.Name} needs permission to read its folder again: open the Crawlers view and click "Use remembered folder"` };
  }
  if (!sources) return { problem: `Crawler ${crawler.Name} has no files in this session (its target ${location || 'is not set'}); drop the data again in the Crawlers view` };
  const root = decodeURIComponent(location.replace(/^(dropped|folder):\/\//, ''));
  return { sources, rootName: root === 'files' ? null : root, locationPrefix: location, ...(stored?.Kind ? { kind: stored.Kind } : {}) };
}

/** The crawler as it crawls a target it is handed: its first Epoxy target points there (its exclusions kept). */
function pointedAt(crawler: Crawler, target: CrawlTarget): Crawler {
  const kind = target.kind ?? 'dropped';
  return { ...crawler, Targets: { EpoxyTargets: [{ ...(crawler.Targets.EpoxyTargets?.[0] ?? { Kind: kind }), Kind: kind, Path: target.locationPrefix }] } };
}

/**
 * Run a stored crawler: its classifiers (a missing one throws, and nothing is recorded), its fullScan and
 * decimal settings, the files of `opts.target` or of its stored target, classified by `env`'s pool with
 * progress and cancel (`signal`), then `runCrawl`'s one commit of the tables with the CrawlerRun record.
 * A crawl of a handed target records that target on the crawler afterwards, on top of what is stored then
 * (settings another tab saved during the crawl are kept), checked against that version.
 */
export async function startCrawlerRun(catalog: Catalog, crawlerName: string, env: CrawlEnv, opts: StartCrawlerRunOptions = {}): Promise<CrawlerRunResult> {
  const stored = await catalog.get('crawler', crawlerName);
  let target = opts.target;
  if (!target) {
    const found = await resolveCrawlTarget(stored, env.files);
    if ('problem' in found) return { state: 'NOT_STARTED', error: found.problem };
    target = found;
  }
  const crawler = opts.target ? pointedAt(stored, target) : stored;
  const classify = env.classifier({
    customClassifiers: crawlerClassifiers(stored, await catalog.list('classifier')),
    fullScan: stored.Epoxy?.['fullScan'] === true,
    keepDecimals: keepsDecimals(stored),
  });
  const crawled = await runCrawl({
    crawler, sources: target.sources, rootName: target.rootName, locationPrefix: target.locationPrefix, catalog, classify,
    ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.runId ? { crawlId: opts.runId } : {}), ...(env.locks ? { locks: env.locks } : {}), ...(env.now ? { now: env.now } : {}),
  });
  // Objects that failed before the crawl (expired, 403, CORS) belong in its report too.
  const unreadable = target.unreadable ?? [];
  const report = unreadable.length ? { ...crawled, failures: [...unreadable, ...crawled.failures] } : crawled;
  if (report.state !== 'COMPLETED') return { state: report.state, report, error: report.error ?? `The crawl ended ${report.state}` };
  let warning: string | undefined;
  if (opts.target) {
    const now = await catalog.get('crawler', crawlerName).catch(() => null);
    if (now) {
      await catalog.put('crawler', { ...now, Targets: crawler.Targets }, { expectedVersionId: now.VersionId ?? '0' }).catch((err: unknown) => {
        warning = `The crawl completed, but where it read was not recorded: ${errorMessage(err)}`;
      });
    }
  }
  return warning ? { state: 'COMPLETED', report, warning } : { state: 'COMPLETED', report };
}

/** What the scheduler's executor expects back from a crawler run (the shape of its RunOutcome). */
export interface CrawlerRunOutcome {
  state: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  error?: string;
}

/**
 * A runner for the scheduler's executor: `run(item, signal)` crawls the crawler's stored target as run
 * `item.runId`. A target whose files are not here fails with what to do (not a retryable error).
 */
export function schedulerCrawlerRunner(catalog: Catalog, env: CrawlEnv): (item: { name: string; runId: string }, signal: AbortSignal) => Promise<CrawlerRunOutcome> {
  return async (item, signal) => {
    const result = await startCrawlerRun(catalog, item.name, env, { signal, runId: item.runId });
    if (result.state === 'COMPLETED') return { state: 'SUCCEEDED' };
    return { state: result.state === 'STOPPED' ? 'STOPPED' : 'FAILED', error: result.error };
  };
}
