import { CatalogError, catalogKey, catalogName, type Catalog, type Crawler, type CrawlerRun, type Table } from '../catalog';
import type { ByteSource } from '../sources/byte-source';
import { normalizeTableInput } from '../catalog/validate';
import { sheetEntries } from './classify-file';
import { withAthenaSafeNames, withPriorRenames } from '../catalog/normalize';
import { planCatalogChanges, type FoundTable } from './diff';
import { Exclusions } from './globs';
import { groupIntoTables } from './grouping';
import { CancelledError, type JobOutcome, type PoolProgress } from './pool';
import { crawlLockName, defaultLocks, LOCK_BUSY, type CrawlLocks } from './recovery';
import { candidateToGlue } from './to-catalog';
import type { ClassifiedFile } from './types';
import { errorMessage } from '../util/errors';

/** Classifies files (a worker pool in the browser, in-process in Node) with progress and cancel. */
export type ClassifyMany = (sources: ByteSource[], onProgress: (p: PoolProgress) => void, signal?: AbortSignal) => Promise<JobOutcome<ByteSource, ClassifiedFile>[]>;

/** A crawl to run: the crawler definition, the files under its target, and where they live. */
export interface CrawlInput {
  crawler: Crawler;
  sources: ByteSource[];
  /** Name of the target folder (tables are named after it); null for loose dropped files. */
  rootName: string | null;
  /** Location of the target, written into table and partition locations (e.g. file:///data/sales). */
  locationPrefix: string;
  catalog: Catalog;
  classify: ClassifyMany;
  signal?: AbortSignal;
  onProgress?: (p: CrawlProgress) => void;
  now?: () => Date;
  crawlId?: string;
  /** Where the crawl's lock lives (the browser's Web Locks by default). */
  locks?: CrawlLocks;
}

/** Progress of a crawl, for the progress bar. */
export interface CrawlProgress extends PoolProgress {
  phase: 'listing' | 'classifying' | 'grouping' | 'writing';
}

/** What a crawl did: Glue's crawl metrics plus the per-file problems. */
export interface CrawlReport {
  crawlId: string;
  state: 'COMPLETED' | 'FAILED' | 'STOPPED';
  database: string;
  tablesCreated: number;
  tablesUpdated: number;
  tablesUnchanged: number;
  tablesDeleted: number;
  tablesDeprecated: number;
  partitionsWritten: number;
  /** New partitions of tables that existed before this crawl (reports stored before this field lack it). */
  partitionsAdded?: number;
  filesClassified: number;
  /** Bytes of the files read (stored size; a sampled crawl reads only a prefix of each). */
  bytesClassified: number;
  filesExcluded: number;
  filesSkipped: number;
  failures: { path: string; error: string }[];
  tables: string[];
  log: string[];
  durationMs: number;
  error?: string;
}

/** Crawler Configuration JSON, as Glue stores it. */
interface CrawlerConfiguration {
  Grouping?: { TableGroupingPolicy?: string; TableThreshold?: number };
  CrawlerOutput?: { Tables?: { TableThreshold?: number } };
}

function parseConfiguration(text: string | undefined): CrawlerConfiguration {
  if (!text) return {};
  try {
    return JSON.parse(text) as CrawlerConfiguration;
  } catch {
    throw new Error(`The crawler's Configuration is not valid JSON: ${text.slice(0, 80)}`);
  }
}

/**
 * Whether the crawler writes Athena-safe names (`Epoxy.normalizeNames`): "Beak Length (mm)" becomes
 * beak_length_mm with the original kept in the column's Parameters. Off by default, as Glue keeps names.
 */
export function normalizesNames(crawler: Crawler): boolean {
  return crawler.Epoxy?.['normalizeNames'] === true;
}

/** Folders (and single-file tables) this database already knows, for CRAWL_NEW_FOLDERS_ONLY. */
async function knownLocations(catalog: Catalog, database: string, tables: Table[], prefix: string): Promise<Set<string>> {
  const known = new Set<string>();
  const rel = (loc: string | undefined) => (loc && loc.startsWith(prefix) ? loc.slice(prefix.length).replace(/^\/+/, '') : null);
  for (const t of tables) {
    const partitions = await catalog.getPartitions(database, t.Name);
    for (const p of partitions) {
      const r = rel(p.StorageDescriptor?.Location);
      if (r !== null) known.add(r);
    }
    const r = rel(t.StorageDescriptor?.Location);
    if (r !== null && partitions.length === 0) known.add(r);
  }
  return known;
}

const parentOf = (path: string) => path.split('/').slice(0, -1).join('/');

function newReport(crawlId: string, database: string): CrawlReport {
  return {
    crawlId, state: 'COMPLETED', database, tablesCreated: 0, tablesUpdated: 0, tablesUnchanged: 0, tablesDeleted: 0,
    tablesDeprecated: 0, partitionsWritten: 0, filesClassified: 0, bytesClassified: 0, filesExcluded: 0, filesSkipped: 0, failures: [], tables: [], log: [], durationMs: 0,
  };
}

/**
 * Run a crawl: exclusions and recrawl policy -> classify every file (failures are reported, never fatal) ->
 * group into tables and partitions -> diff with the catalog under the schema change policy -> one atomic
 * commit of all table changes together with the crawler run. A failed or cancelled crawl changes no table.
 * The crawl holds the lock `epoxy-crawl-<name>` throughout, so a second run of the same crawler (in any tab)
 * is refused, and a run left RUNNING by a closed tab can be recognised (see recoverAbandonedCrawls).
 */
export async function runCrawl(input: CrawlInput): Promise<CrawlReport> {
  const result = await (input.locks ?? defaultLocks()).tryWith(crawlLockName(input.crawler.Name), () => crawlHoldingLock(input));
  if (result !== LOCK_BUSY) return result;
  // Glue's CrawlerRunningException: nothing is recorded and nothing changes.
  const report = newReport(input.crawlId ?? '', input.crawler.DatabaseName ?? '');
  return { ...report, state: 'FAILED', error: `Crawler ${input.crawler.Name} is already running (in this tab or another); wait for it to finish` };
}

async function crawlHoldingLock(input: CrawlInput): Promise<CrawlReport> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const { crawler, catalog } = input;
  const database = crawler.DatabaseName;
  const crawlId = input.crawlId ?? `cr_${started.getTime().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const report = newReport(crawlId, database ?? '');
  const run = (state: CrawlerRun['State'], extra: Partial<CrawlerRun> = {}): CrawlerRun => ({
    CrawlId: crawlId, CrawlerName: crawler.Name, State: state, StartTime: started.toISOString(), ...extra,
  });
  const finish = async (state: CrawlReport['state'], error?: string) => {
    report.state = state;
    report.durationMs = now().getTime() - started.getTime();
    if (error) report.error = error;
    await catalog.commit([{ op: 'putCrawlerRun', run: run(state, { EndTime: now().toISOString(), ErrorMessage: error, Summary: summarize(report), Epoxy: { report } }) }]).catch(() => {});
    return report;
  };

  await catalog.commit([{ op: 'putCrawlerRun', run: run('RUNNING') }]);
  try {
    if (!database) throw new Error(`Crawler ${crawler.Name} has no target database`);
    const config = parseConfiguration(crawler.Configuration);
    const exclusions = new Exclusions((crawler.Targets.EpoxyTargets ?? []).flatMap((t) => t.Exclusions ?? []).concat((crawler.Targets.S3Targets ?? []).flatMap((t) => t.Exclusions ?? [])));
    let sources = input.sources.filter((s) => !exclusions.excludes(s.path));
    report.filesExcluded = input.sources.length - sources.length;

    const existing = await catalog.getTables(database).catch((err) => {
      if (err instanceof CatalogError && err.code === 'EntityNotFoundException') return [] as Table[];
      throw err;
    });
    if (crawler.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_NEW_FOLDERS_ONLY') {
      const known = await knownLocations(catalog, database, existing, input.locationPrefix);
      const before = sources.length;
      sources = sources.filter((s) => !known.has(parentOf(s.path)) && !known.has(s.path));
      report.filesSkipped = before - sources.length;
      if (report.filesSkipped) report.log.push(`Skipped ${report.filesSkipped} file(s) in folders crawled before (new folders only)`);
    }

    const outcomes = await input.classify(sources, (p) => input.onProgress?.({ ...p, phase: 'classifying' }), input.signal);
    const classified: ClassifiedFile[] = [];
    for (const o of outcomes) {
      if (!o.ok) report.failures.push({ path: o.job.path, error: o.error });
      else if (o.result.error) report.failures.push({ path: o.result.path, error: o.result.error });
      else {
        // A workbook's sheets stand or fall one by one: one sheet's odd header costs that sheet's table only.
        for (const entry of sheetEntries(o.result)) {
          const refused = refusedColumnName(entry);
          if (refused) report.failures.push({ path: o.result.path, error: entry.sheet !== undefined ? `sheet "${entry.sheet}": ${refused}` : refused });
          else classified.push(entry);
        }
      }
    }
    // A workbook counts once, however many sheet tables it makes.
    report.filesClassified = new Set(classified.map((f) => f.path)).size;
    report.bytesClassified = [...new Map(classified.map((f) => [f.path, f.size])).values()].reduce((n, size) => n + size, 0);
    if (input.signal?.aborted) throw new CancelledError();

    input.onProgress?.({ done: outcomes.length, total: outcomes.length, bytesDone: 0, bytesTotal: 0, elapsedMs: 0, etaMs: 0, phase: 'grouping' });
    const threshold = config.CrawlerOutput?.Tables?.TableThreshold ?? config.Grouping?.TableThreshold;
    const candidates = groupIntoTables(classified, {
      rootName: input.rootName,
      tablePrefix: crawler.TablePrefix ?? '',
      combineCompatibleSchemas: config.Grouping?.TableGroupingPolicy === 'CombineCompatibleSchemas',
      tableThreshold: threshold,
      takenNames: new Set(existing.filter((t) => t.Parameters?.['UPDATED_BY_CRAWLER'] !== crawler.Name).map((t) => t.Name)),
    });
    const safeNames = normalizesNames(crawler);
    const { found, rejected } = admissible(candidates.map((c, i) => {
      let glue = candidateToGlue(c, input.locationPrefix, crawler.Name);
      // Renames made in the catalog since the last crawl stay (a recrawl must not undo a normalisation).
      const prior = existing.find((t) => t.Name === glue.table.Name);
      if (prior) glue = withPriorRenames(prior, glue.table, glue.partitions);
      return { ...(safeNames ? withAthenaSafeNames(glue.table, glue.partitions) : glue), files: candidates[i]!.files };
    }), database);
    for (const r of rejected) {
      for (const f of r.files) report.failures.push({ path: f.path, error: `its table ${r.table.Name} cannot be added to the catalog: ${r.reason}` });
      report.log.push(`Table ${r.table.Name} was not written: ${r.reason}`);
    }
    report.filesClassified -= rejected.reduce((n, r) => n + r.files.length, 0);
    // A refused table that exists from an earlier crawl is left as it is, not treated as gone.
    const refused = new Set(rejected.map((r) => catalogKey(r.table.Name)));
    const prior = existing.filter((t) => !refused.has(t.Name));
    const priorNames = new Set(prior.map((t) => t.Name));
    const existingPartitions: Record<string, string[][]> = {};
    for (const f of found) {
      if (!priorNames.has(f.table.Name) || !f.partitions.length) continue;
      existingPartitions[f.table.Name] = (await catalog.getPartitions(database, f.table.Name).catch(() => [])).map((p) => p.Values);
    }
    const plan = planCatalogChanges(crawler, database, found, prior, now().toISOString(), existingPartitions);
    report.log.push(...plan.log);
    Object.assign(report, {
      tablesCreated: plan.counts.created, tablesUpdated: plan.counts.updated, tablesUnchanged: plan.counts.unchanged + plan.counts.logged,
      tablesDeleted: plan.counts.deleted, tablesDeprecated: plan.counts.deprecated,
      partitionsWritten: found.reduce((n, f) => n + f.partitions.length, 0),
      partitionsAdded: plan.counts.partitionsAdded,
      tables: found.map((f) => f.table.Name),
    });
    for (const f of report.failures) report.log.push(`Could not classify ${f.path}: ${f.error}`);

    if (input.signal?.aborted) throw new CancelledError();
    input.onProgress?.({ done: outcomes.length, total: outcomes.length, bytesDone: 0, bytesTotal: 0, elapsedMs: 0, etaMs: 0, phase: 'writing' });
    report.durationMs = now().getTime() - started.getTime();
    // One transaction: every table change and the finished run, or nothing.
    await catalog.commit([...plan.changes, { op: 'putCrawlerRun', run: run('COMPLETED', { EndTime: now().toISOString(), Summary: summarize(report), Epoxy: { report } }) }]);
    return report;
  } catch (err) {
    if (err instanceof CancelledError || input.signal?.aborted) return finish('STOPPED', 'The crawl was cancelled; the catalog was not changed');
    return finish('FAILED', errorMessage(err));
  }
}

/**
 * Why a file's columns cannot go into the catalog (Glue's name rule: single-line text of at most 255
 * characters), or null. Checked per file before grouping, so one file with a header holding a control
 * character is reported alone instead of taking the whole folder's table down with it.
 */
function refusedColumnName(file: ClassifiedFile): string | null {
  for (const field of file.schema) {
    try {
      catalogName('column', field.name);
    } catch (err) {
      return `its columns cannot be stored in the catalog: ${errorMessage(err)}`;
    }
  }
  return null;
}

/**
 * Split found tables into those the catalog will accept and those it would refuse (e.g. a header cell
 * `a"; DROP TABLE x; --` as a column name). One file's odd column names must cost that table, not the
 * whole crawl: the commit is atomic, so a single invalid table would otherwise roll back every other one.
 */
function admissible<T extends FoundTable & { files: ClassifiedFile[] }>(tables: T[], database: string): { found: T[]; rejected: (T & { reason: string })[] } {
  const found: T[] = [];
  const rejected: (T & { reason: string })[] = [];
  for (const t of tables) {
    try {
      normalizeTableInput(database, t.table);
      found.push(t);
    } catch (err) {
      rejected.push({ ...t, reason: errorMessage(err) });
    }
  }
  return { found, rejected };
}

/** One line for run lists: what the crawl changed. */
export function summarize(r: CrawlReport): string {
  const parts = [`${r.tablesCreated} created`, `${r.tablesUpdated} updated`];
  if (r.tablesDeleted) parts.push(`${r.tablesDeleted} deleted`);
  if (r.tablesDeprecated) parts.push(`${r.tablesDeprecated} deprecated`);
  parts.push(`${r.partitionsWritten} partitions${r.partitionsAdded ? ` (${r.partitionsAdded} new)` : ''}`, `${r.filesClassified} files`);
  if (r.failures.length) parts.push(`${r.failures.length} unreadable`);
  return `Tables: ${parts.join(', ')}`;
}
