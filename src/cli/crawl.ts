import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Catalog, glueTableInput, type Crawler, type TableInput } from '../catalog';
import { crawlerClassifiers, keepsDecimals } from '../crawler/classify-file';
import { runCrawl, type CrawlReport } from '../crawler/crawl';
import { inProcessClassifier } from '../crawler/in-process';
import { listNodeFolder, nodeFileSource } from '../sources/node-files';
import { loadCatalogFile, saveCatalogFile } from './catalog';

/** Options of `epoxy crawl`. */
export interface CrawlCommandOptions {
  /** The catalog file to write; without one the crawl runs against an empty in-memory catalog. */
  catalogFile?: string;
  database: string;
  target: string;
  name?: string;
  tablePrefix?: string;
  exclude: string[];
  fullScan: boolean;
  /** The decimal rule: fixed-scale numbers become decimal(p,s) instead of Glue's double (stored on the crawler). */
  keepDecimals?: boolean;
  updateBehavior?: 'UPDATE_IN_DATABASE' | 'LOG';
  deleteBehavior?: 'DEPRECATE_IN_DATABASE' | 'DELETE_FROM_DATABASE' | 'LOG';
  newFoldersOnly: boolean;
  combine: boolean;
  tableThreshold?: number;
  /** Write Athena-safe column names (the crawler's `normalizeNames` setting). */
  athenaNames?: boolean;
  onProgress?: (line: string) => void;
}

/**
 * `epoxy crawl`: crawl a folder (or one file) into a catalog file with the same crawler the app runs.
 * The crawler definition is stored in the catalog (created or updated), so the next crawl applies its policies.
 */
export async function runCrawlCommand(o: CrawlCommandOptions): Promise<{ text: string; report: CrawlReport; tables: { DatabaseName: string; TableInput: TableInput }[] }> {
  const target = resolve(o.target);
  const info = await stat(target).catch(() => null);
  if (!info) throw new Error(`${o.target}: no such file or folder`);
  const sources = info.isDirectory() ? await listNodeFolder(target) : [await nodeFileSource(target, basename(target))];
  const catalog = o.catalogFile ? await loadCatalogFile(o.catalogFile) : await Catalog.open({ factory: new IDBFactory(), name: 'cli-crawl' });
  try {
    const name = o.name ?? `crawl_${o.database}`;
    const stored = await catalog.get('crawler', name).catch(() => null);
    const configuration: Record<string, unknown> = { Version: 1.0 };
    if (o.combine) configuration['Grouping'] = { TableGroupingPolicy: 'CombineCompatibleSchemas' };
    if (o.tableThreshold !== undefined) configuration['CrawlerOutput'] = { Tables: { TableThreshold: o.tableThreshold } };
    const crawler: Crawler = {
      ...(stored ?? {}),
      Name: name,
      DatabaseName: o.database,
      Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(target).href, Exclusions: o.exclude }] },
      TablePrefix: o.tablePrefix ?? stored?.TablePrefix,
      SchemaChangePolicy: {
        UpdateBehavior: o.updateBehavior ?? stored?.SchemaChangePolicy?.UpdateBehavior ?? 'UPDATE_IN_DATABASE',
        DeleteBehavior: o.deleteBehavior ?? stored?.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE',
      },
      RecrawlPolicy: { RecrawlBehavior: o.newFoldersOnly ? 'CRAWL_NEW_FOLDERS_ONLY' : 'CRAWL_EVERYTHING' },
      Configuration: JSON.stringify(configuration),
      Epoxy: { ...(stored?.Epoxy ?? {}), keepDecimals: o.keepDecimals === true, normalizeNames: o.athenaNames === true },
    };
    await catalog.put('crawler', crawler);
    const report = await runCrawl({
      crawler,
      sources,
      rootName: info.isDirectory() ? basename(target) : null,
      locationPrefix: pathToFileURL(info.isDirectory() ? target : dirname(target)).href,
      catalog,
      classify: inProcessClassifier({ customClassifiers: crawlerClassifiers(crawler, await catalog.list('classifier')), fullScan: o.fullScan, keepDecimals: keepsDecimals(crawler) }),
      onProgress: (p) => {
        if (p.phase === 'classifying') o.onProgress?.(`classified ${p.done}/${p.total} files`);
      },
    });
    if (o.catalogFile) await saveCatalogFile(catalog, o.catalogFile);
    const tables = report.state === 'COMPLETED' ? await Promise.all(report.tables.map(async (name) => ({ DatabaseName: o.database, TableInput: glueTableInput(await catalog.getTable(o.database, name)) }))) : [];
    return { text: formatReport(report), report, tables };
  } finally {
    catalog.close();
  }
}

/** The crawl report as the CLI prints it. */
export function formatReport(r: CrawlReport): string {
  const lines = [
    `Crawl ${r.crawlId}: ${r.state} in ${(r.durationMs / 1000).toFixed(1)} s — database ${r.database}`,
    `  tables: ${r.tablesCreated} created, ${r.tablesUpdated} updated, ${r.tablesUnchanged} unchanged, ${r.tablesDeleted} deleted, ${r.tablesDeprecated} deprecated; ${r.partitionsWritten} partitions`,
    `  files: ${r.filesClassified} classified (${(r.bytesClassified / 1048576).toFixed(1)} MB), ${r.failures.length} unreadable, ${r.filesExcluded} excluded, ${r.filesSkipped} skipped`,
  ];
  if (r.tables.length) lines.push(`  tables found: ${r.tables.join(', ')}`);
  for (const f of r.failures) lines.push(`  ! ${f.path}: ${f.error}`);
  if (r.error) lines.push(`  error: ${r.error}`);
  return lines.join('\n');
}
